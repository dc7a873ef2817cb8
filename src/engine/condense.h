/* Static condensation of device states in transient Newton solves.
 *
 * A device state s (UK_STATE with a charge on its own diagonal) whose row
 * and column couple only to unknowns that are not themselves condensed is
 * eliminated from the linear system of each Newton iteration:
 *
 *     [A_nn A_ns] [dn]     [r_n]
 *     [A_sn D   ] [ds] = - [r_s],   D diagonal (one entry per state),
 *
 *     S dn = -(r_n - A_ns D^-1 r_s),   S = A_nn - A_ns D^-1 A_sn,
 *     ds   = -D^-1 (r_s + A_sn dn).
 *
 * This is exact (the same update as the full system), and S holds the
 * circuit's nodes and branches only. D = a0 C_ss + G_ss carries the
 * integration coefficient, so when no other kept entry has a charge
 * (a0_free) S depends on the step size only through the small terms
 * A_ns D^-1 A_sn: one factorization of S serves chord iterations across
 * step sizes, where the full matrix's factors would not.
 * docs/architecture.md, "Condensed device states". */
#ifndef MS_CONDENSE_H
#define MS_CONDENSE_H

#include "engine/linsolve.h"

struct Engine;
typedef struct Condense Condense;

/* NULL when no state can be condensed, or the pattern has too few (the
 * full system is then solved as before). */
Condense *condense_new(const struct Engine *e);
void condense_free(Condense *c);

/* Reduced size, the solver of S, and the full index of reduced unknown j. */
int condense_size(const Condense *c);
LinSolver *condense_solver(Condense *c);
int condense_full_index(const Condense *c, int j);
/* S has no entry that depends on a0 except through the condensed states */
int condense_a0_free(const Condense *c);

/* Pivots D of the system J (full values, a0row: per-row integration
 * coefficients or NULL for a0 everywhere): 0 when every |D| is at least
 * CONDENSE_PIVOT of the sizes of its terms (|a0 C_ss| + |G_ss|), else -1
 * with *bad the state (the full system is then solved instead). */
int condense_pivots(Condense *c, const double *J, const double *G, const double *C, double a0,
                    const double *a0row, int *bad);
/* Form S from J (after condense_pivots) and factor it: LS_* status; on
 * LS_SINGULAR *bad is the full index of the column found singular. */
int condense_factor(Condense *c, const double *J, int *bad);
/* The update dy (n entries) from the residual r: forms the reduced right
 * side, solves with the current factors of S and expands. LS_* status. */
int condense_solve(Condense *c, const double *J, const double *r, double *dy);

#endif
