/* .meas: the analyses record the signals the measurements read, point by
 * point; when a plot ends its measurements are computed on the waveform
 * interpolated linearly between the points (as ngspice and LTspice do):
 * crossings, values at a time and window bounds fall between points, and
 * integrals are exact for the piecewise-linear waveform. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "expr/expr.h"
#include "util/xmem.h"

struct MeasRec {
    const Deck *deck;
    int kind;               /* AnalysisKind of the plot */
    MeasResults *res;
    int nsig;               /* Deck.meas_sig.n */
    int *col;               /* signal j -> index into the plot's values, -1: not recorded */
    int has_scale;
    const char *scale;      /* "time", "v-sweep", ... */
    long n, cap;
    double *x;              /* scale */
    double *y;              /* n x nsig */
    int nonmono;            /* the scale goes back (nested .dc): no waveform measurements */
};

/* ---- results ---- */

MeasResults *meas_results_alloc(int n)
{
    MeasResults *r = xcalloc(1, sizeof *r);
    r->n = n;
    r->names = xcalloc((size_t)n + 1, sizeof *r->names);
    r->value = xcalloc((size_t)n + 1, sizeof *r->value);
    r->ok = xcalloc((size_t)n + 1, 1);
    r->note = xcalloc((size_t)n + 1, sizeof *r->note);
    return r;
}

MeasResults *meas_results_new(const Deck *deck)
{
    int n = deck->meas.n;
    if (n == 0) return NULL;
    MeasResults *r = meas_results_alloc(n);
    static const char *const an[] = {"op", "dc", "tran", "ac"};
    for (int k = 0; k < n; k++) {
        const MeasReq *m = &deck->meas.v[k];
        r->names[k] = xstrdup(m->name);
        if (m->an < 0) r->note[k] = xstrdup("no analysis ran");
        else r->note[k] = xasprintf("no .%s analysis ran", an[m->an]);
    }
    return r;
}

void meas_results_free(MeasResults *r)
{
    if (!r) return;
    for (int k = 0; k < r->n; k++) {
        free(r->names[k]);
        free(r->note[k]);
    }
    free(r->names);
    free(r->value);
    free(r->ok);
    free(r->note);
    free(r);
}

void meas_results_print(const MeasResults *r, FILE *out)
{
    if (!r || !out) return;
    for (int k = 0; k < r->n; k++) {
        if (r->ok[k]) fprintf(out, "%s = %.10g%s%s\n", r->names[k], r->value[k], r->note[k] ? " " : "",
                              r->note[k] ? r->note[k] : "");
        else fprintf(out, "%s = failed (%s)\n", r->names[k], r->note[k] ? r->note[k] : "?");
    }
}

static void set_ok(MeasResults *r, int k, double v, char *note)
{
    free(r->note[k]);
    if (!isfinite(v)) {
        free(note);
        r->ok[k] = 0;
        r->note[k] = xasprintf("the value is %g", v);
        return;
    }
    r->ok[k] = 1;
    r->value[k] = v == 0 ? 0 : v;   /* no "-0" in the results */
    r->note[k] = note;
}

static void set_failed(MeasResults *r, int k, char *why)
{
    free(r->note[k]);
    r->ok[k] = 0;
    r->value[k] = 0;
    r->note[k] = why;
}

/* ---- recording ---- */

MeasRec *meas_rec_new(const Deck *deck, int kind, MeasResults *res, const int *cols, int has_scale,
                      const char *scale)
{
    if (!res || deck->meas.n == 0) return NULL;
    int any = 0;
    for (int k = 0; k < deck->meas.n; k++) any |= deck->meas.v[k].an < 0 || deck->meas.v[k].an == kind;
    if (!any) return NULL;
    MeasRec *r = xcalloc(1, sizeof *r);
    r->deck = deck;
    r->kind = kind;
    r->res = res;
    r->nsig = deck->meas_sig.n;
    r->col = xmalloc((size_t)(r->nsig ? r->nsig : 1) * sizeof *r->col);
    for (int j = 0; j < r->nsig; j++) r->col[j] = cols[j] < 0 ? -1 : cols[j] + has_scale;
    r->has_scale = has_scale;
    r->scale = scale;
    return r;
}

void meas_rec_point(MeasRec *r, const double *vals)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->x = xrealloc(r->x, (size_t)r->cap * sizeof *r->x);
        r->y = xrealloc(r->y, (size_t)r->cap * (size_t)(r->nsig ? r->nsig : 1) * sizeof *r->y);
    }
    double x = r->has_scale ? vals[0] : 0;
    if (r->n > 0 && r->has_scale) {
        double d = x - r->x[r->n - 1];
        if (d == 0) return;   /* the same scale point again: keep the first */
        if (r->n > 1 && (d > 0) != (r->x[r->n - 1] > r->x[0])) r->nonmono = 1;
    }
    r->x[r->n] = x;
    for (int j = 0; j < r->nsig; j++) r->y[r->n * r->nsig + j] = r->col[j] >= 0 ? vals[r->col[j]] : NAN;
    r->n++;
}

/* ---- the waveform ---- */

static double Y(const MeasRec *r, int j, long i)
{
    return r->y[i * r->nsig + j];
}

/* segment i with x[i] <= t <= x[i+1] (x increasing, n >= 2) */
static long segment(const MeasRec *r, double t)
{
    long lo = 0, hi = r->n - 1;
    while (hi - lo > 1) {
        long mid = (lo + hi) / 2;
        if (r->x[mid] <= t) lo = mid;
        else hi = mid;
    }
    return lo;
}

static double at(const MeasRec *r, int j, double t)
{
    if (r->n == 1) return Y(r, j, 0);
    long i = segment(r, t);
    double x0 = r->x[i], x1 = r->x[i + 1], y0 = Y(r, j, i), y1 = Y(r, j, i + 1);
    if (t <= x0) return y0;
    if (t >= x1) return y1;
    return y0 + (y1 - y0) * ((t - x0) / (x1 - x0));
}

static double lhs(const MeasRec *r, const MeasPoint *p, long i)
{
    return Y(r, p->sig, i) - (p->rhs >= 0 ? Y(r, p->rhs, i) : p->val);
}

static int sgn(double v)
{
    return (v > 0) - (v < 0);
}

/* where condition p is met inside [lo, hi]: the n-th (or last) crossing of
 * the wanted direction. The sign of sig - val changes between points
 * (points exactly at val are skipped: touching the value and going back is
 * no crossing); the place is interpolated on the segment. A start exactly
 * on the value counts when the waveform leaves it (ngspice does). */
static int crossing(const MeasRec *r, const MeasPoint *p, double lo, double hi, double *xc, long *count)
{
    if (p->td_given && p->td > lo) lo = p->td;
    long found = 0;
    int have = 0;
    long last = -1;
    int slast = 0;
    for (long i = 0; i < r->n; i++) {
        int s = sgn(lhs(r, p, i));
        if (s == 0) continue;
        /* a waveform that starts on the value and leaves it crosses at its
         * first point (as ngspice counts it) */
        if ((last >= 0 && s != slast) || (last < 0 && i > 0)) {
            double x;
            if (last < 0) {
                x = r->x[0];
            } else if (last == i - 1) {
                double d0 = lhs(r, p, last), d1 = lhs(r, p, i);
                x = r->x[last] + (r->x[i] - r->x[last]) * (d0 / (d0 - d1));
            } else {
                x = r->x[last + 1];   /* it sat on the value: the first point there */
            }
            int dir = s > 0 ? 1 : -1;
            if (x >= lo && x <= hi && (p->edge == 0 || p->edge == dir)) {
                found++;
                if (p->n == 0 || found == p->n) {
                    *xc = x;
                    have = 1;
                    if (p->n) break;
                }
            }
        }
        last = i;
        slast = s;
    }
    if (count) *count = found;
    return have ? 0 : -1;
}

static const char *edge_word(int e)
{
    return e > 0 ? "rise" : e < 0 ? "fall" : "cross";
}

static char *cond_text(const MeasRec *r, const MeasPoint *p)
{
    const Deck *dk = r->deck;
    char n[32];
    if (p->n) snprintf(n, sizeof n, "%ld", p->n);
    else snprintf(n, sizeof n, "last");
    if (p->rhs >= 0)
        return xasprintf("%s=%s (%s %s)", dk->meas_sig.v[p->sig].text, dk->meas_sig.v[p->rhs].text,
                         edge_word(p->edge), n);
    return xasprintf("%s=%g (%s %s)", dk->meas_sig.v[p->sig].text, p->val, edge_word(p->edge), n);
}

/* a point on the scale: AT= or a crossing; NULL, or why not */
static char *point(const MeasRec *r, const MeasPoint *p, double lo, double hi, double *x)
{
    if (p->sig < 0) {
        if (p->at < r->x[0] || p->at > r->x[r->n - 1])
            return xasprintf("at=%g is outside the simulated %s range %g to %g", p->at, r->scale, r->x[0],
                             r->x[r->n - 1]);
        *x = p->at;
        return NULL;
    }
    if (crossing(r, p, lo, hi, x, NULL) == 0) return NULL;
    char *c = cond_text(r, p);
    char *why = xasprintf("%s does not happen between %s=%g and %g", c, r->scale,
                          p->td_given && p->td > lo ? p->td : lo, hi);
    free(c);
    return why;
}

/* integral of sig (sq: of sig^2) over [a, b] of the piecewise-linear waveform */
static double integral(const MeasRec *r, int j, double a, double b, int sq)
{
    double sum = 0;
    for (long i = segment(r, a); i + 1 < r->n && r->x[i] < b; i++) {
        double x0 = fmax(r->x[i], a), x1 = fmin(r->x[i + 1], b);
        if (!(x1 > x0)) continue;
        double y0 = at(r, j, x0), y1 = at(r, j, x1), h = x1 - x0;
        sum += sq ? h * (y0 * y0 + y0 * y1 + y1 * y1) / 3 : h * (y0 + y1) / 2;
    }
    return sum;
}

/* extremes of sig over [a, b] (the window's ends interpolated) */
static void extremes(const MeasRec *r, int j, double a, double b, double *mn, double *xmn, double *mx, double *xmx)
{
    *mn = *mx = at(r, j, a);
    *xmn = *xmx = a;
    double yb = at(r, j, b);
    for (long i = segment(r, a); i < r->n && r->x[i] <= b; i++) {
        if (r->x[i] < a) continue;
        double y = Y(r, j, i);
        if (y < *mn) *mn = y, *xmn = r->x[i];
        if (y > *mx) *mx = y, *xmx = r->x[i];
    }
    if (yb < *mn) *mn = yb, *xmn = b;
    if (yb > *mx) *mx = yb, *xmx = b;
}

/* d sig / d scale at t: the parabola through the three points around t */
static double derivative(const MeasRec *r, int j, double t)
{
    if (r->n < 3) return (Y(r, j, 1) - Y(r, j, 0)) / (r->x[1] - r->x[0]);
    long i = segment(r, t);
    long i0 = (t - r->x[i] < r->x[i + 1] - t) ? i - 1 : i;
    if (i0 < 0) i0 = 0;
    if (i0 + 2 >= r->n) i0 = r->n - 3;
    double x0 = r->x[i0], x1 = r->x[i0 + 1], x2 = r->x[i0 + 2];
    double y0 = Y(r, j, i0), y1 = Y(r, j, i0 + 1), y2 = Y(r, j, i0 + 2);
    return y0 * ((t - x1) + (t - x2)) / ((x0 - x1) * (x0 - x2)) + y1 * ((t - x0) + (t - x2)) / ((x1 - x0) * (x1 - x2)) +
           y2 * ((t - x0) + (t - x1)) / ((x2 - x0) * (x2 - x1));
}

static void measure(MeasRec *r, int k)
{
    const MeasReq *m = &r->deck->meas.v[k];
    MeasResults *res = r->res;
    if (m->kind == MEAS_PARAM) {
        int nv = expr_prog_nvars(m->param);
        const int *slots = expr_prog_vars(m->param);
        for (int v = 0; v < nv; v++)
            if (!res->ok[slots[v]]) {
                set_failed(res, k, xasprintf("it uses %s, which failed", res->names[slots[v]]));
                return;
            }
        expr_prog_clear_error(m->param);
        set_ok(res, k, expr_eval(m->param, res->value), NULL);
        return;
    }
    if (r->n == 0) {
        set_failed(res, k, xstrdup("the analysis has no points"));
        return;
    }
    if (!r->has_scale) {   /* operating point: one value per signal, FIND only */
        if (m->kind == MEAS_FIND) set_ok(res, k, Y(r, m->sig, 0), NULL);
        else set_failed(res, k, xstrdup("an operating point has one value per signal: only FIND measures it"));
        return;
    }
    if (r->nonmono) {
        set_failed(res, k, xasprintf("the %s scale is not monotonic (a nested .dc sweep): measure one sweep at a time",
                                     r->scale));
        return;
    }
    if (r->n < 2) {
        set_failed(res, k, xstrdup("the analysis has one point: nothing to interpolate"));
        return;
    }
    double xa = r->x[0], xb = r->x[r->n - 1];
    double a = m->from_given ? fmax(m->from, xa) : xa, b = m->to_given ? fmin(m->to, xb) : xb;
    if (a > b || (m->from_given && m->from > xb) || (m->to_given && m->to < xa)) {
        set_failed(res, k, xasprintf("the window %g to %g is outside the simulated %s range %g to %g",
                                     m->from_given ? m->from : xa, m->to_given ? m->to : xb, r->scale, xa, xb));
        return;
    }
    double x, x2, v;
    char *why;
    switch (m->kind) {
    case MEAS_FIND:
    case MEAS_DERIV:
        if (m->at_given) {
            MeasPoint p = {.sig = -1, .at = m->at};
            if ((why = point(r, &p, a, b, &x))) {
                set_failed(res, k, why);
                return;
            }
            set_ok(res, k, m->kind == MEAS_FIND ? at(r, m->sig, x) : derivative(r, m->sig, x), NULL);
        } else {
            if ((why = point(r, &m->when, a, b, &x))) {
                set_failed(res, k, why);
                return;
            }
            set_ok(res, k, m->kind == MEAS_FIND ? at(r, m->sig, x) : derivative(r, m->sig, x),
                   xasprintf("at=%.10g", x));
        }
        return;
    case MEAS_WHEN:
        if ((why = point(r, &m->when, a, b, &x))) set_failed(res, k, why);
        else set_ok(res, k, x, NULL);
        return;
    case MEAS_TRIGTARG:
        if ((why = point(r, &m->when, a, b, &x)) || (why = point(r, &m->targ, a, b, &x2))) {
            set_failed(res, k, why);
            return;
        }
        set_ok(res, k, x2 - x, xasprintf("targ=%.10g trig=%.10g", x2, x));
        return;
    case MEAS_COUNT: {
        long count = 0;
        MeasPoint p = m->when;
        p.n = 0;
        crossing(r, &p, a, b, &x, &count);
        set_ok(res, k, (double)count, NULL);
        return;
    }
    case MEAS_INTEG: set_ok(res, k, integral(r, m->sig, a, b, 0), NULL); return;
    case MEAS_AVG:
    case MEAS_RMS:
        if (!(b > a)) {
            set_failed(res, k, xasprintf("the window %g to %g is empty", a, b));
            return;
        }
        v = integral(r, m->sig, a, b, m->kind == MEAS_RMS) / (b - a);
        set_ok(res, k, m->kind == MEAS_RMS ? sqrt(fmax(v, 0)) : v, NULL);
        return;
    case MEAS_MIN:
    case MEAS_MAX:
    case MEAS_MIN_AT:
    case MEAS_MAX_AT:
    case MEAS_PP: {
        double mn, xmn, mx, xmx;
        extremes(r, m->sig, a, b, &mn, &xmn, &mx, &xmx);
        if (m->kind == MEAS_PP) set_ok(res, k, mx - mn, NULL);
        else if (m->kind == MEAS_MIN) set_ok(res, k, mn, xasprintf("at=%.10g", xmn));
        else if (m->kind == MEAS_MAX) set_ok(res, k, mx, xasprintf("at=%.10g", xmx));
        else if (m->kind == MEAS_MIN_AT) set_ok(res, k, xmn, xasprintf("with=%.10g", mn));   /* ngspice's MIN_AT */
        else set_ok(res, k, xmx, xasprintf("with=%.10g", mx));
        return;
    }
    case MEAS_PARAM: break;
    }
}

void meas_rec_finish(MeasRec *r, int complete)
{
    if (!r) return;
    if (r->has_scale && r->n > 1 && r->x[r->n - 1] < r->x[0]) {   /* a sweep going down: turn it round */
        for (long i = 0, j = r->n - 1; i < j; i++, j--) {
            double t = r->x[i];
            r->x[i] = r->x[j];
            r->x[j] = t;
            for (int s = 0; s < r->nsig; s++) {
                t = r->y[i * r->nsig + s];
                r->y[i * r->nsig + s] = r->y[j * r->nsig + s];
                r->y[j * r->nsig + s] = t;
            }
        }
    }
    for (int k = 0; k < r->deck->meas.n; k++) {
        const MeasReq *m = &r->deck->meas.v[k];
        if (m->an >= 0 && m->an != r->kind) continue;
        if (!complete) set_failed(r->res, k, xstrdup("the analysis did not finish"));
        else measure(r, k);
    }
    free(r->col);
    free(r->x);
    free(r->y);
    free(r);
}
