/* Stanford/ASU metal-oxide RRAM compact model (filament gap model):
 *   X. Guan, S. Yu, H.-S. P. Wong, "A SPICE compact model of metal oxide
 *   resistive switching memory with variations", IEEE EDL 33(10),
 *   1405-1407, 2012;
 *   Z. Jiang, Y. Wu, S. Yu, L. Yang, K. Song, Z. Karim, H.-S. P. Wong, "A
 *   compact model for metal-oxide resistive random access memory with
 *   experiment verification", IEEE TED 63(5), 1884-1892, 2016, and the
 *   Stanford RRAM model v1.0.0 (doi:10.4231/D37H1DN48) that implements it;
 *   optionally the generation/recombination form of the ASU model
 *   (P.-Y. Chen, S. Yu, "Compact modeling of RRAM devices and its
 *   applications in 1T1R and 1S1R array design", IEEE TED 62(12),
 *   4022-4028, 2015).
 *
 *   YMEMRISTOR <name> n+ n- <model> [gap_ini=<m>]
 *   .model <model> memristor level=6 i0= g0= v0= vel0= ea= [eag= ear=] a0= tox=
 *   +  gamma0= beta= g1= alpha= fmin= fminw= gap_min= gap_max= gap_ini= t0= rth= tau_th= tmax=
 *
 * States: "gap", the gap g between the filament tip and the electrode (in
 * nm; the parameters are in m), memory, held in static solves; "dtemp",
 * the local temperature rise T - T0 (K), solved at its steady state in
 * static solves. With v = v(n+) - v(n-) (n+ is the top electrode; v > 0
 * sets):
 *   i      = I0 exp(-g/g0) sinh(v/V0)                          Guan 2012 eq. 1, Jiang 2016 eq. 1
 *   gamma  = gamma0 - beta (g/g1)^alpha        (alpha = 3)     Guan 2012 eq. 3, Jiang 2016 eq. 3
 *   gamma' = gamma W((gamma |v|/tox - Fmin)/w)                 v1.0.0: gamma = 0 below the field Fmin
 *   u      = gamma' a0 q v / (tox k T)
 *   dg/dt  = -vel0 exp(-q Ea/kT) sinh(u)                       Guan 2012 eq. 2, Jiang 2016 eq. 2
 *      or  = -vel0 (exp(-q Eag/kT) e^u - exp(-q Ear/kT) e^-u)  Chen & Yu 2015 eq. 3 (eag or ear given)
 *   tau_th dT/dt = T0 + S(Rth v i) - T                         Chen & Yu 2015 eq. 4 (Cth = tau_th/Rth);
 *                                                              tau_th -> 0: T = T0 + Rth |v i| (Guan eq. 4)
 *   S(x)   = x / (1 + (x/(tmax - T0))^4)^(1/4)                 (soft saturation below tmax; S(x) = x
 *                                                              within 0.03% for rises below 0.19 (tmax-T0))
 * W is the logistic 1/(1+e^-z) with width w = fminw * fmin (fminw = 0:
 * the published hard step). v i >= 0 for every v, so |v i| = v i is smooth.
 * Every exponential of a voltage goes through mem_exp (sinh as a
 * difference of two), exp(-q Ea/kT) has a negative argument and T >= T0 >
 * 0: no finite v overflows. Bounds g in [gap_min, gap_max] and T - T0 in
 * [0, tmax - T0] hold exactly in transients (memristor.h); S keeps every
 * steady state of T below tmax, so static solves have a solution. */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"

#define Q_OVER_K (1.602176634e-19 / 1.380649e-23) /* K/V (SI 2019 exact) */

enum {
    M_I0, M_G0, M_V0, M_VEL0, M_EA, M_EAG, M_EAR, M_A0, M_TOX, M_GAMMA0, M_BETA, M_G1, M_ALPHA,
    M_FMIN, M_FMINW, M_GMIN, M_GMAX, M_GINI, M_T0, M_RTH, M_TAU, M_TMAX, NM
};
static const ParamDesc rr_model_params[NM + MEM_NC2C] = {
    [M_I0] = {"i0", "A", 1e-3, PF_POSITIVE, "current scale I0"},
    [M_G0] = {"g0", "m", 0.25e-9, PF_POSITIVE, "gap decay length of the current g0"},
    [M_V0] = {"v0", "V", 0.25, PF_POSITIVE, "voltage scale of the current sinh(v/V0)"},
    [M_VEL0] = {"vel0", "m/s", 10, PF_NONNEG, "gap velocity prefactor"},
    [M_EA] = {"ea", "eV", 0.6, PF_NONNEG, "activation energy of gap motion (sinh form)"},
    [M_EAG] = {"eag", "eV", 0.6, PF_NONNEG,
               "activation energy of vacancy generation; eag or ear given: Chen-Yu form (default ea)"},
    [M_EAR] = {"ear", "eV", 0.6, PF_NONNEG, "activation energy of recombination, Chen-Yu form (default ea)"},
    [M_A0] = {"a0", "m", 0.25e-9, PF_POSITIVE, "atomic hopping distance a0"},
    [M_TOX] = {"tox", "m", 12e-9, PF_POSITIVE, "oxide thickness (field = gamma v / tox)"},
    [M_GAMMA0] = {"gamma0", "", 16, PF_POSITIVE, "field enhancement factor at g = 0"},
    [M_BETA] = {"beta", "", 0.8, PF_NONNEG, "decrease of the enhancement with the gap"},
    [M_G1] = {"g1", "m", 1e-9, PF_POSITIVE, "gap scale of the enhancement"},
    [M_ALPHA] = {"alpha", "", 3, PF_POSITIVE, "exponent of the enhancement law (>= 1)"},
    [M_FMIN] = {"fmin", "V/m", 1.4e9, PF_NONNEG, "minimum field for gap motion (0: none)"},
    [M_FMINW] = {"fminw", "", 0.01, PF_NONNEG, "width of the fmin threshold, relative to fmin (0: hard step)"},
    [M_GMIN] = {"gap_min", "m", 0.2e-9, PF_NONNEG, "smallest gap (low-resistance state)"},
    [M_GMAX] = {"gap_max", "m", 1.7e-9, PF_POSITIVE, "largest gap (high-resistance state)"},
    [M_GINI] = {"gap_ini", "m", 0.2e-9, PF_NONNEG, "initial gap when the instance gives none"},
    [M_T0] = {"t0", "K", 300.15, PF_POSITIVE, "ambient temperature (default: the circuit temperature)"},
    [M_RTH] = {"rth", "K/W", 2.1e3, PF_NONNEG, "thermal resistance"},
    [M_TAU] = {"tau_th", "s", 1e-12, PF_POSITIVE, "thermal time constant Rth Cth (default: effectively instantaneous)"},
    [M_TMAX] = {"tmax", "K", 3000, PF_POSITIVE, "upper bound of the temperature"},
    MEM_C2C_PARAMS(NM),
};

enum { P_GINI, NP };
static const ParamDesc rr_inst_params[NP] = {
    [P_GINI] = {"gap_ini", "m", 0.2e-9, PF_NONNEG, "initial gap (default: the model's gap_ini)"},
};

/* model data in MemInst.mp */
enum {
    D_I0, D_G0, D_V0, D_PRE, D_EG, D_ER, D_UA, D_GAMMA0, D_BETA, D_G1, D_ALPHA, D_FMIN, D_FW, D_TOX,
    D_T0, D_RTH, D_TAU, D_DTMAX
};

static double gap_ini(const Instance *in)
{
    return in->given[P_GINI] ? in->p[P_GINI] : in->model->p[M_GINI];
}

static int rr_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    double g = gap_ini(in);
    if (mp[M_GMIN] >= mp[M_GMAX]) {
        snprintf(err, n, "gap_min=%g must be below gap_max=%g", mp[M_GMIN], mp[M_GMAX]);
        return -1;
    }
    /* a slack of 1e-9 of the range: a value computed in an expression may
     * differ from the bound in the last bit */
    double slack = 1e-9 * (mp[M_GMAX] - mp[M_GMIN]);
    if (g < mp[M_GMIN] - slack || g > mp[M_GMAX] + slack) {
        snprintf(err, n, "initial gap gap_ini=%g is outside [gap_min, gap_max] = [%g, %g]", g, mp[M_GMIN],
                 mp[M_GMAX]);
        return -1;
    }
    if (mp[M_ALPHA] < 1) {
        snprintf(err, n, "alpha=%g: the enhancement exponent must be at least 1", mp[M_ALPHA]);
        return -1;
    }
    double gmax = mp[M_GAMMA0] - mp[M_BETA] * pow(mp[M_GMAX] / mp[M_G1], mp[M_ALPHA]);
    if (gmax <= 0) {
        snprintf(err, n, "field enhancement gamma0 - beta (gap_max/g1)^alpha = %g is not positive at gap_max", gmax);
        return -1;
    }
    return 0;
}

/* tmax against the ambient: t0, or the circuit temperature when t0 is not given */
static int rr_check_ambient(const Instance *in, double temp, char *err, size_t n)
{
    const double *mp = in->model->p;
    if (in->model->given[M_T0] && !(mp[M_TMAX] > mp[M_T0])) {
        snprintf(err, n, "tmax=%g must be above t0=%g", mp[M_TMAX], mp[M_T0]);
        return -1;
    }
    if (!in->model->given[M_T0] && !(mp[M_TMAX] > temp)) {
        snprintf(err, n, "tmax=%g K must be above the ambient temperature (the circuit temperature, %g K)", mp[M_TMAX],
                 temp);
        return -1;
    }
    return 0;
}

static void rr_init(MemInst *m, double temp)
{
    const double *mp = m->in.model->p;
    const unsigned char *given = m->in.model->given;
    double t0 = given[M_T0] ? mp[M_T0] : temp;
    /* the gap state is in nm (lengths below are converted) */
    m->x0[0] = 1e9 * mem_clamp(gap_ini(&m->in), mp[M_GMIN], mp[M_GMAX]);
    m->st->lo[0] = 1e9 * mp[M_GMIN];
    m->st->hi[0] = 1e9 * mp[M_GMAX];
    /* the temperature state is the rise T - T0 (>= 0 since v i >= 0), as
     * the thermal nodes of SPICE self-heating models: tolerances relative
     * to the rise, and 0 (the static solve's initial guess) is the
     * unbiased steady state */
    m->x0[1] = 0;
    m->st->lo[1] = 0;
    m->st->hi[1] = mp[M_TMAX] > t0 ? mp[M_TMAX] - t0 : t0;
    m->mp[D_I0] = mp[M_I0];
    m->mp[D_G0] = 1e9 * mp[M_G0];
    m->mp[D_V0] = mp[M_V0];
    /* sinh form: vel0 sinh(u) = vel0/2 (e^u - e^-u) with Eag = Ear = Ea;
     * the velocity in nm/s */
    int chen_yu = given[M_EAG] || given[M_EAR];
    m->mp[D_PRE] = 1e9 * (chen_yu ? mp[M_VEL0] : 0.5 * mp[M_VEL0]);
    m->mp[D_EG] = Q_OVER_K * (chen_yu && given[M_EAG] ? mp[M_EAG] : mp[M_EA]);
    m->mp[D_ER] = Q_OVER_K * (chen_yu && given[M_EAR] ? mp[M_EAR] : mp[M_EA]);
    m->mp[D_UA] = Q_OVER_K * mp[M_A0] / mp[M_TOX];
    m->mp[D_GAMMA0] = mp[M_GAMMA0];
    m->mp[D_BETA] = mp[M_BETA];
    m->mp[D_G1] = 1e9 * mp[M_G1];
    m->mp[D_ALPHA] = mp[M_ALPHA];
    m->mp[D_FMIN] = mp[M_FMIN];
    m->mp[D_FW] = mp[M_FMINW] * mp[M_FMIN];
    m->mp[D_TOX] = mp[M_TOX];
    m->mp[D_T0] = t0;
    m->mp[D_RTH] = mp[M_RTH];
    m->mp[D_TAU] = mp[M_TAU];
    m->mp[D_DTMAX] = m->st->hi[1];
}

/* The steady temperature rise Rth v i, softly saturated at dmax = tmax - T0:
 * x / (1 + (x/dmax)^4)^(1/4), identical to x within (x/dmax)^4 / 4, always
 * below dmax (so T < tmax at every steady state and the bound is never
 * reached); *d = its derivative. Written for x/dmax of any size. */
static double heat_rise(double x, double dmax, double *d)
{
    double r = x / dmax;
    if (r <= 1) {
        double s = 1 + r * r * r * r;
        *d = pow(s, -1.25);
        return x * pow(s, -0.25);
    }
    double ri = 1 / r, s = 1 + ri * ri * ri * ri;
    *d = ri * ri * ri * ri * ri * pow(s, -1.25);
    return dmax * pow(s, -0.25);
}

/* logistic 1/(1+e^-z) and its derivative, without overflow */
static double logistic(double z, double *d)
{
    double e = exp(-fabs(z));
    double w = 1 / (1 + e);
    *d = e * w * w;
    return z >= 0 ? w : e * w;
}

/* the effective enhancement gamma' and its derivatives in v and g */
static double enhancement(const double *mp, double v, double g, double *dv, double *dg)
{
    double r = g / mp[D_G1], a = mp[D_ALPHA];
    double gam = mp[D_GAMMA0] - mp[D_BETA] * pow(r, a);
    double dgam = -mp[D_BETA] * a * pow(r, a - 1) / mp[D_G1];
    *dv = 0;
    *dg = dgam;
    if (mp[D_FMIN] <= 0) return gam;
    double av = fabs(v), sv = v < 0 ? -1 : 1, field = gam * av / mp[D_TOX];
    if (mp[D_FW] <= 0) {
        if (field >= mp[D_FMIN]) return gam;
        *dg = 0;
        return 0;
    }
    double dw, w = logistic((field - mp[D_FMIN]) / mp[D_FW], &dw);
    double dz_dgam = av / (mp[D_TOX] * mp[D_FW]);
    *dv = gam * dw * gam * sv / (mp[D_TOX] * mp[D_FW]);
    *dg = dgam * (w + gam * dw * dz_dgam);
    return gam * w;
}

static void rr_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *mp = m->mp;
    double g = x[0], T = mp[D_T0] + x[1];
    /* current, Jiang 2016 eq. 1 */
    double dep, dem, s = v / mp[D_V0];
    double ep = mem_exp(s, &dep), em = mem_exp(-s, &dem);
    double k = mp[D_I0] * exp(-g / mp[D_G0]);
    e->i = k * 0.5 * (ep - em);
    e->di_dv = k * 0.5 * (dep + dem) / mp[D_V0];
    e->di_dx[0] = -e->i / mp[D_G0];
    /* gap velocity, Jiang 2016 eqs. 2-3 / Chen & Yu 2015 eq. 3 */
    double dgam_dv, dgam_dg, gam = enhancement(mp, v, g, &dgam_dv, &dgam_dg);
    double c = mp[D_UA] / T, u = c * gam * v;
    double du_dv = c * (gam + v * dgam_dv), du_dg = c * v * dgam_dg, du_dT = -u / T;
    double ag = exp(-mp[D_EG] / T), ar = exp(-mp[D_ER] / T);
    double deu, demu, eu = mem_exp(u, &deu), emu = mem_exp(-u, &demu);
    double pre = mp[D_PRE];
    e->rate[0] = -pre * (ag * eu - ar * emu);
    double dr_du = -pre * (ag * deu + ar * demu);
    double dr_dT = -pre * (ag * eu * mp[D_EG] - ar * emu * mp[D_ER]) / (T * T);
    e->drate_dv[0] = dr_du * du_dv;
    e->drate_dx[0][0] = dr_du * du_dg;
    e->drate_dx[0][1] = dr_du * du_dT + dr_dT;
    /* temperature rise: tau d(T-T0)/dt = S(Rth v i) - (T - T0), Chen & Yu
     * 2015 eq. 4, with the rise softly saturated below tmax - T0 */
    double ds, rise = heat_rise(mp[D_RTH] * v * e->i, mp[D_DTMAX], &ds);
    double k_t = ds > 0 ? ds * mp[D_RTH] / mp[D_TAU] : 0; /* saturated: no 0 * inf */
    e->rate[1] = (rise - x[1]) / mp[D_TAU];
    e->drate_dv[1] = k_t * (e->i + v * e->di_dv);
    e->drate_dx[1][0] = k_t * v * e->di_dx[0];
    e->drate_dx[1][1] = -1 / mp[D_TAU];
}

static const MemStateDesc rr_states[] = {{.name = "gap", .hold_dc = 1}, {.name = "dtemp"}};
static const MemFamily rr_family = {
    .ns = 2,
    .states = rr_states,
    .check = rr_check,
    .check_ambient = rr_check_ambient,
    .init = rr_init,
    .eval = rr_eval,
};

const DeviceType device_mem_rram = {
    MEM_DEVICE_FIELDS(6, "Stanford/ASU metal-oxide RRAM gap model (Guan 2012, Jiang 2016) with local temperature",
                      rr_inst_params, rr_model_params, &rr_family, mem_load, 2),
};
