/* Independent references for device tests: an adaptive Dormand-Prince
 * 5(4) integrator for small ODE systems and a bracketing scalar root
 * finder (to reduce "source + series resistor + device" to one ODE in the
 * state when the device's I-V is nonlinear). Nothing here shares code with
 * the simulator. */
#ifndef MS_ODEINT_H
#define MS_ODEINT_H

typedef void (*OdeFn)(double t, const double *x, double *dxdt, void *ctx);

/* Integrate dx/dt = f(t, x) (n <= 8 states) from t0 with x (updated in
 * place) through the increasing output times tout[0..nout-1] (each reached
 * exactly, so put waveform corners among them), storing the state at each
 * in xout[k*n + j]. Error per step <= atol + rtol*|x| (componentwise).
 * hmax > 0 caps the step. Returns the number of steps, or -1 if the step
 * fell below 1e-15 of the span (the test should then fail). */
long ode_dopri45(OdeFn f, void *ctx, int n, double t0, double *x, const double *tout, int nout, double *xout,
                 double rtol, double atol, double hmax);

/* A root of g in [lo, hi] where g(lo) and g(hi) differ in sign (or one is
 * zero): Illinois-modified regula falsi to |hi - lo| <= 1e-15 (|lo|+|hi|)
 * or |g| = 0. */
double ode_root(double (*g)(double v, void *ctx), void *ctx, double lo, double hi);

#endif
