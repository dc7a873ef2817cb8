#include "memtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "odeint.h"
#include "testutil.h"

double mt_wave(const MtWave *w, double t)
{
    if (w->kind == 0) return w->a * sin(2 * 3.14159265358979323846 * w->f * t);
    if (t < w->td) return w->v1;
    double tt = fmod(t - w->td, w->per);
    if (tt < w->tr) return w->v1 + (w->v2 - w->v1) * tt / w->tr;
    if (tt < w->tr + w->pw) return w->v2;
    if (tt < w->tr + w->pw + w->tf) return w->v2 + (w->v1 - w->v2) * (tt - w->tr - w->pw) / w->tf;
    return w->v1;
}

void mt_wave_spec(const MtWave *w, char *buf, size_t n)
{
    if (w->kind == 0) snprintf(buf, n, "SIN(0 %.17g %.17g)", w->a, w->f);
    else
        snprintf(buf, n, "PULSE(%.17g %.17g %.17g %.17g %.17g %.17g %.17g)", w->v1, w->v2, w->td, w->tr, w->tf,
                 w->pw, w->per);
}

typedef struct RefCtx {
    const MtModel *m;
    const MtWave *w;
    double rs, vs;
    const double *x;
} RefCtx;

static double kvl(double v, void *c)
{
    RefCtx *r = c;
    return v + r->rs * r->m->current(v, r->x, r->m->par) - r->vs;
}

static void ref_rhs(double t, const double *x, double *dxdt, void *c)
{
    RefCtx *r = c;
    const MtModel *m = r->m;
    double xc[MT_MAXS];
    for (int k = 0; k < m->ns; k++) xc[k] = fmin(m->hi[k], fmax(m->lo[k], x[k]));
    r->vs = mt_wave(r->w, t);
    r->x = xc;
    double v = r->vs == 0 ? 0 : ode_root(kvl, r, fmin(0, r->vs), fmax(0, r->vs));
    m->rates(v, xc, dxdt, m->par);
    for (int k = 0; k < m->ns; k++)
        if ((x[k] >= m->hi[k] && dxdt[k] > 0) || (x[k] <= m->lo[k] && dxdt[k] < 0)) dxdt[k] = 0;
}

/* waveform corners up to t1, merged with the plot's times */
static int corners(const MtWave *w, double t1, double *out, int max)
{
    int n = 0;
    if (w->kind != 1) return 0;
    for (double base = w->td; base < t1 && n + 4 < max; base += w->per) {
        double c[4] = {base, base + w->tr, base + w->tr + w->pw, base + w->tr + w->pw + w->tf};
        for (int k = 0; k < 4; k++)
            if (c[k] > 0 && c[k] < t1) out[n++] = c[k];
    }
    return n;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double mt_state_error(const MemPlot *p, const char *const *cols, const MtModel *m, double rs, const MtWave *w,
                      const double *x0, double *where, int *which)
{
    int np = p->npoints, ns = m->ns;
    double t1 = tu_val(p, np - 1, 0);
    int maxc = 4 * (w->kind == 1 ? (int)(t1 / w->per) + 2 : 0) + 4;
    double *tout = malloc(sizeof(double) * (size_t)(np + maxc));
    int nt = 0;
    for (int k = 0; k < np; k++) {
        double t = tu_val(p, k, 0);
        if (t > 0) tout[nt++] = t;
    }
    nt += corners(w, t1, tout + nt, maxc);
    qsort(tout, (size_t)nt, sizeof *tout, cmp_d);
    int u = 0;
    for (int k = 0; k < nt; k++)
        if (u == 0 || tout[k] > tout[u - 1]) tout[u++] = tout[k];
    nt = u;
    double *xout = malloc(sizeof(double) * (size_t)nt * (size_t)ns);
    double x[MT_MAXS];
    for (int k = 0; k < ns; k++) x[k] = x0[k];
    RefCtx ctx = {m, w, rs, 0, NULL};
    long steps = ode_dopri45(ref_rhs, &ctx, ns, 0, x, tout, nt, xout, 1e-9, 1e-12, 0);
    if (steps < 0) fail_msg("reference integration failed (step size underflow)");
    int col[MT_MAXS];
    for (int k = 0; k < ns; k++) col[k] = tu_col(p, cols[k]);
    double worst = 0;
    int j = 0;
    /* MT_DUMP=file: write "t memspice reference" rows for state 0 */
    const char *dump = getenv("MT_DUMP");
    FILE *df = dump ? fopen(dump, "w") : NULL;
    for (int row = 0; row < np; row++) {
        double t = tu_val(p, row, 0);
        const double *xr = x0;
        if (t > 0) {
            while (j < nt && tout[j] < t) j++;
            xr = xout + (size_t)j * (size_t)ns;
        }
        if (df) fprintf(df, "%.17g %.17g %.17g\n", t, tu_val(p, row, col[0]), xr[0]);
        for (int k = 0; k < ns; k++) {
            double e = fabs(tu_val(p, row, col[k]) - xr[k]) / m->range[k];
            if (e > worst) {
                worst = e;
                if (where) *where = t;
                if (which) *which = k;
            }
        }
    }
    if (df) fclose(df);
    free(tout);
    free(xout);
    return worst;
}

void mt_check_pinched(const MemPlot *p, const char *icol, double freq, int cycles)
{
    int ci = tu_col(p, icol);
    double imax = 0;
    for (int k = 0; k < p->npoints; k++) imax = fmax(imax, fabs(tu_val(p, k, ci)));
    assert_true(imax > 0);
    /* the device current is exactly 0 at v = 0; what remains is the linear
     * interpolation between output points around the crossing (O(h^2 i''),
     * ~4e-5 of the peak with 1000 points per period). Bound 1e-3 of the
     * peak: a loop that is not pinched (any capacitive path) carries a
     * current comparable to its peak at v = 0. */
    for (int k = 1; k < 2 * cycles; k++) {
        double t = k / (2 * freq);
        double i = tu_interp(p, ci, t);
        if (fabs(i) > 1e-3 * imax)
            fail_msg("current %.3g A at the zero crossing t=%g (largest %.3g A): loop not pinched", i, t, imax);
    }
}

double mt_loop_area(const MemPlot *p, const char *vcol, const char *icol, double freq)
{
    int cv = tu_col(p, vcol), ci = tu_col(p, icol);
    double lobe[2] = {0, 0}, half = 0.5 / freq;
    for (int k = 1; k < p->npoints; k++) {
        double tm = 0.5 * (tu_val(p, k, 0) + tu_val(p, k - 1, 0));
        if (tm > 2 * half) break;
        double dv = tu_val(p, k, cv) - tu_val(p, k - 1, cv);
        lobe[tm > half] += 0.5 * (tu_val(p, k, ci) + tu_val(p, k - 1, ci)) * dv;
    }
    return fabs(lobe[0]) + fabs(lobe[1]);
}

void mt_check_bounds(const MemPlot *p, const char *col, double lo, double hi)
{
    int c = tu_col(p, col);
    for (int k = 0; k < p->npoints; k++) {
        double x = tu_val(p, k, c);
        if (!isfinite(x) || x < lo || x > hi)
            fail_msg("%s = %.17g outside [%g, %g] at t=%g", col, x, lo, hi, tu_val(p, k, 0));
    }
}

double mt_pinched_area(TuRun *r, double freq)
{
    const MemPlot *p = tu_plot_named(r, "Transient");
    mt_check_pinched(p, "i(ymemristor!m1)", freq, 2);
    double a = mt_loop_area(p, "v(a)", "i(ymemristor!m1)", freq);
    print_message("%g Hz: loop area %.4g W\n", freq, a);
    tu_free(r);
    return a;
}

void mt_check_shrinking(const double *area, int n, double factor)
{
    for (int k = 0; k + 1 < n; k++)
        if (!(area[k] > factor * area[k + 1]))
            fail_msg("loop areas %g then %g: not shrinking %gx with frequency", area[k], area[k + 1], factor);
}
