/* A deck: the flat circuit plus what the netlist asks to do with it
 * (options, analyses in netlist order, outputs, initial conditions).
 * Plain data produced by the netlist layer, read by analyses. */
#ifndef MS_DECK_H
#define MS_DECK_H

#include "circuit/circuit.h"

#include <stdint.h>

typedef enum { METHOD_TRAP = 0, METHOD_GEAR = 1 } IntegMethod;

typedef struct SimOptions {
    double reltol, abstol, vntol, chgtol, trtol;
    double gmin;
    int method;             /* IntegMethod */
    int maxord;             /* 1 or 2 */
    int itl1;               /* DC Newton iteration limit */
    int itl4;               /* transient Newton iteration limit per time point */
    double temp, tnom;      /* Celsius as written; engine converts */
    int gminsteps;          /* 0: skip gmin stepping */
    int srcsteps;           /* 0: skip source stepping */
    int chord;              /* transient Newton may reuse the factorization while it contracts */
    int predictor;          /* transient Newton starts from the extrapolated solution */
    int condense;           /* transient Newton condenses device states out of the matrix
                             * (src/engine/condense.h; memspice's own option) */
    double maxelements;     /* limit on element + subcircuit instances of the flat circuit */
    int num_threads;        /* threads of one simulation (ngspice names its threads so; 0: the cores, 1 inside
                             * parallel .step jobs: util/threads.h) */
    uint64_t seed;          /* .options seed=N (random functions, docs/variability.md) */
    int seed_given;
} SimOptions;

/* default of .options maxelements (about 1 kB each while elaborating: ~5 GB) */
#define DECK_MAX_ELEMENTS 5e6
/* most points a .dc sweep or a .tran may ask for */
#define DECK_MAX_POINTS 1e8

void simoptions_defaults(SimOptions *o);
/* set option `name` (lower case, as in .options) to v: 0, -1 no such
 * option, -2 an integer option given a value that is not a whole number
 * (at most 1e9 in size). method= and seed= are not set here. */
int simoptions_set(SimOptions *o, const char *name, double v);
int simoptions_has(const char *name);
/* NULL, or what is wrong with the options as a whole */
const char *simoptions_check(const SimOptions *o);

typedef enum { AN_OP, AN_DC, AN_TRAN, AN_AC } AnalysisKind;
typedef enum { AC_DEC, AC_OCT, AC_LIN } AcSweep;

typedef struct DcSweep {
    char *source;           /* element name */
    Instance *src;          /* resolved */
    double start, stop, step;
} DcSweep;

typedef struct AnalysisReq {
    AnalysisKind kind;
    SrcLoc loc;
    /* tran */
    double tstep, tstop, tstart, tmax;
    int uic;
    /* ac: points per decade / octave, or in all (lin), from fstart to fstop */
    AcSweep ac_sweep;
    double ac_n, fstart, fstop;
    /* dc: sweep[0] is the inner (fast) sweep as in SPICE's .dc src1 ... src2 ... */
    DcSweep sweep[2];
    int nsweep;
} AnalysisReq;

/* an output variable request: v(a), v(a,b), i(v1), or a device quantity */
typedef struct OutReq {
    char *text;             /* as written, lower-case: "v(out)", "{v(a)*i(v1)}" */
    SrcLoc loc;
    int print_kind;         /* for .print: AN_* it applies to, -1 for .save/.probe */
    InstExpr *expr;         /* a {braced expression} (Xyce's habit), bound at elaboration */
} OutReq;

/* .meas (docs/analyses.md). Signals are indices into Deck.meas_sig. */
typedef enum {
    MEAS_FIND, MEAS_WHEN, MEAS_TRIGTARG, MEAS_AVG, MEAS_RMS, MEAS_MIN, MEAS_MAX, MEAS_PP, MEAS_INTEG,
    MEAS_DERIV, MEAS_PARAM, MEAS_COUNT, MEAS_MIN_AT, MEAS_MAX_AT
} MeasKind;

/* a point on the scale: AT=x, or where a signal crosses a value (or another
 * signal): the n-th rise/fall/cross after td, or the last */
typedef struct MeasPoint {
    int given;
    int sig;                /* -1: the point is `at` itself */
    int rhs;                /* >= 0: compared with this signal instead of val */
    double val;
    int edge;               /* 0 cross, 1 rise, -1 fall */
    long n;                 /* 1-based; 0: LAST */
    double td;              /* crossings before td are not counted */
    int td_given;
    double at;
} MeasPoint;

struct ExprProg;
typedef struct MeasReq {
    char *name;
    SrcLoc loc;
    int an;                 /* AnalysisKind it measures; -1: every analysis (LTspice without a type) */
    MeasKind kind;
    int sig;                /* FIND, AVG, ..., DERIV, COUNT: the signal; -1 none */
    MeasPoint when;         /* FIND/DERIV ... WHEN, WHEN, COUNT (val, edge), TRIG of TRIG/TARG */
    MeasPoint targ;         /* TARG */
    int at_given;           /* FIND/DERIV ... AT= */
    double at;
    int from_given, to_given;
    double from, to;
    struct ExprProg *param; /* PARAM: variable slot k is measurement k */
} MeasReq;

typedef struct NodeValue {  /* .ic / .nodeset entry */
    int node;
    double value;
    SrcLoc loc;
} NodeValue;

typedef struct Deck {
    char *title;
    SrcLoc loc;             /* the netlist (its title line), for deck-wide messages */
    Circuit *ckt;
    SimOptions opt;
    VEC(AnalysisReq) an;
    VEC(OutReq) save;       /* .save/.probe; empty: everything */
    VEC(OutReq) print;      /* .print */
    VEC(MeasReq) meas;      /* .meas, in netlist order */
    VEC(OutReq) meas_sig;   /* signals the measurements read (print_kind: their analysis, -1 any) */
    VEC(NodeValue) ic;
    VEC(NodeValue) nodeset;
    uint64_t seed_used;     /* seed of the random functions (ElabOpts, .options seed, or chosen) */
    int seed_chosen;        /* seed_used was chosen, not given (--seed, .options seed) */
    long random_draws;      /* numbers drawn by random functions at elaboration */
    int rng_used;           /* a device drew random numbers while simulating (set by the run) */
    int dialect;            /* Dialect (util/dialect.h) the netlist was read in */
} Deck;

void deck_free(Deck *d);

#endif
