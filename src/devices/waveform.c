/* SPICE source time functions (ngspice semantics). */
#include "devices/waveform.h"

#include <math.h>
#include <stdio.h>

#include "circuit/circuit.h"
#include "engine/mna.h"
#include "util/mathx.h"

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
    static const char *const names[] = {"none", "pulse", "sin", "exp", "pwl", "sffm"};
    return names[k];
}

int waveform_check(const Waveform *w, char *msg, int msglen)
{
    static const int minargs[] = {0, 2, 2, 2, 2, 2}, maxargs[] = {0, 8, 6, 6, 1 << 30, 7};
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
    if (w->kind == WF_PWL) {
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
    for (double k = k0; k <= k0 + 1; k++) {
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

static double pwl_next_bp(const Waveform *w, double t)
{
    int npts = w->nargs / 2;
    const double *a = w->args;
    double tlast = a[2 * (npts - 1)];
    double base = w->pwl_td, x = t - base;
    if (w->pwl_r >= 0 && x >= tlast) {
        double period = tlast - w->pwl_r;
        double k = floor((x - w->pwl_r) / period);
        base += k * period;
        x = t - base;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < npts; i++)
                if (a[2 * i] >= w->pwl_r && base + a[2 * i] > t) return base + a[2 * i];
            base += period;
        }
        return INFINITY;
    }
    for (int i = 0; i < npts; i++)
        if (base + a[2 * i] > t) return base + a[2 * i];
    if (w->pwl_r >= 0) {   /* first corner of the first repetition */
        for (int i = 0; i < npts; i++)
            if (a[2 * i] > w->pwl_r) return base + tlast - w->pwl_r + a[2 * i];
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
    case WF_PWL: return pwl_value(w, t);
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
    case WF_PWL: return pwl_next_bp(w, t);
    default: return INFINITY;
    }
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
