/* Volatile threshold switch, smooth and hysteretic (THRESHOLD level=1),
 * after the bidirectional volatile model of A. Ostrovskii et al.,
 * "Bioinspired ... volatile memristor neuron", Neurocomputing 624 (2025)
 * 129454, eqs. (3)-(4), written with datasheet parameters.
 *
 *   YTHRESHOLD <name> n+ n- <model> [xo=<x(0)>]
 *   .model <model> threshold vth= vhold= vthn= vholdn= ron= ronn= roff= tau_on= tau_off= dvs= dvr= a= ds= dr=
 *
 * One state x in [0, 1] (0 insulating, 1 conducting):
 *   dx/dt = sig(bS) aS(x) / tau_on - (1 - sig(bS)) (1 - sig(bR)) aR(x) / tau_off   eq. (3)
 *   sig(z) = 1/(1 + e^-z)
 *   bS     = (v - thp)(v - thn) / (dvs (vth - vthn))          > 0 outside [thn, thp]: SET
 *   bR     = (u - vhold)(u - vholdn) / (dvr (vhold - vholdn)) < 0 inside (vholdn, vhold): RESET
 *   aS(x)  = W(x; ds, 0),  aR(x) = W(x; 0, dr),
 *   W(x; c0, c1) = (1 - e^-(a x + c0)) (1 - x) + (1 - e^-(a (1 - x) + c1)) x   (aS(1) = aR(0) = 0)
 *   i      = v (x gon(v) + 1/roff),  gon = 1/ron for v > 0, 1/ronn for v < 0,
 *            blended by sig(v / 1 mV)                                       eq. (4)
 * snap=0 is the paper: thp = vth, thn = vthn, u = v (its RESET term has no
 * factor 1 - sig(bS); where SET is open, v is above the hold voltages and
 * 1 - sig(bR) is ~0 anyway). snap=1 (default): thp = vth - x (vth - vhold),
 * thn = vthn - x (vthn - vholdn), u = x v: the SET threshold falls as the
 * device turns on and the release reads the holding current, the positive
 * feedback of snap-back (docs/devices/threshold.md, "Gates").
 * Between hold and threshold both gates are closed (e^-|b|) and x keeps its
 * value: the hysteresis. The paper writes the exponents as
 * (v - Vth_p)(v - Vth_n)/V_S^2; here the denominators are dvs (vth - vthn)
 * and dvr (vhold - vholdn), so that dvs and dvr are the widths (V) of the
 * gates at the thresholds (the slope of bS at vth is 1/dvs). The paper's
 * V_S = 9.9 mV, V_R = 17.5 mV are dvs = V_S^2/(vth - vthn) and
 * dvr = V_R^2/(vhold - vholdn) (models/threshold.lib). The paper's constant
 * leakage I_lk sign(v) (discontinuous at v = 0) is the resistance roff
 * here. Every term is C-infinity; x = 0 and x = 1 are fixed points of the
 * rate, so x stays in [0, 1] without clamps. vhold = vth gives a switch
 * without hysteresis. x is memory in static solves: an operating point
 * keeps the given xo (default 0, off). */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"

#define PI 3.14159265358979323846

enum { M_VTH, M_VHOLD, M_VTHN, M_VHOLDN, M_RON, M_RONN, M_ROFF, M_TON, M_TOFF, M_DVS, M_DVR, M_A, M_DS, M_DR, M_SNAP,
       M_XO, NM };
static const ParamDesc ts_model_params[NM + MEM_NC2C] = {
    [M_VTH] = {"vth", "V", 1.0, PF_POSITIVE, "positive threshold voltage (turns on above it)"},
    [M_VHOLD] = {"vhold", "V", 0.5, PF_NONNEG, "positive hold voltage (turns off below it), <= vth"},
    [M_VTHN] = {"vthn", "V", 0, 0, "negative threshold voltage (not given: -vth)"},
    [M_VHOLDN] = {"vholdn", "V", 0, 0, "negative hold voltage (not given: -vhold), vthn <= vholdn"},
    [M_RON] = {"ron", "ohm", 1e3, PF_POSITIVE, "on resistance (x = 1), v > 0"},
    [M_RONN] = {"ronn", "ohm", 0, PF_NONNEG, "on resistance for v < 0 (not given: ron)"},
    [M_ROFF] = {"roff", "ohm", 1e6, PF_POSITIVE, "off resistance (leakage, in parallel)"},
    [M_TON] = {"tau_on", "s", 10e-9, PF_POSITIVE, "switching time scale (SET rate 1/tau_on above threshold)"},
    [M_TOFF] = {"tau_off", "s", 100e-9, PF_POSITIVE, "relaxation time scale (RESET rate 1/tau_off below hold)"},
    [M_DVS] = {"dvs", "V", 0.01, PF_POSITIVE, "width of the SET gate at the thresholds"},
    [M_DVR] = {"dvr", "V", 0.01, PF_POSITIVE, "width of the RESET gate at the hold voltages"},
    [M_A] = {"a", "", 2, PF_POSITIVE, "window steepness (Ostrovskii a)"},
    [M_DS] = {"ds", "", 0.05, PF_POSITIVE, "SET nucleation offset: the SET window at x = 0 is 1 - e^-ds"},
    [M_DR] = {"dr", "", 0.5, PF_POSITIVE, "RESET offset: the RESET window at x = 1 is 1 - e^-dr"},
    [M_SNAP] = {"snap", "", 1, PF_NONNEG | PF_INTEGER,
                 "1: snap-back gates (SET threshold falls from vth to vhold as x rises, RESET reads x v); "
                 "0: the paper's gates on v"},
    [M_XO] = {"xo", "", 0, PF_NONNEG, "initial state when the instance gives none"},
    MEM_C2C_PARAMS(NM),
};

enum { P_XO, NP };
static const ParamDesc ts_inst_params[NP] = {
    [P_XO] = {"xo", "", 0, PF_NONNEG, "initial state x(0) in [0, 1] (default: the model's xo)"},
};

/* model data in MemInst.mp */
enum { D_VTH, D_VTHN, D_VH, D_VHN, D_GP, D_GN, D_GOFF, D_KS, D_KR, D_SS, D_SR, D_A, D_DS, D_DR, D_SNAP };

static double vthn_of(const Model *m)
{
    return m->given[M_VTHN] ? m->p[M_VTHN] : -m->p[M_VTH];
}

static double vholdn_of(const Model *m)
{
    return m->given[M_VHOLDN] ? m->p[M_VHOLDN] : -m->p[M_VHOLD];
}

static int ts_check(const Instance *in, char *err, size_t n)
{
    const Model *md = in->model;
    const double *mp = md->p;
    double xo = in->given[P_XO] ? in->p[P_XO] : mp[M_XO];
    double vthn = vthn_of(md), vholdn = vholdn_of(md);
    if (xo > 1) return snprintf(err, n, "initial state xo=%g is outside [0, 1]", xo), -1;
    if (mp[M_VHOLD] > mp[M_VTH])
        return snprintf(err, n, "vhold=%g must not exceed vth=%g", mp[M_VHOLD], mp[M_VTH]), -1;
    if (!(vthn < 0)) return snprintf(err, n, "the negative threshold vthn=%g must be below 0", vthn), -1;
    if (!(vholdn <= 0)) return snprintf(err, n, "the negative hold voltage vholdn=%g must not be above 0", vholdn), -1;
    if (vthn > vholdn)
        return snprintf(err, n, "vthn=%g must not be above vholdn=%g (|vthn| >= |vholdn|)", vthn, vholdn), -1;
    if (!(mp[M_VHOLD] - vholdn > 0))
        return snprintf(err, n, "vhold and vholdn are both 0: the device would never relax (give vhold > 0)"), -1;
    if (mp[M_SNAP] > 1) return snprintf(err, n, "snap=%g must be 0 (the paper's gates) or 1 (snap-back gates)", mp[M_SNAP]), -1;
    if (mp[M_ROFF] < mp[M_RON])
        return snprintf(err, n, "roff=%g must not be below ron=%g", mp[M_ROFF], mp[M_RON]), -1;
    return 0;
}

static void ts_init(MemInst *m, double temp)
{
    (void)temp;
    const Model *md = m->in.model;
    const double *p = md->p;
    m->x0[0] = m->in.given[P_XO] ? m->in.p[P_XO] : p[M_XO];
    m->st->lo[0] = 0;
    m->st->hi[0] = 1;
    double *d = m->mp;
    d[D_VTH] = p[M_VTH];
    d[D_VTHN] = vthn_of(md);
    d[D_VH] = p[M_VHOLD];
    d[D_VHN] = vholdn_of(md);
    d[D_GP] = 1 / p[M_RON];
    d[D_GN] = md->given[M_RONN] && p[M_RONN] > 0 ? 1 / p[M_RONN] : 1 / p[M_RON];
    d[D_GOFF] = 1 / p[M_ROFF];
    d[D_KS] = 1 / p[M_TON];
    d[D_KR] = 1 / p[M_TOFF];
    d[D_SS] = 1 / (p[M_DVS] * (d[D_VTH] - d[D_VTHN]));
    d[D_SR] = 1 / (p[M_DVR] * (d[D_VH] - d[D_VHN]));
    d[D_A] = p[M_A];
    d[D_DS] = p[M_DS];
    d[D_DR] = p[M_DR];
    d[D_SNAP] = p[M_SNAP];
}

/* b = (v - p)(v - q) s and its derivatives in v, p and q; capped at
 * +-1e6 (the gates are 0 or 1 long before; no finite v overflows), where
 * the derivatives are 0 */
static double gate_arg(double v, double p, double q, double s, double *db_dv, double *db_dp, double *db_dq)
{
    double b = (v - p) * (v - q) * s;
    if (fabs(b) > 1e6 || !isfinite(b)) {
        *db_dv = *db_dp = *db_dq = 0;
        return b > 0 ? 1e6 : -1e6;
    }
    *db_dv = (2 * v - p - q) * s;
    *db_dp = -(v - q) * s;
    *db_dq = -(v - p) * s;
    return b;
}

/* the window W(x; c0, c1) of eq. (3) and dW/dx */
static double window(double x, double a, double c0, double c1, double *dw)
{
    double e0 = exp(-(a * x + c0)), e1 = exp(-(a * (1 - x) + c1));
    *dw = a * e0 * (1 - x) - (1 - e0) - a * e1 * x + (1 - e1);
    return (1 - e0) * (1 - x) + (1 - e1) * x;
}

static void ts_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    double w = x[0];

    /* eq. (4): polarity-dependent on conductance, blended over 1 mV */
    double dpol, pol = mem_sigmoid(v / 1e-3, &dpol);
    double gon = d[D_GN] + (d[D_GP] - d[D_GN]) * pol, dgon = (d[D_GP] - d[D_GN]) * dpol / 1e-3;
    double g = w * gon + d[D_GOFF];
    e->i = g * v;
    e->di_dv = g + v * w * dgon;
    e->di_dx[0] = gon * v;

    /* eq. (3): the SET and RESET gates (thresholds and gate input as
     * above, by snap) and the windows */
    int snap = d[D_SNAP] != 0;
    double dp = snap ? d[D_VTH] - d[D_VH] : 0, dn = snap ? d[D_VTHN] - d[D_VHN] : 0;
    double dbs, dbs_dp, dbs_dq;
    double bs = gate_arg(v, d[D_VTH] - w * dp, d[D_VTHN] - w * dn, d[D_SS], &dbs, &dbs_dp, &dbs_dq);
    double dbs_dx = -dp * dbs_dp - dn * dbs_dq;
    double u = snap ? w * v : v, du_dv = snap ? w : 1, du_dx = snap ? v : 0;
    double dbr, dbr_dp, dbr_dq, br = gate_arg(u, d[D_VH], d[D_VHN], d[D_SR], &dbr, &dbr_dp, &dbr_dq);
    double dgs, gs = mem_sigmoid(bs, &dgs);
    double dgr, gr = mem_sigmoid(br, &dgr);
    double das, as = window(w, d[D_A], d[D_DS], 0, &das);
    double dar, ar = window(w, d[D_A], 0, d[D_DR], &dar);
    /* RESET is off while SET is on (1 - gs) */
    double ks = d[D_KS], kr = d[D_KR];
    e->rate[0] = ks * gs * as - kr * (1 - gs) * (1 - gr) * ar;
    e->drate_dv[0] = ks * dgs * dbs * as + kr * dgs * dbs * (1 - gr) * ar + kr * (1 - gs) * dgr * dbr * du_dv * ar;
    e->drate_dx[0][0] = ks * gs * das + ks * dgs * dbs_dx * as + kr * dgs * dbs_dx * (1 - gr) * ar -
                        kr * (1 - gs) * ((1 - gr) * dar - dgr * dbr * du_dx * ar);
}

static const MemStateDesc ts_states[] = {{.name = "x", .hold_dc = 1}};
static const MemFamily ts_family = {
    .ns = 1,
    .states = ts_states,
    .check = ts_check,
    .init = ts_init,
    .eval = ts_eval,
};

static const char *const ts_model_types[] = {"threshold", NULL};

const DeviceType device_threshold = {
    MEM_FAMILY_FIELDS("threshold", "ythreshold", ts_model_types, mem_terms, 0, mem_dc_paths, 1,
                      "volatile threshold switch, smooth and hysteretic (Ostrovskii 2025 form): vth, vhold, ron, "
                      "roff, switching and relaxation times",
                      ts_inst_params, ts_model_params, &ts_family, mem_load, MEM_NOUT),
};

/* the current v/res limited smoothly to +-imax: i = imax tanh(v/(res imax)),
 * with di/dv and di/dres (levels 2 and 3) */
static double limited_current(double v, double res, double imax, double *di_dv, double *di_dres)
{
    double u = v / (res * imax), th = tanh(u), sech2 = 1 - th * th;
    *di_dv = sech2 / res;
    *di_dres = -imax * sech2 * u / res;
    return imax * th;
}

/* ---------------------------------------------------------------------- */
/* level 2: the UMass threshold-switching selector (J. J. Yang group,
 * UMass Amherst, 2019; public SPICE subcircuit TongWang-USC/Memristor-
 * Model "General model.cir", MIT licence; reference note 5.3). One state,
 * the filament length h in [0, hmax] (m):
 *   dh/dt = g(i) (alpha |v|^n N(h; h1, sigma) - beta (h/hmax) N(h; h2, sigma))
 *   N(h; c, s) = exp(-(h - c)^2/(2 s^2)) / (sqrt(2 pi) s)
 *   R = ron h/hmax + roff (e^((hmax - h)/lambda) - 1)/(e^(hmax/lambda) - 1)
 *   i = cc tanh(v/(R cc))                         the compliance cc
 *   g(i) = 1/(1 + (v/(R cc))^8)                   growth frozen at the compliance
 * Growth is gated where h is near h1 (turn-on), dissolution where it is
 * near h2 (turn-off); between the gates h keeps its value: hysteresis.
 * The subcircuit's differences: its current clamp min(v/R, cc) limits
 * positive currents only and its freeze is a hard if(); here both are
 * smooth and symmetric. Its second state s is clamped to [0.9999, 1.001]
 * s0 and moves R by under 0.05%: left out. Its pow(v, n) is |v|^n here
 * (the same for its n = 2). h is memory in static solves (held at ho). */
enum { U_N, U_H1, U_H2, U_ALPHA, U_BETA, U_SIGMA, U_RON, U_ROFF, U_CC, U_HMAX, U_LAMBDA, U_HO, NU };
static const ParamDesc um_model_params[NU + MEM_NC2C] = {
    [U_N] = {"n", "", 2, PF_POSITIVE, "exponent of the voltage drive |v|^n"},
    [U_H1] = {"h1", "m", 10e-9, PF_NONNEG, "filament length where growth is gated on (turn-on)"},
    [U_H2] = {"h2", "m", 5e-9, PF_NONNEG, "filament length where dissolution is gated on (turn-off)"},
    [U_ALPHA] = {"alpha", "m^2/(s V^n)", 3.589e-12, PF_NONNEG, "growth prefactor"},
    [U_BETA] = {"beta", "m^2/s", 2.659e-12, PF_NONNEG, "dissolution prefactor"},
    [U_SIGMA] = {"sigma", "m", 1.061e-8, PF_POSITIVE, "width of the two Gaussian gates"},
    [U_RON] = {"ron", "ohm", 8.6e3, PF_POSITIVE, "on resistance (h = hmax)"},
    [U_ROFF] = {"roff", "ohm", 1e9, PF_POSITIVE, "off resistance (h = 0)"},
    [U_CC] = {"cc", "A", 100e-6, PF_POSITIVE, "current compliance"},
    [U_HMAX] = {"hmax", "m", 15e-9, PF_POSITIVE, "largest filament length"},
    [U_LAMBDA] = {"lambda", "m", 10e-9, PF_POSITIVE, "tunnelling length of the off resistance"},
    [U_HO] = {"ho", "m", 0, PF_NONNEG, "initial filament length when the instance gives none"},
    MEM_C2C_PARAMS(NU),
};

enum { PU_HO, NPU };
static const ParamDesc um_inst_params[NPU] = {
    [PU_HO] = {"ho", "m", 0, PF_NONNEG, "initial filament length h(0) in [0, hmax] (default: the model's ho)"},
};

enum { E_N, E_H1, E_H2, E_ALPHA, E_BETA, E_SIGMA, E_RON, E_ROFF, E_CC, E_HMAX, E_LAMBDA };

static int um_check(const Instance *in, char *err, size_t n)
{
    const double *p = in->model->p;
    double ho = in->given[PU_HO] ? in->p[PU_HO] : p[U_HO];
    if (ho > p[U_HMAX]) return snprintf(err, n, "initial length ho=%g is outside [0, hmax=%g]", ho, p[U_HMAX]), -1;
    if (p[U_ROFF] < p[U_RON]) return snprintf(err, n, "roff=%g must not be below ron=%g", p[U_ROFF], p[U_RON]), -1;
    return 0;
}

static void um_init(MemInst *m, double temp)
{
    (void)temp;
    const double *p = m->in.model->p;
    for (int k = 0; k <= U_LAMBDA; k++) m->mp[k] = p[k];
    m->x0[0] = m->in.given[PU_HO] ? m->in.p[PU_HO] : p[U_HO];
    m->st->lo[0] = 0;
    m->st->hi[0] = p[U_HMAX];
}

static void um_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    double h = x[0], hm = d[E_HMAX], lam = d[E_LAMBDA];
    /* R = ron h/hmax + roff (e^((hmax-h)/lam) - 1)/(e^(hmax/lam) - 1), written
     * as roff (e^(-h/lam) - e^(-hmax/lam))/(1 - e^(-hmax/lam)) */
    double e1 = exp(-hm / lam), ex = exp(-h / lam);
    double res = d[E_RON] * h / hm + d[E_ROFF] * (ex - e1) / (1 - e1);
    double dres = d[E_RON] / hm - d[E_ROFF] * ex / (lam * (1 - e1));
    double cc = d[E_CC], u = v / (res * cc), du_dv = 1 / (res * cc), du_dh = -u / res * dres, di_dres;
    e->i = limited_current(v, res, cc, &e->di_dv, &di_dres);
    e->di_dx[0] = di_dres * dres;
    /* the drive, the gates and the freeze at the compliance */
    double dpw, pw = mem_powabs(v, d[E_N], &dpw);
    double sg = d[E_SIGMA], nrm = 1 / (sqrt(2 * PI) * sg);
    double z1 = (h - d[E_H1]) / sg, z2 = (h - d[E_H2]) / sg;
    double n1 = nrm * exp(-0.5 * z1 * z1), n2 = nrm * exp(-0.5 * z2 * z2);
    double dn1 = -n1 * z1 / sg, dn2 = -n2 * z2 / sg;
    double grow = d[E_ALPHA] * pw * n1, shrink = d[E_BETA] * h / hm * n2;
    double u7 = u * u * u * u * u * u * u, fz = 1 / (1 + u7 * u), dfz_du = -8 * u7 * fz * fz;
    e->rate[0] = fz * (grow - shrink);
    e->drate_dv[0] = fz * d[E_ALPHA] * dpw * n1 + dfz_du * du_dv * (grow - shrink);
    e->drate_dx[0][0] = fz * (d[E_ALPHA] * pw * dn1 - d[E_BETA] / hm * (n2 + h * dn2)) + dfz_du * du_dh * (grow - shrink);
}

static const MemStateDesc um_states[] = {{.name = "h", .hold_dc = 1}};
static const MemFamily um_family = {
    .ns = 1,
    .states = um_states,
    .check = um_check,
    .init = um_init,
    .eval = um_eval,
};

const DeviceType device_threshold_umass = {
    MEM_FAMILY_FIELDS("threshold", "ythreshold", ts_model_types, mem_terms, 0, mem_dc_paths, 2,
                      "UMass threshold-switching selector (Yang group 2019): filament length with Gaussian "
                      "turn-on/turn-off gates, current compliance",
                      um_inst_params, um_model_params, &um_family, mem_load, MEM_NOUT),
};

/* ---------------------------------------------------------------------- */
/* level 3: V-VTEAM, the behavioural volatile memristor of S. Patni, C.
 * Daniels, S. Kvatinsky, IFETC 2024 (doi 10.1109/IFETC61155.2024.10771870;
 * reference note 5.2, from the public Verilog-A in ngxx-fus/memristor).
 * Its branches become smooth gates, and "the time since the voltage fell
 * below v_h" becomes a state:
 *   dx/dt  = gs k sp(|v|/vth - 1)^alpha - gd x beta (td/tau)^(beta - 1) / tau
 *   dtd/dt = gd - (1 - gd) td / treset
 *   gs = sig((|v| - vth)/dv), gd = sig((vh - |v|)/dv),  sp(u) = dv/vth ln(1 + e^(u vth/dv))
 *   R = ron + (roff - ron)(1 - x),   i = imax tanh(v/(R imax))
 * Above vth x rises at k (|v|/vth - 1)^alpha (the softplus sp smooths the
 * power's corner); between vh and vth x holds (and td is reset, so a
 * later decay starts afresh); below vh, x decays as the paper's stretched
 * exponential x0 exp(-(td/tau)^beta). |v| is sqrt(v^2 + (1 mV)^2) - 1 mV.
 * x in [0, 1] (x = 1 on, ron); td >= 0. Both are memory in static solves
 * (held at xo and 0: a device given xo starts its decay afresh; below vh
 * the clock has no steady state). */
enum { V_RON, V_ROFF, V_K, V_ALPHA, V_VTH, V_VH, V_TAU, V_BETA, V_IMAX, V_DV, V_TRESET, V_XO, NV };
static const ParamDesc vv_model_params[NV + MEM_NC2C] = {
    [V_RON] = {"ron", "ohm", 30e3, PF_POSITIVE, "on resistance (x = 1)"},
    [V_ROFF] = {"roff", "ohm", 15e9, PF_POSITIVE, "off resistance (x = 0)"},
    [V_K] = {"k", "1/s", 650, PF_NONNEG, "SET rate prefactor"},
    [V_ALPHA] = {"alpha", "", 0.099999, PF_POSITIVE, "SET exponent"},
    [V_VTH] = {"vth", "V", 1.744, PF_POSITIVE, "threshold voltage (SET above it)"},
    [V_VH] = {"vh", "V", 1.5726, PF_POSITIVE, "hold voltage (decay below it), < vth"},
    [V_TAU] = {"tau", "s", 1.0444, PF_POSITIVE, "time constant of the stretched-exponential decay"},
    [V_BETA] = {"beta", "", 2.14262, PF_POSITIVE, "stretch exponent of the decay"},
    [V_IMAX] = {"imax", "A", 3.5e-6, PF_POSITIVE, "current limit"},
    [V_DV] = {"dv", "V", 1e-3, PF_POSITIVE, "width of the smooth gates at vth and vh"},
    [V_TRESET] = {"treset", "s", 1e-9, PF_POSITIVE, "reset time of the decay clock above vh"},
    [V_XO] = {"xo", "", 0, PF_NONNEG, "initial state when the instance gives none"},
    MEM_C2C_PARAMS(NV),
};

enum { PV_XO, NPV };
static const ParamDesc vv_inst_params[NPV] = {
    [PV_XO] = {"xo", "", 0, PF_NONNEG, "initial state x(0) in [0, 1] (default: the model's xo)"},
};

static int vv_check(const Instance *in, char *err, size_t n)
{
    const double *p = in->model->p;
    double xo = in->given[PV_XO] ? in->p[PV_XO] : p[V_XO];
    if (xo > 1) return snprintf(err, n, "initial state xo=%g is outside [0, 1]", xo), -1;
    if (!(p[V_VH] < p[V_VTH])) return snprintf(err, n, "vh=%g must be below vth=%g", p[V_VH], p[V_VTH]), -1;
    if (p[V_ROFF] < p[V_RON]) return snprintf(err, n, "roff=%g must not be below ron=%g", p[V_ROFF], p[V_RON]), -1;
    return 0;
}

static void vv_init(MemInst *m, double temp)
{
    (void)temp;
    const double *p = m->in.model->p;
    for (int k = 0; k < V_XO; k++) m->mp[k] = p[k];
    m->x0[0] = m->in.given[PV_XO] ? m->in.p[PV_XO] : p[V_XO];
    m->st->lo[0] = 0;
    m->st->hi[0] = 1;
    m->x0[1] = 0;
    m->st->lo[1] = 0;
    m->st->hi[1] = 1e3 * p[V_TAU];   /* the decay is long over by then (a backstop) */
    m->st->abstol[1] = 1e-9;   /* s */
    m->st->qtol[1] = 1e-6;
}

static void vv_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    double w = x[0], td = x[1];
    double res = d[V_RON] + (d[V_ROFF] - d[V_RON]) * (1 - w), dres = -(d[V_ROFF] - d[V_RON]);
    double di_dres;
    e->i = limited_current(v, res, d[V_IMAX], &e->di_dv, &di_dres);
    e->di_dx[0] = di_dres * dres;
    /* |v| smoothed */
    const double va = 1e-3;
    double q = sqrt(v * v + va * va), av = q - va, dav = v / q;
    double dv = d[V_DV];
    double dgs, gs = mem_sigmoid((av - d[V_VTH]) / dv, &dgs), dgd, gd = mem_sigmoid((d[V_VH] - av) / dv, &dgd);
    dgs *= dav / dv;
    dgd *= -dav / dv;
    /* SET: k sp(|v|/vth - 1)^alpha, sp the softplus of width dv/vth */
    double sw = dv / d[V_VTH], z = (av / d[V_VTH] - 1) / sw;
    /* ln sp and its derivative in (av/vth - 1), without 0/0 far below vth */
    double lnsp, dlnsp;
    if (z > 30) lnsp = log(z * sw), dlnsp = 1 / (z * sw);
    else if (z < -30) lnsp = log(sw) + z, dlnsp = 1 / sw;
    else {
        double sp = sw * log1p(exp(z));
        lnsp = log(sp), dlnsp = 1 / (1 + exp(-z)) / sp;
    }
    double pa = exp(d[V_ALPHA] * lnsp), dpa = d[V_ALPHA] * pa * dlnsp / d[V_VTH] * dav;
    double set = d[V_K] * gs * pa;
    double dset_dv = d[V_K] * (dgs * pa + gs * dpa);
    /* decay: x beta (td/tau)^(beta-1)/tau below vh */
    double b = d[V_BETA], tau = d[V_TAU];
    double dq, qd = mem_powabs(td / tau, b - 1, &dq);
    double dec = w * b * qd / tau;
    e->rate[0] = set - gd * dec;
    e->drate_dv[0] = dset_dv - dgd * dec;
    e->drate_dx[0][0] = -gd * b * qd / tau;
    e->drate_dx[0][1] = -gd * w * b * dq / (tau * tau);
    /* the decay clock */
    double kr = 1 / d[V_TRESET];
    e->rate[1] = gd - (1 - gd) * td * kr;
    e->drate_dv[1] = dgd + dgd * td * kr;
    e->drate_dx[1][1] = -(1 - gd) * kr;
}

static const MemStateDesc vv_states[] = {{.name = "x", .hold_dc = 1}, {.name = "td", .hold_dc = 1}};
static const MemFamily vv_family = {
    .ns = 2,
    .states = vv_states,
    .check = vv_check,
    .init = vv_init,
    .eval = vv_eval,
};

const DeviceType device_threshold_vvteam = {
    MEM_FAMILY_FIELDS("threshold", "ythreshold", ts_model_types, mem_terms, 0, mem_dc_paths, 3,
                      "V-VTEAM volatile memristor (Patni, Daniels, Kvatinsky 2024): threshold SET, hold band, "
                      "stretched-exponential decay",
                      vv_inst_params, vv_model_params, &vv_family, mem_load, MEM_NOUT),
};
