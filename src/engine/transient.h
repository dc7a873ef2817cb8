/* Transient time stepping: the only code that knows about d/dt.
 *
 * With the method's coefficients, dQ/dt at the new point is a0*Q + b, where
 * b comes from the history (Q and dQ/dt at earlier points):
 *   backward Euler   a0 = 1/h           b = -Q_n/h
 *   trapezoidal      a0 = 2/h           b = -2Q_n/h - Qdot_n
 *   Gear-2 (BDF2, variable step, rho = h/h_prev)
 *                    a0 = (1+2rho)/(h(1+rho))
 *                    b  = -(1+rho)/h Q_n + rho^2/(h(1+rho)) Q_{n-1}
 * Step size from the local truncation error of Q (SPICE's charge-based
 * control, trtol), rejection when the error asks for less than 0.9 of the
 * step taken, Newton failure cuts the step by 8, growth at most 2x per step,
 * breakpoints hit exactly and followed by a backward-Euler step. */
#ifndef MS_TRANSIENT_H
#define MS_TRANSIENT_H

#include "engine/engine.h"

typedef struct TranStats {
    long accepted, rejected_lte, rejected_newton, iterations;
    long jumps;               /* steps whose solution jumped away from the prediction */
    double hmin_used, hmax_used;
} TranStats;

typedef struct TranCtl TranCtl;

/* y0: initial solution (n+1). uic: initial charges come from device initial
 * conditions (load with uic_init) instead of y0 alone. */
TranCtl *tran_new(Engine *e, double tstep, double tstop, double tmax, const double *y0, int uic);
/* Advance one accepted time point. 0: ok; -1: failed (error reported). */
int tran_step(TranCtl *tc);
double tran_time(const TranCtl *tc);
const double *tran_solution(const TranCtl *tc);   /* n+1 entries */
const TranStats *tran_stats(const TranCtl *tc);
void tran_free(TranCtl *tc);

#endif
