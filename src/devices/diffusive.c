/* Diffusive (Ag) memristor, volatile (.model <m> diffusive, element word
 * YDIFFUSIVE): the compact model of the J. J. Yang group, "A Faithful and
 * Compact Diffusive Memristor Model" (public code yanglab2021/
 * DiffusiveMemristor, MemristorModel.py), the device of the diffusive
 * LIF neurons of Z. Wang et al., Nat. Mater. 16, 101 (2017) and Nat.
 * Electron. 1, 137 (2018). Written as a continuous, C-infinity model of
 * the code's Euler steps (reference note volatile-devices.md 4.2, which
 * lists the code's clamps); docs/devices/diffusive.md.
 *
 * Three states: the filament x = f + r in [0, 1] (f the mobile Ag, r the
 * residue), the residue r in [0, 1], the cross-section factor S >= 1:
 *   dx/dt = phi(S) (mu a(v)/(alpha + 1 - x) - gamma1 f - gamma2 r)      drift growth; diffusion of f and r
 *   dr/dt = phi(S) (beta f - gamma2 r)                                  conversion to residue; its relaxation
 *   dS/dt = theta a(v) e^-(S-1) g(x) - gamma3 e^(S-1)                   thickening once the filament is complete
 *   R     = ron x/S^2 + roff (e^(-x/lambda) - e^(-1/lambda))/(1 - e^(-1/lambda)),   i = v/R,   f = x - r
 * (that is, df/dt = phi (mu a/(alpha + 1 - x) - (gamma1 + beta) f)). The
 * code's clamps: x <= 1 (its drift increment is clamped to 1 - f - r) and
 * S >= 1 are the states' bounds, exact in transients (complementarity in
 * static solves), so a complete filament has x = 1 exactly and R = ron/S^2
 * as in the code; the others become smooth gates:
 *   phi(S) = exp(-(S - 1)/0.01)                  f, r frozen while S > 1 (code: evolve only while S < 1.000001)
 *   g(x)   = 1/(1 + exp(-(x - (1 - 1e-6))/1e-7)) S grows only with x ~ 1 (code: x > 0.999999)
 *   a(v)   = sqrt(v^2 + dv^2) - dv, dv = 1 mV    |v| (sym=1); (sqrt(v^2 + dv^2) + v - dv)/2, v > 0 (sym=0)
 * R is the code's roff (e^((1-x)/lambda) - 1)/(e^(1/lambda) - 1) written
 * without overflow. */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"

enum { M_RON, M_ROFF, M_MU, M_G1, M_G2, M_G3, M_THETA, M_ALPHA, M_BETA, M_LAMBDA, M_SYM, M_FO, M_RO, M_SO, NM };
static const ParamDesc dm_model_params[NM + MEM_NC2C] = {
    [M_RON] = {"ron", "ohm", 5e3, PF_POSITIVE, "resistance of the complete filament (x = 1, S = 1)"},
    [M_ROFF] = {"roff", "ohm", 1e10, PF_POSITIVE, "resistance without a filament (x = 0)"},
    [M_MU] = {"mu", "1/(V s)", 150, PF_NONNEG, "drift (growth) rate of the filament per volt"},
    [M_G1] = {"gamma1", "1/s", 5000, PF_NONNEG, "diffusion (dissolution) rate of the filament"},
    [M_G2] = {"gamma2", "1/s", 0.1, PF_NONNEG, "relaxation rate of the residue"},
    [M_G3] = {"gamma3", "1/s", 10, PF_NONNEG, "relaxation rate of the cross-section"},
    [M_THETA] = {"theta", "1/(V s)", 200, PF_NONNEG, "growth rate of the cross-section per volt"},
    [M_ALPHA] = {"alpha", "", 0.01, PF_POSITIVE, "drift denominator offset (growth accelerates as x -> 1)"},
    [M_BETA] = {"beta", "1/s", 20, PF_NONNEG, "conversion rate of filament to residue"},
    [M_LAMBDA] = {"lambda", "", 0.1, PF_POSITIVE, "tunnelling length of the off resistance (fraction of the gap)"},
    [M_SYM] = {"sym", "", 1, PF_NONNEG | PF_INTEGER, "1: both polarities drive the filament (|v|); 0: only v > 0"},
    [M_FO] = {"fo", "", 0, PF_NONNEG, "initial filament when the instance gives none"},
    [M_RO] = {"ro", "", 0, PF_NONNEG, "initial residue when the instance gives none"},
    [M_SO] = {"so", "", 1, PF_POSITIVE, "initial cross-section factor when the instance gives none"},
    MEM_C2C_PARAMS(NM),
};

enum { P_FO, P_RO, P_SO, NP };
static const ParamDesc dm_inst_params[NP] = {
    [P_FO] = {"fo", "", 0, PF_NONNEG, "initial filament f(0) (default: the model's fo)"},
    [P_RO] = {"ro", "", 0, PF_NONNEG, "initial residue r(0) (default: the model's ro)"},
    [P_SO] = {"so", "", 1, PF_POSITIVE, "initial cross-section factor S(0) >= 1 (default: the model's so)"},
};

enum { D_RON, D_ROFF, D_MU, D_G1, D_G2, D_G3, D_THETA, D_ALPHA, D_BETA, D_LAMBDA, D_SYM, D_E1 };

#define SMAX 50.0
#define SFRZ 0.01   /* phi(S) */
#define XG (1 - 1e-6) /* g(x) centre */
#define XGW 1e-7    /* g(x) width */
#define DVA 1e-3    /* a(v) rounding */

static double init_of(const Instance *in, int ip, int mp)
{
    return in->given[ip] ? in->p[ip] : in->model->p[mp];
}

static int dm_check(const Instance *in, char *err, size_t n)
{
    const double *p = in->model->p;
    double fo = init_of(in, P_FO, M_FO), ro = init_of(in, P_RO, M_RO), so = init_of(in, P_SO, M_SO);
    if (fo + ro > 1) return snprintf(err, n, "initial filament fo=%g plus residue ro=%g exceeds 1", fo, ro), -1;
    if (so < 1 || so > SMAX) return snprintf(err, n, "initial cross-section so=%g is outside [1, %g]", so, SMAX), -1;
    if (p[M_SYM] > 1) return snprintf(err, n, "sym=%g must be 0 or 1", p[M_SYM]), -1;
    if (p[M_ROFF] < p[M_RON]) return snprintf(err, n, "roff=%g must not be below ron=%g", p[M_ROFF], p[M_RON]), -1;
    return 0;
}

static void dm_init(MemInst *m, double temp)
{
    (void)temp;
    const double *p = m->in.model->p;
    double *d = m->mp;
    for (int k = 0; k <= M_SYM; k++) d[k] = p[k];
    d[D_E1] = exp(-1 / p[M_LAMBDA]);
    m->x0[1] = init_of(&m->in, P_RO, M_RO);
    m->x0[0] = init_of(&m->in, P_FO, M_FO) + m->x0[1];
    m->x0[2] = init_of(&m->in, P_SO, M_SO);
    m->st->lo[0] = m->st->lo[1] = 0;
    m->st->hi[0] = m->st->hi[1] = 1;
    m->st->lo[2] = 1;
    m->st->hi[2] = SMAX;
    m->st->qtol[2] = 1e-6;
    m->st->abstol[2] = 1e-9;
    m->x0[0] = fmin(m->x0[0], 1);
}

static void dm_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    double xt = x[0], r = x[1], s = x[2], f = xt - r;

    /* R and the current */
    double lam = d[D_LAMBDA], e1 = d[D_E1], ex = exp(-xt / lam);
    double ratio = (ex - e1) / (1 - e1), dratio = -ex / (lam * (1 - e1));
    double s2 = s * s;
    double res = d[D_RON] * xt / s2 + d[D_ROFF] * ratio;
    double dres_dx = d[D_RON] / s2 + d[D_ROFF] * dratio, dres_ds = -2 * d[D_RON] * xt / (s2 * s);
    double gc = 1 / res;
    e->i = v * gc;
    e->di_dv = gc;
    e->di_dx[0] = -v * gc * gc * dres_dx;
    e->di_dx[2] = -v * gc * gc * dres_ds;

    /* the drive a(v) */
    double q = sqrt(v * v + DVA * DVA), a, da;
    if (d[D_SYM] != 0) a = q - DVA, da = v / q;
    else a = 0.5 * (q + v - DVA), da = 0.5 * (v / q + 1);

    /* total filament x = f + r and residue r, frozen while S > 1 */
    double phi = exp(-(s - 1) / SFRZ), dphi = -phi / SFRZ;
    double den = d[D_ALPHA] + 1 - xt;
    double drift = d[D_MU] * a / den;
    double g1 = d[D_G1], g2 = d[D_G2], be = d[D_BETA];
    double rx = drift - g1 * f - g2 * r, rr = be * f - g2 * r;
    e->rate[0] = phi * rx;
    e->drate_dv[0] = phi * d[D_MU] * da / den;
    e->drate_dx[0][0] = phi * (drift / den - g1);
    e->drate_dx[0][1] = phi * (g1 - g2);
    e->drate_dx[0][2] = dphi * rx;
    e->rate[1] = phi * rr;
    e->drate_dx[1][0] = phi * be;
    e->drate_dx[1][1] = -phi * (be + g2);
    e->drate_dx[1][2] = dphi * rr;

    /* cross-section: grows only with the filament complete */
    double dg, g = mem_sigmoid((xt - XG) / XGW, &dg);
    dg /= XGW;
    double em = exp(-(s - 1)), ep = exp(s - 1);
    double grow = d[D_THETA] * a * em * g;
    e->rate[2] = grow - d[D_G3] * ep;
    e->drate_dv[2] = d[D_THETA] * da * em * g;
    e->drate_dx[2][0] = d[D_THETA] * a * em * dg;
    e->drate_dx[2][2] = -grow - d[D_G3] * ep;
}

/* x: Newton tolerance 1e-9 absolute (reltol would allow 1e-3 near x = 1,
 * where roff's term moves R by ~roff/(2 lambda) per unit of 1 - x) */
/* c2c: each filament cycle (growth, then dissolution) draws a new factor
 * on the filament's rate (docs/devices/diffusive.md) */
static const MemStateDesc dm_states[] = {{.name = "x", .absolute = 1, .c2c = 1}, {.name = "xr"}, {.name = "s"}};
static const MemFamily dm_family = {
    .ns = 3,
    .states = dm_states,
    .check = dm_check,
    .init = dm_init,
    .eval = dm_eval,
};

static const char *const dm_model_types[] = {"diffusive", NULL};

const DeviceType device_diffusive = {
    MEM_FAMILY_FIELDS("diffusive", "ydiffusive", dm_model_types, mem_terms, 0, mem_dc_paths, 1,
                      "diffusive Ag memristor, volatile (Yang-lab compact model: filament, residue, cross-section)",
                      dm_inst_params, dm_model_params, &dm_family, mem_load, MEM_NOUT),
};
