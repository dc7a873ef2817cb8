/* MOSFET level 1 equations (see mos1_eq.h). The drain current is
 * Shichman & Hodges (1968) in the form of SPICE3/ngspice's MOS1 model;
 * junctions, depletion charges and limiting follow ngspice (mos1load.c,
 * mos1temp.c, devsup.c). The intrinsic gate charge is memspice's own
 * charge-conserving counterpart of Meyer's capacitances
 * (docs/devices/mosfet.md, "Charges"). */
#include "devices/mos1_eq.h"

#include <math.h>

/* largest exponent argument before exp() overflows (ngspice's MAX_EXP_ARG) */
#define MAX_EXP_ARG 709.0
/* smallest saturation voltage the charge partition uses (ngspice's
 * MAGIC_VDS in DEVqmeyer): keeps the drain/source split continuous below
 * threshold, where vdsat is 0 */
#define VP_MIN 0.025

/* ---- limiting: ngspice devsup.c ---- */

double mos1_fetlim(double vnew, double vold, double vto)
{
    double vtsthi = fabs(2 * (vold - vto)) + 2;
    double vtstlo = fabs(vold - vto) + 1;
    double vtox = vto + 3.5;
    double delv = vnew - vold;
    if (vold >= vto) {
        if (vold >= vtox) {
            if (delv <= 0) {                     /* going off */
                if (vnew >= vtox) {
                    if (-delv > vtstlo) vnew = vold - vtstlo;
                } else {
                    vnew = fmax(vnew, vto + 2);
                }
            } else if (delv >= vtsthi) {         /* staying on */
                vnew = vold + vtsthi;
            }
        } else if (delv <= 0) {                  /* middle region, decreasing */
            vnew = fmax(vnew, vto - 0.5);
        } else {                                 /* middle region, increasing */
            vnew = fmin(vnew, vto + 4);
        }
    } else if (delv <= 0) {                      /* off, going further off */
        if (-delv > vtsthi) vnew = vold - vtsthi;
    } else if (vnew <= vto + 0.5) {              /* off, turning on */
        if (delv > vtstlo) vnew = vold + vtstlo;
    } else {
        vnew = vto + 0.5;
    }
    return vnew;
}

double mos1_limvds(double vnew, double vold)
{
    if (vold >= 3.5) {
        if (vnew > vold) return fmin(vnew, 3 * vold + 2);
        if (vnew < 3.5) return fmax(vnew, 2);
        return vnew;
    }
    return vnew > vold ? fmin(vnew, 4) : fmax(vnew, -0.5);
}

double mos1_pnjlim(double vnew, double vold, double vt, double vcrit, int *limited)
{
    *limited = 0;
    if (vnew > vcrit && fabs(vnew - vold) > vt + vt) {
        if (vold > 0) {
            double arg = (vnew - vold) / vt;
            vnew = arg > 0 ? vold + vt * (2 + log(arg - 2)) : vold - vt * (2 + log(2 - arg));
        } else {
            vnew = vt * log(vnew / vt);
        }
        *limited = 1;
    } else if (vnew < 0) {
        double arg = vold > 0 ? -vold - 1 : 2 * vold - 1;
        if (vnew < arg) {
            vnew = arg;
            *limited = 1;
        }
    }
    return vnew;
}

/* ---- DC ---- */

void mos1_channel(const Mos1Par *p, double vgs, double vds, double vbs, double *ids, double *gm, double *gds,
                  double *gmbs, double *von, double *dvon_dvbs)
{
    /* body effect: sqrt(phi - vbs), continued linearly for vbs > 0 and
     * clamped at 0 (SPICE3's treatment of a forward-biased source junction) */
    double sarg, dsarg;
    if (vbs <= 0) {
        sarg = sqrt(p->phi - vbs);
        dsarg = -0.5 / sarg;
    } else {
        double sp = sqrt(p->phi);
        sarg = sp - vbs / (sp + sp);
        dsarg = -0.5 / sp;
        if (sarg <= 0) sarg = dsarg = 0;
    }
    *von = p->vbi + p->gamma * sarg;
    *dvon_dvbs = p->gamma * dsarg;
    double vgst = vgs - *von;
    if (vgst <= 0) {                     /* cutoff */
        *ids = *gm = *gds = *gmbs = 0;
        return;
    }
    double betap = p->beta * (1 + p->lambda * vds);
    if (vgst <= vds) {                   /* saturation */
        *ids = betap * vgst * vgst * 0.5;
        *gm = betap * vgst;
        *gds = p->lambda * p->beta * vgst * vgst * 0.5;
    } else {                             /* linear */
        *ids = betap * vds * (vgst - 0.5 * vds);
        *gm = betap * vds;
        *gds = betap * (vgst - vds) + p->lambda * p->beta * vds * (vgst - 0.5 * vds);
    }
    /* exact d/dvbs (ngspice uses gm*gamma/(2*sarg), which differs for vbs > 0) */
    *gmbs = -*gm * *dvon_dvbs;
}

void mos1_junction(double v, double isat, double vt, double gmin, double *i, double *g)
{
    if (v <= -3 * vt) {
        *g = gmin;
        *i = gmin * v - isat;
    } else {
        double ev = exp(fmin(MAX_EXP_ARG, v / vt));
        *g = isat * ev / vt + gmin;
        *i = isat * (ev - 1) + gmin * v;
    }
}

/* ---- depletion charge: ngspice mos1temp.c (coefficients), mos1load.c ---- */

void mos1_jct_coeffs(Mos1Jct *j, double fc)
{
    double arg = 1 - fc;
    double sarg = exp(-j->mj * log(arg)), sargsw = exp(-j->mjsw * log(arg));
    j->f2 = j->cz * (1 - fc * (1 + j->mj)) * sarg / arg + j->czsw * (1 - fc * (1 + j->mjsw)) * sargsw / arg;
    j->f3 = j->cz * j->mj * sarg / arg / j->pb + j->czsw * j->mjsw * sargsw / arg / j->pb;
    j->f4 = j->cz * j->pb * (1 - arg * sarg) / (1 - j->mj) + j->czsw * j->pb * (1 - arg * sargsw) / (1 - j->mjsw) -
            j->f3 / 2 * (j->fcpb * j->fcpb) - j->fcpb * j->f2;
}

static double grading_pow(double arg, double m)
{
    return m == 0.5 ? 1 / sqrt(arg) : exp(-m * log(arg));
}

void mos1_depletion(const Mos1Jct *j, double v, double *q, double *c)
{
    if (j->cz == 0 && j->czsw == 0) {
        *q = *c = 0;
    } else if (v < j->fcpb) {
        double arg = 1 - v / j->pb;
        double sarg = grading_pow(arg, j->mj);
        double sargsw = j->mjsw == j->mj ? sarg : grading_pow(arg, j->mjsw);
        *q = j->pb * (j->cz * (1 - arg * sarg) / (1 - j->mj) + j->czsw * (1 - arg * sargsw) / (1 - j->mjsw));
        *c = j->cz * sarg + j->czsw * sargsw;
    } else {
        *q = j->f4 + v * (j->f2 + v * j->f3 / 2);
        *c = j->f2 + j->f3 * v;
    }
}

/* ---- intrinsic gate charge ---- */

/* Ward-Dutton drain share of the square-law channel charge, as a function
 * of alpha = (vgst - vds_eff)/vgst: 2/5 in saturation, 1/2 at vds = 0 */
static double wd_share(double a, double *deriv)
{
    double n = 2 + a * (4 + a * (6 + 3 * a)), dn = 4 + a * (12 + 9 * a);
    double m = 5 * (1 + a * (2 + a * (2 + a))), dm = 5 * (2 + a * (4 + 3 * a));
    *deriv = (dn * m - n * dm) / (m * m);
    return n / m;
}

void mos1_gate_charge(double cox, double phi, double vgs, double vds, double von, double dvon_dvbs, double Q[4],
                      double dQ[4][3])
{
    double u = vgs - von, du_dvbs = -dvon_dvbs;
    /* depletion/accumulation part: integral of Meyer's Cgb(vgst) */
    double qb, cb;
    if (u <= -phi) {
        qb = cox * (u + 0.5 * phi);
        cb = cox;
    } else if (u <= 0) {
        qb = -cox * u * u / (2 * phi);
        cb = -cox * u / phi;
    } else {
        qb = cb = 0;
    }
    /* inversion part: integral of Meyer's Cgs+Cgd below threshold, the
     * square-law channel charge above it; qcu = d/du, qcv = d/dvds */
    double qc, qcu, qcv = 0;
    if (u <= -0.5 * phi) {
        qc = qcu = 0;
    } else if (u <= 0) {
        double t = u + 0.5 * phi;
        qc = 2.0 / 3 * cox * t * t / phi;
        qcu = 4.0 / 3 * cox * t / phi;
    } else if (vds >= u) {
        qc = cox * phi / 6 + 2.0 / 3 * cox * u;
        qcu = 2.0 / 3 * cox;
    } else {
        double w = u - vds, n = u * u + u * w + w * w, d = u + w;
        double ru = ((2 * u + w) * d - n) / (d * d), rw = ((u + 2 * w) * d - n) / (d * d);
        qc = cox * phi / 6 + 2.0 / 3 * cox * n / d;
        qcu = 2.0 / 3 * cox * (ru + rw);
        qcv = -2.0 / 3 * cox * rw;
    }
    /* drain share of the channel charge */
    double up = fmax(u, VP_MIN), alpha = 0, au = 0, av = 0;
    if (vds < up) {
        alpha = 1 - vds / up;
        au = u > VP_MIN ? vds / (up * up) : 0;
        av = -1 / up;
    }
    double dxa, xd = wd_share(alpha, &dxa);
    double xu = dxa * au, xv = dxa * av;
    /* terminal charges and their d/du, d/dvds */
    double fu[4], fv[4];
    Q[MOS1_G] = qb + qc, fu[MOS1_G] = cb + qcu, fv[MOS1_G] = qcv;
    Q[MOS1_B] = -qb, fu[MOS1_B] = -cb, fv[MOS1_B] = 0;
    Q[MOS1_D] = -xd * qc, fu[MOS1_D] = -(xu * qc + xd * qcu), fv[MOS1_D] = -(xv * qc + xd * qcv);
    Q[MOS1_S] = -(1 - xd) * qc, fu[MOS1_S] = xu * qc - (1 - xd) * qcu, fv[MOS1_S] = xv * qc - (1 - xd) * qcv;
    for (int k = 0; k < 4; k++) {
        dQ[k][MOS1_VGS] = fu[k];
        dQ[k][MOS1_VDS] = fv[k];
        dQ[k][MOS1_VBS] = fu[k] * du_dvbs;
    }
}

/* ---- the whole device ---- */

static void add_charges(const Mos1Par *p, double vgs, double vds, double vbs, Mos1Eval *e, double von,
                        double dvon)
{
    /* overlap capacitances (linear, as ngspice) */
    double qgs = p->cgso * vgs, qgd = p->cgdo * (vgs - vds), qgb = p->cgbo * (vgs - vbs);
    e->Q[MOS1_G] = qgs + qgd + qgb;
    e->Q[MOS1_S] = -qgs;
    e->Q[MOS1_D] = -qgd;
    e->Q[MOS1_B] = -qgb;
    e->dQ[MOS1_G][MOS1_VGS] = p->cgso + p->cgdo + p->cgbo;
    e->dQ[MOS1_G][MOS1_VDS] = -p->cgdo;
    e->dQ[MOS1_G][MOS1_VBS] = -p->cgbo;
    e->dQ[MOS1_S][MOS1_VGS] = -p->cgso;
    e->dQ[MOS1_D][MOS1_VGS] = -p->cgdo;
    e->dQ[MOS1_D][MOS1_VDS] = p->cgdo;
    e->dQ[MOS1_B][MOS1_VGS] = -p->cgbo;
    e->dQ[MOS1_B][MOS1_VBS] = p->cgbo;
    /* bulk junction depletion charges (bulk side positive for an n-channel) */
    double qbs, cbs, qbd, cbd;
    mos1_depletion(&p->js, vbs, &qbs, &cbs);
    mos1_depletion(&p->jd, vbs - vds, &qbd, &cbd);
    e->Q[MOS1_B] += qbs + qbd;
    e->Q[MOS1_S] -= qbs;
    e->Q[MOS1_D] -= qbd;
    e->dQ[MOS1_B][MOS1_VBS] += cbs + cbd;
    e->dQ[MOS1_B][MOS1_VDS] -= cbd;
    e->dQ[MOS1_S][MOS1_VBS] -= cbs;
    e->dQ[MOS1_D][MOS1_VBS] -= cbd;
    e->dQ[MOS1_D][MOS1_VDS] += cbd;
    if (p->cox <= 0) return;
    /* intrinsic gate charge in the conducting orientation, mapped back:
     * reversed, (vgs, vds, vbs)* = (vgd, -vds, vbd) and drain <-> source */
    double q[4], dq[4][3];
    if (e->mode > 0) {
        mos1_gate_charge(p->cox, p->phi, vgs, vds, von, dvon, q, dq);
        for (int k = 0; k < 4; k++) {
            e->Q[k] += q[k];
            for (int j = 0; j < 3; j++) e->dQ[k][j] += dq[k][j];
        }
        return;
    }
    mos1_gate_charge(p->cox, p->phi, vgs - vds, -vds, von, dvon, q, dq);
    static const int phys[4] = {MOS1_S, MOS1_G, MOS1_D, MOS1_B};
    for (int k = 0; k < 4; k++) {
        int t = phys[k];
        e->Q[t] += q[k];
        e->dQ[t][MOS1_VGS] += dq[k][MOS1_VGS];
        e->dQ[t][MOS1_VBS] += dq[k][MOS1_VBS];
        e->dQ[t][MOS1_VDS] -= dq[k][MOS1_VGS] + dq[k][MOS1_VDS] + dq[k][MOS1_VBS];
    }
}

void mos1_eval(const Mos1Par *p, double vgs, double vds, double vbs, double gmin, int want_q, Mos1Eval *e)
{
    double vbd = vbs - vds;
    double cbs, gbs, cbd, gbd;
    mos1_junction(vbs, p->iss, p->vt, gmin, &cbs, &gbs);
    mos1_junction(vbd, p->isd, p->vt, gmin, &cbd, &gbd);
    double cd, dvon, ig, id, ib;    /* ids and its d/dvgs, d/dvds, d/dvbs */
    if (vds >= 0) {
        e->mode = 1;
        mos1_channel(p, vgs, vds, vbs, &cd, &e->gm, &e->gds, &e->gmbs, &e->von, &dvon);
        e->ids = cd;
        ig = e->gm, id = e->gds, ib = e->gmbs;
    } else {
        /* inverse mode: the source acts as drain; the same equations in
         * (vgd, vsd, vbd), current flowing source -> drain */
        e->mode = -1;
        mos1_channel(p, vgs - vds, -vds, vbd, &cd, &e->gm, &e->gds, &e->gmbs, &e->von, &dvon);
        e->ids = -cd;
        ig = -e->gm, ib = -e->gmbs, id = e->gm + e->gds + e->gmbs;
    }
    e->vdsat = fmax(e->mode > 0 ? vgs - e->von : vgs - vds - e->von, 0);
    e->I[MOS1_D] = e->ids - cbd;
    e->I[MOS1_G] = 0;
    e->I[MOS1_S] = -e->ids - cbs;
    e->I[MOS1_B] = cbd + cbs;
    double (*d)[3] = e->dI;
    d[MOS1_D][0] = ig, d[MOS1_D][1] = id + gbd, d[MOS1_D][2] = ib - gbd;
    d[MOS1_G][0] = d[MOS1_G][1] = d[MOS1_G][2] = 0;
    d[MOS1_S][0] = -ig, d[MOS1_S][1] = -id, d[MOS1_S][2] = -ib - gbs;
    d[MOS1_B][0] = 0, d[MOS1_B][1] = -gbd, d[MOS1_B][2] = gbd + gbs;
    for (int k = 0; k < 4; k++) {
        e->Q[k] = 0;
        for (int j = 0; j < 3; j++) e->dQ[k][j] = 0;
    }
    if (want_q) add_charges(p, vgs, vds, vbs, e, e->von, dvon);
}
