/* TEAM memristor (S. Kvatinsky, E. G. Friedman, A. Kolodny, U. C. Weiser,
 * "TEAM: ThrEshold Adaptive Memristor Model", IEEE TCAS-I 60(1), 211-221,
 * 2013), with Xyce's parameter names and meanings (MEMRISTOR level=2).
 *
 *   YMEMRISTOR <name> n+ n- <model> [xo=<x(0)>] [ivrelation=0|1]
 *   .model <model> memristor level=2 ron roff kon koff alphaon alphaoff
 *          xon xoff ion ioff xscaling wt d p j aon aoff wc ivrelation
 *
 * State x: the physical state variable (m) times xscaling (e.g. 1e9: x in
 * nm), bounded to [xon', xoff'] where ' marks a length times xscaling
 * (xon' = xon*xscaling; likewise xoff, aon, aoff, wc and the rates kon,
 * koff; d, p, j are not scaled, as in Xyce).
 *   R(x) = ron + (x - xon') (roff - ron)/(xoff' - xon')      ivrelation=0, eq. (15)
 *   R(x) = ron exp(lambda (x - xon')/(xoff' - xon')),
 *          lambda = ln(roff/ron)                             ivrelation=1, eqs. (16)-(17)
 *   i = v / R(x)
 *   dx/dt = koff' (i/ioff - 1)^alphaoff W(x, i)   i >= ioff > 0      eq. (2)
 *         = 0                                     ion < i < ioff
 *         = kon' (i/ion - 1)^alphaon W(x, i)      i <= ion < 0 (kon < 0)
 * windows W (wt):
 *   0 none        1
 *   1 Joglekar    1 - (2x/d - 1)^(2p)
 *   2 Biolek      1 - (x/d - stp(-i))^(2p), stp(s) = 1 for s >= 0
 *   3 Prodromakis j (1 - ((x/d - 0.5)^2 + 0.75)^p)
 *   4 Kvatinsky   i > 0: exp(-exp((x - aoff')/wc')), else exp(-exp(-(x - aon')/wc'))   eqs. (6)-(7)
 * Where memspice departs from Xyce (docs/devices/mem_team.md): x is held
 * within [xon', xoff'] exactly (Xyce leaves it unbounded); the Biolek and
 * Prodromakis windows are the papers' (Xyce codes stp(i) and -0.75); ion
 * defaults to -8.9e-6 A (Xyce: +8.9e-6, which contradicts ion < 0); d
 * defaults to xoff' and p, j to 1 (Xyce's 1.15e-4 placeholders make every
 * window vanish); the Jacobian is exact. Xyce's random telegraph noise
 * (resnoise ...) is not implemented. */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"

enum {
    M_RON, M_ROFF, M_KON, M_KOFF, M_AON_EXP, M_AOFF_EXP, M_XON, M_XOFF, M_ION, M_IOFF, M_XSCALING,
    M_WT, M_D, M_P, M_J, M_AON, M_AOFF, M_WC, M_IVREL, M_XO, NM
};
static const ParamDesc team_model_params[NM] = {
    [M_RON] = {"ron", "ohm", 50, PF_POSITIVE, "resistance at x = xon"},
    [M_ROFF] = {"roff", "ohm", 1e3, PF_POSITIVE, "resistance at x = xoff"},
    [M_KON] = {"kon", "m/s", -8e-13, 0, "rate coefficient of the ON direction (negative)"},
    [M_KOFF] = {"koff", "m/s", 8e-13, 0, "rate coefficient of the OFF direction (positive)"},
    [M_AON_EXP] = {"alphaon", "", 3, PF_POSITIVE, "exponent of the ON rate"},
    [M_AOFF_EXP] = {"alphaoff", "", 3, PF_POSITIVE, "exponent of the OFF rate"},
    [M_XON] = {"xon", "m", 0, 0, "state at which R = ron (lower bound of x)"},
    [M_XOFF] = {"xoff", "m", 3e-9, 0, "state at which R = roff (upper bound of x)"},
    [M_ION] = {"ion", "A", -8.9e-6, 0, "ON current threshold (negative)"},
    [M_IOFF] = {"ioff", "A", 1.15e-4, 0, "OFF current threshold (positive)"},
    [M_XSCALING] = {"xscaling", "", 1, PF_POSITIVE, "scale of the state unknown (1e9: x in nm)"},
    [M_WT] = {"wt", "", 0, PF_INTEGER | PF_NONNEG,
              "window: 0 none, 1 Joglekar, 2 Biolek, 3 Prodromakis, 4 Kvatinsky (TEAM)"},
    [M_D] = {"d", "scaled m", 0, PF_NONNEG, "window length for wt=1..3, in units of x (not given: xoff*xscaling)"},
    [M_P] = {"p", "", 1, PF_POSITIVE, "window exponent (wt=1..3)"},
    [M_J] = {"j", "", 1, PF_POSITIVE, "Prodromakis window scale (wt=3)"},
    [M_AON] = {"aon", "m", 0, 0, "Kvatinsky window ON edge (wt=4)"},
    [M_AOFF] = {"aoff", "m", 3e-9, 0, "Kvatinsky window OFF edge (wt=4)"},
    [M_WC] = {"wc", "m", 1.07e-12, PF_POSITIVE, "Kvatinsky window width (wt=4)"},
    [M_IVREL] = {"ivrelation", "", 0, PF_INTEGER | PF_NONNEG, "0 linear R(x), 1 exponential R(x) (instances may override)"},
    [M_XO] = {"xo", "scaled m", 0, 0, "initial state in units of x (not given: xon*xscaling)"},
};

enum { P_XO, P_IVREL, NP };
static const ParamDesc team_inst_params[NP] = {
    [P_XO] = {"xo", "scaled m", 0, 0, "initial state x(0) in units of x (default: the model's xo)"},
    [P_IVREL] = {"ivrelation", "", 0, PF_INTEGER | PF_NONNEG, "0 linear R(x), 1 exponential (default: the model's)"},
};

/* model data in MemInst.mp */
enum {
    D_RON, D_XON, D_SPAN, D_DRDX, D_LAMBDA, D_EXPIV, D_KON, D_KOFF, D_AON_EXP, D_AOFF_EXP, D_ION, D_IOFF,
    D_WT, D_D, D_P, D_J, D_AON, D_AOFF, D_WC
};

static double pick(const Instance *in, int ip, int mp)
{
    return in->given[ip] ? in->p[ip] : in->model->p[mp];
}

static double initial_x(const Instance *in)
{
    const double *mp = in->model->p;
    if (in->given[P_XO]) return in->p[P_XO];
    return in->model->given[M_XO] ? mp[M_XO] : mp[M_XON] * mp[M_XSCALING];
}

static int team_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    double s = mp[M_XSCALING], xon = mp[M_XON] * s, xoff = mp[M_XOFF] * s, xo = initial_x(in);
    if (!(xoff > xon)) return snprintf(err, n, "xoff (%g) must be larger than xon (%g)", mp[M_XOFF], mp[M_XON]), -1;
    if (!(mp[M_ION] < 0 && mp[M_IOFF] > 0))
        return snprintf(err, n, "the thresholds must satisfy ion < 0 < ioff (ion=%g, ioff=%g)", mp[M_ION],
                        mp[M_IOFF]), -1;
    if (!(mp[M_KON] < 0 && mp[M_KOFF] > 0))
        return snprintf(err, n, "the rates must satisfy kon < 0 < koff (kon=%g, koff=%g): ON decreases x",
                        mp[M_KON], mp[M_KOFF]), -1;
    if (mp[M_WT] > 4) return snprintf(err, n, "wt=%g: expected 0..4", mp[M_WT]), -1;
    if (pick(in, P_IVREL, M_IVREL) > 1) return snprintf(err, n, "ivrelation must be 0 or 1"), -1;
    if (xo < xon || xo > xoff)
        return snprintf(err, n, "initial state xo=%g is outside [xon, xoff]*xscaling = [%g, %g]", xo, xon, xoff), -1;
    if (in->model->given[M_D] && mp[M_D] <= 0) return snprintf(err, n, "d must be positive"), -1;
    return 0;
}

static void team_init(MemInst *m, double temp)
{
    (void)temp;
    const double *p = m->in.model->p;
    double s = p[M_XSCALING], xon = p[M_XON] * s, xoff = p[M_XOFF] * s;
    m->x0[0] = initial_x(&m->in);
    m->lo[0] = xon;
    m->hi[0] = xoff;
    double *d = m->mp;
    d[D_RON] = p[M_RON];
    d[D_XON] = xon;
    d[D_SPAN] = xoff - xon;
    d[D_DRDX] = (p[M_ROFF] - p[M_RON]) / (xoff - xon);
    d[D_LAMBDA] = log(p[M_ROFF] / p[M_RON]);
    d[D_EXPIV] = pick(&m->in, P_IVREL, M_IVREL);
    d[D_KON] = p[M_KON] * s;
    d[D_KOFF] = p[M_KOFF] * s;
    d[D_AON_EXP] = p[M_AON_EXP];
    d[D_AOFF_EXP] = p[M_AOFF_EXP];
    d[D_ION] = p[M_ION];
    d[D_IOFF] = p[M_IOFF];
    d[D_WT] = p[M_WT];
    d[D_D] = m->in.model->given[M_D] ? p[M_D] : xoff;
    d[D_P] = p[M_P];
    d[D_J] = p[M_J];
    d[D_AON] = p[M_AON] * s;
    d[D_AOFF] = p[M_AOFF] * s;
    d[D_WC] = p[M_WC] * s;
}

/* |u|^q and d/du */
static double powabs(double u, double q, double *d)
{
    double a = fabs(u);
    if (a == 0) {
        *d = 0;
        return q == 0 ? 1 : 0;
    }
    double pw = pow(a, q);
    *d = q * pw / a * (u < 0 ? -1 : 1);
    return pw;
}

/* exp(-exp(u)) and its derivative in u, without overflow */
static double gompertz(double u, double *d)
{
    if (u > 700) {
        *d = 0;
        return 0;
    }
    double e = exp(u), w = exp(-e);
    *d = -w * e;
    return w;
}

static double team_window(const double *d, double x, double i, double *dw)
{
    double dd, pw;
    switch ((int)d[D_WT]) {
    case 1:
        pw = powabs(2 * x / d[D_D] - 1, 2 * d[D_P], &dd);
        *dw = -dd * 2 / d[D_D];
        return 1 - pw;
    case 2:
        pw = powabs(x / d[D_D] - (i <= 0 ? 1 : 0), 2 * d[D_P], &dd);
        *dw = -dd / d[D_D];
        return 1 - pw;
    case 3: {
        double u = x / d[D_D] - 0.5, b = u * u + 0.75;
        pw = pow(b, d[D_P]);
        *dw = -d[D_J] * d[D_P] * pw / b * 2 * u / d[D_D];
        return d[D_J] * (1 - pw);
    }
    case 4:
        if (i > 0) {
            double w = gompertz((x - d[D_AOFF]) / d[D_WC], &dd);
            *dw = dd / d[D_WC];
            return w;
        } else {
            double w = gompertz(-(x - d[D_AON]) / d[D_WC], &dd);
            *dw = -dd / d[D_WC];
            return w;
        }
    default:
        *dw = 0;
        return 1;
    }
}

static void team_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    double r, drdx;
    if (d[D_EXPIV] != 0) {
        r = d[D_RON] * exp(d[D_LAMBDA] * (x[0] - d[D_XON]) / d[D_SPAN]);
        drdx = r * d[D_LAMBDA] / d[D_SPAN];
    } else {
        r = d[D_RON] + (x[0] - d[D_XON]) * d[D_DRDX];
        drdx = d[D_DRDX];
    }
    double i = v / r;
    e->i = i;
    e->di_dv = 1 / r;
    e->di_dx[0] = -v * drdx / (r * r);
    /* the threshold law K(i) and dK/di */
    double k = 0, dk = 0;
    if (i >= d[D_IOFF]) {
        double db, b = powabs(i / d[D_IOFF] - 1, d[D_AOFF_EXP], &db);
        k = d[D_KOFF] * b;
        dk = d[D_KOFF] * db / d[D_IOFF];
    } else if (i <= d[D_ION]) {
        double db, b = powabs(i / d[D_ION] - 1, d[D_AON_EXP], &db);
        k = d[D_KON] * b;
        dk = d[D_KON] * db / d[D_ION];
    } else {
        return;
    }
    double dw, w = team_window(d, x[0], i, &dw);
    e->rate[0] = k * w;
    e->drate_dv[0] = dk * e->di_dv * w;
    e->drate_dx[0][0] = dk * e->di_dx[0] * w + k * dw;
}

static const MemStateDesc team_states[] = {{"x", 1}};
static const MemFamily team_family = {
    .ns = 1,
    .states = team_states,
    .check = team_check,
    .init = team_init,
    .eval = team_eval,
};

const DeviceType device_mem_team = {
    .name = "memristor",
    .summary = "TEAM memristor (Kvatinsky 2013), current thresholds, Xyce level 2",
    .letter = 'Y',
    .element_word = "ymemristor",
    .model_types = mem_model_types,
    .level = 2,
    .nterm = 2,
    .term_names = mem_terms,
    .model_use = MODEL_REQUIRED,
    .inst_params = team_inst_params,
    .n_inst_params = NP,
    .model_params = team_model_params,
    .n_model_params = NM,
    .dc_paths = mem_dc_paths,
    .n_dc_paths = 1,
    .inst_size = sizeof(MemInst),
    .check = mem_check,
    .setup = mem_setup,
    .reserve = mem_reserve,
    .load = mem_load,
    .init_uic = mem_init_uic,
    .outputs = mem_outputs,
    .n_outputs = MEM_NOUT,
    .output = mem_output,
    .family = &team_family,
};
