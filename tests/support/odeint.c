/* Dormand & Prince, "A family of embedded Runge-Kutta formulae", J. Comp.
 * Appl. Math. 6(1), 19-26, 1980: the RK5(4)7M coefficients, with the
 * standard step-size controller (safety 0.9, growth within [0.2, 5]). */
#include "odeint.h"

#include <math.h>
#include <string.h>

enum { ODE_MAXN = 8 };

static const double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
static const double a21 = 1.0 / 5;
static const double a31 = 3.0 / 40, a32 = 9.0 / 40;
static const double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
static const double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729;
static const double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                    a65 = -5103.0 / 18656;
static const double b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84;
/* b - b* (5th minus embedded 4th order weights) */
static const double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                    e6 = 22.0 / 525, e7 = -1.0 / 40;

/* one trial step of size h; returns the scaled error norm, new state in xn */
static double dp_step(OdeFn f, void *ctx, int n, double t, const double *x, double h, const double *k1,
                      double *xn, double *k7, double rtol, double atol)
{
    double k2[ODE_MAXN], k3[ODE_MAXN], k4[ODE_MAXN], k5[ODE_MAXN], k6[ODE_MAXN], xt[ODE_MAXN];
    for (int j = 0; j < n; j++) xt[j] = x[j] + h * a21 * k1[j];
    f(t + c2 * h, xt, k2, ctx);
    for (int j = 0; j < n; j++) xt[j] = x[j] + h * (a31 * k1[j] + a32 * k2[j]);
    f(t + c3 * h, xt, k3, ctx);
    for (int j = 0; j < n; j++) xt[j] = x[j] + h * (a41 * k1[j] + a42 * k2[j] + a43 * k3[j]);
    f(t + c4 * h, xt, k4, ctx);
    for (int j = 0; j < n; j++) xt[j] = x[j] + h * (a51 * k1[j] + a52 * k2[j] + a53 * k3[j] + a54 * k4[j]);
    f(t + c5 * h, xt, k5, ctx);
    for (int j = 0; j < n; j++)
        xt[j] = x[j] + h * (a61 * k1[j] + a62 * k2[j] + a63 * k3[j] + a64 * k4[j] + a65 * k5[j]);
    f(t + h, xt, k6, ctx);
    for (int j = 0; j < n; j++) xn[j] = x[j] + h * (b1 * k1[j] + b3 * k3[j] + b4 * k4[j] + b5 * k5[j] + b6 * k6[j]);
    f(t + h, xn, k7, ctx);
    double err = 0;
    for (int j = 0; j < n; j++) {
        double ej = h * (e1 * k1[j] + e3 * k3[j] + e4 * k4[j] + e5 * k5[j] + e6 * k6[j] + e7 * k7[j]);
        double sc = atol + rtol * fmax(fabs(x[j]), fabs(xn[j]));
        double r = ej / sc;
        err += r * r;
    }
    return sqrt(err / n);
}

long ode_dopri45(OdeFn f, void *ctx, int n, double t0, double *x, const double *tout, int nout, double *xout,
                 double rtol, double atol, double hmax)
{
    if (n < 1 || n > ODE_MAXN) return -1;
    double t = t0, k1[ODE_MAXN], k7[ODE_MAXN], xn[ODE_MAXN];
    double span = nout ? tout[nout - 1] - t0 : 0;
    double h = span > 0 ? span * 1e-6 : 0;
    if (hmax > 0 && h > hmax) h = hmax;
    long steps = 0;
    f(t, x, k1, ctx);
    for (int k = 0; k < nout; k++) {
        while (t < tout[k]) {
            double hs = fmin(h, tout[k] - t);
            int last = hs == tout[k] - t;
            double err = dp_step(f, ctx, n, t, x, hs, k1, xn, k7, rtol, atol);
            double fac = err > 0 ? 0.9 * pow(err, -0.2) : 5;
            fac = fmin(5, fmax(0.2, fac));
            if (err <= 1) {
                t = last ? tout[k] : t + hs;
                memcpy(x, xn, (size_t)n * sizeof *x);
                memcpy(k1, k7, (size_t)n * sizeof *k1);
                steps++;
                if (!last || fac < 1) h = hs * fac;
            } else {
                h = hs * fac;
            }
            if (hmax > 0 && h > hmax) h = hmax;
            if (h < 1e-15 * (span > 0 ? span : 1)) return -1;
        }
        memcpy(xout + (size_t)k * (size_t)n, x, (size_t)n * sizeof *x);
    }
    return steps;
}

double ode_root(double (*g)(double v, void *ctx), void *ctx, double lo, double hi)
{
    double glo = g(lo, ctx), ghi = g(hi, ctx);
    if (glo == 0) return lo;
    if (ghi == 0) return hi;
    int side = 0;
    for (int it = 0; it < 400; it++) {
        double m = (lo * ghi - hi * glo) / (ghi - glo);
        if (!(m > fmin(lo, hi) && m < fmax(lo, hi))) m = 0.5 * (lo + hi);
        double gm = g(m, ctx);
        if (gm == 0) return m;
        if ((gm > 0) == (ghi > 0)) {
            hi = m;
            ghi = gm;
            if (side == 1) glo *= 0.5;
            side = 1;
        } else {
            lo = m;
            glo = gm;
            if (side == -1) ghi *= 0.5;
            side = -1;
        }
        if (fabs(hi - lo) <= 1e-15 * (fabs(lo) + fabs(hi))) break;
    }
    return 0.5 * (lo + hi);
}
