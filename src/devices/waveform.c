/* SPICE source time functions (ngspice semantics). */
#include "devices/waveform.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "circuit/circuit.h"
#include "engine/mna.h"
#include "util/mathx.h"
#include "util/xmem.h"

static double arg(const Waveform *w, int k, double def)
{
    return k < w->nargs ? w->args[k] : def;
}

/* argument that SPICE replaces by a default when missing or zero */
static double arg_nz(const Waveform *w, int k, double def)
{
    double v = arg(w, k, 0);
    return v != 0 ? v : def;
}

/* SIN and SFFM frequencies default to 1/tstop; outside a transient there is
 * no tstop and only t = 0 is evaluated, where the frequency does not matter */
static double per_default(double tstop)
{
    return tstop > 0 ? 1 / tstop : 0;
}

const char *waveform_name(WaveKind k)
{
    static const char *const names[] = {"none", "pulse", "sin", "exp", "pwl", "sffm", "train", "spike"};
    return names[k];
}

int waveform_check(const Waveform *w, char *msg, int msglen)
{
    static const int minargs[] = {0, 2, 2, 2, 2, 2, 2, 2}, maxargs[] = {0, 8, 6, 6, 1 << 30, 7, 1 << 30, 1 << 30};
    if (w->nargs < minargs[w->kind] || w->nargs > maxargs[w->kind]) {
        snprintf(msg, (size_t)msglen, "%s takes %d to %d values, %d given", waveform_name(w->kind),
                 minargs[w->kind], maxargs[w->kind], w->nargs);
        return -1;
    }
    if (w->kind == WF_PULSE) {
        for (int k = 2; k < w->nargs && k < 7; k++)
            if (w->args[k] < 0) {
                snprintf(msg, (size_t)msglen, "pulse: times must not be negative (value %d is %g)", k + 1,
                         w->args[k]);
                return -1;
            }
    }
    if (w->kind == WF_PWL || w->kind == WF_TRAIN || w->kind == WF_SPIKE) {   /* the last two as built */
        if (w->nargs % 2) {
            snprintf(msg, (size_t)msglen, "pwl needs time-value pairs, %d values given", w->nargs);
            return -1;
        }
        for (int k = 2; k < w->nargs; k += 2)
            if (!(w->args[k] >= w->args[k - 2]) || (k >= 4 && w->args[k] == w->args[k - 4])) {
                snprintf(msg, (size_t)msglen, "pwl times must not decrease (at most two equal times for a "
                         "jump): %g follows %g", w->args[k], w->args[k - 2]);
                return -1;
            }
        if (w->pwl_r >= 0) {
            int found = 0;
            for (int k = 0; k < w->nargs; k += 2) found |= w->args[k] == w->pwl_r;
            if (!found || w->pwl_r >= w->args[w->nargs - 2]) {
                snprintf(msg, (size_t)msglen, "pwl r=%g must be one of the time points before the last",
                         w->pwl_r);
                return -1;
            }
        }
    }
    return 0;
}

typedef struct Pulse {
    double v1, v2, td, tr, tf, pw, per, np;
} Pulse;

static Pulse pulse_of(const Waveform *w, double tstep, double tstop)
{
    Pulse p;
    p.v1 = arg(w, 0, 0);
    p.v2 = arg(w, 1, 0);
    p.td = arg(w, 2, 0);
    p.tr = arg_nz(w, 3, tstep);
    p.tf = arg_nz(w, 4, tstep);
    p.pw = arg_nz(w, 5, tstop);
    p.per = arg_nz(w, 6, tstop);
    p.np = arg(w, 7, 0);
    return p;
}

static double pulse_value(const Pulse *p, double t)
{
    double x = t - p->td;
    if (x <= 0) return p->v1;
    /* wrap into the period only past its end, as ngspice: t - td == per
     * still belongs to the first period (a step written with the default
     * per = tstop keeps v2 at tstop) */
    if (p->per > 0 && x > p->per) {
        double k = floor(x / p->per);
        if (p->np > 0 && k >= p->np) return p->v1;
        x -= k * p->per;
    }
    if (x <= p->tr) return p->v1 + (p->v2 - p->v1) * x / p->tr;
    x -= p->tr;
    if (x <= p->pw) return p->v2;
    x -= p->pw;
    if (x <= p->tf) return p->v2 + (p->v1 - p->v2) * x / p->tf;
    return p->v1;
}

static double pulse_next_bp(const Pulse *p, double t)
{
    double corner[4] = {0, p->tr, p->tr + p->pw, p->tr + p->pw + p->tf};
    double k0 = 0;
    if (t > p->td && p->per > 0) k0 = floor((t - p->td) / p->per);
    for (int j = 0; j < 2; j++) {   /* this period and the next (k0 + 1 may round to k0: a counter) */
        double k = k0 + j;
        if (p->np > 0 && k >= p->np) return INFINITY;
        double base = p->td + k * (p->per > 0 ? p->per : 0);
        for (int c = 0; c < 4; c++)
            if (base + corner[c] > t) return base + corner[c];
        if (p->per <= 0) return INFINITY;
    }
    return INFINITY;
}

static double sin_value(const Waveform *w, double t, double tstop)
{
    double vo = arg(w, 0, 0), va = arg(w, 1, 0), freq = arg_nz(w, 2, per_default(tstop));
    double td = arg(w, 3, 0), theta = arg(w, 4, 0), phase = arg(w, 5, 0) * MS_PI / 180;
    double x = t - td;
    if (x <= 0) return vo + va * sin(phase);
    return vo + va * sin(2 * MS_PI * freq * x + phase) * exp(-x * theta);
}

/* ngspice's program (not its manual) takes a missing or zero td1 as tstep */
static double exp_value(const Waveform *w, double t, double tstep)
{
    double v1 = arg(w, 0, 0), v2 = arg(w, 1, 0), td1 = arg_nz(w, 2, tstep), tau1 = arg_nz(w, 3, tstep);
    double td2 = arg_nz(w, 4, td1 + tstep), tau2 = arg_nz(w, 5, tstep);
    if (t <= td1) return v1;
    double v = v1 + (v2 - v1) * (1 - exp(-(t - td1) / tau1));
    if (t > td2) v += (v1 - v2) * (1 - exp(-(t - td2) / tau2));
    return v;
}

/* PWL time with td removed and repetition folded back */
static double pwl_local(const Waveform *w, double t)
{
    double x = t - w->pwl_td, tlast = w->args[w->nargs - 2];
    if (w->pwl_r >= 0 && x > tlast) {
        double period = tlast - w->pwl_r;
        x = w->pwl_r + fmod(x - w->pwl_r, period);
    }
    return x;
}

static double pwl_value(const Waveform *w, double t)
{
    int npts = w->nargs / 2;
    const double *a = w->args;
    double x = pwl_local(w, t);
    if (x <= a[0]) return a[1];
    if (x > a[2 * (npts - 1)]) return a[2 * npts - 1];
    /* first point at or after x: at a jump (two equal times) the value is
     * the one before the jump, so a step lands on the breakpoint and the
     * new value starts right after it */
    int lo = 0, hi = npts - 1;   /* a[2lo] < x <= a[2hi] */
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (a[2 * mid] < x) lo = mid;
        else hi = mid;
    }
    double t0 = a[2 * lo], t1 = a[2 * hi];
    if (x == t1) return a[2 * hi + 1];
    return a[2 * lo + 1] + (a[2 * hi + 1] - a[2 * lo + 1]) * (x - t0) / (t1 - t0);
}

/* first point i in [lo, npts) with base + a[2i] > t (npts if none): the
 * times do not decrease, and neither do they with base added, so a binary
 * search (TRAIN and SPIKE make PWLs of up to millions of corners, and this
 * runs at every time step) */
static int pwl_first_after(const double *a, int lo, int npts, double base, double t)
{
    int hi = npts;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (base + a[2 * mid] > t) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

static double pwl_next_bp(const Waveform *w, double t)
{
    int npts = w->nargs / 2;
    const double *a = w->args;
    double tlast = a[2 * (npts - 1)];
    double base = w->pwl_td, x = t - base;
    if (w->pwl_r >= 0 && x >= tlast) {
        double period = tlast - w->pwl_r;
        double k = floor((x - w->pwl_r) / period);
        /* the repeated points after r: repetition k's point at r is the
         * instant of repetition k-1's last point, at or before t (computed
         * the other way it could come back a few ulps after t) */
        int i0 = pwl_first_after(a, 0, npts, 0, w->pwl_r);
        base += k * period;
        for (int pass = 0; pass < 2; pass++) {
            int i = pwl_first_after(a, i0, npts, base, t);
            if (i < npts) return base + a[2 * i];
            base += period;
        }
        return INFINITY;
    }
    int i = pwl_first_after(a, 0, npts, base, t);
    if (i < npts) return base + a[2 * i];
    if (w->pwl_r >= 0) {   /* first corner of the first repetition */
        i = pwl_first_after(a, 0, npts, 0, w->pwl_r);
        if (i < npts) return base + tlast - w->pwl_r + a[2 * i];
    }
    return INFINITY;
}

static double sffm_value(const Waveform *w, double t, double tstop)
{
    double vo = arg(w, 0, 0), va = arg(w, 1, 0), fc = arg_nz(w, 2, per_default(tstop)), mdi = arg(w, 3, 0);
    double fs = arg_nz(w, 4, per_default(tstop)), pc = arg(w, 5, 0) * MS_PI / 180, ps = arg(w, 6, 0) * MS_PI / 180;
    return vo + va * sin(2 * MS_PI * fc * t + pc + mdi * sin(2 * MS_PI * fs * t + ps));
}

double waveform_value(const Waveform *w, double t, double tstep, double tstop)
{
    switch (w->kind) {
    case WF_PULSE: {
        Pulse p = pulse_of(w, tstep, tstop);
        return pulse_value(&p, t);
    }
    case WF_SIN: return sin_value(w, t, tstop);
    case WF_EXP: return exp_value(w, t, tstep);
    case WF_PWL:
    case WF_TRAIN:
    case WF_SPIKE: return pwl_value(w, t);
    case WF_SFFM: return sffm_value(w, t, tstop);
    default: return 0;
    }
}

double waveform_next_bp(const Waveform *w, double t, double tstep, double tstop)
{
    switch (w->kind) {
    case WF_PULSE: {
        Pulse p = pulse_of(w, tstep, tstop);
        return pulse_next_bp(&p, t);
    }
    case WF_SIN: {
        double td = arg(w, 3, 0);
        return td > t ? td : INFINITY;
    }
    case WF_EXP: {
        double td1 = arg_nz(w, 2, tstep), td2 = arg_nz(w, 4, td1 + tstep);
        if (td1 > t) return td1;
        return td2 > t ? td2 : INFINITY;
    }
    case WF_PWL:
    case WF_TRAIN:
    case WF_SPIKE: return pwl_next_bp(w, t);
    default: return INFINITY;
    }
}

/* ---- TRAIN and SPIKE: built as PWL corners ---- */

typedef struct Corners {
    double *a;           /* t0 v0 t1 v1 ... */
    int n, cap;          /* values (2 per corner) */
    double snap;         /* a time this much before the last one is rounding: take the last */
} Corners;

/* append a corner. Parts that fit exactly (a read right after its program
 * pulse, back-to-back spikes) meet at one time computed two ways, which may
 * differ in the last bits: within c->snap the later corner takes the
 * earlier time. A third corner at one time replaces the second (the value
 * at a jump is the one before it, the value right after is the last). */
static void corner(Corners *c, double t, double v)
{
    if (c->n >= 2) {
        double last = c->a[c->n - 2];
        if (t < last && last - t <= c->snap) t = last;
        if (t == last && c->a[c->n - 1] == v) return;   /* the same corner again */
        if (t == last && c->n >= 4 && c->a[c->n - 4] == t) {
            c->a[c->n - 1] = v;
            if (c->a[c->n - 3] == v) c->n -= 2;   /* back to the value before the jump: no jump */
            return;
        }
    }
    if (c->n + 2 > c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->a = xrealloc(c->a, (size_t)c->cap * sizeof *c->a);
    }
    c->a[c->n++] = t;
    c->a[c->n++] = v;
}

/* a trapezoid from base v0 to v starting at s: edges tr, tf, flat w */
static void trapezoid(Corners *c, double v0, double s, double v, double tr, double w, double tf)
{
    corner(c, s, v0);
    corner(c, s + tr, v);
    corner(c, s + tr + w, v);
    corner(c, s + tr + w + tf, v0);
}

static int bad(char *msg, int msglen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *msg, int msglen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)msglen, fmt, ap);
    va_end(ap);
    return -1;
}

static int whole(double x)
{
    return x >= 1 && x <= WAVE_MAX_EVENTS && x == floor(x);
}

/* Parts that should fit exactly (a pulse as long as the period, a read
 * right after its pulse, spikes back to back) are computed as sums that may
 * miss by a few ulps: a fit within this fraction of the period (spike
 * length) counts as exact. */
#define WAVE_FIT_EPS 1e-9

static int build_train(const Waveform *w, const WaveKeys *k, Corners *c, char *msg, int msglen)
{
    if (w->nargs < 7 || w->nargs > 8)
        return bad(msg, msglen, "train takes v0 v1 td tr tf pw per [n], %d values given", w->nargs);
    double v0 = w->args[0], v1 = w->args[1], td = w->args[2], tr = w->args[3], tf = w->args[4], pw = w->args[5],
           per = w->args[6];
    if (!(td >= 0) || !(tr >= 0) || !(tf >= 0)) return bad(msg, msglen, "train: td, tr and tf must not be negative");
    if (!(pw > 0) || !(per > 0)) return bad(msg, msglen, "train: pw and per must be positive");
    double n = w->nargs == 8 ? w->args[7] : k->list_given ? k->nlist : 0;
    if (k->list_given && k->nlist == 0) return bad(msg, msglen, "train: amps=( ) lists no amplitude");
    if (!whole(n))
        return bad(msg, msglen, "train: the number of pulses (n, or the length of amps) must be a whole number from "
                   "1 to %g, got %g", WAVE_MAX_EVENTS, n);
    if (k->list_given && w->nargs == 8 && n != k->nlist)
        return bad(msg, msglen, "train: n=%g but amps lists %d amplitudes", n, k->nlist);
    if (!k->read_given && (k->rpw_given || k->rtd_given))
        return bad(msg, msglen, "train: rpw= and rtd= describe read pulses: give read= too");
    double eps = WAVE_FIT_EPS * per, prog = tr + pw + tf;
    c->snap = eps;
    if (prog > per + eps)
        return bad(msg, msglen, "train: a pulse (tr+pw+tf = %g) is longer than the period %g", prog, per);
    double rpw = k->rpw_given ? k->rpw : pw, rlen = tr + rpw + tf, gap = 0;
    if (k->read_given) {
        if (!(rpw > 0)) return bad(msg, msglen, "train: rpw must be positive");
        if (k->rtd_given && !(k->rtd >= 0)) return bad(msg, msglen, "train: rtd must not be negative");
        gap = k->rtd_given ? k->rtd : (per - prog - rlen) / 2;
        if (gap < -eps || prog + gap + rlen > per + eps)
            return bad(msg, msglen, "train: a program pulse (%g), the read delay (%g) and a read pulse (%g) do not fit "
                       "in the period %g", prog, gap, rlen, per);
        gap = fmax(gap, 0);
        if (td - gap - rlen < -eps)
            return bad(msg, msglen, "train: the read before the first pulse would start at %g, before 0: make td at "
                       "least %g", td - gap - rlen, gap + rlen);
    }
    corner(c, 0, v0);
    if (k->read_given) trapezoid(c, v0, fmax(td - gap - rlen, 0), k->read, tr, rpw, tf);
    for (long j = 0; j < (long)n; j++) {
        double s = td + j * per;
        trapezoid(c, v0, s, k->list_given ? k->list[j] : v1, tr, pw, tf);
        if (k->read_given) trapezoid(c, v0, s + prog + gap, k->read, tr, rpw, tf);
    }
    return 0;
}

/* SPIKE: the asymmetric bipolar spike used for memristive STDP, a short
 * positive part followed by a longer, smaller negative part; the saw shape
 * (a jump to the peak, then a linear decay to 0, in each part) is the one of
 * C. Zamarreno-Ramos, L. A. Camunas-Mesa, J. A. Perez-Carrasco,
 * T. Masquelier, T. Serrano-Gotarredona and B. Linares-Barranco, "On
 * spike-timing-dependent-plasticity, memristive devices, and building a
 * self-learning visual cortex", Front. Neurosci. 5:26 (2011).
 * rect and tri are the usual simplifications. */
static int build_spike(const Waveform *w, const WaveKeys *k, Corners *c, char *msg, int msglen)
{
    if (w->nargs < 5 || w->nargs > 6)
        return bad(msg, msglen, "spike takes v0 ap tp an tn [tr], %d values given", w->nargs);
    double v0 = w->args[0], ap = w->args[1], tp = w->args[2], an = w->args[3], tn = w->args[4];
    if (!(tp > 0) || !(tn >= 0)) return bad(msg, msglen, "spike: tp must be positive and tn not negative");
    if (w->nargs == 6 && k->tr_given)
        return bad(msg, msglen, "spike: the edge time is given twice (6th value and tr=)");
    if (k->shape == SPIKE_TRI && (w->nargs == 6 || k->tr_given))
        return bad(msg, msglen, "spike: shape=tri has no edge time (the triangles' sides are its edges): drop tr");
    double tr = w->nargs == 6 ? w->args[5] : k->tr_given ? k->tr : fmin(tp, tn > 0 ? tn : tp) / 100;
    if (k->shape != SPIKE_TRI && (!(tr > 0) || tr >= tp || (tn > 0 && tr >= tn)))
        return bad(msg, msglen, "spike: the edge time tr=%g must be positive and shorter than tp and tn", tr);
    /* one spike, relative to its start (docs/netlist.md) */
    double rel[12];
    int nr = 0;
#define P(t, v) (rel[nr++] = (t), rel[nr++] = (v))
    switch (k->shape) {
    case SPIKE_RECT:
        P(0, 0), P(tr, ap), P(tp, ap);
        if (tn > 0) P(tp + tr, an), P(tp + tn, an), P(tp + tn + tr, 0);
        else P(tp + tr, 0);
        break;
    case SPIKE_TRI:
        P(0, 0), P(tp / 2, ap), P(tp, 0);
        if (tn > 0) P(tp + tn / 2, an), P(tp + tn, 0);
        break;
    case SPIKE_SAW:
        P(0, 0), P(tr, ap), P(tp, 0);
        if (tn > 0) P(tp + tr, an), P(tp + tn, 0);
        break;
    }
#undef P
    double dur = rel[nr - 2], eps = WAVE_FIT_EPS * dur;
    c->snap = eps;
    /* the start times */
    long count;
    if (k->list_given) {
        if (k->rate_given) return bad(msg, msglen, "spike: give times=( ... ) or rate=, not both");
        if (k->start_given || k->stop_given || k->n_given)
            return bad(msg, msglen, "spike: start=, stop= and n= go with rate=, not with times=( ... )");
        if (k->nlist == 0) return bad(msg, msglen, "spike: times=( ) lists no time");
        count = k->nlist;
    } else if (k->rate_given) {
        if (!(k->rate > 0)) return bad(msg, msglen, "spike: rate must be positive, got %g", k->rate);
        if (k->start_given && !(k->start >= 0)) return bad(msg, msglen, "spike: start must not be negative");
        if (k->n_given == k->stop_given) return bad(msg, msglen, "spike: rate= needs either n= or stop=");
        double start = k->start_given ? k->start : 0;
        if (k->stop_given && !(k->stop >= start))
            return bad(msg, msglen, "spike: stop=%g is before start=%g", k->stop, start);
        double nn = k->n_given ? k->n : floor((k->stop - start) * k->rate * (1 + 1e-12)) + 1;
        if (!whole(nn))
            return bad(msg, msglen, "spike: the number of spikes must be a whole number from 1 to %g, got %g",
                       WAVE_MAX_EVENTS, nn);
        count = (long)nn;
    } else {
        if (k->start_given || k->stop_given || k->n_given)
            return bad(msg, msglen, "spike: start=, stop= and n= go with rate=");
        return bad(msg, msglen, "spike needs its times: times=(t1 t2 ...) or rate=F with n= or stop=");
    }
    double start = k->start_given ? k->start : 0, prev = -INFINITY;
    corner(c, 0, v0);
    for (long j = 0; j < count; j++) {
        double t0 = k->list_given ? k->list[j] : start + j / k->rate;
        if (!(t0 >= 0)) return bad(msg, msglen, "spike: time %g is negative", t0);
        if (t0 < prev + dur - eps)
            return bad(msg, msglen, "spike: the spike at %g starts before the one at %g has ended (each lasts %g); "
                       "spikes of one source must not overlap (sum two sources instead)", t0, prev, dur);
        for (int q = 0; q < nr; q += 2) corner(c, t0 + rel[q], v0 + rel[q + 1]);
        prev = t0;
    }
    return 0;
}

int waveform_build(Waveform *w, const WaveKeys *k, char *msg, int msglen)
{
    Corners c = {0};
    int rc = w->kind == WF_TRAIN ? build_train(w, k, &c, msg, msglen) : build_spike(w, k, &c, msg, msglen);
    if (rc) {
        free(c.a);
        return -1;
    }
    free(w->args);
    w->args = c.a;
    w->nargs = c.n;
    w->pwl_r = -1;
    w->pwl_td = 0;
    return 0;
}

double source_value(const Instance *in, double dc, int dc_given, const LoadCtx *c)
{
    const Waveform *w = in->wave;
    double v;
    /* ngspice: DC analyses use the DC value when given, else the waveform
     * at t = 0; a transient (and its initial point) follows the waveform */
    if (!w || w->kind == WF_NONE || (!c->tran && dc_given))
        v = dc;
    else
        v = waveform_value(w, c->tran ? c->t : 0, c->tstep, c->tstop);
    return v * c->srcfact;
}

double sources_next_breakpoint(InstGroup *g, double t, const LoadCtx *c)
{
    double bp = INFINITY;
    for (int i = 0; i < g->n; i++) {
        const Instance *in = group_inst(g, i);
        if (!in->wave) continue;
        double x = waveform_next_bp(in->wave, t, c->tstep, c->tstop);
        if (x < bp) bp = x;
    }
    return bp;
}
