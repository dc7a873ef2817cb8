/* What devices see of the engine: unknown creation and matrix reservation in
 * setup, the iterate and the stamp arrays in load.
 *
 * Unknowns are rows/columns 0..n-1 of the MNA system: node voltages first,
 * then branch currents and device states in setup order. Ground, and any
 * "no connection", is row n: vectors have n+1 entries and entry n is a sink
 * that always reads 0 (y[n] = 0), so stamps need no ground tests. Likewise
 * a matrix handle touching ground is a sink slot. */
#ifndef MS_MNA_H
#define MS_MNA_H

#include "circuit/deck.h"

typedef enum { UK_VOLTAGE, UK_CURRENT, UK_STATE } UnknownKind;

typedef struct SetupCtx SetupCtx;

/* row of circuit node `node` (0 = ground -> the sink row); valid in reserve() */
int mna_node_row(const SetupCtx *s, int node);
/* New unknown owned by `owner`, e.g. a branch current "i(v1)" or a state.
 * abstol: Newton absolute tolerance for it (<= 0: the default for its kind,
 * abstol for currents, vntol for voltages); qtol: absolute tolerance of its Q
 * entry for the truncation-error estimate (<= 0: chgtol). */
int mna_add_unknown(SetupCtx *s, const Instance *owner, UnknownKind kind, const char *name,
                    double abstol, double qtol);
/* unknown `row` is left out of the default output (a device's helper unknown) */
void mna_unknown_hidden(SetupCtx *s, int row);
/* The Newton tolerance of unknown `row` is its abstol alone, without the
 * reltol |y| part: for a state whose effect on the circuit does not scale
 * with its size (a filament fraction near 1 whose remaining gap sets a
 * resistance over decades). */
void mna_unknown_absolute(SetupCtx *s, int row);
/* Matrix entry (row, col) shared by the dF/dy (G) and dQ/dy (C) arrays.
 * G may be written at any handle; C only at handles from mna_reserve_dyn,
 * which also marks `row` as having dynamics (a Q entry): only such rows
 * enter truncation-error control. Returns a handle for load(). */
int mna_reserve(SetupCtx *s, int row, int col);
int mna_reserve_dyn(SetupCtx *s, int row, int col);
/* A device-internal node (e.g. behind a series resistance): a voltage
 * unknown named "v(<owner>#<suffix>)", left out of the default output. */
int mna_add_internal_node(SetupCtx *s, const Instance *owner, const char *suffix);
/* Bound unknown `row` (a device state) to [lo, hi], exactly: in transient
 * solves the state's equation is replaced, where the unconstrained solution
 * would leave the interval, by row = a0 (y - bound) (a complementarity
 * condition solved by the same Newton iteration; see docs/architecture.md).
 * Call in setup() after mna_add_unknown. */
void mna_bound_unknown(SetupCtx *s, int row, double lo, double hi);
/* the circuit (to find referenced instances by name in reserve) */
const Circuit *mna_circuit(const SetupCtx *s);
/* the simulation options (temperature etc.) */
const SimOptions *mna_options(const SetupCtx *s);
/* a device will draw random numbers from Circuit.rng_key while simulating
 * (the driver then reports the seed so the run can be repeated) */
void mna_note_rng(SetupCtx *s);

/* Load context: everything load() reads and writes. */
typedef struct LoadCtx {
    const double *y;        /* current iterate, n+1 entries, y[n] = 0 */
    double *F;              /* += static currents / residuals (n+1); write with load_f() */
    double *Fmag;           /* NULL, or during Newton's convergence check (n+1): += the size of
                             * each term added to F (load_f), the scale of the row's residual */
    double *Q;              /* += charges, fluxes, states (n+1) */
    double *G;              /* += dF/dy at handles */
    double *C;              /* += dQ/dy at handles */
    double t;               /* time (0 in DC analyses) */
    int tran;               /* the solve belongs to a transient analysis (incl. its initial point):
                             * sources follow their waveform; otherwise they use their DC value */
    int uic_init;           /* loading the initial charges of a uic transient: devices with an
                             * initial condition (C ic=, L ic=) return Q from it */
    int dc;                 /* static solve (no d/dt: DC points, the initial point of a
                             * transient): memory states hold their initial value */
    double srcfact;         /* source-stepping factor, 1 normally */
    double gmin;            /* minimum conductance for nonlinear junctions */
    double temp;            /* circuit temperature, K */
    double tstep, tstop;    /* transient .tran values (for waveform defaults), 0 otherwise */
    int noncon;             /* a device sets this when it limited its variables */
    /* where the load is (devices with limiting or switching memory use
     * these instead of guessing from the iterate or the time):
     *   iter         Newton iteration of the current solve: 0 at its first
     *                load (a new DC point, time point, retried step, or
     *                DC strategy); -1 for a load outside Newton (the
     *                initial charges of a transient)
     *   first_solve  the first Newton solve of this analysis (.op, .dc,
     *                .tran): SPICE's MODEINITJCT at iter 0 */
    int iter;
    int first_solve;
    /* a device that cannot evaluate at this iterate (an expression's domain
     * error, ...) says why with load_fault(); the iteration counts as not
     * converged and the message is shown if the solve finally fails */
    const Instance *fault_inst;
    char fault[256];
} LoadCtx;

/* F[row] += term. `mag` is the size of the quantity the term stands for:
 * |current| in a KCL row, the larger of the two voltages a branch equation
 * compares, |rate| in a state equation. Newton accepts a point only when
 * every row's residual is within reltol of the sum of these sizes (plus an
 * absolute floor): docs/architecture.md, "Newton convergence". */
static inline void load_f(LoadCtx *c, int row, double term, double mag)
{
    c->F[row] += term;
    if (c->Fmag) c->Fmag[row] += mag;
}

void load_fault(LoadCtx *c, const Instance *in, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
