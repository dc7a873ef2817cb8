/* The neuron netlists of netlists/neurons/ (docs/neurons.md): each
 * behaviour asserted through the netlist's own .meas lines with --param
 * overrides, and spike timing converged: with reltol halved the measured
 * spike times move by less than 1%. (The relaxation oscillator's period
 * against the two-state formula and its window: tests/unit/test_threshold.c;
 * the VO2 neuristor against RK4: tests/unit/test_vo2.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odeint.h"
#include "testutil.h"
#include "util/xmem.h"

#define NEURONS MS_SRCDIR "/netlists/neurons/"

/* the measurement `name` at the netlist's tolerance and at half of it:
 * within 1% */
static double converged(const char *cir, const char *param, const char *name)
{
    const char *p1[] = {param, NULL}, *p2[] = {param, "rtol=5e-4", NULL};
    if (!param) p1[0] = NULL, p2[0] = "rtol=5e-4", p2[1] = NULL;
    double a = tu_meas(cir, p1, name), b = tu_meas(cir, p2, name);
    tu_close(b, a, 0.01, 0, "spike time with reltol halved");
    return a;
}

/* LIF: the input pulses (2 us every 5 us) must add up before it fires: N
 * pulses, N falling as vin rises; it resets after every spike (in steady
 * firing the membrane swings between about the hold level and the
 * threshold, never far above it); the spike count rises with the input
 * rate; below the input where the average drive reaches the threshold
 * (rate 150 kHz at 3 V: duty 0.3) it does not fire at all. */
static void test_lif(void **state)
{
    (void)state;
    const char *cir = NEURONS "lif.cir";
    const char *vins[] = {"vin=2.5", "vin=3", "vin=4", "vin=6"};
    double nprev = 1e9;
    for (int k = 0; k < 4; k++) {
        const char *ps[] = {vins[k], NULL};
        double n = tu_meas(cir, ps, "nfirst");
        tu_ge(n, k < 3 ? 3 : 2, "it integrates several pulses before firing");
        tu_le(n, nprev - 1, "N falls as vin rises");
        nprev = n;
        converged(cir, vins[k], "tfirst");
    }
    tu_le(tu_meas(cir, NULL, "vlow"), 0.45, "the spike resets the membrane");
    tu_le(tu_meas(cir, NULL, "vhigh"), 1.05, "the membrane never goes far above the threshold");
    const char *r0[] = {"rate=150000", NULL}, *r1[] = {"rate=200000", NULL}, *r2[] = {"rate=300000", NULL};
    double s0 = tu_meas(cir, r0, "spikes"), s1 = tu_meas(cir, r1, "spikes"), s2 = tu_meas(cir, r2, "spikes");
    tu_le(s0, 0, "no firing when the input is too sparse");
    tu_ge(s1, 3, "firing at 200 kHz");
    tu_ge(s2, s1 + 3, "firing rate rises with the input rate");
}

/* Mott neuristor (Pickett topology, YMOTT level 1): all-or-nothing (a
 * 0.5 us pulse of 0.9 V: no spike, the output stays below 0.3 V; 1.0 V: a
 * full spike); refractory (a second pulse 1 us after the first does not
 * fire, one 4 us after does); tonic spiking under a sustained input, the
 * rate rising with vin, none at 0.3 V; bursting at 1.5 V (two output
 * spikes per "Na" event) */
static void test_neuristor(void **state)
{
    (void)state;
    const char *cir = NEURONS "neuristor.cir";
    const char *below[] = {"vin=0.9", NULL}, *above[] = {"vin=1", NULL};
    tu_le(tu_meas(cir, below, "spikes"), 0, "no spike below the threshold input");
    tu_le(tu_meas(cir, below, "vpeak"), 0.3, "... and no partial spike");
    tu_close(tu_meas(cir, above, "spikes"), 1, 0, 0, "one spike above it");
    tu_ge(tu_meas(cir, above, "vpeak"), 0.7, "a full spike");
    const char *early[] = {"t2=2e-6", NULL}, *late[] = {"t2=5e-6", NULL};
    tu_close(tu_meas(cir, early, "spikes"), 1, 0, 0, "a second pulse inside the refractory period does not fire");
    tu_close(tu_meas(cir, late, "spikes"), 2, 0, 0, "one after it does");
    double prev = 0;
    const char *vins[] = {"vin=0.4", "vin=0.5", "vin=0.9"};
    for (int k = 0; k < 3; k++) {
        const char *ps[] = {vins[k], "pw=4e-5", "tstop=5e-5", NULL};
        double n = tu_meas(cir, ps, "spikes");
        tu_ge(n, prev + 3, "tonic spiking, faster as vin rises");
        tu_close(tu_meas(cir, ps, "naspikes"), n, 0, 0, "one output spike per Na event");
        prev = n;
    }
    const char *sub[] = {"vin=0.3", "pw=4e-5", "tstop=5e-5", NULL};
    tu_le(tu_meas(cir, sub, "spikes"), 0, "no spiking below the sustained threshold");
    const char *burst[] = {"vin=1.5", "pw=4e-5", "tstop=5e-5", NULL};
    double nb = tu_meas(cir, burst, "spikes"), na = tu_meas(cir, burst, "naspikes");
    print_message("bursting at 1.5 V: %g output spikes for %g Na events\n", nb, na);
    tu_ge(na, 10, "sustained Na events");
    tu_close(nb, 2 * na, 0, 0, "two output spikes per Na event: bursts");
    converged(cir, NULL, "tfirst");
}

/* HH-like action potential: rest level, a rise to a peak far above it,
 * an after-hyperpolarization below rest, recovery to rest; one per
 * suprathreshold pulse, none below */
static void test_hh(void **state)
{
    (void)state;
    const char *cir = NEURONS "hh.cir";
    double rest = tu_meas(cir, NULL, "vrest"), peak = tu_meas(cir, NULL, "vpeak");
    double ahp = tu_meas(cir, NULL, "vahp"), end = tu_meas(cir, NULL, "vend");
    print_message("rest %.3f V, peak %.3f V, after-hyperpolarization %.3f V, end %.3f V\n", rest, peak, ahp, end);
    tu_ge(peak - rest, 0.5, "rise and overshoot");
    tu_le(ahp, rest - 0.05, "after-hyperpolarization below rest");
    tu_close(end, rest, 0, 1e-3, "recovery to rest");
    tu_close(tu_meas(cir, NULL, "spikes"), 1, 0, 0, "one action potential");
    const char *below[] = {"vin=0.5", NULL};
    tu_le(tu_meas(cir, below, "spikes"), 0, "none below threshold");
    converged(cir, NULL, "tpeak");
}

/* Diffusive-memristor LIF: no spike at 1.5 V (below the threshold
 * input); above it the first spike comes sooner as vin rises; the
 * spike resets the membrane (it falls through 0.45 V within 50 us of the
 * spike); after the input the filament relaxes (x < 0.1 at the end, from
 * 1 at the spike) */
static void test_diffusive_lif(void **state)
{
    (void)state;
    const char *cir = NEURONS "diffusive_lif.cir";
    const char *below[] = {"vin=1.5", NULL};
    tu_le(tu_meas(cir, below, "spikes"), 0, "no spike below threshold");
    double prev = 1;
    const char *vins[] = {"vin=2.5", "vin=4", "vin=6"};
    for (int k = 0; k < 3; k++) {
        const char *ps[] = {vins[k], NULL};
        double t = converged(cir, vins[k], "tfirst");
        tu_le(t, prev * 0.9, "the delay to firing shrinks as vin rises");
        tu_le(tu_meas(cir, ps, "treset") - t, 50e-6, "the spike resets the membrane");
        tu_close(tu_meas(cir, ps, "xmax"), 1, 0, 1e-9, "the filament completes at the spike");
        tu_le(tu_meas(cir, ps, "xend"), 0.1, "and relaxes after the input");
        prev = t;
    }
}

/* Diffusive nociceptor: no output at 0.5 V; the delay shrinks as vin grows;
 * the output stops with the stimulus; a second stimulus 4 ms after the
 * first ends responds at once (the filament has not relaxed), one 100 ms
 * after responds like the first (it has) */
static void test_nociceptor(void **state)
{
    (void)state;
    const char *cir = NEURONS "nociceptor.cir";
    const char *below[] = {"vin=0.5", NULL};
    tu_le(tu_meas(cir, below, "vmax"), 1e-4, "no output below threshold");
    double prev = 1;
    const char *vins[] = {"vin=0.7", "vin=1", "vin=2"};
    for (int k = 0; k < 3; k++) {
        const char *ps[] = {vins[k], NULL};
        double dly = converged(cir, vins[k], "delay");
        tu_le(dly, prev * 0.8, "the delay shrinks as vin grows");
        tu_close(tu_meas(cir, ps, "toff"), 21e-3, 0, 0.1e-3, "the output stops with the stimulus");
        prev = dly;
    }
    double first = tu_meas(cir, NULL, "delay");
    const char *soon[] = {"t2=0.025", "tstop=0.05", NULL}, *late[] = {"t2=0.12", "tstop=0.15", NULL};
    double d_soon = tu_meas(cir, soon, "delay2"), d_late = tu_meas(cir, late, "delay2");
    print_message("delay %.3g ms; second stimulus 4 ms after: %.3g ms, 99 ms after: %.3g ms\n", first * 1e3,
                  d_soon * 1e3, d_late * 1e3);
    tu_le(d_soon, 0.01 * first, "sensitized: the filament has not relaxed 4 ms after");
    tu_ge(d_late, 0.8 * first, "relaxed 99 ms after");
}

/* SNN: three memristor synapses into the threshold-switch LIF: one or two
 * active inputs stay below threshold, three fire it; a stronger synapse 1
 * doubles the firing; the synapse states stay where they were set (reads
 * do not program them) */
static void test_snn(void **state)
{
    (void)state;
    const char *cir = NEURONS "snn.cir";
    const char *one[] = {"on2=0", "on3=0", NULL}, *two[] = {"on3=0", NULL}, *strong[] = {"w1=0.7", NULL};
    tu_le(tu_meas(cir, one, "spikes"), 0, "one input: below threshold");
    tu_le(tu_meas(cir, two, "spikes"), 0, "two inputs: below threshold");
    double n3 = tu_meas(cir, NULL, "spikes"), ns = tu_meas(cir, strong, "spikes");
    tu_ge(n3, 5, "three inputs together fire the neuron");
    tu_ge(ns, 1.5 * n3, "a stronger synapse makes it fire more");
    tu_close(tu_meas(cir, NULL, "w1end"), 0.5, 0, 1e-3, "the synapse keeps its weight");
    converged(cir, NULL, "tfirst");
}

/* VO2 firing modes from one circuit, only R and C changed (and the step's
 * amplitude for the excitability and latency curves): tonic spiking
 * (regular: the mean interval within 10% of the first), phasic spiking
 * (one spike for a held step), tonic bursting (two output spikes per m1
 * event), spike-frequency adaptation (the mean interval 30% above the
 * first, against 10% without the input capacitor at the same vin),
 * class-2 excitability (none at 6.4 V, at 6.6 V a finite rate: the
 * first interval below 40 us), spike latency (the first spike later for a
 * weaker step) */
static void test_vo2_modes(void **state)
{
    (void)state;
    const char *cir = NEURONS "vo2_modes.cir";
    double n = tu_meas(cir, NULL, "spikes");
    tu_ge(n, 8, "tonic spiking");
    tu_close(tu_meas(cir, NULL, "isimean"), tu_meas(cir, NULL, "isi1"), 0.1, 0, "tonic: regular");
    converged(cir, NULL, "t3");
    const char *phasic[] = {"cin=1e-9", NULL};
    tu_close(tu_meas(cir, phasic, "spikes"), 1, 0, 0, "phasic: one spike for a held step");
    const char *burst[] = {"c2=5e-11", NULL};
    double nb = tu_meas(cir, burst, "spikes"), na = tu_meas(cir, burst, "naspikes");
    tu_ge(na, 8, "bursting: sustained m1 events");
    tu_ge(nb, 1.8 * na, "bursting: two output spikes per m1 event");
    const char *adapt[] = {"cin=3e-9", "rp=1e5", "vin=20", NULL}, *plain[] = {"vin=20", NULL};
    double a1 = tu_meas(cir, adapt, "isi1"), am = tu_meas(cir, adapt, "isimean");
    double p1 = tu_meas(cir, plain, "isi1"), pm = tu_meas(cir, plain, "isimean");
    print_message("adaptation: intervals %.3g -> mean %.3g us; without Cin %.3g -> %.3g us\n", a1 * 1e6, am * 1e6,
                  p1 * 1e6, pm * 1e6);
    tu_ge(am, 1.3 * a1, "adaptation: the spikes slow down");
    tu_le(pm, 1.1 * p1, "... which they do not without the input capacitor");
    const char *below[] = {"vin=6.4", NULL}, *onset[] = {"vin=6.6", NULL};
    tu_le(tu_meas(cir, below, "spikes"), 0, "class 2: silent below threshold");
    tu_le(tu_meas(cir, onset, "isi1"), 40e-6, "class 2: firing starts at a finite rate");
    const char *weak[] = {"vin=7", NULL};
    tu_ge(tu_meas(cir, weak, "t1"), 1.5 * tu_meas(cir, plain, "t1"), "latency: a weaker step fires later");
}

/* inter-spike intervals (s) of v (sampled at t[i], v[i * vstride]) crossing
 * `thr` upward after t0 (re-armed 200 below), interpolated; *n of them */
static double *crossings_isi(const double *t, const double *v, int np, int vstride, double thr, double t0, int *n)
{
    double *ts = xcalloc((size_t)np + 1, sizeof *ts), *isi = xcalloc((size_t)np + 1, sizeof *isi);
    int nt = 0, arm = 1;
    for (int i = 1; i < np; i++) {
        double a = v[(size_t)(i - 1) * vstride], b = v[(size_t)i * vstride];
        if (arm && a < thr && b >= thr) {
            double tc = t[i - 1] + (thr - a) / (b - a) * (t[i] - t[i - 1]);
            if (tc > t0) ts[nt++] = tc;
            arm = 0;
        }
        if (!arm && b < thr - 200) arm = 1;
    }
    for (int k = 1; k < nt; k++) isi[k - 1] = ts[k] - ts[k - 1];
    *n = nt > 0 ? nt - 1 : 0;
    free(ts);
    return isi;
}

/* statistics of the last (up to) 300 intervals: the means of the even-
 * and odd-numbered ones, the largest deviation of an interval from its
 * parity's mean, min, max, and the number of distinct values in 0.1 ns
 * bins */
typedef struct Isi {
    int n, distinct;
    double even, odd, spread, min, max;
} Isi;

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static Isi isi_stats(const double *isi, int n)
{
    Isi r = {0};
    if (n > 300) isi += n - 300, n = 300;
    double s[2] = {0, 0};
    int c[2] = {0, 0};
    r.min = INFINITY;
    for (int k = 0; k < n; k++) {
        s[k % 2] += isi[k], c[k % 2]++;
        r.min = fmin(r.min, isi[k]);
        r.max = fmax(r.max, isi[k]);
    }
    r.n = n;
    r.even = c[0] ? s[0] / c[0] : 0;
    r.odd = c[1] ? s[1] / c[1] : 0;
    for (int k = 0; k < n; k++) r.spread = fmax(r.spread, fabs(isi[k] - (k % 2 ? r.odd : r.even)) / (k % 2 ? r.odd : r.even));
    double *b = xcalloc((size_t)n + 1, sizeof *b);
    for (int k = 0; k < n; k++) b[k] = floor(isi[k] / 0.1e-9);
    qsort(b, (size_t)n, sizeof *b, cmp_dbl);
    for (int k = 0; k < n; k++) r.distinct += k == 0 || b[k] != b[k - 1];
    free(b);
    return r;
}

static Isi plot_isi(const MemPlot *p, const char *col, double thr, double t0)
{
    int c = tu_col(p, col), n;
    double *t = xcalloc((size_t)p->npoints, sizeof *t), *v = xcalloc((size_t)p->npoints, sizeof *v);
    for (int i = 0; i < p->npoints; i++) t[i] = tu_val(p, i, 0), v[i] = tu_val(p, i, c);
    double *isi = crossings_isi(t, v, p->npoints, 1, thr, t0, &n);
    Isi r = isi_stats(isi, n);
    free(isi);
    free(t);
    free(v);
    return r;
}

/* the kumar3 circuit written here from docs/devices/mott.md: states v (Cp),
 * T, m; i and the heat from the level 2/3 equations */
static double k3_g(double v, double t, double m)
{
    const double kb = 8.617333262e-5, qe = 1.602176634e-19, e0 = 8.8541878128e-12, d = 20e-9;
    double f = sqrt(v * v + 1e-12) / d, om = sqrt(qe * qe * qe / (3.14159265358979323846 * e0 * 45)) / qe;
    double x = om * sqrt(f) / (kb * t);
    double pf = x < 1e-3 ? 1 + x / 3 : (1 + (x - 1) * exp(x)) / (x * x) + 0.5;
    return 1.4e5 * 7.07e-16 / d * exp(-0.2 / (kb * t)) * pf * (1 + 9 * m);
}

static void k3_rhs(double time, const double *y, double *dy, void *ctx)
{
    double vin = *(const double *)ctx;
    double v = y[0], t = y[1], m = fmin(fmax(y[2], 0), 1), g = k3_g(v, t, m), den = 1 / (1 + 300 * g);
    double vs = vin * fmin(time / 10e-9, 1);   /* PULSE(0 vin 0 10n): a 10 ns ramp */
    dy[0] = ((vs - v) / 20e3 - v * g * den) / 5e-12;
    dy[1] = (v * v * g * den * den - (t - 300.15) / 1.5e6) / 1e-15;
    double up = 1 / (1 + exp(-(t - 1181) / 5)), dn = 1 / (1 + exp(-(981 - t) / 5));
    dy[2] = (up * (1 - m) - dn * m) / 10e-9;
}

/* the same statistics from a Dormand-Prince integration (rtol 1e-10) of
 * the circuit, T sampled every 0.02 ns for 14 us */
static Isi reference_isi(double vin)
{
    enum { NT = 700000 };
    double *tout = xcalloc(NT, sizeof *tout), *xout = xcalloc(3 * (size_t)NT, sizeof *xout);
    for (int i = 0; i < NT; i++) tout[i] = 0.02e-9 * (i + 1);
    double y[3] = {0, 300.15, 0};
    long steps = ode_dopri45(k3_rhs, &vin, 3, 0, y, tout, NT, xout, 1e-10, 1e-12, 0.01e-9);
    tu_ge((double)steps, 1, "the reference integration finishes");
    int n;
    double *isi = crossings_isi(tout, xout + 1, NT, 3, 900, 2e-6, &n);   /* T: column 1 of xout */
    Isi r = isi_stats(isi, n);
    free(isi);
    free(tout);
    free(xout);
    return r;
}

/* Kumar-type third-order neuron (kumar3.cir), a .step over the bias:
 *  - 4.5 V tonic: even and odd intervals equal within 1%, one 0.1 ns bin
 *    or two;
 *  - 5.1 V period 2: a short and a long interval alternating (> 10%
 *    apart), each repeating within 2%;
 *  - 5.008 V aperiodic: at least 15 distinct 0.1 ns bins in the last 300
 *    intervals, spanning more than 10% of the mean.
 * Each regime against a Dormand-Prince integration of the circuit written
 * here: the tonic and period-2 intervals within 1%; the chaotic
 * distribution's bounds within 1% and its breadth (at least 15 bins). The
 * same with reltol halved (the chaotic sequence itself diverges, as
 * chaos does; its distribution does not). */
static void test_kumar3(void **state)
{
    (void)state;
    char *text = tu_read_file(NEURONS "kumar3.cir");
    Isi st[2][3];
    const char *name[3] = {"4.5", "5.1", "5.008"};
    for (int pass = 0; pass < 2; pass++) {
        if (pass) {   /* reltol halved */
            char *at = strstr(text, "rtol=1e-3");
            tu_ge(at != NULL, 1, "kumar3.cir sets rtol=1e-3");
            memcpy(at, "rtol=5e-4", 9);
        }
        TuRun *r = tu_run(text);
        int k = 0;
        for (int i = 0; i < mem_sink_nplots(r->sink) && k < 3; i++) {
            const MemPlot *p = mem_sink_plot(r->sink, i);
            if (strncmp(p->plotname, "Transient", 9) != 0) continue;
            Isi *q = &st[pass][k];
            *q = plot_isi(p, "v(out)", 900, 2e-6);
            print_message("%svin %s: %d intervals, even %.3f odd %.3f ns, spread %.3g, %.3f..%.3f ns, %d bins\n",
                          pass ? "reltol/2: " : "", name[k], q->n, q->even * 1e9, q->odd * 1e9, q->spread, q->min * 1e9,
                          q->max * 1e9, q->distinct);
            k++;
        }
        tu_free(r);
        tu_close(k, 3, 0, 0, "three steps");
        const Isi *a = st[pass];
        tu_close(a[0].odd, a[0].even, 0.01, 0, "4.5 V: tonic");
        tu_ge(fabs(a[1].odd - a[1].even) / fmin(a[1].odd, a[1].even), 0.1, "5.1 V: alternating intervals");
        tu_le(a[1].spread, 0.02, "5.1 V: period 2 (each interval repeats)");
        tu_ge(a[2].distinct, 15, "5.008 V: a broad interval distribution");
        tu_ge((a[2].max - a[2].min) / (0.5 * (a[2].even + a[2].odd)), 0.1, "5.008 V: spanning over 10% of the mean");
        for (int j = 0; j < 3; j++) tu_ge(a[j].n, 250, "sustained spiking");
    }
    free(text);
    const double vins[3] = {4.5, 5.1, 5.008};
    for (int k = 0; k < 3; k++) {
        Isi ref = reference_isi(vins[k]);
        print_message("reference at %s V: even %.3f odd %.3f ns, %.3f..%.3f ns, %d bins\n", name[k], ref.even * 1e9,
                      ref.odd * 1e9, ref.min * 1e9, ref.max * 1e9, ref.distinct);
        for (int pass = 0; pass < 2; pass++) {
            const Isi *q = &st[pass][k];
            if (k < 2) {
                tu_close(fmin(q->even, q->odd), fmin(ref.even, ref.odd), 0.01, 0, "shorter interval against the reference");
                tu_close(fmax(q->even, q->odd), fmax(ref.even, ref.odd), 0.01, 0, "longer interval against the reference");
            } else {
                tu_close(q->min, ref.min, 0.01, 0, "chaotic: shortest interval against the reference");
                tu_close(q->max, ref.max, 0.01, 0, "chaotic: longest interval against the reference");
                tu_ge(ref.distinct, 15, "chaotic in the reference too");
            }
        }
    }
}

/* VO2 neuristor: tonic spiking at 13.44 V, faster at higher input,
 * silent at 9.96 V (no noise); period converged */
static void test_vo2_neuristor(void **state)
{
    (void)state;
    const char *cir = NEURONS "vo2_neuristor.cir";
    double per = converged(cir, NULL, "period");
    tu_close(per, 2.56e-6, 0.02, 0, "period (test_vo2: RK4 reference 2.568 us)");
    const char *lo[] = {"vin=9.96", NULL}, *mid[] = {"vin=11", NULL};
    tu_le(tu_meas(cir, lo, "spikes"), 0, "silent at 9.96 V");
    double s11 = tu_meas(cir, mid, "spikes"), s13 = tu_meas(cir, NULL, "spikes");
    tu_ge(s13, s11 + 3, "spike rate rises with vin");
}

/* ten VO2 neuristors with inputs 12.0 ... 13.8 V, coupled only through
 * thermal resistors between neighbours: uncoupled (rth = 1e9 K/W) their
 * spike counts in 80 us spread over several spikes; coupled
 * (rth = 20 kK/W) the rates lock (spread of at most one spike, from the
 * window edges). Spike times converged. */
static void test_vo2_chain(void **state)
{
    (void)state;
    const char *cir = NEURONS "vo2_chain.cir";
    const char *un[] = {"rth=1e9", NULL}, *co[] = {"rth=20000", NULL};
    double su = tu_meas(cir, un, "spread"), sc = tu_meas(cir, co, "spread");
    tu_ge(su, 4, "uncoupled: different rates");
    tu_le(sc, 1, "thermally coupled: locked rates");
    converged(cir, "rth=20000", "t10");
}

/* relaxation oscillator: period converged */
static void test_oscillator_converged(void **state)
{
    (void)state;
    converged(NEURONS "oscillator.cir", NULL, "period");
    converged(NEURONS "oscillator.cir", "vin=4.5", "period");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lif),
        cmocka_unit_test(test_vo2_neuristor),
        cmocka_unit_test(test_vo2_chain),
        cmocka_unit_test(test_oscillator_converged),
        cmocka_unit_test(test_neuristor),
        cmocka_unit_test(test_hh),
        cmocka_unit_test(test_diffusive_lif),
        cmocka_unit_test(test_nociceptor),
        cmocka_unit_test(test_snn),
        cmocka_unit_test(test_vo2_modes),
        cmocka_unit_test(test_kumar3),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
