/* The MNA engine: unknowns, sparse pattern, device loading, Newton, DC
 * operating point and transient stepping. Analyses (src/analysis/) drive it;
 * devices reach it only through mna.h. It never names a device. */
#ifndef MS_ENGINE_H
#define MS_ENGINE_H

#include "circuit/deck.h"
#include "engine/condense.h"
#include "engine/linsolve.h"
#include "engine/mna.h"
#include "util/strmap.h"

typedef struct Unknown {
    char *name;              /* "v(out)", "i(v1)", device-chosen for states */
    UnknownKind kind;
    double abstol;           /* Newton absolute tolerance */
    double qtol;             /* absolute tolerance of its Q row (LTE) */
    const Instance *owner;   /* NULL for node voltages */
    int node;                /* circuit node for voltages, -1 otherwise */
    int hidden;              /* device-internal: not in the default output */
    int abs_only;            /* Newton tolerance abstol alone (mna_unknown_absolute) */
} Unknown;

/* circuits from this many unknowns get a helper thread (engine.c) */
enum { WORKER_MIN_UNKNOWNS = 5000 };

typedef struct Engine {
    Circuit *ckt;
    const SimOptions *opt;
    Diag *diag;
    int n;                   /* number of unknowns */
    VEC(Unknown) uk;
    StrMap uk_map;           /* unknown name -> index + 1 (engine_find_unknown) */
    /* sparse pattern, compressed column; handle nnz is the sink slot */
    int nnz;
    int *Ap, *Ai;
    double *G, *C, *J;       /* nnz+1 values each */
    int *diag_h;             /* handle of (i,i) for each row */
    char *dyn;               /* row i has a Q entry (n) */
    /* entries reserved with mna_reserve_dyn: the only places C may be written */
    int ncq;
    int *cq_h, *cq_row, *cq_col;
    char *cq_mark;           /* during setup */
    /* per-row tolerances for the truncation-error estimate */
    double *lte_qtol, *lte_rateabs;
    char *lte_qrel;          /* row's charge tolerance includes reltol*|Q| (not device states) */
    int *dyn_rows;
    int ndyn;
    int linear;              /* every device is linear */
    int rng_used;            /* a device draws random numbers (mna_note_rng) */
    int chord_allowed;       /* .options chord and no device with nonlinear charges */
    /* bounded unknowns (mna_bound_unknown): row, interval and the handles of
     * every stored entry of the row (replaced when the bound is active) */
    int nbnd;
    struct Bound {
        int row;
        double lo, hi;
        int nh, *h;
        int active;          /* held at a bound in the last Newton iteration */
    } *bnd;
    char *bnd_active;        /* per row: a bound holds it (n+1; NULL without bounds) */
    char *bnd_prev;          /* ... held at the last accepted time point */
    LinSolver *ls;
    /* device states condensed out of transient solves (condense.h; NULL:
     * the full system is always solved) */
    Condense *cond;
    struct Worker *worker;   /* helper thread (num_threads >= 2, large circuits), else NULL */
    /* per group: ranges loaded on two threads (engine.c, DEV_PARLOAD); NULL or k1 = 0: none */
    struct ParLoad {
        int k1, k2;
    } *par;
    /* What a factorization factors: J depends only on these besides the
     * solution (a linear circuit's not at all), so equal keys let a linear
     * circuit reuse its factors and a chord iteration keep them. `fact` is
     * the current factorization's, kept[] those of the factorizations kept
     * for step sizes a transient returns to (linsolve_swap). */
    struct FactorKey {
        int valid;
        int reduced;         /* factors of the condensed matrix S (cond), else of J */
        double a0, gshunt;
        long a0row_id;
        int nforce;
        long flips;          /* bnd_flips when it was factored */
        long used;           /* kept ones: when last current (Newton iteration count) */
    } fact, kept[LS_KEEP];
    int nkeep;               /* kept[] slots in use (0: none kept) */
    long bnd_flips;          /* changes of the set of active bounds (apply_bounds) */
    double last_worst;       /* largest scaled update of the last Newton iteration */
    double last_resid;       /* largest scaled residual of the last check (residual_small) */
    int chord_carry;         /* the last solve converged fast: its factors may start the next */
    double chord_rho;        /* contraction of the last measured chord iteration (INFINITY: none) */
    int chord_unmeasured;    /* solves since then that ended on their first chord iteration */
    /* work vectors, n+1 entries */
    double *F, *Q, *r, *dy, *yold;
    double *Fmag;            /* sizes of the terms of F (load_f), when want_mag */
    double *rfloor;          /* per row: absolute residual tolerance in the row's units */
    double *urel, *uabs;     /* per unknown: Newton update tolerance urel |y| + uabs (reltol, or 0
                              * for mna_unknown_absolute; the unknown's abstol) */
    int want_mag;            /* the next engine_load also fills Fmag (Newton's check load) */
    LoadCtx lc;
    double temp_k;           /* circuit temperature in kelvin */
    /* setup bookkeeping */
    int phase;               /* 0 collect, 1 bind */
    VEC(long long) pat;      /* collected (col << 32 | row) */
    /* statistics */
    long n_load, n_iter, n_factor;
    long n_backtrack;        /* Newton updates halved because a device could not be evaluated */
    /* diagnosis of the last failure */
    int worst_row;
    int quiet;               /* errors go to last_err instead of diag (trial solves) */
    SrcLoc loc;              /* the analysis being run: where solver errors point */
    char last_err[1024];
    char last_fault[512];    /* the last device fault seen in a Newton iteration */
    int start_fault;         /* the last Newton solve failed because a device could not be
                              * evaluated at its starting point */
} Engine;

/* Create unknowns, pattern and solver for a finalized circuit. NULL on error
 * (reported). The engine keeps pointers to ckt, opt and diag. */
Engine *engine_new(Circuit *ckt, const SimOptions *opt, Diag *diag);
void engine_free(Engine *e);

/* name lookup: "v(out)", "i(v1)", states; -1 if absent */
int engine_find_unknown(const Engine *e, const char *name);
/* "'v(out)' (node out)" / "'i(v1)' of v1 (rc.cir:3)" for messages */
char *engine_describe_unknown(const Engine *e, int row);

/* Tell devices the solution y was accepted (accept hooks). */
void engine_accept(Engine *e, const double *y);
/* " (last device problem: ...)" or "" for failure messages */
const char *engine_fault_suffix(const Engine *e, char *buf, size_t n);

/* Start of an analysis: a static (DC) load context at t = 0, full sources,
 * the options' gmin and temperature; its next Newton solve is the
 * analysis's first (LoadCtx.first_solve). */
void engine_reset_context(Engine *e);

/* Report a solve failure: to diag, or into e->last_err while e->quiet. */
void engine_error(Engine *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Evaluate every device at y (n+1 entries, y[n] must be 0) into F, Q, G, C.
 * lc fields other than y/F/Q/G/C are taken from e->lc. */
void engine_load(Engine *e, const double *y);
/* The same with only the devices flagged DEV_LINEAR (newton_linear_start). */
void engine_load_linear(Engine *e, const double *y);

/* ---- Newton ---- */
typedef struct NewtonReq {
    double a0;               /* integration coefficient (0: static solve) */
    /* per dynamic row, when not NULL: that row's coefficient instead of a0
     * (the trapezoidal rule's stiff rows integrated by backward Euler,
     * src/engine/transient.c); a0row_id changes whenever its values'
     * pattern does (a factor made with another pattern is not reused) */
    const double *a0row;
    long a0row_id;
    const double *b;         /* history term added to dynamic rows, NULL if static */
    double gshunt;           /* extra conductance node->ground (gmin stepping) */
    const NodeValue *force;  /* nodes held by a large conductance (.nodeset, .ic) */
    int nforce;
    int maxiter;
    int damped;              /* halve updates that do not reduce the residual (static solves) */
} NewtonReq;

enum { NEWTON_OK = 0, NEWTON_NOCONV = 1, NEWTON_FATAL = -1 };

/* Solve from the guess in y (n+1 entries); on NEWTON_OK y is the solution
 * and e->Q holds Q(y). NEWTON_FATAL: an error was reported (singular matrix,
 * non-finite values). Uses e->lc for t, tran, srcfact, gmin. */
int newton_solve(Engine *e, const NewtonReq *rq, double *y, int *iters);

/* A start for a static solve from the circuit's linear devices alone
 * (DEV_LINEAR; the rest left out): 0 with y set, -1 if singular. */
int newton_linear_start(Engine *e, const NewtonReq *rq, double *y);

/* ---- DC operating point: Newton, then gmin stepping, then source stepping ---- */
typedef struct DcopInfo {
    const char *method;      /* "newton", "gmin stepping", "source stepping" */
    int iters;
} DcopInfo;
int dcop_solve(Engine *e, double *y, const NodeValue *nodeset, int nnodeset,
               const NodeValue *ic, int nic, DcopInfo *info);

#endif
