/* Shared implementation of two-terminal devices with internal state
 * variables (memristors, threshold switches): each model is one file that
 * fills a MemFamily (its equations) and a DeviceType whose hooks are the
 * mem_* functions below.
 *
 * With v = v(n+) - v(n-) and states x_1..x_ns (MNA unknowns, solved with the
 * circuit in the same Newton iteration; DESIGN.md "one DAE form"):
 *   F[n+] += i(v, x),  F[n-] -= i(v, x)              terminal current
 *   F[x_k] = -dx_k/dt(v, x),  Q[x_k] = x_k          state equations
 * so each state is integrated and error-controlled like a charge. A state
 * marked `hold_dc` is memory: in static solves (operating point, DC sweep
 * points, the initial point of a transient) its row is x_k - x0_k = 0, the
 * device keeps the state it was given. Other states (temperatures) are
 * solved at their steady state dx/dt = 0 there.
 *
 * Every state has an interval [lo, hi] that holds exactly in transients
 * (mna_bound_unknown); the model is evaluated at the state clamped to it, so
 * an iterate outside never produces NaN. Models use mem_exp() for
 * exponentials of voltages, so no finite voltage overflows.
 *
 * Outputs: each state as "<state name>(<instance>)" (an unknown, in the raw
 * file by default), and the derived "i(<instance>)" (A, from n+ through the
 * device to n-) and "r(<instance>)" (ohm, v/i; the small-signal 1/(di/dv)
 * at v = 0); on request "p(<instance>)" and "w(<instance>)", the power v i.
 * Xyce's spellings n(<instance>_x) and n(<instance>:r) name the same
 * quantities (src/analysis/outputs.c). */
#ifndef MS_MEMRISTOR_H
#define MS_MEMRISTOR_H

#include "devices/stamp.h"
#include "engine/mna.h"

#include <stdint.h>

enum { MEM_MAXS = 3, MEM_NMP = 40 };

typedef struct MemStateDesc {
    const char *name;          /* output prefix: "x" -> "x(ymemristor!m1)" */
    int hold_dc;               /* memory state: held at x0 in static solves */
    /* a temperature (K) with the heat capacity cth[k] (J/K, set by init):
     * when the instance has its thermal terminal (terminal 3), this state is
     * that node's voltage and its equation the node's heat balance,
     * cth dT/dt = rate cth, the heat flowing into the node from the device
     * (docs/devices/thermal.md). At most one per family. */
    int thermal;
    /* its Newton tolerance is abstol alone (mna_unknown_absolute): a state
     * whose last fraction of its range moves the current by decades */
    int absolute;
    /* cycle-to-cycle variation (c2c) scales this state's rate although it
     * is not memory (a volatile filament); memory states always are */
    int c2c;
} MemStateDesc;

/* The window functions of the drift models (levels 1, 2, 5), on the state x
 * in its own units: f(x) slows the motion near the edges.
 *   0 none         1
 *   1 Joglekar     1 - (2x/d - 1)^(2p)             Joglekar & Wolf 2009, eq. (8)
 *   2 Biolek       1 - (x/d - stp(-i))^(2p)        Biolek et al. 2009, eq. (6)
 *   3 Prodromakis  j (1 - ((x/d - 0.5)^2 + 0.75)^p) Prodromakis et al. 2011, eq. (11)
 *   4 Kvatinsky    rising: exp(-exp((x - aoff)/wc)), else exp(-exp(-(x - aon)/wc))
 *                                                  Kvatinsky et al. 2013 (TEAM), eqs. (6)-(7)
 * "rising" is the direction in which x grows (i > 0, v > voff): Biolek's
 * stp(-i) is 0 then, 1 otherwise. */
typedef struct MemWindow {
    int type;
    double d, p, j, aon, aoff, wc;
} MemWindow;

/* What a family's init sets per state besides the initial value: equal
 * for the cells of an array, so kept once per run of equal data (with
 * mp) instead of in every instance. */
typedef struct MemStatic {
    double lo[MEM_MAXS], hi[MEM_MAXS];
    double abstol[MEM_MAXS];   /* Newton tolerance of each state (<= 0: 1e-9 (hi-lo)) */
    double qtol[MEM_MAXS];     /* its truncation-error floor (<= 0: 1e-6 (hi-lo)) */
    double cth[MEM_MAXS];      /* heat capacity of a thermal state (J/K) */
    int ext[MEM_MAXS];         /* 1: the state is the thermal terminal's node voltage */
    MemWindow win;             /* the window, for models that use mem_window */
} MemStatic;

typedef struct MemInst {
    Instance in;
    Stamp2 h;                  /* n+/n- conductance entries */
    int xs[MEM_MAXS];          /* state rows */
    int h_ax[MEM_MAXS], h_bx[MEM_MAXS];   /* d i / d x_k in rows n+, n- */
    int h_xa[MEM_MAXS], h_xb[MEM_MAXS];   /* d rate_k / d v(n+), v(n-) */
    int h_xd[MEM_MAXS];        /* d rate_k / d x_k (also C) */
    int *h_xo;                 /* d rate_k / d x_j at k * ns + j (j != k), in the group's block;
                                * NULL for a one-state family */
    /* set by the family's init: */
    double x0[MEM_MAXS];       /* initial states */
    MemStatic *st;             /* per-state bounds, tolerances, window (shared like mp) */
    /* model data, indexed by the family's own enum (MEM_NMP values): the
     * family's init writes it; mem_setup then shares one copy among the
     * instances whose data are equal (an array's cells), except for
     * families that keep memory in it (reset/accept) or draw noise */
    double *mp;
    /* cycle-to-cycle variation (memristor.c): the rates of the memory
     * states are multiplied by a factor redrawn only at accepted time
     * points; NULL without c2c */
    struct MemC2C *cc;
    uint64_t c2c_key;          /* the instance's stream (seed, step, name): c2c and noise */
    int rng;                   /* set by init: the family draws from c2c_key's stream itself (noise) */
} MemInst;

/* what a model computes at (v, x): the current and the state rates with
 * their exact derivatives */
typedef struct MemEval {
    int dc;                    /* input: a static solve. A model may then write the rate of a
                                * non-held state in a better-scaled form with the same root */
    double i, di_dv, di_dx[MEM_MAXS];
    double rate[MEM_MAXS], drate_dv[MEM_MAXS], drate_dx[MEM_MAXS][MEM_MAXS];
} MemEval;

typedef struct MemFamily {
    int ns;
    const MemStateDesc *states;
    /* optional: cross-parameter checks after elaboration; -1 with a
     * message in err (the instance name is prepended) */
    int (*check)(const Instance *in, char *err, size_t nerr);
    /* optional: checks against the ambient temperature `temp` (kelvin: the
     * circuit temperature), same contract as check */
    int (*check_ambient)(const Instance *in, double temp, char *err, size_t nerr);
    /* fill x0, lo, hi (and optional tolerances) and mp from the instance and
     * model parameters; temp: circuit temperature in kelvin */
    void (*init)(MemInst *m, double temp);
    /* x is within [lo, hi]; out is zeroed by the caller */
    void (*eval)(const MemInst *m, double v, const double *x, MemEval *out);
    /* optional: discrete memory that is not an unknown (a hysteresis
     * branch), kept in mp. reset() restores its initial value at the first
     * load of every analysis; accept() updates it at each accepted point
     * (v and the states x, clamped to [lo, hi], of the accepted solution;
     * c->dc at an operating point). Never changed between Newton iterations. */
    void (*reset)(MemInst *m);
    void (*accept)(MemInst *m, double v, const double *x, const LoadCtx *c);
} MemFamily;

/* Cycle-to-cycle variation, model parameters of every level: each table
 * ends with MEM_C2C_PARAMS(NM) and is NM + MEM_NC2C long
 * (docs/variability.md). */
enum { MEM_NC2C = 2 };
#define MEM_C2C_PARAMS(nm)                                                                                   \
    [(nm)] = {"c2c", "", 0, PF_NONNEG,                                                                   \
              "cycle-to-cycle variation: relative sigma of the switching rate, redrawn per switching "     \
              "event (0: none)"},                                                                          \
    [(nm) + 1] = {"c2c_tau", "s", 0, PF_NONNEG, "c2c: a new draw every c2c_tau of simulated time instead " \
                                               "of per switching event (0: per event)"}

int mem_check(Instance *in, const Circuit *ckt, Diag *d);
int mem_xo_for_conductance(const Model *m, double temp, double g, double vread, double *xo, char *err, size_t nerr);
void mem_accept(InstGroup *g, const LoadCtx *c);
int mem_setup(InstGroup *g, SetupCtx *s);
void mem_reserve(InstGroup *g, SetupCtx *s);
void mem_load(InstGroup *g, LoadCtx *c);
void mem_init_uic(InstGroup *g, double *y, const LoadCtx *c);
void mem_output(const Instance *in, const double *y, double *vals);
enum { MEM_NOUT = 4 };   /* i, r, p, w (<= DOUT_MAX) */
extern const DevOutput mem_outputs[MEM_NOUT];
extern const TermPair mem_dc_paths[1];
extern const char *const mem_terms[2];
/* families with a thermal state: n+ n- [th], conducting n+ to n- and th to
 * the ambient (ground) at DC */
extern const TermPair mem_thermal_dc_paths[2];
extern const char *const mem_thermal_terms[3];
extern const char *const mem_model_types[2];

/* exp(a) for a <= MEM_EXP_MAX, continued linearly (value and slope
 * continuous) above it; *d = its derivative */
#define MEM_EXP_MAX 80.0
double mem_exp(double a, double *d);
/* the logistic 1/(1 + e^-z) and its derivative, without overflow at any z */
double mem_sigmoid(double z, double *ds);
/* sinh(a) from two mem_exp; *d = its derivative (cosh) */
double mem_sinh(double a, double *d);
/* |u|^q and d/du (integer q without pow()) */
double mem_powabs(double u, double q, double *d);
/* exp(-exp(u)) and d/du, 0 and 0 where exp(u) would overflow */
double mem_gompertz(double u, double *d);
/* the window f(x) and df/dx (MemWindow above) */
double mem_window(const MemWindow *w, double x, int rising, double *dw);

/* The DeviceType fields of a family built on this framework: its name,
 * element word ("ymemristor"), .model type words, terminal names (n+, n-,
 * then the optional ones: a thermal terminal), the number of optional
 * terminals and the DC paths; the family's equations come through `fam`;
 * `load` is mem_load unless the model wraps it */
#define MEM_FAMILY_FIELDS(nm, word, types, terms, nopt, paths, lvl, summ, ip, mp, fam, loadfn, nout)       \
    .name = (nm), .summary = (summ), .letter = 'Y', .flags = DEV_PARLOAD, .element_word = (word),        \
    .model_types = (types),                                                                              \
    .level = (lvl), .nterm = 2, .nterm_opt = (nopt), .term_names = (terms), .model_use = MODEL_REQUIRED,  \
    .inst_params = (ip), .n_inst_params = (int)(sizeof(ip) / sizeof((ip)[0])), .model_params = (mp),      \
    .n_model_params = (int)(sizeof(mp) / sizeof((mp)[0])), .dc_paths = (paths),                          \
    .n_dc_paths = (int)(sizeof(paths) / sizeof((paths)[0])), .inst_size = sizeof(MemInst),               \
    .check = mem_check, .setup = mem_setup, .reserve = mem_reserve, .load = (loadfn),                    \
    .init_uic = mem_init_uic, .accept = mem_accept, .outputs = mem_outputs, .n_outputs = (nout),         \
    .output = mem_output, .family = (fam), .xo_for_conductance = mem_xo_for_conductance

/* a memristor level (YMEMRISTOR, .model ... memristor level=N) */
#define MEM_DEVICE_FIELDS(lvl, summ, ip, mp, fam, loadfn, nout)                                         \
    MEM_FAMILY_FIELDS("memristor", "ymemristor", mem_model_types, mem_terms, 0, mem_dc_paths, lvl, summ, ip, \
                      mp, fam, loadfn, nout)

static inline double mem_clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

#endif
