/* MOSFET level 1 (Shichman-Hodges) equations as pure functions, apart from
 * the netlist and the matrix: src/devices/mos1.c maps them onto the MNA
 * system, tests/unit/test_mos1.c checks them directly.
 *
 * Everything here works in "normalized" voltages, as SPICE3 does: for a
 * PMOS every terminal voltage difference is multiplied by type = -1, so
 * one set of n-channel equations serves both. The caller multiplies the
 * currents and charges by type again; the derivatives need no sign.
 *
 * Terminal order of the arrays: MOS1_D, MOS1_G, MOS1_S, MOS1_B (the
 * drain and source behind any series resistance). Derivatives are with
 * respect to (vgs, vds, vbs), index MOS1_VGS, MOS1_VDS, MOS1_VBS. */
#ifndef MS_MOS1_EQ_H
#define MS_MOS1_EQ_H

enum { MOS1_D, MOS1_G, MOS1_S, MOS1_B };
enum { MOS1_VGS, MOS1_VDS, MOS1_VBS };

/* one bulk junction's depletion capacitance (SPICE3 form) */
typedef struct Mos1Jct {
    double cz, czsw;        /* zero-bias bottom and sidewall capacitance, F */
    double pb, mj, mjsw;    /* junction potential (at T), grading coefficients */
    double fcpb;            /* fc * pb: above it the capacitance is linearised */
    double f2, f3, f4;      /* coefficients of the linearised part */
} Mos1Jct;

/* Per-instance values at the device temperature, multiplier applied. */
typedef struct Mos1Par {
    double beta;            /* KP(T) * m * W / Leff, A/V^2 */
    double vbi;             /* type * built-in voltage tVbi: von = vbi + gamma*sqrt(phi - vbs) */
    double gamma, phi, lambda;
    double isd, iss;        /* drain/source junction saturation currents (m applied) */
    double vt;              /* thermal voltage kT/q */
    double cgso, cgdo, cgbo;    /* overlap capacitances, F (CGSO*W*m, ..., CGBO*Leff*m) */
    double cox;             /* intrinsic gate capacitance Cox*W*Leff*m; 0 without TOX */
    Mos1Jct jd, js;
} Mos1Par;

/* The device at one bias point: normalized currents leaving each terminal
 * into the device, charges on each terminal, and their derivatives. */
typedef struct Mos1Eval {
    double I[4], dI[4][3];
    double Q[4], dQ[4][3];
    double ids;             /* channel current drain -> source */
    double gm, gds, gmbs;   /* channel derivatives in the conducting direction */
    double von, vdsat;      /* threshold with body effect, saturation voltage */
    int mode;               /* +1 normal, -1 source and drain interchanged (vds < 0) */
} Mos1Eval;

/* SPICE3 Newton limiting (ngspice devsup.c: DEVfetlim, DEVlimvds, DEVpnjlim) */
double mos1_fetlim(double vnew, double vold, double vto);
double mos1_limvds(double vnew, double vold);
double mos1_pnjlim(double vnew, double vold, double vt, double vcrit, int *limited);

/* Channel current in the conducting orientation (vds >= 0): ids and its
 * derivatives. dvon_dvbs is the body effect's slope (<= 0). */
void mos1_channel(const Mos1Par *p, double vgs, double vds, double vbs, double *ids, double *gm, double *gds,
                  double *gmbs, double *von, double *dvon_dvbs);

/* Ideal junction with gmin in parallel (ngspice's form): current and conductance */
void mos1_junction(double v, double isat, double vt, double gmin, double *i, double *g);

/* Depletion charge and capacitance of a junction at forward voltage v */
void mos1_depletion(const Mos1Jct *j, double v, double *q, double *c);

/* Fill the zero-bias and linearisation coefficients of a junction (cz, czsw,
 * pb, mj, mjsw and fcpb = fc*pb must be set). */
void mos1_jct_coeffs(Mos1Jct *j, double fc);

/* Intrinsic gate charge in the conducting orientation (vds >= 0): charges
 * of gate, drain, source, bulk (sum zero) and derivatives w.r.t. (vgs, vds,
 * vbs). von, dvon_dvbs: from mos1_channel. See docs/devices/mosfet.md. */
void mos1_gate_charge(double cox, double phi, double vgs, double vds, double von, double dvon_dvbs, double Q[4],
                      double dQ[4][3]);

/* Everything at one bias point (want_q: also the charges). */
void mos1_eval(const Mos1Par *p, double vgs, double vds, double vbs, double gmin, int want_q, Mos1Eval *e);

#endif
