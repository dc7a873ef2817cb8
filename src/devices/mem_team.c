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
 * (resnoise ...) is not implemented.
 *
 * VTEAM (level 5) lives here too: the same state, I-V and windows with
 * voltage thresholds (the second header below). */

/* VTEAM memristor (S. Kvatinsky, M. Ramadan, E. G. Friedman, A. Kolodny,
 * "VTEAM: A General Model for Voltage-Controlled Memristors", IEEE TCAS-II
 * 62(8), 786-790, 2015): the TEAM model (Kvatinsky, Friedman, Kolodny,
 * Weiser, IEEE TCAS-I 60(1), 211-221, 2013) with voltage instead of current
 * thresholds. Parameter names follow Xyce's TEAM (MEMRISTOR level=2) where
 * they overlap, plus von, voff.
 *
 *   YMEMRISTOR <name> n+ n- <model> [xo=<x(0)>] [ivrelation=0|1]
 *   .model <model> memristor level=5 ron roff kon koff alphaon alphaoff
 *          von voff xon xoff xscaling wt d p j aon aoff wc ivrelation xo
 *
 * State x: the physical state variable w (m) times xscaling (1e9: x in nm),
 * held within [xon', xoff'], where ' marks a length (or rate) times xscaling.
 *   R(x) = ron + (x - xon') (roff - ron)/(xoff' - xon')     ivrelation=0, TEAM eq. (15)
 *   R(x) = ron exp(lambda (x - xon')/(xoff' - xon')),
 *          lambda = ln(roff/ron)                            ivrelation=1, TEAM eqs. (16)-(17)
 *   i = v / R(x)
 *   dx/dt = koff' (v/voff - 1)^alphaoff foff(x)    0 < voff < v      VTEAM eq. (1)
 *         = 0                                      von < v < voff
 *         = kon' (v/von - 1)^alphaon fon(x)        v < von < 0 (kon <= 0)
 * windows (wt); foff is used above voff, fon below von (the Biolek and
 * Kvatinsky windows' dependence on the sign of i only matters there):
 *   0 none        foff = fon = 1
 *   1 Joglekar    1 - (2x/d - 1)^(2p)
 *   2 Biolek      foff = 1 - (x/d)^(2p),   fon = 1 - (x/d - 1)^(2p)
 *   3 Prodromakis j (1 - ((x/d - 0.5)^2 + 0.75)^p)
 *   4 Kvatinsky   foff = exp(-exp((x - aoff')/wc')),  fon = exp(-exp(-(x - aon')/wc'))
 * Powers of a possibly negative base are taken of its magnitude. The
 * threshold power (v/vth - 1)^alpha is evaluated as mem_exp(alpha ln(...)),
 * exact up to e^80 and continued linearly beyond, so that no finite voltage
 * overflows; exp(-exp(u)) is 0 with derivative 0 for u > 700. The Jacobian
 * is exact except at the thresholds themselves (the rate's one-sided
 * derivatives differ there for alpha = 1). */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"

/* One parameter layout for both levels: the threshold pair (ion/ioff for
 * TEAM, von/voff for VTEAM) shares its slots; each level has its table. */
enum {
    M_RON, M_ROFF, M_KON, M_KOFF, M_AON_EXP, M_AOFF_EXP, M_XON, M_XOFF, M_THON, M_THOFF, M_XSCALING,
    M_WT, M_D, M_P, M_J, M_AON, M_AOFF, M_WC, M_IVREL, M_XO, NM
};
static const ParamDesc team_model_params[NM + MEM_NC2C] = {
    [M_RON] = {"ron", "ohm", 50, PF_POSITIVE, "resistance at x = xon"},
    [M_ROFF] = {"roff", "ohm", 1e3, PF_POSITIVE, "resistance at x = xoff"},
    [M_KON] = {"kon", "m/s", -8e-13, 0, "rate coefficient of the ON direction (negative)"},
    [M_KOFF] = {"koff", "m/s", 8e-13, 0, "rate coefficient of the OFF direction (positive)"},
    [M_AON_EXP] = {"alphaon", "", 3, PF_POSITIVE, "exponent of the ON rate"},
    [M_AOFF_EXP] = {"alphaoff", "", 3, PF_POSITIVE, "exponent of the OFF rate"},
    [M_XON] = {"xon", "m", 0, 0, "state at which R = ron (lower bound of x)"},
    [M_XOFF] = {"xoff", "m", 3e-9, 0, "state at which R = roff (upper bound of x)"},
    [M_THON] = {"ion", "A", -8.9e-6, 0, "ON current threshold (negative)"},
    [M_THOFF] = {"ioff", "A", 1.15e-4, 0, "OFF current threshold (positive)"},
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
    MEM_C2C_PARAMS(NM),
};

/* Defaults: the parameter set distributed with the authors' VTEAM Verilog-A
 * code (Technion; reproduced as MemTorch's VTEAM defaults): ron 50, roff 1k,
 * kon -10 m/s, koff 5e-4 m/s, alphaon 3, alphaoff 1, von -0.2 V, voff
 * 0.02 V, won 0, woff 3 nm. Kvatinsky window: wc = 107 pm (TEAM 2013's
 * Simmons-barrier fit), aon = won, aoff = woff. */
static const ParamDesc vteam_model_params[NM + MEM_NC2C] = {
    [M_RON] = {"ron", "ohm", 50, PF_POSITIVE, "resistance at x = xon"},
    [M_ROFF] = {"roff", "ohm", 1e3, PF_POSITIVE, "resistance at x = xoff"},
    [M_KON] = {"kon", "m/s", -10, 0, "rate coefficient of the ON direction (<= 0)"},
    [M_KOFF] = {"koff", "m/s", 5e-4, 0, "rate coefficient of the OFF direction (>= 0)"},
    [M_AON_EXP] = {"alphaon", "", 3, PF_POSITIVE, "exponent of the ON rate"},
    [M_AOFF_EXP] = {"alphaoff", "", 1, PF_POSITIVE, "exponent of the OFF rate"},
    [M_THON] = {"von", "V", -0.2, 0, "ON voltage threshold (negative)"},
    [M_THOFF] = {"voff", "V", 0.02, 0, "OFF voltage threshold (positive)"},
    [M_XON] = {"xon", "m", 0, 0, "state at which R = ron (lower bound of x)"},
    [M_XOFF] = {"xoff", "m", 3e-9, 0, "state at which R = roff (upper bound of x)"},
    [M_XSCALING] = {"xscaling", "", 1, PF_POSITIVE, "scale of the state unknown (1e9: x in nm)"},
    [M_WT] = {"wt", "", 0, PF_INTEGER | PF_NONNEG,
              "window: 0 none, 1 Joglekar, 2 Biolek, 3 Prodromakis, 4 Kvatinsky"},
    [M_D] = {"d", "scaled m", 0, PF_NONNEG, "window length for wt=1..3, in units of x (not given: xoff*xscaling)"},
    [M_P] = {"p", "", 1, PF_POSITIVE, "window exponent (wt=1..3)"},
    [M_J] = {"j", "", 1, PF_POSITIVE, "Prodromakis window scale (wt=3)"},
    [M_AON] = {"aon", "m", 0, 0, "Kvatinsky window ON edge (wt=4)"},
    [M_AOFF] = {"aoff", "m", 3e-9, 0, "Kvatinsky window OFF edge (wt=4)"},
    [M_WC] = {"wc", "m", 1.07e-10, PF_POSITIVE, "Kvatinsky window width (wt=4)"},
    [M_IVREL] = {"ivrelation", "", 0, PF_INTEGER | PF_NONNEG,
                 "0 linear R(x), 1 exponential R(x) (instances may override)"},
    [M_XO] = {"xo", "scaled m", 0, 0, "initial state in units of x (not given: xon*xscaling)"},
    MEM_C2C_PARAMS(NM),
};

enum { P_XO, P_IVREL, NP };
static const ParamDesc team_inst_params[NP] = {
    [P_XO] = {"xo", "scaled m", 0, 0, "initial state x(0) in units of x (default: the model's xo)"},
    [P_IVREL] = {"ivrelation", "", 0, PF_INTEGER | PF_NONNEG, "0 linear R(x), 1 exponential (default: the model's)"},
};

static const ParamDesc vteam_inst_params[NP] = {
    [P_XO] = {"xo", "scaled m", 0, 0, "initial state x(0) in units of x (default: the model's xo)"},
    [P_IVREL] = {"ivrelation", "", 0, PF_INTEGER | PF_NONNEG, "0 linear R(x), 1 exponential (default: the model's)"},
};

/* model data in MemInst.mp */
enum {
    D_RON, D_XON, D_SPAN, D_DRDX, D_LAMBDA, D_EXPIV, D_KON, D_KOFF, D_AON_EXP, D_AOFF_EXP, D_THON, D_THOFF
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

/* the checks both levels share (state range, window, I-V, initial state) */
static int common_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    double s = mp[M_XSCALING], xon = mp[M_XON] * s, xoff = mp[M_XOFF] * s, xo = initial_x(in);
    if (!(xoff > xon)) return snprintf(err, n, "xoff (%g) must be larger than xon (%g)", mp[M_XOFF], mp[M_XON]), -1;
    if (mp[M_ROFF] < mp[M_RON])
        return snprintf(err, n, "roff=%g must not be below ron=%g (R goes from ron at xon to roff at xoff)", mp[M_ROFF],
                        mp[M_RON]), -1;
    if (mp[M_WT] > 4) return snprintf(err, n, "wt=%g: expected 0..4", mp[M_WT]), -1;
    if (pick(in, P_IVREL, M_IVREL) > 1) return snprintf(err, n, "ivrelation must be 0 or 1"), -1;
    if (xo < xon || xo > xoff)
        return snprintf(err, n, "initial state xo=%g is outside [xon, xoff]*xscaling = [%g, %g]", xo, xon, xoff), -1;
    if (in->model->given[M_D] && mp[M_D] <= 0) return snprintf(err, n, "d must be positive"), -1;
    return 0;
}

static int team_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    if (!(mp[M_THON] < 0 && mp[M_THOFF] > 0))
        return snprintf(err, n, "the thresholds must satisfy ion < 0 < ioff (ion=%g, ioff=%g)", mp[M_THON],
                        mp[M_THOFF]), -1;
    if (!(mp[M_KON] < 0 && mp[M_KOFF] > 0))
        return snprintf(err, n, "the rates must satisfy kon < 0 < koff (kon=%g, koff=%g): ON decreases x",
                        mp[M_KON], mp[M_KOFF]), -1;
    return common_check(in, err, n);
}

static int vteam_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    if (!(mp[M_THON] < 0 && mp[M_THOFF] > 0))
        return snprintf(err, n, "the thresholds must satisfy von < 0 < voff (von=%g, voff=%g)", mp[M_THON],
                        mp[M_THOFF]), -1;
    if (!(mp[M_KON] <= 0 && mp[M_KOFF] >= 0))
        return snprintf(err, n, "the rates must satisfy kon <= 0 <= koff (kon=%g, koff=%g): ON decreases x",
                        mp[M_KON], mp[M_KOFF]), -1;
    return common_check(in, err, n);
}

static void team_init(MemInst *m, double temp)
{
    (void)temp;
    const double *p = m->in.model->p;
    double s = p[M_XSCALING], xon = p[M_XON] * s, xoff = p[M_XOFF] * s;
    m->x0[0] = initial_x(&m->in);
    m->st->lo[0] = xon;
    m->st->hi[0] = xoff;
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
    d[D_THON] = p[M_THON];
    d[D_THOFF] = p[M_THOFF];
    m->st->win = (MemWindow){(int)p[M_WT], m->in.model->given[M_D] ? p[M_D] : xoff, p[M_P], p[M_J], p[M_AON] * s,
                         p[M_AOFF] * s, p[M_WC] * s};
}

/* R(x) (TEAM eq. (15), or (16)-(17) with ivrelation=1), i = v/R and their
 * derivatives into e */
static void resistance(const MemInst *m, double v, double x, MemEval *e)
{
    const double *d = m->mp;
    double r, drdx;
    if (d[D_EXPIV] != 0) {
        r = d[D_RON] * exp(d[D_LAMBDA] * (x - d[D_XON]) / d[D_SPAN]);
        drdx = r * d[D_LAMBDA] / d[D_SPAN];
    } else {
        r = d[D_RON] + (x - d[D_XON]) * d[D_DRDX];
        drdx = d[D_DRDX];
    }
    e->i = v / r;
    e->di_dv = 1 / r;
    e->di_dx[0] = -e->i * (drdx / r);   /* -v R'/R^2, ordered not to overflow for huge v */
}

static void team_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    resistance(m, v, x[0], e);
    double i = e->i;
    /* the threshold law K(i) and dK/di */
    double k = 0, dk = 0;
    if (i >= d[D_THOFF]) {
        double db, b = mem_powabs(i / d[D_THOFF] - 1, d[D_AOFF_EXP], &db);
        k = d[D_KOFF] * b;
        dk = d[D_KOFF] * db / d[D_THOFF];
    } else if (i <= d[D_THON]) {
        double db, b = mem_powabs(i / d[D_THON] - 1, d[D_AON_EXP], &db);
        k = d[D_KON] * b;
        dk = d[D_KON] * db / d[D_THON];
    } else {
        return;
    }
    double dw, w = mem_window(&m->st->win, x[0], i > 0, &dw);
    e->rate[0] = k * w;
    e->drate_dv[0] = dk * e->di_dv * w;
    e->drate_dx[0][0] = dk * e->di_dx[0] * w + k * dw;
}

/* (v/vth - 1)^alpha for v beyond the threshold vth (same sign, |v| > |vth|)
 * and its derivative in v. With b = (v - vth)/vth > 0 written through
 * ln b = ln|v - vth| - ln|vth| it cannot overflow for finite v, and
 * b >= ~1e-16 (one rounding step past vth), so d/dv stays finite. */
static double threshold_power(double v, double vth, double alpha, double *dp)
{
    double dv = v - vth, de;
    double p = mem_exp(alpha * (log(fabs(dv)) - log(fabs(vth))), &de);
    *dp = de * alpha / dv;
    return p;
}

static void vteam_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    resistance(m, v, x[0], e);
    /* VTEAM eq. (1): the threshold law k(v) and dk/dv */
    double k, dk;
    int off;
    if (v > d[D_THOFF]) {
        double dp, pw = threshold_power(v, d[D_THOFF], d[D_AOFF_EXP], &dp);
        k = d[D_KOFF] * pw;
        dk = d[D_KOFF] * dp;
        off = 1;
    } else if (v < d[D_THON]) {
        double dp, pw = threshold_power(v, d[D_THON], d[D_AON_EXP], &dp);
        k = d[D_KON] * pw;
        dk = d[D_KON] * dp;
        off = 0;
    } else {
        return;
    }
    double dw, w = mem_window(&m->st->win, x[0], off, &dw);
    e->rate[0] = k * w;
    e->drate_dv[0] = dk * w;
    e->drate_dx[0][0] = k * dw;
}

static const MemStateDesc team_states[] = {{.name = "x", .hold_dc = 1}};
static const MemFamily team_family = {
    .ns = 1,
    .states = team_states,
    .check = team_check,
    .init = team_init,
    .eval = team_eval,
};
static const MemFamily vteam_family = {
    .ns = 1,
    .states = team_states,
    .check = vteam_check,
    .init = team_init,
    .eval = vteam_eval,
};

const DeviceType device_mem_team = {
    MEM_DEVICE_FIELDS(2, "TEAM memristor (Kvatinsky 2013), current thresholds, Xyce level 2", team_inst_params,
                      team_model_params, &team_family, mem_load, MEM_NOUT),
};

const DeviceType device_mem_vteam = {
    MEM_DEVICE_FIELDS(5, "VTEAM memristor (Kvatinsky 2015), voltage thresholds, level 5", vteam_inst_params,
                      vteam_model_params, &vteam_family, mem_load, MEM_NOUT),
};
