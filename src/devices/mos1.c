/* MOSFET level 1 (Shichman-Hodges), ngspice's MOS1 model:
 *   M<name> d g s b model [l= w= ad= as= pd= ps= nrd= nrs= m=] [off]
 *           [icvds= icvgs= icvbs=] [temp= | dtemp=]
 *   .model <name> nmos|pmos [level=1] (vto kp gamma phi lambda ...)
 * Equations (src/devices/mos1_eq.c) and this mapping onto the DAE are in
 * docs/devices/mosfet.md. Series resistances RD/RS (or RSH*NRD/NRS) put
 * the channel between internal nodes d' = "m1#drain", s' = "m1#source".
 *
 * Newton limiting as SPICE3 (fetlim on vgs or vgd, limvds on vds, pnjlim on
 * the conducting side's junction) against the device's previous
 * linearisation point, kept in the instance. The device is then linearised
 * at the limited point vl and evaluated at the actual iterate v:
 *     F = I(vl) + dI/dv(vl) (v - vl),  Q = Q(vl) + dQ/dv(vl) (v - vl)
 * (Newton in delta form), and LoadCtx.noncon is set whenever vl != v.
 * An instance whose voltages are within 1 nV of its linearisation point
 * keeps it (KEEP_TOL). */
#include <math.h>
#include <string.h>

#include "devices/mos1_eq.h"
#include "engine/mna.h"

/* physical constants as ngspice-39 (src/include/ngspice/const.h, CODATA 2014) */
#define Q_E 1.6021766208e-19
#define K_B 1.38064852e-23
#define K_OVER_Q (K_B / Q_E)
#define T_REF 300.15             /* K: 27 C, reference of the band-gap model */
#define EPS0 8.854214871e-12     /* the value in ngspice's mos1temp.c */
#define N_I 1.45e16              /* intrinsic carrier density, m^-3 */

enum {
    MP_VTO, MP_VT0, MP_KP, MP_GAMMA, MP_PHI, MP_LAMBDA, MP_RD, MP_RS, MP_CBD, MP_CBS, MP_IS, MP_PB,
    MP_CGSO, MP_CGDO, MP_CGBO, MP_RSH, MP_CJ, MP_MJ, MP_CJSW, MP_MJSW, MP_JS, MP_TOX, MP_LD, MP_U0,
    MP_UO, MP_FC, MP_NSUB, MP_TPG, MP_NSS, MP_TNOM, MP_KF, MP_AF, MP_L, MP_W, NMP
};
static const ParamDesc model_params[NMP] = {
    [MP_VTO] = {"vto", "V", 0, 0, "zero-bias threshold voltage (negative for a PMOS in enhancement)"},
    [MP_VT0] = {"vt0", "V", 0, 0, "same as vto"},
    [MP_KP] = {"kp", "A/V^2", 2e-5, PF_NONNEG, "transconductance parameter (default u0*Cox when tox is given)"},
    [MP_GAMMA] = {"gamma", "V^0.5", 0, PF_NONNEG, "bulk threshold parameter (from nsub when tox and nsub are given)"},
    [MP_PHI] = {"phi", "V", 0.6, PF_POSITIVE, "surface potential (from nsub when tox and nsub are given)"},
    [MP_LAMBDA] = {"lambda", "1/V", 0, 0, "channel-length modulation"},
    [MP_RD] = {"rd", "ohm", 0, PF_NONNEG, "drain ohmic resistance"},
    [MP_RS] = {"rs", "ohm", 0, PF_NONNEG, "source ohmic resistance"},
    [MP_CBD] = {"cbd", "F", 0, PF_NONNEG, "zero-bias bulk-drain junction capacitance (else cj*ad)"},
    [MP_CBS] = {"cbs", "F", 0, PF_NONNEG, "zero-bias bulk-source junction capacitance (else cj*as)"},
    [MP_IS] = {"is", "A", 1e-14, PF_NONNEG, "bulk junction saturation current (used unless js, ad and as are all non-zero)"},
    [MP_PB] = {"pb", "V", 0.8, PF_POSITIVE, "bulk junction potential"},
    [MP_CGSO] = {"cgso", "F/m", 0, PF_NONNEG, "gate-source overlap capacitance per channel width"},
    [MP_CGDO] = {"cgdo", "F/m", 0, PF_NONNEG, "gate-drain overlap capacitance per channel width"},
    [MP_CGBO] = {"cgbo", "F/m", 0, PF_NONNEG, "gate-bulk overlap capacitance per channel length"},
    [MP_RSH] = {"rsh", "ohm/sq", 0, PF_NONNEG, "drain/source sheet resistance (with nrd, nrs; rd, rs take precedence)"},
    [MP_CJ] = {"cj", "F/m^2", 0, PF_NONNEG, "zero-bias bottom junction capacitance per junction area"},
    [MP_MJ] = {"mj", "", 0.5, PF_NONNEG, "bottom junction grading coefficient"},
    [MP_CJSW] = {"cjsw", "F/m", 0, PF_NONNEG, "zero-bias sidewall junction capacitance per junction perimeter"},
    [MP_MJSW] = {"mjsw", "", 0.5, PF_NONNEG, "sidewall junction grading coefficient"},
    [MP_JS] = {"js", "A/m^2", 0, PF_NONNEG, "bulk junction saturation current per junction area"},
    [MP_TOX] = {"tox", "m", 0, PF_NONNEG, "oxide thickness; 0 or not given: no Cox (no intrinsic gate charge)"},
    [MP_LD] = {"ld", "m", 0, 0, "lateral diffusion (Leff = l - 2 ld)"},
    [MP_U0] = {"u0", "cm^2/Vs", 600, PF_NONNEG, "surface mobility (gives kp with tox)"},
    [MP_UO] = {"uo", "cm^2/Vs", 600, PF_NONNEG, "same as u0"},
    [MP_FC] = {"fc", "", 0.5, PF_NONNEG, "forward-bias depletion capacitance coefficient (< 1)"},
    [MP_NSUB] = {"nsub", "1/cm^3", 0, PF_NONNEG, "substrate doping (with tox: phi, gamma, vto)"},
    [MP_TPG] = {"tpg", "", 1, PF_INTEGER, "gate type with nsub: 1 opposite to substrate, -1 same, 0 aluminium"},
    [MP_NSS] = {"nss", "1/cm^2", 0, 0, "surface state density (with nsub)"},
    [MP_TNOM] = {"tnom", "C", 27, 0, "parameter measurement temperature (default: .options tnom)"},
    [MP_KF] = {"kf", "", 0, 0, "flicker noise coefficient (no effect: no noise analysis)"},
    [MP_AF] = {"af", "", 1, 0, "flicker noise exponent (no effect: no noise analysis)"},
    [MP_L] = {"l", "m", 100e-6, PF_POSITIVE, "default channel length of instances that give none (Xyce, HSPICE)"},
    [MP_W] = {"w", "m", 100e-6, PF_POSITIVE, "default channel width of instances that give none (Xyce, HSPICE)"},
};

enum {
    IP_L, IP_W, IP_AD, IP_AS, IP_PD, IP_PS, IP_NRD, IP_NRS, IP_M, IP_OFF, IP_ICVDS, IP_ICVGS, IP_ICVBS,
    IP_TEMP, IP_DTEMP, NIP
};
static const ParamDesc inst_params[NIP] = {
    [IP_L] = {"l", "m", 100e-6, PF_POSITIVE, "channel length"},
    [IP_W] = {"w", "m", 100e-6, PF_POSITIVE, "channel width"},
    [IP_AD] = {"ad", "m^2", 0, PF_NONNEG, "drain junction area"},
    [IP_AS] = {"as", "m^2", 0, PF_NONNEG, "source junction area"},
    [IP_PD] = {"pd", "m", 0, PF_NONNEG, "drain junction perimeter"},
    [IP_PS] = {"ps", "m", 0, PF_NONNEG, "source junction perimeter"},
    [IP_NRD] = {"nrd", "", 1, PF_NONNEG, "drain squares (times rsh)"},
    [IP_NRS] = {"nrs", "", 1, PF_NONNEG, "source squares (times rsh)"},
    [IP_M] = {"m", "", 1, PF_POSITIVE, "number of parallel devices"},
    [IP_OFF] = {"off", "", 0, PF_FLAG, "start the first DC solve with the device off"},
    [IP_ICVDS] = {"icvds", "V", 0, 0, "initial drain-source voltage (first Newton guess; .tran uic charges)"},
    [IP_ICVGS] = {"icvgs", "V", 0, 0, "initial gate-source voltage"},
    [IP_ICVBS] = {"icvbs", "V", 0, 0, "initial bulk-source voltage"},
    [IP_TEMP] = {"temp", "C", 27, 0, "instance temperature (default: circuit temperature + dtemp)"},
    [IP_DTEMP] = {"dtemp", "K", 0, 0, "instance temperature offset from the circuit temperature"},
};

/* where the device was linearised: Newton limiting works against it */
typedef struct Mos1Mem {
    double vgs, vds, vbs, von;
} Mos1Mem;

typedef struct Mos1 {
    Instance in;
    Mos1Par p;
    double type;                 /* +1 nmos, -1 pmos */
    double gdr, gsr;             /* series conductances (0: none) */
    double vcrit_d, vcrit_s;     /* pnjlim critical voltages */
    double vto_t;                /* tVto: first Newton guess vgs = type*vto_t */
    int has_q;                   /* any charge at all (else no dynamic entries) */
    /* rows of d', g, s', b (MOS1_D ...) and of the external d and s */
    int r[4], rdx, rsx;
    int rdi, rsi;                /* internal d', s' unknowns (-1: none) */
    /* matrix entries of the 4x4 block d',g,s',b outside the ground row and
     * column: handle, and which entries row*4+col of the local block add
     * into it (several when terminals share a node, as s = b: one write) */
    int nh;
    int h[16];
    unsigned short hm[16];       /* bit row*4+col set for each pair adding into h[k] */
    int nr;                      /* non-ground terminals (rows of F, Q) */
    unsigned char rt[4];
    int hrd[4], hrs[4];          /* series R: (x,x) (x,x') (x',x) (x',x') */
    /* limiting memory */
    int started;                 /* first load done */
    int holding;                 /* 'off': held at zero bias (until the first solve settles) */
    double hold_v[3];            /* terminal voltages at the previous load while held */
    Mos1Mem mem, acc;            /* last linearisation point; the one at the last accepted solution */
    int acc_valid;               /* acc belongs to this analysis */
    /* the linearisation in use: point l, currents and charges there and
     * their derivatives w.r.t. the node voltages (row*4+col) */
    int have_lin;
    double lin_gmin;             /* the gmin it was made with */
    double l[3], I[4], Q[4], jg[16], jc[16];
} Mos1;

static int is_pmos(const Model *m)
{
    const char *t = m->type_word;
    return (t[0] == 'p' || t[0] == 'P') && (t[1] == 'm' || t[1] == 'M');
}

/* ---- checks ---- */

/* model checks run once, for the first instance using the model */
static int first_of_model(const Instance *in, const Circuit *ckt)
{
    for (int g = 0; g < ckt->ngroups; g++) {
        if (ckt->groups[g].type != in->type) continue;
        for (int i = 0; i < ckt->groups[g].n; i++) {
            const Instance *o = group_inst(&ckt->groups[g], i);
            if (o->model == in->model) return o == in;
        }
    }
    return 1;
}

static int check_model(const Model *m, Diag *d)
{
    const double *p = m->p;
    const unsigned char *gv = m->given;
    int rc = 0;
    if (gv[MP_VTO] && gv[MP_VT0]) {
        diag_error(d, &m->loc, "model %s: vto and vt0 are the same parameter; give one", m->name);
        rc = -1;
    }
    if (gv[MP_U0] && gv[MP_UO]) {
        diag_error(d, &m->loc, "model %s: u0 and uo are the same parameter; give one", m->name);
        rc = -1;
    }
    if (p[MP_FC] >= 1) {
        diag_error(d, &m->loc, "model %s: fc must be below 1, got %g", m->name, p[MP_FC]);
        rc = -1;
    }
    if (p[MP_MJ] >= 1 || p[MP_MJSW] >= 1) {
        diag_error(d, &m->loc, "model %s: grading coefficients mj, mjsw must be below 1, got %g, %g", m->name,
                   p[MP_MJ], p[MP_MJSW]);
        rc = -1;
    }
    int tox = gv[MP_TOX] && p[MP_TOX] > 0;
    if (tox && gv[MP_NSUB] && p[MP_NSUB] * 1e6 <= N_I) {
        diag_error(d, &m->loc, "model %s: nsub = %g cm^-3 is not above the intrinsic density 1.45e10 cm^-3",
                   m->name, p[MP_NSUB]);
        rc = -1;
    }
    static const int need_tox[] = {MP_NSUB, MP_NSS, MP_TPG, MP_U0, MP_UO};
    for (size_t k = 0; k < sizeof need_tox / sizeof need_tox[0]; k++)
        if (gv[need_tox[k]] && !tox)
            diag_warning(d, &m->loc, "model %s: %s has no effect without tox (as in ngspice)", m->name,
                         model_params[need_tox[k]].name);
    if ((gv[MP_NSS] || gv[MP_TPG]) && tox && !gv[MP_NSUB])
        diag_warning(d, &m->loc, "model %s: nss and tpg have no effect without nsub", m->name);
    if ((gv[MP_U0] || gv[MP_UO]) && tox && gv[MP_KP])
        diag_warning(d, &m->loc, "model %s: u0 has no effect when kp is given", m->name);
    if (gv[MP_KF] || gv[MP_AF])
        diag_warning(d, &m->loc, "model %s: kf and af (flicker noise) have no effect: memspice has no noise analysis",
                     m->name);
    return rc;
}

static int mos1_check(Instance *in, const Circuit *ckt, Diag *d)
{
    int rc = 0;
    if (first_of_model(in, ckt) && check_model(in->model, d)) rc = -1;
    /* the model card's l= and w= stand for an instance's missing ones */
    if (!in->given[IP_L] && in->model->given[MP_L]) in->p[IP_L] = in->model->p[MP_L];
    if (!in->given[IP_W] && in->model->given[MP_W]) in->p[IP_W] = in->model->p[MP_W];
    double leff = in->p[IP_L] - 2 * in->model->p[MP_LD];
    if (leff <= 0) {
        diag_error(d, &in->loc, "%s: effective channel length l - 2*ld = %g m is not positive", in->name, leff);
        rc = -1;
    }
    if (in->given[IP_TEMP] && in->given[IP_DTEMP]) {
        diag_error(d, &in->loc, "%s: give temp or dtemp, not both", in->name);
        rc = -1;
    }
    return rc;
}

/* ---- setup: temperature-adjusted values (ngspice mos1temp.c) ---- */

static double band_gap(double t)
{
    return 1.16 - (7.02e-4 * t * t) / (t + 1108);
}

/* -2 vt (1.5 ln(T/Tref) + q*(Eg(Tref)/(2kTref) - Eg(T)/(2kT))) */
static double pb_factor(double t)
{
    double vt = t * K_OVER_Q, kt = K_B * t;
    double arg = -band_gap(t) / (kt + kt) + 1.1150877 / (K_B * (T_REF + T_REF));
    return -2 * vt * (1.5 * log(t / T_REF) + Q_E * arg);
}

/* process parameters of the model (ngspice: tox gives Cox, kp from u0;
 * with nsub also phi, gamma, vto unless given) */
typedef struct ModelVals {
    double tnom, cox, kp, phi, gamma, vto;
} ModelVals;

static ModelVals model_values(const Model *m, double type, const SimOptions *o)
{
    const double *p = m->p;
    const unsigned char *gv = m->given;
    ModelVals v;
    v.tnom = (gv[MP_TNOM] ? p[MP_TNOM] : o->tnom) + 273.15;
    v.kp = p[MP_KP];
    v.phi = p[MP_PHI];
    v.gamma = p[MP_GAMMA];
    v.vto = gv[MP_VT0] ? p[MP_VT0] : p[MP_VTO];
    v.cox = 0;
    if (!gv[MP_TOX] || p[MP_TOX] <= 0) return v;
    v.cox = 3.9 * EPS0 / p[MP_TOX];
    if (!gv[MP_KP]) v.kp = (gv[MP_UO] ? p[MP_UO] : p[MP_U0]) * v.cox * 1e-4;
    if (!gv[MP_NSUB] || p[MP_NSUB] * 1e6 <= N_I) return v;
    double vtnom = v.tnom * K_OVER_Q, eg = band_gap(v.tnom), nsub = p[MP_NSUB] * 1e6;
    if (!gv[MP_PHI]) v.phi = fmax(0.1, 2 * vtnom * log(nsub / N_I));
    double fermis = type * 0.5 * v.phi, wkfng = 3.2;
    if (p[MP_TPG] != 0) wkfng = 3.25 + 0.5 * eg - type * p[MP_TPG] * 0.5 * eg;
    double wkfngs = wkfng - (3.25 + 0.5 * eg + fermis);
    if (!gv[MP_GAMMA]) v.gamma = sqrt(2 * 11.70 * EPS0 * Q_E * nsub) / v.cox;
    if (!gv[MP_VTO] && !gv[MP_VT0]) {
        double vfb = wkfngs - p[MP_NSS] * 1e4 * Q_E / v.cox;
        v.vto = vfb + type * (v.gamma * sqrt(v.phi) + v.phi);
    }
    return v;
}

static void jct_finish(Mos1Jct *j, double pb, double mj, double mjsw, double fc)
{
    j->pb = pb;
    j->mj = mj;
    j->mjsw = mjsw;
    j->fcpb = fc * pb;
    mos1_jct_coeffs(j, fc);
}

static void mos1_prepare(Mos1 *x, const SimOptions *o)
{
    const Model *md = x->in.model;
    const double *mp = md->p, *ip = x->in.p;
    const unsigned char *mg = md->given, *ig = x->in.given;
    double type = x->type = is_pmos(md) ? -1 : 1;
    ModelVals mv = model_values(md, type, o);
    double t = ig[IP_TEMP] ? ip[IP_TEMP] + 273.15 : o->temp + 273.15 + ip[IP_DTEMP];
    double tnom = mv.tnom, vt = t * K_OVER_Q, vtnom = tnom * K_OVER_Q;
    double fact1 = tnom / T_REF, fact2 = t / T_REF, ratio = t / tnom;
    double eg = band_gap(t), eg1 = band_gap(tnom), pbf = pb_factor(t), pbf1 = pb_factor(tnom);
    double m = ip[IP_M], w = ip[IP_W], leff = ip[IP_L] - 2 * mp[MP_LD];
    Mos1Par *p = &x->p;
    memset(p, 0, sizeof *p);
    /* threshold, surface potential, transconductance at t */
    double tphi = fact2 * (mv.phi - pbf1) / fact1 + pbf;
    double tvbi = mv.vto - type * mv.gamma * sqrt(mv.phi) + 0.5 * (eg1 - eg) + type * 0.5 * (tphi - mv.phi);
    x->vto_t = tvbi + type * mv.gamma * sqrt(tphi);
    p->beta = mv.kp / (ratio * sqrt(ratio)) * m * w / leff;
    p->vbi = type * tvbi;
    p->gamma = mv.gamma;
    p->phi = tphi;
    p->lambda = mp[MP_LAMBDA];
    p->vt = vt;
    /* junction saturation currents: js per area when areas are given */
    double isf = exp(-eg / vt + eg1 / vtnom);
    double tis = mp[MP_IS] * isf, tjs = mp[MP_JS] * isf;
    double ad = ip[IP_AD], as = ip[IP_AS];
    if (tjs == 0 || ad == 0 || as == 0) {
        p->isd = p->iss = m * tis;
        x->vcrit_d = x->vcrit_s = vt * log(vt / (sqrt(2.0) * m * tis));
    } else {
        p->isd = tjs * m * ad;
        p->iss = tjs * m * as;
        x->vcrit_d = vt * log(vt / (sqrt(2.0) * p->isd));
        x->vcrit_s = vt * log(vt / (sqrt(2.0) * p->iss));
    }
    /* junction capacitances at t */
    double pb = mp[MP_PB], mj = mp[MP_MJ], mjsw = mp[MP_MJSW], fc = mp[MP_FC];
    double pbo = (pb - pbf1) / fact1, gmaold = (pb - pbo) / pbo;
    double tpb = fact2 * pbo + pbf, gmanew = (tpb - pbo) / pbo;
    double kb = (1 + mj * (4e-4 * (t - T_REF) - gmanew)) / (1 + mj * (4e-4 * (tnom - T_REF) - gmaold));
    double ksw = (1 + mjsw * (4e-4 * (t - T_REF) - gmanew)) / (1 + mjsw * (4e-4 * (tnom - T_REF) - gmaold));
    Mos1Jct *jd = &p->jd, *js = &p->js;
    jd->cz = mg[MP_CBD] ? mp[MP_CBD] * kb * m : mg[MP_CJ] ? mp[MP_CJ] * kb * m * ad : 0;
    js->cz = mg[MP_CBS] ? mp[MP_CBS] * kb * m : mg[MP_CJ] ? mp[MP_CJ] * kb * m * as : 0;
    jd->czsw = mg[MP_CJSW] ? mp[MP_CJSW] * ksw * ip[IP_PD] * m : 0;
    js->czsw = mg[MP_CJSW] ? mp[MP_CJSW] * ksw * ip[IP_PS] * m : 0;
    jct_finish(jd, tpb, mj, mjsw, fc);
    jct_finish(js, tpb, mj, mjsw, fc);
    /* gate capacitances */
    p->cgso = mp[MP_CGSO] * m * w;
    p->cgdo = mp[MP_CGDO] * m * w;
    p->cgbo = mp[MP_CGBO] * m * leff;
    p->cox = mv.cox * leff * m * w;
    x->has_q = p->cgso > 0 || p->cgdo > 0 || p->cgbo > 0 || p->cox > 0 || jd->cz > 0 || jd->czsw > 0 ||
               js->cz > 0 || js->czsw > 0;
    /* series resistances: rd/rs, else rsh times squares */
    double rd = mg[MP_RD] ? mp[MP_RD] : mg[MP_RSH] ? mp[MP_RSH] * ip[IP_NRD] : 0;
    double rs = mg[MP_RS] ? mp[MP_RS] : mg[MP_RSH] ? mp[MP_RSH] * ip[IP_NRS] : 0;
    x->gdr = rd > 0 ? m / rd : 0;
    x->gsr = rs > 0 ? m / rs : 0;
}

static int mos1_setup(InstGroup *g, SetupCtx *s)
{
    const SimOptions *o = mna_options(s);
    for (int i = 0; i < g->n; i++) {
        Mos1 *x = (Mos1 *)group_inst(g, i);
        mos1_prepare(x, o);
        x->rdi = x->gdr > 0 ? mna_add_internal_node(s, &x->in, "drain") : -1;
        x->rsi = x->gsr > 0 ? mna_add_internal_node(s, &x->in, "source") : -1;
        x->started = 0;
        x->holding = x->in.p[IP_OFF] != 0;
        memset(&x->mem, 0, sizeof x->mem);
        x->acc = x->mem;
        x->acc_valid = 0;
        x->have_lin = 0;
    }
    return 0;
}

/* ---- matrix pattern ---- */

static void series_reserve(SetupCtx *s, int ext, int in, int h[4])
{
    h[0] = mna_reserve(s, ext, ext);
    h[1] = mna_reserve(s, ext, in);
    h[2] = mna_reserve(s, in, ext);
    h[3] = mna_reserve(s, in, in);
}

/* does the pair (a, b) address the same matrix entry as the pairs in mask? */
static int same_entry(const Mos1 *x, unsigned mask, int a, int b)
{
    int j = __builtin_ctz(mask);
    return x->r[j / 4] == x->r[a] && x->r[j % 4] == x->r[b];
}

static void mos1_reserve(InstGroup *g, SetupCtx *s)
{
    int sink = mna_node_row(s, 0);
    for (int i = 0; i < g->n; i++) {
        Mos1 *x = (Mos1 *)group_inst(g, i);
        const int *nd = x->in.nodes;
        x->rdx = mna_node_row(s, nd[0]);
        x->rsx = mna_node_row(s, nd[2]);
        int rd = x->rdi >= 0 ? x->rdi : x->rdx, rs = x->rsi >= 0 ? x->rsi : x->rsx;
        x->r[MOS1_D] = rd;
        x->r[MOS1_S] = rs;
        x->r[MOS1_G] = mna_node_row(s, nd[1]);
        x->r[MOS1_B] = mna_node_row(s, nd[3]);
        x->nh = x->nr = 0;
        for (int a = 0; a < 4; a++) {
            if (a == MOS1_G && !x->has_q) continue;   /* no gate current: the gate row only holds charge */
            if (x->r[a] != sink) x->rt[x->nr++] = (unsigned char)a;
            for (int b = 0; b < 4; b++) {
                int h = x->has_q ? mna_reserve_dyn(s, x->r[a], x->r[b]) : mna_reserve(s, x->r[a], x->r[b]);
                if (x->r[a] == sink || x->r[b] == sink) continue;
                /* the same matrix entry as an earlier pair (terminals on one node)? */
                int k = 0;
                while (k < x->nh && !same_entry(x, x->hm[k], a, b)) k++;
                if (k == x->nh) x->h[x->nh++] = h, x->hm[k] = 0;
                x->hm[k] |= (unsigned short)(1u << (a * 4 + b));
            }
        }
        if (x->gdr > 0) series_reserve(s, x->rdx, rd, x->hrd);
        if (x->gsr > 0) series_reserve(s, x->rsx, rs, x->hrs);
    }
}

/* ---- load ---- */

/* the linearisation point for this iterate: SPICE3 limiting against the
 * previous one (ngspice mos1load.c), or the first-iteration guess.
 * v = (vgs, vds, vbs) normalized; returns 1 if l differs from v. */
static int choose_point(Mos1 *x, const LoadCtx *c, const double v[3], double l[3])
{
    const double *ip = x->in.p;
    l[0] = v[0], l[1] = v[1], l[2] = v[2];
    if (c->uic_init) {
        /* .tran uic: charges at the device's initial voltages when given */
        x->started = 1;
        x->holding = 0;
        if (x->in.given[IP_ICVDS] || x->in.given[IP_ICVGS] || x->in.given[IP_ICVBS]) {
            l[0] = x->type * ip[IP_ICVGS], l[1] = x->type * ip[IP_ICVDS], l[2] = x->type * ip[IP_ICVBS];
        }
        return 0;
    }
    if (c->first_solve && c->iter == 0) {
        /* an analysis starts (the engine says so): SPICE's MODEINITJCT
         * again, and 'off' held again (MODEINITFIX) */
        x->started = 0;
        x->holding = ip[IP_OFF] != 0;
        x->acc_valid = 0;
    }
    if (x->holding) {
        /* 'off' (ngspice's INITJCT and INITFIX phases): zero bias, so the
         * device is open, until the rest of the circuit has converged
         * around it (its terminal voltages stop moving); then free */
        int settled = x->started;
        for (int k = 0; k < 3 && settled; k++)
            settled = fabs(v[k] - x->hold_v[k]) <= 1e-3 * fmax(fabs(v[k]), fabs(x->hold_v[k])) + 1e-6;
        x->started = 1;
        for (int k = 0; k < 3; k++) x->hold_v[k] = v[k];
        if (!settled) {
            l[0] = l[1] = l[2] = 0;
            return 1;
        }
        x->holding = 0;
    } else if (!x->started) {
        /* ngspice's INITJCT: icv* if given, else vbs = -1, vgs = vto, vds = 0 */
        x->started = 1;
        if (ip[IP_ICVDS] != 0 || ip[IP_ICVGS] != 0 || ip[IP_ICVBS] != 0) {
            l[0] = x->type * ip[IP_ICVGS], l[1] = x->type * ip[IP_ICVDS], l[2] = x->type * ip[IP_ICVBS];
        } else {
            l[0] = x->type * x->vto_t, l[1] = 0, l[2] = -1;
        }
        return 1;
    }
    /* a new solve (next time point, retry after a failed or rejected step,
     * next DC point: LoadCtx.iter <= 0) limits against the last accepted
     * solution of this analysis (SPICE's MODEINITPRED state); the retries
     * of a first operating point, with nothing accepted yet, against the
     * last iterate (MODEINITFLOAT) */
    if (c->iter <= 0 && x->acc_valid) x->mem = x->acc;
    const Mos1Mem *o = &x->mem;
    int lim = 0;
    double vgd = v[0] - v[1];
    if (o->vds >= 0) {
        double gs = mos1_fetlim(v[0], o->vgs, o->von);
        double ds = gs != v[0] ? gs - vgd : v[1];
        double ds2 = mos1_limvds(ds, o->vds);
        lim = gs != v[0] || ds2 != v[1];
        l[0] = gs, l[1] = ds2;
    } else {
        double gd = mos1_fetlim(vgd, o->vgs - o->vds, o->von);
        double ds = gd != vgd ? v[0] - gd : v[1];
        double ds2 = -mos1_limvds(-ds, -o->vds);
        lim = gd != vgd || ds2 != v[1];
        l[1] = ds2;
        l[0] = lim ? gd + ds2 : v[0];
    }
    int jl;
    if (l[1] >= 0) {
        l[2] = mos1_pnjlim(v[2], o->vbs, x->p.vt, x->vcrit_s, &jl);
    } else {
        double bd = mos1_pnjlim(v[2] - v[1], o->vbs - o->vds, x->p.vt, x->vcrit_d, &jl);
        l[2] = jl || lim ? bd + l[1] : v[2];
    }
    return lim || jl;
}

/* linearise at l: currents, charges and their derivatives w.r.t. the
 * node voltages (the source column is minus the sum of the others) */
static void linearize(Mos1 *x, const LoadCtx *c, const double l[3])
{
    Mos1Eval e;
    mos1_eval(&x->p, l[0], l[1], l[2], c->gmin, x->has_q, &e);
    x->mem.vgs = l[0], x->mem.vds = l[1], x->mem.vbs = l[2], x->mem.von = e.von;
    for (int k = 0; k < 3; k++) x->l[k] = l[k];
    for (int a = 0; a < 4; a++) {
        const double *di = e.dI[a], *dq = e.dQ[a];
        double *jg = x->jg + a * 4, *jc = x->jc + a * 4;
        x->I[a] = e.I[a];
        x->Q[a] = e.Q[a];
        jg[MOS1_D] = di[MOS1_VDS], jg[MOS1_G] = di[MOS1_VGS], jg[MOS1_B] = di[MOS1_VBS];
        jg[MOS1_S] = -(di[0] + di[1] + di[2]);
        jc[MOS1_D] = dq[MOS1_VDS], jc[MOS1_G] = dq[MOS1_VGS], jc[MOS1_B] = dq[MOS1_VBS];
        jc[MOS1_S] = -(dq[0] + dq[1] + dq[2]);
    }
    x->have_lin = 1;
    x->lin_gmin = c->gmin;
}

/* An instance whose terminal voltages are all within this of its
 * linearisation point keeps that linearisation instead of re-evaluating:
 * the residual I(l) + J(l)(v - l) then differs from I(v) by about
 * |d2I/dv2| * 1e-18 (1e-16 A for a junction carrying 0.3 A), far below
 * any tolerance. In a large digital circuit most devices sit still most
 * of the time (invchain 1000: 1.5x faster). */
#define KEEP_TOL 1e-9

static void mos1_load(InstGroup *g, LoadCtx *c)
{
    const double *y = c->y;
    double *Q = c->Q, *G = c->G, *C = c->C;
    for (int i = 0; i < g->n; i++) {
        Mos1 *x = (Mos1 *)group_inst(g, i);
        const int *r = x->r;
        double t = x->type, vs = y[r[MOS1_S]];
        double v[3] = {t * (y[r[MOS1_G]] - vs), t * (y[r[MOS1_D]] - vs), t * (y[r[MOS1_B]] - vs)};
        int keep = x->have_lin && !c->uic_init && !x->holding && x->lin_gmin == c->gmin &&
                   fabs(v[0] - x->l[0]) <= KEEP_TOL &&
                   fabs(v[1] - x->l[1]) <= KEEP_TOL && fabs(v[2] - x->l[2]) <= KEEP_TOL;
        if (!keep) {
            double l[3];
            if (choose_point(x, c, v, l)) c->noncon = 1;
            linearize(x, c, l);
        }
        /* residuals at the iterate from the linearisation at l */
        double dv[3] = {v[0] - x->l[0], v[1] - x->l[1], v[2] - x->l[2]};
        if (c->uic_init) dv[0] = dv[1] = dv[2] = 0;
        for (int k = 0; k < x->nr; k++) {
            int a = x->rt[k];
            const double *jg = x->jg + a * 4, *jc = x->jc + a * 4;
            double ia = t * (x->I[a] + jg[MOS1_G] * dv[0] + jg[MOS1_D] * dv[1] + jg[MOS1_B] * dv[2]);
            load_f(c, r[a], ia, fabs(ia));
            if (x->has_q) Q[r[a]] += t * (x->Q[a] + jc[MOS1_G] * dv[0] + jc[MOS1_D] * dv[1] + jc[MOS1_B] * dv[2]);
        }
        for (int k = 0; k < x->nh; k++) {
            double sg = 0, sc = 0;
            for (unsigned m = x->hm[k]; m; m &= m - 1) {
                int j = __builtin_ctz(m);
                sg += x->jg[j], sc += x->jc[j];
            }
            G[x->h[k]] += sg;
            if (x->has_q) C[x->h[k]] += sc;
        }
        if (x->gdr > 0) {
            double i = x->gdr * (y[x->rdx] - y[r[MOS1_D]]);
            load_f(c, x->rdx, i, fabs(i));
            load_f(c, r[MOS1_D], -i, fabs(i));
            G[x->hrd[0]] += x->gdr, G[x->hrd[1]] -= x->gdr, G[x->hrd[2]] -= x->gdr, G[x->hrd[3]] += x->gdr;
        }
        if (x->gsr > 0) {
            double i = x->gsr * (y[x->rsx] - y[r[MOS1_S]]);
            load_f(c, x->rsx, i, fabs(i));
            load_f(c, r[MOS1_S], -i, fabs(i));
            G[x->hrs[0]] += x->gsr, G[x->hrs[1]] -= x->gsr, G[x->hrs[2]] -= x->gsr, G[x->hrs[3]] += x->gsr;
        }
    }
}

/* remember the accepted solution: the next solve (the next time point, or
 * a retry after a failed one) limits against it */
static void mos1_accept(InstGroup *g, const LoadCtx *c)
{
    (void)c;
    for (int i = 0; i < g->n; i++) {
        Mos1 *x = (Mos1 *)group_inst(g, i);
        x->acc = x->mem;
        x->acc_valid = 1;
    }
}

static const char *const mos1_terms[] = {"d", "g", "s", "b"};
static const char *const mos1_models[] = {"nmos", "pmos", NULL};
/* conducting at DC: the channel, and both junctions (gmin at least) */
static const TermPair mos1_dc[] = {{0, 2}, {3, 0}, {3, 2}};

const DeviceType device_mos1 = {
    .flags = DEV_NLCHARGE,
    .name = "mosfet",
    .summary = "MOSFET level 1 (Shichman-Hodges, ngspice MOS1)",
    .letter = 'M',
    .model_types = mos1_models,
    .level = 1,
    .nterm = 4,
    .last_term_default = 1 + 2,   /* M d g s model: bulk = source (LTspice) */
    .term_names = mos1_terms,
    .model_use = MODEL_REQUIRED,
    .inst_params = inst_params,
    .n_inst_params = NIP,
    .model_params = model_params,
    .n_model_params = NMP,
    .dc_paths = mos1_dc,
    .n_dc_paths = 3,
    .inst_size = sizeof(Mos1),
    .check = mos1_check,
    .setup = mos1_setup,
    .reserve = mos1_reserve,
    .load = mos1_load,
    .accept = mos1_accept,
};
