/* NbO2 Mott memristor with Joule heating (.model <m> mott level=1|2),
 * element word YMOTT. Two published model families as levels; where the
 * papers' constants could not be obtained the defaults are reconstructions
 * chosen to reproduce the papers' device-level figures
 * (docs/devices/mott.md says which, and how they were chosen).
 *
 * Level 1: the metallic-channel model of M. D. Pickett and R. S. Williams,
 * "Sub-100 fJ and sub-nanosecond thermally driven threshold switching in
 * niobium oxide crosspoint nanodevices", Nanotechnology 23, 215202 (2012),
 * as used for the neuristor (Pickett, Medeiros-Ribeiro, Williams, Nat.
 * Mater. 12, 114, 2013). A cylindrical channel of radius rch and length l
 * holds a metallic core of radius u rch at the transition temperature tc
 * inside an insulating shell; the core grows when the Joule power exceeds
 * the heat conducted away at tc:
 *   i = v G(u),  G(u) = pi rch^2 / l (u^2/rho_met + (1 - u^2)/rho_ins)
 *   du/dt = (v^2 G - gth (tc - t_amb)) / (2 pi rch^2 l u (dh + cp (tc - t_amb)))
 * The state here is w = u^2, the metallic fraction of the cross-section:
 * for u > 0 the same equation, d(u^2)/dt = 2 u du/dt, without the 1/u
 * singularity at u -> 0 (the reference note's caveat):
 *   i = v G(w),  G(w) = gins + (gmet - gins) w
 *   dw/dt = (s+ (1 - w)/(1 - w + eps) - s- w/(w + eps)) / cu
 *   s = v^2 G(w) - pth,  pth = gth (tc - t_amb),
 *   cu = pi rch^2 l (dh + cp (tc - t_amb))    (J: the energy to turn the whole channel metallic)
 *   s+ = (sqrt(s^2 + ps^2) + s)/2,  s- = (sqrt(s^2 + ps^2) - s)/2   (s+ - s- = s)
 * The windows are 1 inside (0, 1) up to eps and stop growth at w = 1 and
 * shrinking at w = 0 (the channel is all metal, or all insulator);
 * ps = 1e-3 pth rounds the corner of s+ and s- at s = 0. Every steady
 * state lies inside [0, 1] (within eps (ps/2s)^2 of an edge when driven
 * far from pth). At steady state v^2 G(w) = pth on the NDR branch: a threshold
 * vth = sqrt(pth roff) and a hold vhold = sqrt(pth ron), roff = 1/gins,
 * ron = 1/gmet, and v i = pth between them (current-controlled NDR).
 *
 * Level 2: the Poole-Frenkel + Joule-heating model of S. Kumar, J. P.
 * Strachan, R. S. Williams, "Chaotic dynamics in nanoscale NbO2 Mott
 * memristors for analogue computing", Nature 548, 318 (2017), with the
 * 3D Poole-Frenkel expression of J. L. Hartke, J. Appl. Phys. 39, 4871
 * (1968). One state, the device temperature T (thermal: the optional
 * third terminal exposes it, docs/devices/thermal.md):
 *   i = G(T, v) v
 *   G = sigma0 area/d exp(-ea/(k T)) PF(x) M(T)
 *   PF(x) = (1 + (x - 1) e^x)/x^2 + 1/2,  x = omega sqrt(F)/(k T),  F = sqrt(v^2 + vs^2)/d
 *   omega = sqrt(q^3/(pi eps0 epsr))
 *   M(T) = 1 + (kmott - 1) sig((T - tc)/dtc)          the Mott transition: a conductivity step at tc
 *   cth dT/dt = G v^2 - (T - t_amb)/rth [+ noise sqrt(2 k T^2/rth) xi(t)]   Joule heating, Newton cooling
 * with the contacts' series resistance rser (not heated; the field in PF
 * is taken from the terminal voltage v, an approximation that matters
 * only where rser carries a sizeable part of v, in the metallic state):
 *   i = v G/(1 + G rser),  the core's heat i^2/G = v^2 G/(1 + G rser)^2
 * vs = 1 uV makes F smooth at v = 0 (PF alone has an infinite second
 * derivative there); PF(x) ~ 1 + x/3 for small x is evaluated by its
 * series. */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"
#include "util/rng.h"

#define PI 3.14159265358979323846
#define KB_EV 8.617333262e-5   /* Boltzmann constant, eV/K */
#define Q_E 1.602176634e-19    /* elementary charge, C */
#define EPS0 8.8541878128e-12  /* vacuum permittivity, F/m */

/* ---------------------------------------------------------------------- */
/* level 1: Pickett & Williams 2012 metallic channel                       */

enum { A_RCH, A_L, A_RHOI, A_RHOM, A_GTH, A_DH, A_CP, A_TC, A_TAMB, A_EPS, A_WO, NA };
static const ParamDesc p12_model_params[NA + MEM_NC2C] = {
    [A_RCH] = {"rch", "m", 15e-9, PF_POSITIVE, "radius of the conducting channel (reconstructed)"},
    [A_L] = {"l", "m", 20e-9, PF_POSITIVE, "channel length, the film thickness (reconstructed)"},
    [A_RHOI] = {"rho_ins", "ohm m", 1e-3, PF_POSITIVE, "resistivity of the insulating phase (reconstructed)"},
    [A_RHOM] = {"rho_met", "ohm m", 3e-5, PF_POSITIVE, "resistivity of the metallic phase (reconstructed)"},
    [A_GTH] = {"gth", "W/K", 4.5e-8, PF_POSITIVE, "thermal conductance of the channel at tc (reconstructed)"},
    [A_DH] = {"dh", "J/m^3", 1.6e8, PF_NONNEG, "latent heat of the transition per volume (reconstructed)"},
    [A_CP] = {"cp", "J/(m^3 K)", 2.7e6, PF_NONNEG, "volumetric heat capacity (reconstructed)"},
    [A_TC] = {"tc", "K", 1081, PF_POSITIVE, "insulator-metal transition temperature of NbO2"},
    [A_TAMB] = {"t_amb", "K", 0, PF_NONNEG, "ambient temperature (not given: the circuit temperature)"},
    [A_EPS] = {"eps", "", 1e-3, PF_POSITIVE, "width of the edge windows at w = 0 and w = 1"},
    [A_WO] = {"wo", "", 0, PF_NONNEG, "initial metallic fraction when the instance gives none"},
    MEM_C2C_PARAMS(NA),
};

enum { PW_WO, NPW };
static const ParamDesc p12_inst_params[NPW] = {
    [PW_WO] = {"wo", "", 0, PF_NONNEG, "initial metallic fraction w(0) = u(0)^2 in [0, 1] (default: the model's wo)"},
};

enum { E_GI, E_GM, E_PTH, E_CU, E_EPS, E_PS };

static double tamb_of(const Model *md, int k, double temp)
{
    return md->given[k] ? md->p[k] : temp;
}

static int p12_check(const Instance *in, char *err, size_t n)
{
    const double *p = in->model->p;
    double wo = in->given[PW_WO] ? in->p[PW_WO] : p[A_WO];
    if (wo > 1) return snprintf(err, n, "initial metallic fraction wo=%g is outside [0, 1]", wo), -1;
    if (p[A_RHOM] > p[A_RHOI])
        return snprintf(err, n, "rho_met=%g must not exceed rho_ins=%g", p[A_RHOM], p[A_RHOI]), -1;
    if (!(p[A_DH] + p[A_CP] > 0)) return snprintf(err, n, "dh and cp are both 0: the channel would have no heat capacity"), -1;
    if (p[A_EPS] >= 0.5) return snprintf(err, n, "eps=%g must be below 0.5", p[A_EPS]), -1;
    return 0;
}

static int p12_check_ambient(const Instance *in, double temp, char *err, size_t n)
{
    const Model *md = in->model;
    double ta = tamb_of(md, A_TAMB, temp);
    if (!(md->p[A_TC] > ta))
        return snprintf(err, n, "the transition temperature tc=%g K must be above the ambient %g K", md->p[A_TC], ta), -1;
    return 0;
}

static void p12_init(MemInst *m, double temp)
{
    const Model *md = m->in.model;
    const double *p = md->p;
    double a = PI * p[A_RCH] * p[A_RCH], dt = p[A_TC] - tamb_of(md, A_TAMB, temp);
    double *d = m->mp;
    d[E_GI] = a / (p[A_RHOI] * p[A_L]);
    d[E_GM] = a / (p[A_RHOM] * p[A_L]);
    d[E_PTH] = p[A_GTH] * dt;
    d[E_CU] = a * p[A_L] * (p[A_DH] + p[A_CP] * dt);
    d[E_EPS] = p[A_EPS];
    d[E_PS] = 1e-3 * d[E_PTH];
    m->x0[0] = m->in.given[PW_WO] ? m->in.p[PW_WO] : p[A_WO];
    m->st->lo[0] = 0;
    m->st->hi[0] = 1;
}

static void p12_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    double w = x[0], dg = d[E_GM] - d[E_GI], g = d[E_GI] + dg * w, eps = d[E_EPS];
    e->i = g * v;
    e->di_dv = g;
    e->di_dx[0] = dg * v;
    double s = v * v * g - d[E_PTH], ds_dv = 2 * v * g, ds_dw = dg * v * v;
    /* smooth positive and negative parts of s: sp - sn = s, both >= 0 */
    double ps = d[E_PS], q = sqrt(s * s + ps * ps);
    double sp = 0.5 * (q + s), sn = 0.5 * (q - s);
    double dsp = 0.5 * (s / q + 1), dsn = 0.5 * (s / q - 1);
    double ga = (1 - w) / (1 - w + eps), dga = -eps / ((1 - w + eps) * (1 - w + eps));
    double sh = w / (w + eps), dsh = eps / ((w + eps) * (w + eps));
    if (e->dc) {
        /* static solves: the same roots from the rate times the positive
         * (1 - w + eps)(w + eps) / (cu sqrt(s^2 + pth^2)), free of the
         * windows' steep edges and bounded in s (Newton then reaches a
         * channel driven far above pth at its edge) */
        double pt = d[E_PTH], r = sqrt(s * s + pt * pt);
        double a = (1 - w) * (w + eps), b = w * (1 - w + eps);
        double da = (w + eps) - (1 - w), db = (1 - w + eps) - w;
        double num = sp * a - sn * b, dnum_ds = dsp * a - dsn * b;
        double k = 1 / r, dk_ds = -s / (r * r * r), dr_ds = k * dnum_ds + dk_ds * num;
        e->rate[0] = k * num;
        e->drate_dv[0] = dr_ds * ds_dv;
        e->drate_dx[0][0] = dr_ds * ds_dw + k * (sp * da - sn * db);
        return;
    }
    double num = sp * ga - sn * sh;
    double dnum_ds = dsp * ga - dsn * sh, dnum_dw = sp * dga - sn * dsh;
    double k = 1 / d[E_CU];
    e->rate[0] = k * num;
    e->drate_dv[0] = k * dnum_ds * ds_dv;
    e->drate_dx[0][0] = k * (dnum_ds * ds_dw + dnum_dw);
}

static const MemStateDesc p12_states[] = {{.name = "w"}};
static const MemFamily p12_family = {
    .ns = 1,
    .states = p12_states,
    .check = p12_check,
    .check_ambient = p12_check_ambient,
    .init = p12_init,
    .eval = p12_eval,
};

/* ---------------------------------------------------------------------- */
/* level 2: Kumar 2017 Poole-Frenkel conduction, Joule heating, Mott step  */

/* levels 2 and 3 share these parameters; level 3 adds its Mott state's */
enum { B_D, B_AREA, B_SIG0, B_EA, B_EPSR, B_CTH, B_RTH, B_TC, B_DTC, B_KM, B_RSER, B_TAMB, B_TMAX, B_NOISE, B_NDT, NB,
       B_DTH = NB, B_WM, B_TAUM, NB3 };
#define K17_PARAMS \
    [B_D] = {"d", "m", 20e-9, PF_POSITIVE, "film thickness (reconstructed)"}, \
    [B_AREA] = {"area", "m^2", 7.07e-16, PF_POSITIVE, "area of the conducting core (reconstructed: 15 nm radius)"}, \
    [B_SIG0] = {"sigma0", "S/m", 1.4e5, PF_POSITIVE, "conductivity prefactor (reconstructed)"}, \
    [B_EA] = {"ea", "eV", 0.2, PF_NONNEG, "activation energy of the trap (reconstructed)"}, \
    [B_EPSR] = {"epsr", "", 45, PF_POSITIVE, "relative permittivity in the Poole-Frenkel barrier lowering (reconstructed)"}, \
    [B_CTH] = {"cth", "J/K", 1e-15, PF_POSITIVE, "heat capacity (reconstructed)"}, \
    [B_RTH] = {"rth", "K/W", 1.5e6, PF_POSITIVE, "thermal resistance to the ambient (reconstructed)"}, \
    [B_TC] = {"tc", "K", 1081, PF_POSITIVE, "Mott transition temperature of NbO2"}, \
    [B_DTC] = {"dtc", "K", 10, PF_POSITIVE, "width of the conductivity step at tc (reconstructed)"}, \
    [B_KM] = {"kmott", "", 10, PF_POSITIVE, "conductivity ratio across the Mott transition (1: none; reconstructed)"}, \
    [B_RSER] = {"rser", "ohm", 300, PF_NONNEG, "series (electrode and contact) resistance, not heated (reconstructed)"}, \
    [B_TAMB] = {"t_amb", "K", 0, PF_NONNEG, "ambient temperature (not given: the circuit temperature)"}, \
    [B_TMAX] = {"tmax", "K", 5000, PF_POSITIVE, "upper bound of the temperature state (a backstop, far above use)"}, \
    [B_NOISE] = {"noise", "", 0, PF_NONNEG, \
                 "thermal noise: factor on the fluctuation-dissipation heat noise sqrt(2 k T^2/rth) xi(t) (0: none; 1: " \
                 "physical)"}, \
    [B_NDT] = {"noise_dt", "s", 0.05e-9, PF_POSITIVE, \
               "noise: a new seeded sample every noise_dt of simulated time (keep it well below cth rth)"},
static const ParamDesc k17_model_params[NB + MEM_NC2C] = {
    K17_PARAMS
    MEM_C2C_PARAMS(NB),
};
static const ParamDesc k20_model_params[NB3 + MEM_NC2C] = {
    K17_PARAMS
    [B_DTH] = {"dth", "K", 200, PF_NONNEG, "level 3: hysteresis of the Mott transition: metallic above tc + dth/2, "
               "insulating below tc - dth/2 (reconstructed)"},
    [B_WM] = {"wm", "K", 5, PF_POSITIVE, "level 3: width of the two transition gates (reconstructed)"},
    [B_TAUM] = {"tau_m", "s", 10e-9, PF_POSITIVE, "level 3: time of the transition once gated (reconstructed)"},
    MEM_C2C_PARAMS(NB3),
};

enum { PT_TO, NPT };
static const ParamDesc k17_inst_params[NPT] = {
    [PT_TO] = {"to", "K", 0, PF_NONNEG, "initial temperature with .tran uic (default: t_amb)"},
};

enum { F_G0, F_EA, F_OM, F_D, F_CTH, F_GTH, F_TC, F_DTC, F_KM, F_RSER, F_TAMB, F_NOISE, F_NDT,
       /* noise memory: the sample (W) and its index */
       F_PN, F_NIDX,
       /* level 3: the Mott state's gates */
       F_TU, F_TD, F_WM, F_TAUM };

static int k17_check_ambient(const Instance *in, double temp, char *err, size_t n)
{
    const Model *md = in->model;
    double ta = tamb_of(md, B_TAMB, temp);
    if (!(md->p[B_TMAX] > ta))
        return snprintf(err, n, "tmax=%g K must be above the ambient %g K", md->p[B_TMAX], ta), -1;
    return 0;
}

static void k17_init(MemInst *m, double temp)
{
    const Model *md = m->in.model;
    const double *p = md->p;
    double *d = m->mp;
    d[F_G0] = p[B_SIG0] * p[B_AREA] / p[B_D];
    d[F_EA] = p[B_EA];
    d[F_OM] = sqrt(Q_E * Q_E * Q_E / (PI * EPS0 * p[B_EPSR])) / Q_E;   /* eV (m/V)^1/2 */
    d[F_D] = p[B_D];
    d[F_CTH] = p[B_CTH];
    d[F_GTH] = 1 / p[B_RTH];
    d[F_TC] = p[B_TC];
    d[F_DTC] = p[B_DTC];
    d[F_KM] = p[B_KM];
    d[F_RSER] = p[B_RSER];
    d[F_TAMB] = tamb_of(md, B_TAMB, temp);
    d[F_NOISE] = p[B_NOISE];
    d[F_NDT] = p[B_NDT];
    m->rng = d[F_NOISE] > 0;
    m->x0[0] = m->in.given[PT_TO] ? m->in.p[PT_TO] : d[F_TAMB];
    m->st->lo[0] = 0.5 * d[F_TAMB] > 1 ? 0.5 * d[F_TAMB] : 1;
    m->st->hi[0] = p[B_TMAX];
    m->st->abstol[0] = 1e-6;
    m->st->qtol[0] = 1e-3;
    m->st->cth[0] = d[F_CTH];
}

static void k20_init(MemInst *m, double temp)
{
    k17_init(m, temp);
    const double *p = m->in.model->p;
    m->mp[F_TU] = p[B_TC] + 0.5 * p[B_DTH];
    m->mp[F_TD] = p[B_TC] - 0.5 * p[B_DTH];
    m->mp[F_WM] = p[B_WM];
    m->mp[F_TAUM] = p[B_TAUM];
    m->x0[1] = 0;   /* insulating; memory: held in static solves (hysteresis) */
    m->st->lo[1] = 0;
    m->st->hi[1] = 1;
}

/* Thermal noise: the heat flow sqrt(2 k T^2 gth) xi(t) (fluctuation-
 * dissipation for the conductance gth = 1/rth; reference note 2.2),
 * band-limited as a piecewise-constant sample per interval noise_dt with
 * the same low-frequency spectrum: variance 2 k T^2 gth / noise_dt, times
 * noise^2. Sample k (the interval [k, k+1) noise_dt) is the k-th normal
 * number of the instance's seeded stream (--seed, .step index, instance
 * name), scaled with T at the interval's start: drawn at accepted points
 * only, never inside Newton, and the intervals' ends are breakpoints, so
 * no step spans two samples. Static solves have no noise. */
static void k17_reset(MemInst *m)
{
    m->mp[F_PN] = 0;
    m->mp[F_NIDX] = -1;
}

static void k17_accept(MemInst *m, double v, const double *x, const LoadCtx *c)
{
    (void)v;
    double *d = m->mp;
    if (!(d[F_NOISE] > 0)) return;
    if (c->dc) {
        k17_reset(m);
        return;
    }
    double k = floor(c->t / d[F_NDT] * (1 + 1e-12));
    if (k == d[F_NIDX]) return;
    d[F_NIDX] = k;
    const double kb = KB_EV * Q_E;   /* J/K */
    double sigma = d[F_NOISE] * sqrt(2 * kb * x[0] * x[0] * d[F_GTH] / d[F_NDT]);
    uint64_t key = rng_absorb_str(m->c2c_key, "mott thermal noise");
    d[F_PN] = sigma * rng_normal(key, k > 0 && k < 0x1p62 ? (uint64_t)k : 0);
}

static double k17_next_breakpoint(InstGroup *g, double t, const LoadCtx *c)
{
    (void)c;
    double next = INFINITY;
    for (int i = 0; i < g->n; i++) {
        const MemInst *m = (const MemInst *)group_inst(g, i);
        if (!(m->mp[F_NOISE] > 0)) continue;
        double ndt = m->mp[F_NDT], b = (floor(t / ndt * (1 + 1e-12)) + 1) * ndt;
        if (b < next) next = b;
    }
    return next;
}

/* Hartke's 3D Poole-Frenkel factor PF(x) and dPF/dx (x >= 0) */
static double pf3d(double x, double *dpf)
{
    if (x < 0.02) {
        *dpf = 1.0 / 3 + x * (0.25 + x * (0.1 + x / 36));
        return 1 + x * (1.0 / 3 + x * (0.125 + x * (1.0 / 30 + x / 144)));
    }
    double de, e = mem_exp(x, &de);
    double num = 1 + (x - 1) * e, dnum = e + (x - 1) * de;
    *dpf = (dnum * x - 2 * num) / (x * x * x);
    return num / (x * x) + 0.5;
}

/* levels 2 and 3: lag = 0, the Mott step follows T at once (M(T)); lag =
 * 1, through the hysteretic state m = x[1] (level 3) */
static void kumar_eval(const MemInst *m, double v, const double *x, MemEval *e, int lag)
{
    const double *d = m->mp;
    double t = x[0], kt = KB_EV * t;
    const double vs = 1e-6;
    double r2 = v * v + vs * vs, f = sqrt(r2) / d[F_D];
    double xp = d[F_OM] * sqrt(f) / kt;
    double dxp_dv = 0.5 * xp * v / r2, dxp_dt = -xp / t;
    double dpf, pf = pf3d(xp, &dpf);
    double ar = exp(-d[F_EA] / kt), dar = ar * d[F_EA] / (kt * t);
    /* the metallic fraction: the state x[1] (level 3), or M(T)'s step */
    double mm, dmt = 0;
    if (lag) mm = x[1];
    else {
        double dsg;
        mm = mem_sigmoid((t - d[F_TC]) / d[F_DTC], &dsg);
        dmt = (d[F_KM] - 1) * dsg / d[F_DTC];
    }
    double mt = 1 + (d[F_KM] - 1) * mm;
    double g = d[F_G0] * ar * pf * mt;
    double dg_dv = d[F_G0] * ar * mt * dpf * dxp_dv;
    double dg_dt = d[F_G0] * (dar * pf * mt + ar * dpf * dxp_dt * mt + ar * pf * dmt);
    /* the series resistance: i = v g/(1 + g rser), the core dissipates
     * i^2/g = v^2 g/(1 + g rser)^2 */
    double rs = d[F_RSER], den = 1 / (1 + g * rs);
    double ge = g * den, dge = den * den;
    e->i = ge * v;
    e->di_dv = ge + v * dge * dg_dv;
    e->di_dx[0] = v * dge * dg_dt;
    double p = v * v * g * den * den, dp_dg = v * v * (1 - g * rs) * den * den * den;
    double k = 1 / d[F_CTH];
    e->rate[0] = k * (p - d[F_GTH] * (t - d[F_TAMB]) + (e->dc ? 0 : d[F_PN]));
    e->drate_dv[0] = k * (2 * v * g * den * den + dp_dg * dg_dv);
    e->drate_dx[0][0] = k * (dp_dg * dg_dt - d[F_GTH]);
    if (!lag) return;
    /* the metallic fraction: conduction and heating through g; its gates
     * open above tc + dth/2 (towards metal) and below tc - dth/2 (back) */
    double dg_dm = d[F_G0] * ar * pf * (d[F_KM] - 1);
    e->di_dx[1] = v * dge * dg_dm;
    e->drate_dx[0][1] = k * dp_dg * dg_dm;
    double du, up = mem_sigmoid((t - d[F_TU]) / d[F_WM], &du);
    double dd, dn = mem_sigmoid((d[F_TD] - t) / d[F_WM], &dd);
    double km = 1 / d[F_TAUM];
    e->rate[1] = km * (up * (1 - mm) - dn * mm);
    e->drate_dx[1][0] = km * (du / d[F_WM] * (1 - mm) + dd / d[F_WM] * mm);
    e->drate_dx[1][1] = -km * (up + dn);
}

static void k17_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    kumar_eval(m, v, x, e, 0);
}

static void k20_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    kumar_eval(m, v, x, e, 1);
}

static const MemStateDesc k17_states[] = {{.name = "temp", .thermal = 1}};
static const MemFamily k17_family = {
    .ns = 1,
    .states = k17_states,
    .check_ambient = k17_check_ambient,
    .init = k17_init,
    .eval = k17_eval,
    .reset = k17_reset,
    .accept = k17_accept,
};

static const MemStateDesc k20_states[] = {{.name = "temp", .thermal = 1}, {.name = "m", .hold_dc = 1}};
static const MemFamily k20_family = {
    .ns = 2,
    .states = k20_states,
    .check_ambient = k17_check_ambient,
    .init = k20_init,
    .eval = k20_eval,
    .reset = k17_reset,
    .accept = k17_accept,
};

static const char *const mott_model_types[] = {"mott", NULL};

const DeviceType device_mott_pickett = {
    MEM_FAMILY_FIELDS("mott", "ymott", mott_model_types, mem_terms, 0, mem_dc_paths, 1,
                      "NbO2 Mott memristor, Pickett & Williams 2012 metallic-channel model (state: metallic fraction)",
                      p12_inst_params, p12_model_params, &p12_family, mem_load, MEM_NOUT),
};

const DeviceType device_mott_kumar = {
    MEM_FAMILY_FIELDS("mott", "ymott", mott_model_types, mem_thermal_terms, 1, mem_thermal_dc_paths, 2,
                      "NbO2 Mott memristor, Kumar 2017: 3D Poole-Frenkel conduction, Joule heating, Mott step at tc "
                      "(state: temperature)",
                      k17_inst_params, k17_model_params, &k17_family, mem_load, MEM_NOUT),
    .next_breakpoint = k17_next_breakpoint,
};

const DeviceType device_mott_kumar3 = {
    MEM_FAMILY_FIELDS("mott", "ymott", mott_model_types, mem_thermal_terms, 1, mem_thermal_dc_paths, 3,
                      "NbO2 Mott memristor, third order (after Kumar 2020, reconstructed): level 2 with a hysteretic "
                      "Mott transition state (temperature, metallic fraction)",
                      k17_inst_params, k20_model_params, &k20_family, mem_load, MEM_NOUT),
    .next_breakpoint = k17_next_breakpoint,
};
