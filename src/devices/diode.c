/* Junction diode: the SPICE level-1 model as ngspice computes it (dioload.c,
 * diotemp.c, DEVpnjlim in devsup.c; Nagel, "SPICE2", UCB/ERL M520, 1975).
 *
 *   D<name> n+ n- model [area] [off] [ic=vd] [m=..] [temp=..|dtemp=..]
 *
 * With rs > 0 an internal node n+' ("v(<name>#internal)", hidden from the
 * default output) sits between the series resistance and the junction.
 * With vd = v(n+') - v(n-):
 *   F[n+] += gs (v(n+) - v(n+')), F[n+'] -= the same      (series resistance)
 *   F[n+'] += Id(vd), F[n-] -= Id(vd)                     (junction, incl. gmin*vd)
 *   Q[n+'] += Qd(vd), Q[n-] -= Qd(vd)                     (depletion + tt*Id)
 * Newton limiting (pnjlim) evaluates Id, Qd and their derivatives at a
 * limited voltage vl and writes the linearisation at the actual iterate:
 *   F = Id(vl) + gd(vl) (vd - vl),  Q = Qd(vl) + Cd(vl) (vd - vl)
 * so a converged solution (no limiting: vl = vd) is exact. */
#include <math.h>
#include <stdlib.h>

#include "devices/stamp.h"
#include "engine/mna.h"

/* constants as ngspice's const.h (results agree with ngspice to round-off) */
#define K_BOLTZ 1.38064852e-23       /* J/K (CODATA 2014) */
#define Q_ELEC 1.6021766208e-19      /* C (CODATA 2014) */
#define K_OVER_Q (K_BOLTZ / Q_ELEC)  /* V/K */
#define T_REF 300.15                 /* K: reference of the VJ/CJO temperature law */
#define C_TO_K 273.15
#define IS_MIN 1e-28                 /* ngspice's epsmin: smallest saturation current */
#define MJ_MAX 0.9                   /* ngspice's DIOgradingCoeffMax */
#define EULER_E 2.718281828459045

/* model parameters; aliases (ngspice's names for the same value) follow
 * their canonical parameter and are resolved through model_value() */
enum {
    M_IS, M_JS, M_N, M_RS, M_CJO, M_CJ0, M_CJ, M_VJ, M_PB, M_M, M_MJ, M_TT, M_FC, M_BV, M_IBV, M_IB,
    M_NBV, M_IKF, M_IK, M_IKR, M_ISR, M_NR, M_EG, M_XTI, M_TNOM, M_TREF, M_AREA, M_TRS, M_TRS1, M_TRS2,
    M_TTT1, M_TTT2, M_TM1, M_TM2, M_TCV, M_TLEV, M_TLEVC, M_CTA, M_CTC, M_TPB, M_TVJ,
    M_KF, M_AF, M_FV_MAX, M_BV_MAX, M_ID_MAX, M_PD_MAX, M_TE_MAX, NM
};
static const ParamDesc dio_model_params[NM] = {
    [M_IS] = {"is", "A", 1e-14, PF_NONNEG, "saturation current (times area)"},
    [M_JS] = {"js", "A", 1e-14, PF_NONNEG, "alias of is"},
    [M_N] = {"n", "", 1, PF_POSITIVE, "emission coefficient"},
    [M_RS] = {"rs", "ohm", 0, PF_NONNEG, "series resistance (divided by area); > 0 adds an internal node"},
    [M_CJO] = {"cjo", "F", 0, PF_NONNEG, "zero-bias junction capacitance (times area)"},
    [M_CJ0] = {"cj0", "F", 0, PF_NONNEG, "alias of cjo"},
    [M_CJ] = {"cj", "F", 0, PF_NONNEG, "alias of cjo"},
    [M_VJ] = {"vj", "V", 1, PF_POSITIVE, "junction potential"},
    [M_PB] = {"pb", "V", 1, PF_POSITIVE, "alias of vj"},
    [M_M] = {"m", "", 0.5, PF_NONNEG, "grading coefficient (at most 0.9)"},
    [M_MJ] = {"mj", "", 0.5, PF_NONNEG, "alias of m"},
    [M_TT] = {"tt", "s", 0, PF_NONNEG, "transit time (diffusion charge tt*Id)"},
    [M_FC] = {"fc", "", 0.5, PF_NONNEG, "forward-bias depletion capacitance coefficient (< 1)"},
    [M_BV] = {"bv", "V", 0, PF_NONNEG, "reverse breakdown voltage (not given: no breakdown)"},
    [M_IBV] = {"ibv", "A", 1e-3, PF_POSITIVE, "current at the breakdown voltage (times m, not area)"},
    [M_IB] = {"ib", "A", 1e-3, PF_POSITIVE, "alias of ibv"},
    [M_NBV] = {"nbv", "", 0, PF_NONNEG, "breakdown emission coefficient (0: n)"},
    [M_IKF] = {"ikf", "A", 0, PF_NONNEG, "forward knee current, high injection (times area; 0: none)"},
    [M_IK] = {"ik", "A", 0, PF_NONNEG, "alias of ikf"},
    [M_IKR] = {"ikr", "A", 0, PF_NONNEG, "reverse knee current (times area; 0: none)"},
    [M_ISR] = {"isr", "A", 0, PF_NONNEG, "recombination saturation current (times area; 0: none)"},
    [M_NR] = {"nr", "", 2, PF_POSITIVE, "recombination emission coefficient"},
    [M_EG] = {"eg", "eV", 1.11, PF_NONNEG, "activation energy (band gap) for IS(T)"},
    [M_XTI] = {"xti", "", 3, 0, "saturation current temperature exponent"},
    [M_TNOM] = {"tnom", "degC", 27, 0, "parameter measurement temperature (not given: .options tnom)"},
    [M_TREF] = {"tref", "degC", 27, 0, "alias of tnom"},
    [M_AREA] = {"area", "", 1, PF_POSITIVE, "default area factor of the instances"},
    [M_TRS] = {"trs", "1/K", 0, 0, "rs first-order temperature coefficient"},
    [M_TRS1] = {"trs1", "1/K", 0, 0, "alias of trs"},
    [M_TRS2] = {"trs2", "1/K^2", 0, 0, "rs second-order temperature coefficient"},
    [M_TTT1] = {"ttt1", "1/K", 0, 0, "tt first-order temperature coefficient"},
    [M_TTT2] = {"ttt2", "1/K^2", 0, 0, "tt second-order temperature coefficient"},
    [M_TM1] = {"tm1", "1/K", 0, 0, "grading coefficient first-order temperature coefficient"},
    [M_TM2] = {"tm2", "1/K^2", 0, 0, "grading coefficient second-order temperature coefficient"},
    [M_TCV] = {"tcv", "V/K or 1/K", 0, 0, "breakdown voltage temperature coefficient (see tlev)"},
    [M_TLEV] = {"tlev", "", 0, PF_INTEGER | PF_NONNEG, "0: bv - tcv*dT, 1: bv*(1 - tcv*dT)"},
    [M_TLEVC] = {"tlevc", "", 0, PF_INTEGER | PF_NONNEG, "0: SPICE vj/cjo temperature law, 1: linear (tpb, cta)"},
    [M_CTA] = {"cta", "1/K", 0, 0, "cjo temperature coefficient (tlevc=1)"},
    [M_CTC] = {"ctc", "1/K", 0, 0, "alias of cta"},
    [M_TPB] = {"tpb", "V/K", 0, 0, "vj temperature coefficient (tlevc=1)"},
    [M_TVJ] = {"tvj", "V/K", 0, 0, "alias of tpb"},
    [M_KF] = {"kf", "", 0, 0, "flicker noise coefficient (no effect: no noise analysis; warning)"},
    [M_AF] = {"af", "", 1, 0, "flicker noise exponent (no effect: no noise analysis; warning)"},
    [M_FV_MAX] = {"fv_max", "V", 1e99, 0, "safe-operating-area limit (not checked; warning)"},
    [M_BV_MAX] = {"bv_max", "V", 1e99, 0, "safe-operating-area limit (not checked; warning)"},
    [M_ID_MAX] = {"id_max", "A", 1e99, 0, "safe-operating-area limit (not checked; warning)"},
    [M_PD_MAX] = {"pd_max", "W", 1e99, 0, "safe-operating-area limit (not checked; warning)"},
    [M_TE_MAX] = {"te_max", "degC", 1e99, 0, "safe-operating-area limit (not checked; warning)"},
};

/* alias -> canonical parameter */
static const struct { int alias, canon; } dio_aliases[] = {
    {M_JS, M_IS},   {M_CJ0, M_CJO}, {M_CJ, M_CJO},  {M_PB, M_VJ},   {M_MJ, M_M},    {M_IB, M_IBV},
    {M_IK, M_IKF},  {M_TREF, M_TNOM}, {M_TRS1, M_TRS}, {M_CTC, M_CTA}, {M_TVJ, M_TPB},
};
#define N_ALIASES ((int)(sizeof dio_aliases / sizeof dio_aliases[0]))

enum { P_AREA, P_M, P_OFF, P_IC, P_TEMP, P_DTEMP, NP };
static const ParamDesc dio_inst_params[NP] = {
    [P_AREA] = {"area", "", 1, PF_POSITIVE, "area factor (not given: the model's area)"},
    [P_M] = {"m", "", 1, PF_POSITIVE, "number of parallel devices"},
    [P_OFF] = {"off", "", 0, PF_FLAG, "start the DC solution with the junction off"},
    [P_IC] = {"ic", "V", 0, 0, "initial junction voltage (used with .tran ... uic)"},
    [P_TEMP] = {"temp", "degC", 27, 0, "device temperature (not given: circuit temperature + dtemp)"},
    [P_DTEMP] = {"dtemp", "K", 0, 0, "offset from the circuit temperature"},
};

typedef struct Diode {
    Instance in;
    Stamp2 j;              /* junction n+' -> n- */
    Stamp2 r;              /* series resistance n+ -> n+' (rs > 0) */
    int ap;                /* row of n+' (the internal node when rs > 0) */
    int has_rs, has_q, has_bv, off;
    double area;           /* area * m */
    double tnom_k;
    double circ_temp;      /* circuit temperature (K) the values below are for */
    /* temperature-adjusted values (ngspice's DIOt...) */
    double vt, vte, vtebrk, vtrec;
    double is, isr, vcrit, bv, ikf, ikr, gspr, tt;
    double cj, vj, mj, fc, f1, f2, f3, depcap;
    /* Newton memory (limiting and the SPICE initialisation modes) */
    double vold;           /* junction voltage of the last load (after limiting) */
    double vhold;          /* 'off' hold: the junction voltage seen at the previous load */
    int hold;              /* 'off': junction held at 0 V until its voltage settles */
    int init_pending;      /* first load after a uic initial point: linearise at vold */
} Diode;

/* per group: options */
typedef struct DioGroup {
    double reltol, vntol;
} DioGroup;

static double model_value(const Model *md, int canon)
{
    if (md->given[canon]) return md->p[canon];
    for (int k = 0; k < N_ALIASES; k++)
        if (dio_aliases[k].canon == canon && md->given[dio_aliases[k].alias]) return md->p[dio_aliases[k].alias];
    return md->p[canon];
}

static int model_given(const Model *md, int canon)
{
    if (md->given[canon]) return 1;
    for (int k = 0; k < N_ALIASES; k++)
        if (dio_aliases[k].canon == canon && md->given[dio_aliases[k].alias]) return 1;
    return 0;
}

/* A model-level message is given once per model, not once per instance
 * (check runs per instance): every such message is about a parameter that
 * was given, and bit 1 of that parameter's given flag records that it was
 * said (the flag stays non-zero, so "given" keeps its meaning). */
static int first_warning(Model *md, int idx)
{
    if (md->given[idx] & 2) return 0;
    md->given[idx] |= 2;
    return 1;
}

static int dio_check(Instance *in, const Circuit *ckt, Diag *d)
{
    (void)ckt;
    Model *md = in->model;
    int rc = 0;
    /* an alias given together with its parameter or another alias of it */
    for (int k = 0; k < N_ALIASES; k++) {
        int al = dio_aliases[k].alias, other = md->given[dio_aliases[k].canon] ? dio_aliases[k].canon : -1;
        for (int j = 0; j < k && other < 0; j++)
            if (dio_aliases[j].canon == dio_aliases[k].canon && md->given[dio_aliases[j].alias])
                other = dio_aliases[j].alias;
        if (!md->given[al] || other < 0) continue;
        if (first_warning(md, al))
            diag_error(d, &md->loc, "model %s: '%s' and '%s' are the same parameter; give one", md->name,
                       dio_model_params[al].name, dio_model_params[other].name);
        rc = -1;
    }
    if (model_value(md, M_FC) >= 1) {   /* fc is given (its default is 0.5) */
        if (first_warning(md, M_FC))
            diag_error(d, &md->loc, "model %s: parameter 'fc' must be below 1, got %g", md->name,
                       model_value(md, M_FC));
        rc = -1;
    }
    for (int idx = M_TLEV; idx <= M_TLEVC; idx++)
        if (model_value(md, idx) > 1) {
            if (first_warning(md, idx))
                diag_error(d, &md->loc, "model %s: %s must be 0 or 1 (ngspice's level-1 diode), got %g", md->name,
                           dio_model_params[idx].name, model_value(md, idx));
            rc = -1;
        }
    static const int ignored[] = {M_KF, M_AF, M_FV_MAX, M_BV_MAX, M_ID_MAX, M_PD_MAX, M_TE_MAX};
    for (size_t k = 0; k < sizeof ignored / sizeof ignored[0]; k++) {
        int idx = ignored[k];
        if (md->given[idx] && first_warning(md, idx))
            diag_warning(d, &md->loc, "model %s: parameter '%s' has no effect in memspice (%s)", md->name,
                         dio_model_params[idx].name,
                         idx <= M_AF ? "noise parameter; there is no noise analysis"
                                     : "safe-operating-area limits are not checked");
    }
    if (model_given(md, M_M) && model_value(md, M_M) > MJ_MAX && first_warning(md, md->given[M_M] ? M_M : M_MJ))
        diag_warning(d, &md->loc, "model %s: grading coefficient m=%g limited to %g (as ngspice)", md->name,
                     model_value(md, M_M), MJ_MAX);
    if (model_value(md, M_FC) * model_value(md, M_VJ) > 1 && model_value(md, M_FC) < 1 &&
        first_warning(md, md->given[M_VJ] ? M_VJ : md->given[M_PB] ? M_PB : M_FC))
        diag_warning(d, &md->loc, "model %s: junction potential vj=%g limited to 1/fc=%g (as ngspice)", md->name,
                     model_value(md, M_VJ), 1 / model_value(md, M_FC));
    if (in->given[P_TEMP] && in->given[P_DTEMP])
        diag_warning(d, &in->loc, "%s: dtemp is ignored when temp is given (as ngspice)", in->name);
    return rc;
}

/* Temperature-dependent values at device temperature T (kelvin): ngspice's
 * DIOtempUpdate for the level-1 parameters, step by step. */
static void dio_temperature(Diode *d, double T, double reltol)
{
    const Model *md = d->in.model;
    double tnom = d->tnom_k, dt = T - tnom;
    double n = model_value(md, M_N), nbv = model_value(md, M_NBV), nr = model_value(md, M_NR);
    double vt = K_OVER_Q * T;
    d->vt = vt;
    d->vte = n * vt;
    d->vtebrk = (nbv > 0 ? nbv : n) * vt;
    d->vtrec = nr * vt;

    double mj = model_value(md, M_M) * (1 + model_value(md, M_TM1) * dt + model_value(md, M_TM2) * dt * dt);
    if (mj > MJ_MAX) mj = MJ_MAX;

    /* junction potential and zero-bias capacitance */
    double vj0 = model_value(md, M_VJ), cj = model_value(md, M_CJO) * d->area, vj;
    if (model_value(md, M_TLEVC) == 0) {
        /* silicon band gap Eg(T) = 1.16 - 7.02e-4 T^2 / (T + 1108) eV */
        double fact2 = T / T_REF, egfet = 1.16 - (7.02e-4 * T * T) / (T + 1108);
        double arg = -egfet / (2 * K_BOLTZ * T) + 1.1150877 / (K_BOLTZ * (T_REF + T_REF));
        double pbfact = -2 * vt * (1.5 * log(fact2) + Q_ELEC * arg);
        double egfet1 = 1.16 - (7.02e-4 * tnom * tnom) / (tnom + 1108);
        double arg1 = -egfet1 / (K_BOLTZ * 2 * tnom) + 1.1150877 / (2 * K_BOLTZ * T_REF);
        double fact1 = tnom / T_REF;
        double pbfact1 = -2 * (K_OVER_Q * tnom) * (1.5 * log(fact1) + Q_ELEC * arg1);
        double pbo = (vj0 - pbfact1) / fact1, gmaold = (vj0 - pbo) / pbo;
        cj /= 1 + mj * (400e-6 * (tnom - T_REF) - gmaold);
        vj = pbfact + fact2 * pbo;
        double gmanew = (vj - pbo) / pbo;
        cj *= 1 + mj * (400e-6 * (T - T_REF) - gmanew);
    } else {
        vj = vj0 - model_value(md, M_TPB) * (T - T_REF);
        cj *= 1 + model_value(md, M_CTA) * (T - T_REF);
    }

    /* saturation currents: IS(T) = IS (T/Tnom)^(xti/n) exp((T/Tnom - 1) eg / (n vt)) */
    double is = fmax(model_value(md, M_IS), IS_MIN), eg = model_value(md, M_EG), xti = model_value(md, M_XTI);
    double ratio = T / tnom;
    d->is = is * d->area * exp((ratio - 1) * eg / d->vte + xti / n * log(ratio));
    d->isr = model_value(md, M_ISR) * d->area * exp((ratio - 1) * eg / d->vtrec + xti / nr * log(ratio));

    double fc = model_value(md, M_FC), xfc = log(1 - fc);
    d->f1 = vj * (1 - exp((1 - mj) * xfc)) / (1 - mj);   /* before vj is limited, as ngspice */
    d->depcap = fc * vj;
    d->vcrit = d->vte * log(d->vte / (sqrt(2.0) * d->is));
    if (d->depcap > 1) {
        vj = 1 / fc;
        d->depcap = fc * vj;
    }
    d->vj = vj;
    d->cj = cj;
    d->mj = mj;
    d->fc = fc;
    d->f2 = exp((1 + mj) * xfc);
    d->f3 = 1 - fc * (1 + mj);

    /* breakdown: the knee voltage where the reverse current reaches ibv,
     * found by ngspice's fixed-point iteration (to reltol*ibv) */
    if (d->has_bv) {
        double bv0 = model_value(md, M_BV), tcv = model_value(md, M_TCV);
        double bv = model_value(md, M_TLEV) == 0 ? bv0 - tcv * dt : bv0 * (1 - tcv * dt);
        double cbv = d->in.p[P_M] * model_value(md, M_IBV), xbv = bv;
        if (cbv >= d->is * bv / vt) {
            double tol = reltol * cbv, nvt = d->vtebrk;
            xbv = bv - nvt * log(1 + cbv / d->is);
            for (int it = 0; it < 25; it++) {
                xbv = bv - nvt * log(cbv / d->is + 1 - xbv / vt);
                double xcbv = d->is * (exp((bv - xbv) / nvt) - 1 + xbv / vt);
                if (fabs(xcbv - cbv) <= tol) break;
            }
        }
        d->bv = xbv;
    }

    d->tt = model_value(md, M_TT) * (1 + model_value(md, M_TTT1) * dt + model_value(md, M_TTT2) * dt * dt);
    double rs = model_value(md, M_RS);
    d->gspr = rs > 0 ? d->area / rs / (1 + model_value(md, M_TRS) * dt + model_value(md, M_TRS2) * dt * dt) : 0;
    d->ikf = model_value(md, M_IKF) * d->area;
    d->ikr = model_value(md, M_IKR) * d->area;
}

static double device_temp(const Diode *d, double circ_temp)
{
    if (d->in.given[P_TEMP]) return d->in.p[P_TEMP] + C_TO_K;
    return circ_temp + d->in.p[P_DTEMP];
}

static int dio_setup(InstGroup *g, SetupCtx *s)
{
    const SimOptions *o = mna_options(s);
    DioGroup *gp = xcalloc(1, sizeof *gp);
    free(g->priv);
    g->priv = gp;
    gp->reltol = o->reltol;
    gp->vntol = o->vntol;
    for (int i = 0; i < g->n; i++) {
        Diode *d = (Diode *)group_inst(g, i);
        const Model *md = d->in.model;
        double area = d->in.given[P_AREA] ? d->in.p[P_AREA] : model_value(md, M_AREA);
        d->area = area * d->in.p[P_M];
        d->tnom_k = (model_given(md, M_TNOM) ? model_value(md, M_TNOM) : o->tnom) + C_TO_K;
        d->has_rs = model_value(md, M_RS) > 0;
        d->has_q = model_value(md, M_CJO) > 0 || model_value(md, M_TT) > 0;
        d->has_bv = model_given(md, M_BV);
        d->off = d->in.given[P_OFF] && d->in.p[P_OFF] != 0;
        d->circ_temp = o->temp + C_TO_K;
        dio_temperature(d, device_temp(d, d->circ_temp), o->reltol);
        d->vold = 0;
        d->hold = 0;
        d->init_pending = 0;
        d->ap = d->has_rs ? mna_add_internal_node(s, &d->in, "internal") : -1;
    }
    return 0;
}

/* Stamp2 between two rows (not circuit nodes); sink is the ground row */
static void rows_reserve(SetupCtx *s, int ra, int rb, int sink, Stamp2 *h, int dyn)
{
    int (*res)(SetupCtx *, int, int) = dyn ? mna_reserve_dyn : mna_reserve;
    h->sign = 1;
    if (ra == sink && rb != sink) {
        int t = ra;
        ra = rb;
        rb = t;
        h->sign = -1;
    }
    h->a = ra;
    h->b = rb;
    h->grounded = rb == sink;
    h->aa = res(s, ra, ra);
    h->ab = res(s, ra, rb);
    h->ba = res(s, rb, ra);
    h->bb = res(s, rb, rb);
}

static void dio_reserve(InstGroup *g, SetupCtx *s)
{
    int sink = mna_node_row(s, 0);
    for (int i = 0; i < g->n; i++) {
        Diode *d = (Diode *)group_inst(g, i);
        int a = mna_node_row(s, d->in.nodes[0]), b = mna_node_row(s, d->in.nodes[1]);
        if (d->has_rs) rows_reserve(s, a, d->ap, sink, &d->r, 0);
        rows_reserve(s, d->has_rs ? d->ap : a, b, sink, &d->j, d->has_q);
    }
}

/* SPICE3/ngspice pn-junction limiting (DEVpnjlim): above vcrit a step of
 * more than 2 vt is compressed logarithmically; a step into reverse bias is
 * bounded (at most to 2 vold - 1, or -vold - 1 coming from forward bias). */
static double pnjlim(double vnew, double vold, double vt, double vcrit, int *limited)
{
    if (vnew > vcrit && fabs(vnew - vold) > vt + vt) {
        if (vold > 0) {
            double arg = (vnew - vold) / vt;
            vnew = arg > 0 ? vold + vt * (2 + log(arg - 2)) : vold - vt * (2 + log(2 - arg));
        } else {
            vnew = vt * log(vnew / vt);
        }
        *limited = 1;
        return vnew;
    }
    *limited = 0;
    if (vnew < 0) {
        double lo = vold > 0 ? -vold - 1 : 2 * vold - 1;
        if (vnew < lo) {
            vnew = lo;
            *limited = 1;
        }
    }
    return vnew;
}

/* limiting as dioload: near and in breakdown, pnjlim on the voltage beyond
 * the breakdown knee with the breakdown emission coefficient */
static double junction_limit(const Diode *d, double v, int *limited)
{
    if (d->has_bv && v < fmin(0, -d->bv + 10 * d->vtebrk)) {
        double x = pnjlim(-(v + d->bv), -(d->vold + d->bv), d->vtebrk, d->vcrit, limited);
        return -(x + d->bv);
    }
    return pnjlim(v, d->vold, d->vte, d->vcrit, limited);
}

/* Junction current and charge at vd with their derivatives (dioload). */
static void junction_eval(const Diode *d, double vd, double gmin, double *id, double *gd, double *qd, double *cd)
{
    double vte = d->vte, csat = d->is, cur, g;
    if (vd >= -3 * vte) {   /* forward, and reverse down to -3 n vt */
        double e = exp(vd / vte);
        cur = csat * (e - 1);
        g = csat * e / vte;
        if (d->isr > 0) {
            /* recombination current with ngspice's generation factor
             * ((1 - vd/vj)^2 + 0.005)^(m/2); exact derivative */
            double er = exp(vd / d->vtrec), u = 1 - vd / d->vj, t1 = u * u + 0.005;
            double gen = pow(t1, d->mj / 2), dgen = -(d->mj / d->vj) * u * pow(t1, d->mj / 2 - 1);
            double irec = d->isr * (er - 1);
            cur += irec * gen;
            g += d->isr * er / d->vtrec * gen + irec * dgen;
        }
    } else if (!d->has_bv || vd >= -d->bv) {   /* reverse: -IS (1 + (3 n vt / (e vd))^3) */
        double a = 3 * vte / (vd * EULER_E);
        a = a * a * a;
        cur = -csat * (1 + a);
        g = csat * 3 * a / vd;
    } else {   /* breakdown */
        double e = exp(-(d->bv + vd) / d->vtebrk);
        cur = -csat * e;
        g = csat * e / d->vtebrk;
    }
    /* high-injection knees: I / (1 + sqrt(I/ik)) */
    if (vd >= -3 * vte) {
        if (d->ikf > 0 && cur > 1e-18) {
            double s = sqrt(cur / d->ikf);
            g = ((1 + s) * g - cur * g / (2 * s * d->ikf)) / (1 + 2 * s + cur / d->ikf);
            cur = cur / (1 + s);
        }
    } else if (d->ikr > 0 && cur < -1e-18) {
        double s = sqrt(cur / -d->ikr);
        g = ((1 + s) * g + cur * g / (2 * s * d->ikr)) / (1 + 2 * s - cur / d->ikr);
        cur = cur / (1 + s);
    }
    cur += gmin * vd;
    g += gmin;
    *id = cur;
    *gd = g;
    if (!d->has_q) return;
    /* depletion charge; above fc*vj its capacitance is continued linearly */
    double q, c, cj = d->cj, vj = d->vj, mj = d->mj;
    if (vd < d->depcap) {
        double arg = 1 - vd / vj, sarg = exp(-mj * log(arg));
        q = vj * cj * (1 - arg * sarg) / (1 - mj);
        c = cj * sarg;
    } else {
        double czof2 = cj / d->f2;
        q = cj * d->f1 + czof2 * (d->f3 * (vd - d->depcap) + mj / (vj + vj) * (vd * vd - d->depcap * d->depcap));
        c = czof2 * (d->f3 + mj * vd / vj);
    }
    /* diffusion charge tt*Id (ngspice: of the total current, gmin included) */
    *qd = q + d->tt * cur;
    *cd = c + d->tt * g;
}

static void dio_load(InstGroup *g, LoadCtx *c)
{
    DioGroup *gp = g->priv;
    /* the first load of an analysis (SPICE's MODEINITJCT), as the engine says */
    int fresh = c->first_solve && c->iter == 0;
    const double *y = c->y;
    for (int i = 0; i < g->n; i++) {
        Diode *d = (Diode *)group_inst(g, i);
        if (c->temp != d->circ_temp) {
            d->circ_temp = c->temp;
            dio_temperature(d, device_temp(d, c->temp), gp->reltol);
        }
        double v = stamp2_v(y, &d->j), vl;
        int lim = 0;
        if (c->uic_init) {
            /* initial charge of a uic transient from ic= (else the .ic node voltages) */
            vl = v = d->in.given[P_IC] ? d->in.p[P_IC] : v;
            d->init_pending = 1;
        } else if (d->init_pending) {
            /* first iterate after it: linearise at that voltage (MODEINITTRAN) */
            vl = d->vold;
            d->init_pending = 0;
            lim = 1;
        } else if (fresh) {
            /* MODEINITJCT: start at vcrit, or at 0 V when 'off' */
            vl = d->off ? 0 : d->vcrit;
            d->hold = d->off;
            d->vhold = v;
            lim = 1;
        } else if (d->hold && fabs(v - d->vhold) > gp->reltol * fmax(fabs(v), fabs(d->vhold)) + gp->vntol) {
            /* MODEINITFIX for 'off': held at 0 V while the rest of the circuit
             * settles around it; it is released when its voltage stops moving */
            d->vhold = v;
            vl = 0;
            lim = 1;
        } else {
            d->hold = 0;
            vl = junction_limit(d, v, &lim);
        }
        double vexp = d->isr > 0 ? fmin(d->vte, d->vtrec) : d->vte;
        if (vl > 700 * vexp || (d->has_bv && -(vl + d->bv) > 700 * d->vtebrk)) {
            load_fault(c, &d->in, "junction voltage %g V out of range (exponential overflow) at t=%g", vl, c->t);
            continue;
        }
        double id, gd, qd = 0, cd = 0;
        junction_eval(d, vl, c->gmin, &id, &gd, &qd, &cd);
        double dv = v - vl;
        stamp2_current(c, &d->j, id + gd * dv);
        stamp2_add(c->G, &d->j, gd);
        if (d->has_q) {
            stamp2_flow(c->Q, &d->j, qd + cd * dv);
            stamp2_add(c->C, &d->j, cd);
        }
        if (d->has_rs) {
            stamp2_current(c, &d->r, d->gspr * stamp2_v(y, &d->r));
            stamp2_add(c->G, &d->r, d->gspr);
        }
        if (lim) c->noncon = 1;
        d->vold = vl;
    }
}

/* .tran ... uic: no current through rs at the start (n+' = n+) */
static void dio_init_uic(InstGroup *g, double *y, const LoadCtx *c)
{
    (void)c;
    for (int i = 0; i < g->n; i++) {
        Diode *d = (Diode *)group_inst(g, i);
        if (!d->has_rs) continue;
        int a = d->r.sign > 0 ? d->r.a : d->r.b;   /* the n+ row (the sink when grounded: reads 0) */
        y[d->ap] = y[a];
    }
}

static const char *const dio_terms[] = {"n+", "n-"};
static const char *const dio_pos[] = {"area", NULL};
static const char *const dio_models[] = {"d", NULL};
static const TermPair dio_dc[] = {{0, 1}};

const DeviceType device_diode = {
    .flags = DEV_NLCHARGE,
    .name = "diode",
    .summary = "junction diode (SPICE level 1, as ngspice)",
    .letter = 'D',
    .model_types = dio_models,
    .level = 1,
    .nterm = 2,
    .term_names = dio_terms,
    .positional = dio_pos,
    .model_use = MODEL_REQUIRED,
    .inst_params = dio_inst_params,
    .n_inst_params = NP,
    .model_params = dio_model_params,
    .n_model_params = NM,
    .dc_paths = dio_dc,
    .n_dc_paths = 1,
    .inst_size = sizeof(Diode),
    .check = dio_check,
    .setup = dio_setup,
    .reserve = dio_reserve,
    .load = dio_load,
    .init_uic = dio_init_uic,
};
