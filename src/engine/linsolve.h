/* Sparse linear solver behind a small interface, so another backend (e.g.
 * an iterative solver for very large arrays) can be added without touching
 * analyses or devices. The default backend is SuiteSparse KLU:
 * klu_analyze once per pattern, klu_factor the first time, klu_refactor
 * (same pivot order, no search) afterwards, and a fresh klu_factor when the
 * reused pivots degrade. */
#ifndef MS_LINSOLVE_H
#define MS_LINSOLVE_H

typedef struct LinSolver LinSolver;

enum { LS_OK = 0, LS_SINGULAR = 1, LS_ERROR = 2 };

/* Compressed-column pattern (Ap: n+1 column starts, Ai: row indices). */
LinSolver *linsolve_new(int n, const int *Ap, const int *Ai);
/* Factor the matrix with values Ax (same pattern). On LS_SINGULAR,
 * *bad_col is the first column found singular. */
int linsolve_factor(LinSolver *ls, double *Ax, int *bad_col);
/* A helper thread for the solves (NULL, the default: one thread): large
 * factors with a balanced nested-dissection split are then solved on two
 * threads, with the same results as on one. The worker is the caller's. */
struct Worker;
void linsolve_set_worker(LinSolver *ls, struct Worker *w);
/* Solve in place with the last factorization. */
int linsolve_solve(LinSolver *ls, double *b);
/* Kept factorizations: LS_KEEP more numeric factorizations of the same
 * pattern. linsolve_swap(ls, k) exchanges the current one with kept slot k
 * (either may be empty); the next linsolve_factor refactors the current
 * one in place, or factors afresh when there is none. The transient uses
 * it to bring back the factors of a step size it had before. */
enum { LS_KEEP = 4 };
void linsolve_swap(LinSolver *ls, int k);
/* Free the factorizations (current and kept); the next linsolve_factor
 * factors afresh. */
void linsolve_release(LinSolver *ls);
void linsolve_free(LinSolver *ls);
/* The same pattern with complex values (small-signal AC): Az holds nnz
 * (re, im) pairs; solve in place on n (re, im) pairs. Kept apart from the
 * real factors. */
int linsolve_factor_complex(LinSolver *ls, double *Az, int *bad_col);
int linsolve_solve_complex(LinSolver *ls, double *bz);

typedef struct LinStats {
    long factors;     /* full factorizations (pivot search) */
    long refactors;   /* refactorizations reusing pivots */
    long solves;
    long split_solves; /* ... of them on the split factors (linsolve_set_threads) */
} LinStats;
const LinStats *linsolve_stats(const LinSolver *ls);

#endif
