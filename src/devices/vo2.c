/* VO2 insulator-metal transition device, thermal model with Almeida-type
 * hysteresis (VO2 level=1): the thermal neuristor of Y. Zhang, E. Qiu,
 * M. Di Ventra et al. ("Collective dynamics and long-range order in thermal
 * neuristor networks", Nat. Commun. 2024, arXiv:2312.12899; E. Qiu et al.,
 * Adv. Mater. 2023, doi 10.1002/adma.202306818), with the hysteresis model
 * of L. A. L. de Almeida et al., Opt. Eng. 41, 2582 (2002). Equations and
 * values as in the authors' public code (collective_dynamics_neuristor,
 * model.py, MIT licence), converted to SI.
 *
 *   YVO2 <name> n+ n- [th] <model>
 *   .model <model> vo2 w= tc= beta= r0= ea= gamma= rm= cth= sth= t_amb= tmin= tmax=
 *
 * One state, the device temperature T (K):
 *   i = v / R(T)
 *   cth dT/dt = v^2/R(T) - sth (T - t_amb)                 Joule heating, Newton cooling
 *   R(T) = r0 exp(ea/Tc) g(Tc) + rm,  Tc = clamp(T, tmin, tmax)   (the code's clamp)
 *   g(T) = 1/2 + 1/2 tanh(beta (delta w/2 + tc - (T + Tp)))  insulating fraction
 *   Tp   = reversed Tpr P((T - Tr)/(Tpr + 1e-6), gamma)
 *   P(z) = 1/2 (1 - sin(gamma z)) (1 + tanh(pi^2 - 2 pi z))
 *   Tpr  = delta w/2 + tc - atanh(2 gr - 1)/beta - Tr
 * Hysteresis memory (delta: +1 heating, -1 cooling; reversed; Tr; gr;
 * T_last), changed only at accepted points (vo2_accept): when the
 * accepted Tc differs from T_last by more than 0.01 K, T_last = Tc and, if
 * the sign of the change differs from delta, a reversal: gr = g(Tc) (old
 * memory), Tr = Tc, delta = the new sign, reversed = 1, Tpr recomputed (g is
 * continuous across it). The first accepted point of an analysis starts
 * the memory on the heating branch (delta = +1, reversed = 0, T_last = T).
 * hyst=0 keeps it there: no hysteresis, g = 1/2 + 1/2 tanh(beta (w/2 + tc
 * - T)) throughout. */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"

#define PI 3.14159265358979323846

enum { M_W, M_TC, M_BETA, M_R0, M_EA, M_GAMMA, M_RM, M_CTH, M_STH, M_TAMB, M_TMIN, M_TMAX, M_HYST, NM };
static const ParamDesc vo2_model_params[NM + MEM_NC2C] = {
    [M_W] = {"w", "K", 7.19357064, PF_POSITIVE, "width of the hysteresis loop"},
    [M_TC] = {"tc", "K", 332.805839, PF_POSITIVE, "centre temperature of the loop"},
    [M_BETA] = {"beta", "1/K", 0.252796285, PF_POSITIVE, "sharpness of the transition"},
    [M_R0] = {"r0", "ohm", 5.35882879e-3, PF_POSITIVE, "Arrhenius prefactor of the insulating resistance"},
    [M_EA] = {"ea", "K", 5220.47417, PF_POSITIVE, "activation temperature Ea/kB of the insulating phase"},
    [M_GAMMA] = {"gamma", "", 0.956269682, PF_NONNEG, "minor-loop proximity parameter"},
    [M_RM] = {"rm", "ohm", 1286.31650, PF_POSITIVE, "metallic resistance (in series)"},
    [M_CTH] = {"cth", "J/K", 4.962776831e-11, PF_POSITIVE, "heat capacity"},
    [M_STH] = {"sth", "W/K", 2.0558726e-4, PF_POSITIVE, "thermal conductance to the ambient"},
    [M_TAMB] = {"t_amb", "K", 0, PF_NONNEG, "ambient (substrate) temperature (not given: the circuit temperature)"},
    [M_TMIN] = {"tmin", "K", 305, PF_POSITIVE, "R(T) and the memory read T clamped to [tmin, tmax] (the code's clamp)"},
    [M_TMAX] = {"tmax", "K", 370, PF_POSITIVE, "upper end of that clamp"},
    [M_HYST] = {"hyst", "", 1, PF_NONNEG | PF_INTEGER,
                "1: Almeida hysteresis; 0: none, the heating branch g = 1/2 + 1/2 tanh(beta (w/2 + tc - T)) "
                "throughout (a behavioural source can express it)"},
    MEM_C2C_PARAMS(NM),
};

enum { P_TO, NP };
static const ParamDesc vo2_inst_params[NP] = {
    [P_TO] = {"to", "K", 0, PF_NONNEG, "initial temperature with .tran uic (default: t_amb)"},
};

/* model data and memory in MemInst.mp */
enum { D_W, D_TC, D_BETA, D_R0, D_EA, D_GAMMA, D_RM, D_CTH, D_STH, D_TAMB, D_TMIN, D_TMAX, D_HYST,
       /* memory */
       D_DELTA, D_REV, D_TR, D_GR, D_TPR, D_TLAST };
/* vo2_init copies the model parameters into the first NM slots */
_Static_assert((int)D_HYST == (int)M_HYST && (int)D_DELTA == (int)NM, "D_* must mirror M_*");

static double t_amb(const Model *md, double temp)
{
    return md->given[M_TAMB] ? md->p[M_TAMB] : temp;
}

static int vo2_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    if (!(mp[M_TMAX] > mp[M_TMIN])) return snprintf(err, n, "tmax=%g must be above tmin=%g", mp[M_TMAX], mp[M_TMIN]), -1;
    if (mp[M_HYST] > 1) return snprintf(err, n, "hyst=%g must be 0 or 1", mp[M_HYST]), -1;
    return 0;
}

static void vo2_init(MemInst *m, double temp)
{
    const Model *md = m->in.model;
    const double *p = md->p;
    double *d = m->mp;
    for (int k = 0; k < NM; k++) d[k] = p[k];
    d[D_TAMB] = t_amb(md, temp);
    m->x0[0] = m->in.given[P_TO] ? m->in.p[P_TO] : d[D_TAMB];
    /* backstop bounds: far outside the clamp of R, where the model is flat */
    m->st->lo[0] = fmin(d[D_TMIN], d[D_TAMB]) * 0.5;
    m->st->hi[0] = fmax(2000, 2 * d[D_TMAX]);
    m->st->abstol[0] = 1e-6;   /* K */
    m->st->qtol[0] = 1e-3;     /* K: truncation-error floor of T */
    m->st->cth[0] = d[D_CTH];
}

/* P(z) of the minor loops and dP/dz */
static double pfun(double z, double gamma, double *dp)
{
    double s = sin(gamma * z), c = cos(gamma * z), th = tanh(PI * PI - 2 * PI * z);
    *dp = 0.5 * (-gamma * c * (1 + th) + (1 - s) * (-2 * PI) * (1 - th * th));
    return 0.5 * (1 - s) * (1 + th);
}

/* insulating fraction g(T) with the memory in d, and dg/dT */
static double gfun(const double *d, double t, double *dg)
{
    double tp = 0, dtp = 0;
    if (d[D_REV] != 0) {
        double den = d[D_TPR] + 1e-6, dp;
        tp = d[D_TPR] * pfun((t - d[D_TR]) / den, d[D_GAMMA], &dp);
        dtp = d[D_TPR] * dp / den;
    }
    double th = tanh(d[D_BETA] * (d[D_DELTA] * d[D_W] / 2 + d[D_TC] - (t + tp)));
    *dg = -0.5 * (1 - th * th) * d[D_BETA] * (1 + dtp);
    return 0.5 + 0.5 * th;
}

static void vo2_reset(MemInst *m)
{
    double *d = m->mp;
    d[D_DELTA] = 1;
    d[D_REV] = 0;
    d[D_TR] = d[D_TPR] = 0;
    d[D_GR] = 0.5;
    d[D_TLAST] = NAN;   /* the first accepted point sets it */
}

static void vo2_accept(MemInst *m, double v, const double *x, const LoadCtx *c)
{
    (void)v, (void)c;
    double *d = m->mp;
    if (d[D_HYST] == 0) return;   /* no memory: the heating branch throughout */
    double t = fmin(fmax(x[0], d[D_TMIN]), d[D_TMAX]), dg;
    if (isnan(d[D_TLAST])) {
        d[D_TLAST] = t;
        d[D_TR] = t;
        d[D_GR] = gfun(d, t, &dg);
        return;
    }
    double dt = t - d[D_TLAST];
    if (fabs(dt) <= 0.01) return;
    double dir = dt > 0 ? 1 : -1;
    if (dir != d[D_DELTA]) {
        double gr = gfun(d, t, &dg);   /* with the old memory */
        gr = fmin(fmax(gr, 1e-15), 1 - 1e-15);
        d[D_GR] = gr;
        d[D_DELTA] = dir;
        d[D_REV] = 1;
        d[D_TR] = t;
        d[D_TPR] = dir * d[D_W] / 2 + d[D_TC] - atanh(2 * gr - 1) / d[D_BETA] - t;
    }
    d[D_TLAST] = t;
}

static void vo2_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    double t = x[0], tc = t, dtc = 1;
    if (tc < d[D_TMIN]) tc = d[D_TMIN], dtc = 0;
    if (tc > d[D_TMAX]) tc = d[D_TMAX], dtc = 0;
    double dg, g = gfun(d, tc, &dg);
    double ar = d[D_R0] * exp(d[D_EA] / tc);
    double r = ar * g + d[D_RM];
    double dr = dtc * (ar * (-d[D_EA] / (tc * tc)) * g + ar * dg);
    double gc = 1 / r;
    e->i = v * gc;
    e->di_dv = gc;
    e->di_dx[0] = -v * gc * gc * dr;
    double p = v * v * gc;
    e->rate[0] = (p - d[D_STH] * (t - d[D_TAMB])) / d[D_CTH];
    e->drate_dv[0] = 2 * v * gc / d[D_CTH];
    e->drate_dx[0][0] = (-v * v * gc * gc * dr - d[D_STH]) / d[D_CTH];
}

static const MemStateDesc vo2_states[] = {{.name = "temp", .thermal = 1}};
static const MemFamily vo2_family = {
    .ns = 1,
    .states = vo2_states,
    .check = vo2_check,
    .init = vo2_init,
    .eval = vo2_eval,
    .reset = vo2_reset,
    .accept = vo2_accept,
};

static const char *const vo2_model_types[] = {"vo2", NULL};

const DeviceType device_vo2 = {
    MEM_FAMILY_FIELDS("vo2", "yvo2", vo2_model_types, mem_thermal_terms, 1, mem_thermal_dc_paths, 1,
                      "VO2 insulator-metal device: Joule-heated temperature with Almeida hysteresis "
                      "(Zhang/Qiu/Di Ventra thermal neuristor)",
                      vo2_inst_params, vo2_model_params, &vo2_family, mem_load, MEM_NOUT),
};
