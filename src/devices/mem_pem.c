/* Piecewise empirical memristor model, PEM (J. Niroula et al., "Compact
 * model of resistive memory for pulsed analog and neuromorphic
 * applications", J. Comput. Electron. 2017), as
 * implemented by Xyce as MEMRISTOR level=4, with Xyce's parameter names.
 *
 *   YMEMRISTOR <name> n+ n- <model> [xo=<x(0)>]
 *   .model <model> memristor level=4 fxpdata=<file> fxmdata=<file>
 *   +   i1 i2 v1 v2 g0 vp vn d1 d2 c1 c2
 *
 * Current (Xyce Reference Guide, "PEM formulation"):
 *   i = x h(v),  h(v) = i1 e^(v/v1) - i2 e^(-v/v2) + g0 v - (i1 - i2)
 * State:
 *   dx/dt = c1 G(v) f+(x)   (v >= 0)
 *         = c2 G(v) f-(x)   (v < 0)
 *   G(v) = e^(d1 (v - vp)) - 1   v >= vp
 *        = e^(d2 (v - vn)) - 1   v <= vn
 *        = 0                     otherwise
 * vn is the signed negative threshold (default -0.01 V), as in Xyce.
 * f+ and f- are the tables of the two files (x, f(x) per row), linearly
 * interpolated and continued linearly beyond their ends, as Xyce's linear
 * interpolator does; f+ is 0 above the last x of its table and f- below
 * the first x of its table, so the state stays within [x_min, x_max] =
 * [first x of f-, last x of f+]: the interval memspice holds it in. */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"
#include "util/numtable.h"

enum { M_I1, M_I2, M_V1, M_V2, M_G0, M_VP, M_VN, M_D1, M_D2, M_C1, M_C2, M_FXP, M_FXM, M_XO, NM };
static const ParamDesc pem_model_params[NM + MEM_NC2C] = {
    [M_I1] = {"i1", "A", 1, 0, "current scale of the forward exponential"},
    [M_I2] = {"i2", "A", 1, 0, "current scale of the reverse exponential"},
    [M_V1] = {"v1", "V", 1, PF_POSITIVE, "voltage scale of the forward exponential"},
    [M_V2] = {"v2", "V", 1, PF_POSITIVE, "voltage scale of the reverse exponential"},
    [M_G0] = {"g0", "S", 1, 0, "linear conductance term"},
    [M_VP] = {"vp", "V", 0.01, 0, "positive threshold: the state moves for v >= vp"},
    [M_VN] = {"vn", "V", -0.01, 0, "negative threshold (signed): the state moves for v <= vn"},
    [M_D1] = {"d1", "1/V", 1, 0, "exponent of the rate above vp"},
    [M_D2] = {"d2", "1/V", 1, 0, "exponent of the rate below vn"},
    [M_C1] = {"c1", "1/s", 1, 0, "rate scale for v >= 0"},
    [M_C2] = {"c2", "1/s", 1, 0, "rate scale for v < 0"},
    [M_FXP] = {"fxpdata", "file", 0, PF_REQUIRED | PF_TABLE, "table file of x, f+(x) (v >= 0)"},
    [M_FXM] = {"fxmdata", "file", 0, PF_REQUIRED | PF_TABLE, "table file of x, f-(x) (v < 0)"},
    [M_XO] = {"xo", "", 0, 0, "initial state when the instance gives none"},
    MEM_C2C_PARAMS(NM),
};

enum { P_XO, NP };
static const ParamDesc pem_inst_params[NP] = {
    [P_XO] = {"xo", "", 0, 0, "initial state x(0) (default: the model's xo)"},
};

static double x_min(const Model *md)
{
    return numtable_at(md->tab[M_FXM], 0, 0);
}

static double x_max(const Model *md)
{
    const NumTable *t = md->tab[M_FXP];
    return numtable_at(t, t->rows - 1, 0);
}

static int pem_check(const Instance *in, char *err, size_t n)
{
    const Model *md = in->model;
    double lo = x_min(md), hi = x_max(md);
    if (!(lo < hi))
        return snprintf(err, n, "the first x of fxmdata (%g) must be below the last x of fxpdata (%g): the state "
                                "lives between them", lo, hi), -1;
    double xo = in->given[P_XO] ? in->p[P_XO] : md->p[M_XO];
    if (xo < lo || xo > hi)
        return snprintf(err, n, "initial state xo=%g is outside [%g, %g] (the first x of fxmdata, the last of "
                                "fxpdata)", xo, lo, hi), -1;
    return 0;
}

static void pem_init(MemInst *m, double temp)
{
    (void)temp;
    const Model *md = m->in.model;
    m->x0[0] = m->in.given[P_XO] ? m->in.p[P_XO] : md->p[M_XO];
    m->st->lo[0] = x_min(md);
    m->st->hi[0] = x_max(md);
    for (int k = 0; k < NM; k++) m->mp[k] = md->p[k];
}

/* linear interpolation in a table of increasing x, continued with the end
 * segments' slopes beyond its ends; *d = the slope used */
static double interp(const NumTable *t, double x, double *d)
{
    int lo = 0, hi = t->rows - 1;
    while (hi - lo > 1) {
        int k = (lo + hi) / 2;
        if (numtable_at(t, k, 0) > x) hi = k;
        else lo = k;
    }
    double x0 = numtable_at(t, lo, 0), x1 = numtable_at(t, hi, 0);
    double y0 = numtable_at(t, lo, 1), y1 = numtable_at(t, hi, 1);
    *d = (y1 - y0) / (x1 - x0);
    return y0 + (x - x0) * *d;
}

static void pem_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    double xs = x[0];
    /* i = x h(v) */
    double e1, e2, a = mem_exp(v / d[M_V1], &e1), b = mem_exp(-v / d[M_V2], &e2);
    double h = d[M_I1] * a - d[M_I2] * b + d[M_G0] * v - (d[M_I1] - d[M_I2]);
    double dh = d[M_I1] * e1 / d[M_V1] + d[M_I2] * e2 / d[M_V2] + d[M_G0];
    e->i = xs * h;
    e->di_dv = xs * dh;
    e->di_dx[0] = h;
    /* G(v) */
    double g, dg;
    if (v >= d[M_VP]) {
        g = mem_exp(d[M_D1] * (v - d[M_VP]), &dg) - 1;
        dg *= d[M_D1];
    } else if (v <= d[M_VN]) {
        g = mem_exp(d[M_D2] * (v - d[M_VN]), &dg) - 1;
        dg *= d[M_D2];
    } else {
        return;
    }
    /* c f(x), f from the table of the polarity; 0 beyond its far end */
    const Model *md = m->in.model;
    double c, f, df;
    if (v >= 0) {
        c = d[M_C1];
        f = xs > x_max(md) ? (df = 0, 0) : interp(md->tab[M_FXP], xs, &df);
    } else {
        c = d[M_C2];
        f = xs < x_min(md) ? (df = 0, 0) : interp(md->tab[M_FXM], xs, &df);
    }
    e->rate[0] = c * g * f;
    e->drate_dv[0] = c * dg * f;
    e->drate_dx[0][0] = c * g * df;
}

static const MemStateDesc pem_states[] = {{.name = "x", .hold_dc = 1}};
static const MemFamily pem_family = {
    .ns = 1,
    .states = pem_states,
    .check = pem_check,
    .init = pem_init,
    .eval = pem_eval,
};

const DeviceType device_mem_pem = {
    MEM_DEVICE_FIELDS(4, "piecewise empirical memristor (Niroula 2017) with table-driven f(x), Xyce level 4",
                      pem_inst_params, pem_model_params, &pem_family, mem_load, MEM_NOUT),
};
