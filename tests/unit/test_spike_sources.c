/* TRAIN and SPIKE source functions (issue 9): values at chosen times,
 * breakpoints at every corner, the same transient as the hand-written PWL
 * they stand for, and every argument error with file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/waveform.h"
#include "testutil.h"
#include "util/xmem.h"

/* the waveform of V1 in a one-source netlist, as elaborated */
/* points are written {t, v} (a corner) or {t, v, 1} (between corners) */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
typedef struct Pt {
    double t, v;
    int between;   /* 1: not a corner (no time point expected there) */
} Pt;

/* values: within 1e-12 absolute (they are linear interpolations of the
 * corners, exact up to rounding) */
static void check_points(const char *src, const Pt *pts, int n)
{
    char *net = xasprintf("w\nV1 a 0 %s\nR1 a 0 1\n.tran 0.1u 100u\n.end\n", src);
    TuRun *r = tu_run(net);
    const MemPlot *p = tu_plot_named(r, "Transient");
    int col = tu_col(p, "v(a)");
    for (int k = 0; k < n; k++) {
        char *what = xasprintf("%s at t=%g", src, pts[k].t);
        tu_close(tu_interp(p, col, pts[k].t), pts[k].v, 0, 1e-12, what);
        free(what);
    }
    /* every corner is a simulated time point */
    for (int k = 0; k < n; k++) {
        if (pts[k].between) continue;
        int found = 0;
        for (int i = 0; i < p->npoints; i++) found |= fabs(tu_val(p, i, 0) - pts[k].t) < 1e-15;
        if (!found) fail_msg("%s: no time point at the corner %g", src, pts[k].t);
    }
    tu_free(r);
    free(net);
}

static void test_train(void **state)
{
    (void)state;
    /* prog = tr+pw+tf = 7u; read: 4u long, centred in the 13u gap (4.5u
     * after each pulse); the read before the first pulse at 10u-4.5u-4u */
    const Pt pts[] = {
        {0, 0},        {1.5e-6, 0},   {2.5e-6, 0.1}, {4.5e-6, 0.1}, {5.5e-6, 0},  {10e-6, 0},    {11e-6, 0.5},
        {16e-6, 0.5},  {17e-6, 0},    {21.5e-6, 0},  {22.5e-6, 0.1}, {24.5e-6, 0.1}, {25.5e-6, 0}, {30e-6, 0},
        {31e-6, 1},    {36e-6, 1},    {37e-6, 0},    {50e-6, 0},    {51e-6, -1},  {56e-6, -1},   {57e-6, 0},
        {62.5e-6, 0.1}, {64.5e-6, 0.1}, {65.5e-6, 0}, {80e-6, 0, 1},
    };
    check_points("TRAIN(0 1 10u 1u 1u 5u 20u amps=(0.5 1 -1) read=0.1 rpw=2u)", pts, (int)(sizeof pts / sizeof pts[0]));
    /* fixed count, trapezoids with a base value, keywords after the list */
    const Pt p2[] = {{0, 0.2}, {5e-6, 0.2}, {7e-6, 1.2}, {8e-6, 1.2}, {11e-6, 0.2}, {15e-6, 0.2}, {17e-6, 1.2},
                     {25e-6, 0.2, 1}, {35e-6, 0.2, 1}, {37e-6, 0.2, 1}, {90e-6, 0.2, 1}};
    check_points("TRAIN(0.2 1.2 5u 2u 3u 1u 10u 2)", p2, (int)(sizeof p2 / sizeof p2[0]));
    /* read 1 us after each pulse (rtd), so the first one 1 us + 2 us before 10 us */
    const Pt p3[] = {{0, 0}, {7e-6, 0}, {7.5e-6, 0.05}, {8.5e-6, 0.05}, {9e-6, 0}, {10e-6, 0}, {10.5e-6, 1},
                     {13e-6, 0}, {14e-6, 0}, {14.5e-6, 0.05}, {16e-6, 0}};
    check_points("TRAIN 0 1 10u 0.5u 0.5u 2u 10u 1 read=0.05 rpw=1u rtd=1u", p3, (int)(sizeof p3 / sizeof p3[0]));
}

static void test_spike(void **state)
{
    (void)state;
    /* saw: jump (tr = min(tp, tn)/100 = 20 ns) to the peak, linear back to 0 */
    const Pt saw[] = {{0, 0}, {5e-6, 0}, {5.02e-6, 1}, {6e-6, 0.5050505050505051, 1}, {7e-6, 0}, {7.02e-6, -0.5},
                      {11.01e-6, -0.25, 1}, {15e-6, 0}, {30e-6, 0}, {30.02e-6, 1}, {32.02e-6, -0.5}, {40e-6, 0},
                      {60e-6, 0, 1}};
    check_points("SPIKE(0 1 2u -0.5 8u shape=saw times=(5u 30u))", saw, (int)(sizeof saw / sizeof saw[0]));
    /* tri at a rate: 50 kHz from 1 us, 3 spikes */
    const Pt tri[] = {{0, 0}, {1e-6, 0}, {2e-6, 1}, {3e-6, 0}, {5e-6, -0.25, 1}, {7e-6, -0.5}, {11e-6, 0},
                      {21e-6, 0}, {22e-6, 1}, {41e-6, 0}, {42e-6, 1}, {47e-6, -0.5}, {51e-6, 0}, {62e-6, 0, 1}};
    check_points("SPIKE(0 1 2u -0.5 8u) shape=tri rate=50k n=3 start=1u", tri, (int)(sizeof tri / sizeof tri[0]));
    /* rect (the default) with a base value, given tr, rate with stop */
    const Pt rect[] = {{0, 0.1}, {0.1e-6, 1.1}, {2e-6, 1.1}, {2.1e-6, -0.4}, {6e-6, -0.4}, {6.1e-6, 0.1},
                       {20e-6, 0.1}, {20.1e-6, 1.1}, {40e-6, 0.1}, {40.1e-6, 1.1}, {46.1e-6, 0.1}, {61e-6, 0.1, 1}};
    check_points("SPIKE(0.1 1 2u -0.5 4u 0.1u rate=50k stop=40u)", rect, (int)(sizeof rect / sizeof rect[0]));
    /* monophasic: tn = 0 */
    const Pt mono[] = {{0, 0}, {1e-6, 0}, {1.01e-6, 2}, {2e-6, 2}, {2.01e-6, 0}, {3e-6, 0, 1}};
    check_points("SPIKE(0 2 1u 0 0 times=1u)", mono, (int)(sizeof mono / sizeof mono[0]));
}

/* an RC driven by TRAIN/SPIKE and by the PWL they stand for: the same
 * corners and breakpoints, so the same time points and the same numbers.
 * Tolerance 1e-12 relative + 1e-15 absolute (currents of 1 mA; rounding zeros): TRAIN computes its corner
 * times (10u + 7u + 4.5u) where the PWL reads them written (21.5u), which
 * may differ in the last bit; nothing else differs. */
static void test_same_as_pwl(void **state)
{
    (void)state;
    const char *pairs[][2] = {
        {"TRAIN(0 1 10u 1u 1u 5u 20u amps=(0.5 1 -1) read=0.1 rpw=2u)",
         "PWL(0 0 1.5u 0 2.5u 0.1 4.5u 0.1 5.5u 0 10u 0 11u 0.5 16u 0.5 17u 0 21.5u 0 22.5u 0.1 24.5u 0.1 25.5u 0 "
         "30u 0 31u 1 36u 1 37u 0 41.5u 0 42.5u 0.1 44.5u 0.1 45.5u 0 50u 0 51u -1 56u -1 57u 0 61.5u 0 62.5u 0.1 "
         "64.5u 0.1 65.5u 0)"},
        {"SPIKE(0 1 2u -0.5 8u shape=saw tr=0.02u times=(5u 30u))",
         "PWL(0 0 5u 0 5.02u 1 7u 0 7.02u -0.5 15u 0 30u 0 30.02u 1 32u 0 32.02u -0.5 40u 0)"},
    };
    for (int k = 0; k < 2; k++) {
        char *a = xasprintf("a\nV1 in 0 %s\nR1 in out 1k\nC1 out 0 2n\n.tran 0.1u 80u\n.end\n", pairs[k][0]);
        char *b = xasprintf("a\nV1 in 0 %s\nR1 in out 1k\nC1 out 0 2n\n.tran 0.1u 80u\n.end\n", pairs[k][1]);
        TuRun *ra = tu_run(a), *rb = tu_run(b);
        const MemPlot *pa = tu_plot_named(ra, "Transient"), *pb = tu_plot_named(rb, "Transient");
        assert_int_equal(pa->npoints, pb->npoints);
        assert_int_equal(pa->nvars, pb->nvars);
        for (int i = 0; i < pa->npoints * pa->nvars; i++)
            if (!(fabs(pa->data[i] - pb->data[i]) <= 1e-12 * fabs(pb->data[i]) + 1e-15))
                fail_msg("%s differs from its PWL at value %d: %.17g vs %.17g", pairs[k][0], i, pa->data[i],
                         pb->data[i]);
        tu_free(ra);
        tu_free(rb);
        free(a);
        free(b);
    }
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *src;
        const char *msg;
    } cases[] = {
        {"TRAIN(0 1 1u 1n 1n 1u)", "train takes v0 v1 td tr tf pw per [n], 6 values given"},
        {"TRAIN(0 1 1u 1n 1n 1u 2u)", "the number of pulses (n, or the length of amps) must be a whole number"},
        {"TRAIN(0 1 1u 1n 1n 1u 2u 2.5)", "must be a whole number"},
        {"TRAIN(0 1 1u -1n 1n 1u 2u 2)", "td, tr and tf must not be negative"},
        {"TRAIN(0 1 1u 1n 1n 0 2u 2)", "pw and per must be positive"},
        {"TRAIN(0 1 1u 1n 1n 3u 2u 2)", "is longer than the period"},
        {"TRAIN(0 1 1u 1n 1n 1u 2u 3 amps=(1 2))", "n=3 but amps lists 2 amplitudes"},
        {"TRAIN(0 1 1u 1n 1n 1u 2u amps=())", "amps=( ) lists no amplitude"},
        {"TRAIN(0 1 1u 1n 1n 1u 2u 2 read=0.1)", "do not fit in the period"},
        {"TRAIN(0 1 1u 1n 1n 1u 5u 2 read=0.1)", "the read before the first pulse would start at"},
        {"TRAIN(0 1 1u 1n 1n 1u 5u 2 foo=1)", "unexpected 'foo=' in a train source"},
        {"SPIKE(0 1 2u -0.5)", "spike takes v0 ap tp an tn [tr], 4 values given"},
        {"SPIKE(0 1 2u -0.5 8u)", "spike needs its times"},
        {"SPIKE(0 1 0 -0.5 8u times=1u)", "tp must be positive"},
        {"SPIKE(0 1 2u -0.5 8u 3u times=1u)", "the edge time tr=3e-06 must be positive and shorter"},
        {"SPIKE(0 1 2u -0.5 8u times=(1u 5u))", "spikes of one source must not overlap"},
        {"SPIKE(0 1 2u -0.5 8u times=(5u 1u))", "starts before the one at"},
        {"SPIKE(0 1 2u -0.5 8u rate=1meg n=3)", "must not overlap"},
        {"SPIKE(0 1 2u -0.5 8u rate=0 n=3)", "rate must be positive"},
        {"SPIKE(0 1 2u -0.5 8u rate=10k)", "rate= needs either n= or stop="},
        {"SPIKE(0 1 2u -0.5 8u rate=10k n=2 stop=1m)", "rate= needs either n= or stop="},
        {"SPIKE(0 1 2u -0.5 8u rate=10k n=2 times=(1u))", "not both"},
        {"SPIKE(0 1 2u -0.5 8u shape=square times=1u)", "shape must be rect, tri or saw, got 'square'"},
        {"SPIKE(0 1 2u -0.5 8u times=(-1u))", "time -1e-06 is negative"},
        {"SPIKE(0 1 2u -0.5 8u rate=1 n=2e6)", "the number of spikes must be a whole number from 1 to 1e+06"},
        {"SPIKE(0 1 2u -0.5 8u times=(1u) amps=(1))", "unexpected 'amps=' in a spike source"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *net = xasprintf("e\nV1 a 0 %s\nR1 a 0 1\n.tran 1u 10u\n.end\n", cases[k].src);
        TuRun *r = tu_run_any(net);
        if (r->rc != 1 || !strstr(r->log, cases[k].msg) || !strstr(r->log, ":2:"))
            fail_msg("'%s': expected exit 1 with line 2 and '%s', got %d:\n%s", cases[k].src, cases[k].msg, r->rc,
                     r->log);
        tu_free(r);
        free(net);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_train),
        cmocka_unit_test(test_spike),
        cmocka_unit_test(test_same_as_pwl),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
