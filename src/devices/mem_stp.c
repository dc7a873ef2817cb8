/* Short- plus long-term plasticity with activity-dependent decay
 * (meta-plasticity), level 8: a compact behavioural model after the
 * non-filamentary SrTiO3 memristors of C. Weilenmann et al., "Single
 * neuromorphic memristor closely emulates multiple synaptic mechanisms for
 * energy efficient neural networks", Nat. Commun. 15, 6898 (2024).
 *
 * The paper reports the behaviours (short-term potentiation that decays
 * back, consolidation into a lasting change, a decay time scale that
 * depends on the stimulation history; oxygen-vacancy drift and diffusion)
 * but no compact equations; the equations below are this project's own
 * (docs/devices/mem_stp.md says why each term is there and which numbers
 * are chosen). Equation labels (S1..S7) refer to that page.
 *
 *   YMEMRISTOR <name> n+ n- <model> [s0=] [l0=] [a0=]
 *   .model <model> memristor level=8 g0= gs= gl= vnl= vp= vn= v0= kp= kn=
 *   +   tau0= kmeta= ka= taua= kc= sc= s0= l0= a0=
 *
 * States: s in [-1, 1] volatile (short-term) change, solved at its steady
 * state in DC; l in [0, 1] long-term (non-volatile) state, held at l0 in
 * DC; a in [0, 1] activity trace that sets the decay time of s, solved at
 * its steady state in DC.
 *   D(u)  = e^u - 1 - u for u > 0, else 0              threshold drive (S1)
 *   Dp    = D((v - vp)/v0),  Dn = D((-v - vn)/v0)
 *   G     = g0 + gs s + gl l                            (S2)
 *   i     = G vnl sinh(v/vnl)   (vnl = 0: i = G v)       (S3)
 *   tau   = tau0 (1 + kmeta a)                          (S4)
 *   ds/dt = kp Dp (1 - s) - kn Dn (1 + s) - s/tau       (S5)
 *   dl/dt = kc [(s - sc)+ (1 - l) - (-s - sc)+ l]       (S6)
 *   da/dt = ka (Dp + Dn) (1 - a) - a/taua               (S7)
 */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"

enum { M_G0, M_GS, M_GL, M_VNL, M_VP, M_VN, M_V0, M_KP, M_KN, M_TAU0, M_KMETA, M_KA, M_TAUA, M_KC, M_SC,
       M_S0, M_L0, M_A0, NM };
static const ParamDesc stp_model_params[NM + MEM_NC2C] = {
    [M_G0] = {"g0", "S", 1e-6, PF_POSITIVE, "baseline conductance (s = 0, l = 0)"},
    [M_GS] = {"gs", "S", 0.5e-6, PF_NONNEG, "conductance per unit short-term state s (< g0)"},
    [M_GL] = {"gl", "S", 2e-6, PF_NONNEG, "conductance per unit long-term state l"},
    [M_VNL] = {"vnl", "V", 0.5, PF_NONNEG, "voltage scale of the sinh I-V (0: linear, i = G v)"},
    [M_VP] = {"vp", "V", 1, PF_POSITIVE, "potentiation threshold (v > vp drives s up)"},
    [M_VN] = {"vn", "V", 1, PF_POSITIVE, "depression threshold magnitude (v < -vn drives s down)"},
    [M_V0] = {"v0", "V", 0.1, PF_POSITIVE, "voltage scale of the drive above threshold"},
    [M_KP] = {"kp", "1/s", 0.5, PF_NONNEG, "short-term potentiation rate"},
    [M_KN] = {"kn", "1/s", 0.5, PF_NONNEG, "short-term depression rate"},
    [M_TAU0] = {"tau0", "s", 1, PF_POSITIVE, "decay time of s without activity (a = 0)"},
    [M_KMETA] = {"kmeta", "", 4, PF_NONNEG, "meta-plasticity gain: tau = tau0 (1 + kmeta a)"},
    [M_KA] = {"ka", "1/s", 0.1, PF_NONNEG, "activity-trace build-up rate"},
    [M_TAUA] = {"taua", "s", 60, PF_POSITIVE, "activity-trace decay time"},
    [M_KC] = {"kc", "1/s", 0.5, PF_NONNEG, "consolidation rate (s beyond +-sc moves l)"},
    [M_SC] = {"sc", "", 0.5, PF_NONNEG, "consolidation threshold on the magnitude of s (< 1)"},
    [M_S0] = {"s0", "", 0, 0, "initial s for .tran uic (DC solves s) when the instance gives none"},
    [M_L0] = {"l0", "", 0, PF_NONNEG, "initial (held) long-term state when the instance gives none"},
    [M_A0] = {"a0", "", 0, PF_NONNEG, "initial a for .tran uic (DC solves a) when the instance gives none"},
    MEM_C2C_PARAMS(NM),
};

enum { P_S0, P_L0, P_A0, NP };
static const ParamDesc stp_inst_params[NP] = {
    [P_S0] = {"s0", "", 0, 0, "initial short-term state in [-1, 1], used with .tran uic (default: the model's s0)"},
    [P_L0] = {"l0", "", 0, PF_NONNEG, "long-term state in [0, 1], held in DC (default: the model's l0)"},
    [P_A0] = {"a0", "", 0, PF_NONNEG, "initial activity trace in [0, 1], used with .tran uic (default: the model's a0)"},
};

/* model data in MemInst.mp */
enum { D_G0, D_GS, D_GL, D_VNL, D_VP, D_VN, D_V0, D_KP, D_KN, D_TAU0, D_KMETA, D_KA, D_TAUA, D_KC, D_SC };
enum { XS, XL, XA };

static double initial(const Instance *in, int ip, int mp)
{
    return in->given[ip] ? in->p[ip] : in->model->p[mp];
}

static int stp_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    double s0 = initial(in, P_S0, M_S0), l0 = initial(in, P_L0, M_L0), a0 = initial(in, P_A0, M_A0);
    if (mp[M_GS] >= mp[M_G0]) {
        snprintf(err, n, "gs=%g must be below g0=%g (G = g0 + gs s must stay positive for s = -1)", mp[M_GS],
                 mp[M_G0]);
        return -1;
    }
    if (mp[M_SC] >= 1) {
        snprintf(err, n, "consolidation threshold sc=%g must be below 1", mp[M_SC]);
        return -1;
    }
    if (s0 < -1 || s0 > 1) {
        snprintf(err, n, "initial short-term state s0=%g is outside [-1, 1]", s0);
        return -1;
    }
    if (l0 > 1) {
        snprintf(err, n, "initial long-term state l0=%g is outside [0, 1]", l0);
        return -1;
    }
    if (a0 > 1) {
        snprintf(err, n, "initial activity trace a0=%g is outside [0, 1]", a0);
        return -1;
    }
    return 0;
}

static void stp_init(MemInst *m, double temp)
{
    (void)temp;
    const Instance *in = &m->in;
    const double *p = in->model->p;
    m->x0[XS] = initial(in, P_S0, M_S0);
    m->x0[XL] = initial(in, P_L0, M_L0);
    m->x0[XA] = initial(in, P_A0, M_A0);
    m->st->lo[XS] = -1;
    m->st->hi[XS] = 1;
    m->st->lo[XL] = m->st->lo[XA] = 0;
    m->st->hi[XL] = m->st->hi[XA] = 1;
    static const int map[][2] = {{D_G0, M_G0}, {D_GS, M_GS}, {D_GL, M_GL}, {D_VNL, M_VNL}, {D_VP, M_VP},
                                 {D_VN, M_VN}, {D_V0, M_V0}, {D_KP, M_KP}, {D_KN, M_KN}, {D_TAU0, M_TAU0},
                                 {D_KMETA, M_KMETA}, {D_KA, M_KA}, {D_TAUA, M_TAUA}, {D_KC, M_KC},
                                 {D_SC, M_SC}};
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) m->mp[map[k][0]] = p[map[k][1]];
}

/* threshold drive D(u) = e^u - 1 - u above u = 0 (value and slope 0 there,
 * S1); *d = dD/du */
static double drive(double u, double *d)
{
    if (u <= 0) {
        *d = 0;
        return 0;
    }
    double de, e = mem_exp(u, &de);
    *d = de - 1;
    return e - 1 - u;
}

static void stp_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *mp = m->mp;
    double s = x[XS], l = x[XL], a = x[XA];
    /* S2, S3: conductance and the (mildly nonlinear) current */
    double g = mp[D_G0] + mp[D_GS] * s + mp[D_GL] * l;
    double f, df;
    if (mp[D_VNL] > 0) {
        f = mp[D_VNL] * mem_sinh(v / mp[D_VNL], &df);
    } else {
        f = v;
        df = 1;
    }
    e->i = g * f;
    e->di_dv = g * df;
    e->di_dx[XS] = mp[D_GS] * f;
    e->di_dx[XL] = mp[D_GL] * f;

    /* S1: drives above the two thresholds */
    double v0 = mp[D_V0], dp_du, dn_du;
    double dp = drive((v - mp[D_VP]) / v0, &dp_du), dn = drive((-v - mp[D_VN]) / v0, &dn_du);
    double dp_dv = dp_du / v0, dn_dv = -dn_du / v0;

    /* S4, S5: short-term state with the activity-dependent decay time */
    double tau = mp[D_TAU0] * (1 + mp[D_KMETA] * a);
    double dinvtau_da = -mp[D_TAU0] * mp[D_KMETA] / (tau * tau);
    double P = mp[D_KP] * dp, N = mp[D_KN] * dn;
    double P_v = mp[D_KP] * dp_dv, N_v = mp[D_KN] * dn_dv;
    if (e->dc) {
        /* static solve: S5 with d/dt = 0 divided by W = P + N + 1/tau > 0,
         * rate = (P - N)/W - s (same root; bounded, slope -1 in s) */
        double W = P + N + 1 / tau, S = (P - N) / W;
        e->rate[XS] = S - s;
        e->drate_dv[XS] = (P_v - N_v) / W - S * (P_v + N_v) / W;
        e->drate_dx[XS][XS] = -1;
        e->drate_dx[XS][XA] = -S * dinvtau_da / W;
    } else {
        e->rate[XS] = P * (1 - s) - N * (1 + s) - s / tau;
        e->drate_dv[XS] = P_v * (1 - s) - N_v * (1 + s);
        e->drate_dx[XS][XS] = -P - N - 1 / tau;
        e->drate_dx[XS][XA] = -s * dinvtau_da;
    }

    /* S6: consolidation of |s| beyond sc into l (either sign) */
    double kc = mp[D_KC], sc = mp[D_SC];
    double up = s > sc ? s - sc : 0, down = -s > sc ? -s - sc : 0;
    e->rate[XL] = kc * (up * (1 - l) - down * l);
    e->drate_dx[XL][XS] = kc * ((s > sc ? 1 - l : 0) + (-s > sc ? l : 0));
    e->drate_dx[XL][XL] = -kc * (up + down);

    /* S7: activity trace */
    double A = mp[D_KA] * (dp + dn), A_v = mp[D_KA] * (dp_dv + dn_dv), r = 1 / mp[D_TAUA];
    if (e->dc) {
        /* static solve: S7 with d/dt = 0 divided by A + 1/taua */
        double W = A + r;
        e->rate[XA] = A / W - a;
        e->drate_dv[XA] = A_v * r / W / W;
        e->drate_dx[XA][XA] = -1;
    } else {
        e->rate[XA] = A * (1 - a) - a * r;
        e->drate_dv[XA] = A_v * (1 - a);
        e->drate_dx[XA][XA] = -A - r;
    }
}

/* s and a are volatile: solved at their steady state in static solves;
 * l is memory, held at l0 there */
static const MemStateDesc stp_states[] = {{.name = "s"}, {.name = "l", .hold_dc = 1}, {.name = "a"}};

static const MemFamily stp_family = {
    .ns = 3,
    .states = stp_states,
    .check = stp_check,
    .init = stp_init,
    .eval = stp_eval,
};

const DeviceType device_mem_stp = {
    MEM_DEVICE_FIELDS(8, "short+long-term plasticity with activity-dependent decay (after Weilenmann 2024, SrTiO3), level 8",
                      stp_inst_params, stp_model_params, &stp_family, mem_load, MEM_NOUT),
};
