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

enum { MEM_MAXS = 3, MEM_NMP = 40 };

typedef struct MemStateDesc {
    const char *name;          /* output prefix: "x" -> "x(ymemristor!m1)" */
    int hold_dc;               /* memory state: held at x0 in static solves */
} MemStateDesc;

typedef struct MemInst {
    Instance in;
    Stamp2 h;                  /* n+/n- conductance entries */
    int xs[MEM_MAXS];          /* state rows */
    int h_ax[MEM_MAXS], h_bx[MEM_MAXS];   /* d i / d x_k in rows n+, n- */
    int h_xa[MEM_MAXS], h_xb[MEM_MAXS];   /* d rate_k / d v(n+), v(n-) */
    int h_xx[MEM_MAXS][MEM_MAXS];          /* d rate_k / d x_j (diagonal: also C) */
    /* set by the family's init: */
    double x0[MEM_MAXS], lo[MEM_MAXS], hi[MEM_MAXS];
    double abstol[MEM_MAXS];   /* Newton tolerance of each state (<= 0: 1e-9 (hi-lo)) */
    double qtol[MEM_MAXS];     /* its truncation-error floor (<= 0: 1e-6 (hi-lo)) */
    double mp[MEM_NMP];        /* model data, indexed by the family's own enum */
} MemInst;

/* what a model computes at (v, x): the current and the state rates with
 * their exact derivatives */
typedef struct MemEval {
    double i, di_dv, di_dx[MEM_MAXS];
    double rate[MEM_MAXS], drate_dv[MEM_MAXS], drate_dx[MEM_MAXS][MEM_MAXS];
} MemEval;

typedef struct MemFamily {
    int ns;
    const MemStateDesc *states;
    /* optional: cross-parameter checks after elaboration; -1 with a
     * message in err (the instance name is prepended) */
    int (*check)(const Instance *in, char *err, size_t nerr);
    /* fill x0, lo, hi (and optional tolerances) and mp from the instance and
     * model parameters; temp: circuit temperature in kelvin */
    void (*init)(MemInst *m, double temp);
    /* x is within [lo, hi]; out is zeroed by the caller */
    void (*eval)(const MemInst *m, double v, const double *x, MemEval *out);
} MemFamily;

int mem_check(Instance *in, const Circuit *ckt, Diag *d);
int mem_setup(InstGroup *g, SetupCtx *s);
void mem_reserve(InstGroup *g, SetupCtx *s);
void mem_load(InstGroup *g, LoadCtx *c);
void mem_init_uic(InstGroup *g, double *y);
double mem_output(const Instance *in, int k, const double *y);
enum { MEM_NOUT = 4 };
extern const DevOutput mem_outputs[MEM_NOUT];
extern const TermPair mem_dc_paths[1];
extern const char *const mem_terms[2];
extern const char *const mem_model_types[2];

/* exp(a) for a <= MEM_EXP_MAX, continued linearly (value and slope
 * continuous) above it; *d = its derivative */
#define MEM_EXP_MAX 80.0
double mem_exp(double a, double *d);
/* sinh(a) from two mem_exp; *d = its derivative (cosh) */
double mem_sinh(double a, double *d);

static inline double mem_clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

#endif
