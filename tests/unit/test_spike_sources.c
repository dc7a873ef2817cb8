/* TRAIN and SPIKE source functions (issue 9): values at chosen times,
 * breakpoints at every corner (and nowhere else), the same transient as the
 * hand-written PWL they stand for, and every argument error with file:line
 * (in the library and as the exit status of the program). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "devices/waveform.h"
#include "netlist/elaborate.h"
#include "netlist/source.h"
#include "netlist/syntax.h"
#include "testutil.h"
#include "util/xmem.h"

#define MEMSPICE MS_BUILDDIR "/memspice"

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
    /* rectangular (tr = tf = 0) pulses back to back (pw = per): at each
     * jump the value before it, then the next amplitude (checked between
     * jumps: right after one the output is interpolated across it) */
    const Pt p4[] = {{0, 0},         {10e-6, 0},        {12.5e-6, 1, 1}, {15e-6, 1},      {17.5e-6, 2, 1},
                     {20e-6, 2},     {22.5e-6, 3, 1},   {25e-6, 3},      {40e-6, 0, 1}};
    check_points("TRAIN(0 1 10u 0 0 5u 5u amps=(1 2 3))", p4, (int)(sizeof p4 / sizeof p4[0]));
    /* rectangular reads right before (rtd = 0) and right after each pulse */
    const Pt p5[] = {{0, 0},        {5e-6, 0},         {7.5e-6, 0.1, 1}, {10e-6, 0.1},    {12.5e-6, 1, 1},
                     {15e-6, 1},    {17.5e-6, 0.1, 1}, {20e-6, 0.1},     {25e-6, 0, 1},   {30e-6, 0},
                     {32e-6, 1, 1}, {35e-6, 1},        {37e-6, 0.1, 1},  {40e-6, 0.1},    {45e-6, 0, 1}};
    check_points("TRAIN(0 1 10u 0 0 5u 20u 2 read=0.1 rtd=0 rpw=5u)", p5, (int)(sizeof p5 / sizeof p5[0]));
}

/* an I source takes the same functions: 1 mA pulses into 1 kOhm */
static void test_current_source(void **state)
{
    (void)state;
    TuRun *r = tu_run("i\nI1 0 a TRAIN(0 1m 2u 0.1u 0.1u 1u 5u amps=(1m -2m))\nR1 a 0 1k\n"
                      "I2 0 b SPIKE(0 1m 1u -0.5m 2u shape=saw times=(10u))\nR2 b 0 1k\n.tran 0.1u 20u\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    int a = tu_col(p, "v(a)"), b = tu_col(p, "v(b)");
    tu_close(tu_interp(p, a, 2.6e-6), 1, 0, 1e-12, "train pulse 1");
    tu_close(tu_interp(p, a, 7.6e-6), -2, 0, 1e-12, "train pulse 2");
    tu_close(tu_interp(p, a, 9e-6), 0, 0, 1e-12, "train after");
    tu_close(tu_interp(p, b, 10.01e-6), 1, 0, 1e-12, "spike peak");
    tu_close(tu_interp(p, b, 11.01e-6), -0.5, 0, 1e-12, "spike negative peak");
    tu_close(tu_interp(p, b, 12.005e-6), -0.25, 0, 1e-12, "spike negative decay");   /* half way 11.01u..13u */
    tu_free(r);
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
    /* back to back: 0.3 us triangles at 1/(0.3 us), each start computed as
     * j/rate, each end as start + 0.3u (equal up to rounding: accepted) */
    const Pt b2b[] = {{0, 0},     {0.05e-6, 1}, {0.1e-6, 0}, {0.2e-6, -0.5}, {0.3e-6, 0},
                      {0.35e-6, 1}, {0.4e-6, 0}, {0.5e-6, -0.5}, {0.6e-6, 0}, {0.65e-6, 1},
                      {2.75e-6, 1}, {2.8e-6, 0}, {2.9e-6, -0.5}, {3e-6, 0},  {3.05e-6, 1},
                      {3.1e-6, 0},  {3.2e-6, -0.5}, {3.3e-6, 0}, {4e-6, 0, 1}};
    check_points("SPIKE(0 1 0.1u -0.5 0.2u shape=tri rate={1/0.3u} stop=3u)", b2b, (int)(sizeof b2b / sizeof b2b[0]));
}

/* Every breakpoint of source V1, in order, from t = -1 up to `horizon`, as
 * the integrator asks for them (waveform_next_bp on the elaborated source),
 * against the corner times: the same count and each within 1e-18 s. The
 * corners are sums (td + k per + ...) that may differ from the decimal
 * written here in the last bits (1 ulp at 1e-4 s is 1.4e-20 s); any real
 * error is a corner missing, added or moved by >= 1 ns. */
static void check_bps(const char *src, const double *want, int n, double horizon)
{
    char *net = xasprintf("b\nV1 a 0 %s\nR1 a 0 1\n.tran 0.1u 100u\n.end\n", src);
    SourceSet ss;
    sourceset_init(&ss);
    Diag d;
    diag_init(&d, NULL);
    Netlist *nl = netlist_read_string(net, "bp.cir", &ss, &d);
    Deck *deck = nl ? elaborate(nl, NULL, &d) : NULL;
    if (!deck) fail_msg("%s: %s", src, d.buf ? d.buf : "");
    const Instance *in = circuit_find_instance(deck->ckt, "v1");
    assert_non_null(in);
    assert_non_null(in->wave);
    int got = 0;
    for (double t = -1;; got++) {
        double bp = waveform_next_bp(in->wave, t, 0.1e-6, 100e-6);
        if (!(bp < INFINITY) || bp > horizon) break;
        if (!(bp > t)) fail_msg("%s: breakpoint %d at %.17g is not after %.17g", src, got, bp, t);
        if (got >= n) fail_msg("%s: breakpoint %d at %.17g: only %d expected", src, got, bp, n);
        if (!(fabs(bp - want[got]) <= 1e-18))
            fail_msg("%s: breakpoint %d is %.17g, expected %.17g", src, got, bp, want[got]);
        t = bp;
    }
    if (got != n) fail_msg("%s: %d breakpoints, expected %d (next expected %g)", src, got, n, want[got]);
    deck_free(deck);
    netlist_free(nl);
    sourceset_free(&ss);
    diag_free(&d);
    free(net);
}

#define U(x) ((x) * 1e-6)
static void test_breakpoints(void **state)
{
    (void)state;
    /* program pulses 10u + k 20u (1u edges, 5u flat), reads 4.5u after each
     * (and 4.5u before the first), 1u edges, 2u flat */
    const double train[] = {0,       U(1.5),  U(2.5),  U(4.5),  U(5.5),  U(10),   U(11),   U(16),
                            U(17),   U(21.5), U(22.5), U(24.5), U(25.5), U(30),   U(31),   U(36),
                            U(37),   U(41.5), U(42.5), U(44.5), U(45.5), U(50),   U(51),   U(56),
                            U(57),   U(61.5), U(62.5), U(64.5), U(65.5)};
    check_bps("TRAIN(0 1 10u 1u 1u 5u 20u amps=(0.5 1 -1) read=0.1 rpw=2u)", train, 29, INFINITY);
    /* zero edges: one breakpoint per jump */
    const double jumps[] = {0, U(10), U(15), U(20), U(25)};
    check_bps("TRAIN(0 1 10u 0 0 5u 5u amps=(1 2 3))", jumps, 5, INFINITY);
    const double reads[] = {0, U(5), U(10), U(15), U(20), U(30), U(35), U(40)};
    check_bps("TRAIN(0 1 10u 0 0 5u 20u 2 read=0.1 rtd=0 rpw=5u)", reads, 8, INFINITY);
    /* saw: start, end of the jump (tr = 20n), end of the positive part,
     * end of the negative jump, end */
    const double saw[] = {0, U(5), U(5.02), U(7), U(7.02), U(15), U(30), U(30.02), U(32), U(32.02), U(40)};
    check_bps("SPIKE(0 1 2u -0.5 8u shape=saw times=(5u 30u))", saw, 11, INFINITY);
    /* tri at 50 kHz from 1u: start, peak, zero, negative peak, end */
    const double tri[] = {0,      U(1),  U(2),  U(3),  U(7),  U(11), U(21), U(22),
                          U(23),  U(27), U(31), U(41), U(42), U(43), U(47), U(51)};
    check_bps("SPIKE(0 1 2u -0.5 8u shape=tri rate=50k n=3 start=1u)", tri, 16, INFINITY);
    /* rect, tr = 0.1u, at 0 20u 40u (stop=40u included) */
    const double rect[] = {0,       U(0.1),  U(2),    U(2.1),  U(6),    U(6.1),  U(20),   U(20.1), U(22),
                           U(22.1), U(26),   U(26.1), U(40),   U(40.1), U(42),   U(42.1), U(46),   U(46.1)};
    check_bps("SPIKE(0.1 1 2u -0.5 4u 0.1u rate=50k stop=40u)", rect, 18, INFINITY);
    /* a repeating PWL (its search is shared): td 0.5u, points 0 1u 2u 3u,
     * repeating from 1u with period 2u */
    const double rep[] = {U(0.5), U(1.5), U(2.5), U(3.5), U(4.5), U(5.5), U(6.5), U(7.5), U(8.5), U(9.5)};
    check_bps("PWL(0 0 1u 1 2u -1 3u 0.5) r=1u td=0.5u", rep, 10, U(10));
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
        {"TRAIN(0 1 1u 1n 1n 1u 5u 2 read=0.1 rpw=0)", "rpw must be positive"},
        {"TRAIN(0 1 3u 1n 1n 1u 5u 2 read=0.1 rtd=-1n)", "rtd must not be negative"},
        {"TRAIN(0 1 3u 1n 1n 1u 5u 2 rpw=1u)", "rpw= and rtd= describe read pulses: give read= too"},
        {"TRAIN(0 1 3u 1n 1n 1u 5u 2 read=0.1 read=0.2)", "'read=' is given twice"},
        {"TRAIN(0 1 3u 1n 1n 1u 5u amps=(1) amps=(2))", "'amps=' is given twice"},
        {"TRAIN(0 1 3u 1n 1n 1u 5u 2 n=2)", "unexpected 'n=' in a train source"},
        {"TRAIN(0 1 1u 1n 1n 1u 2u 0)", "must be a whole number from 1 to 1e+06, got 0"},
        {"SPIKE(0 1 2u -0.5 -8u times=1u)", "tp must be positive and tn not negative"},
        {"SPIKE(0 1 2u -0.5 8u tr=0 times=1u)", "the edge time tr=0 must be positive"},
        {"SPIKE(0 1 2u -0.5 8u 0.1u tr=0.1u times=1u)", "the edge time is given twice"},
        {"SPIKE(0 1 2u -0.5 8u shape=tri tr=0.1u times=1u)", "shape=tri has no edge time"},
        {"SPIKE(0 1 2u -0.5 8u shape=tri shape=saw times=1u)", "'shape=' is given twice"},
        {"SPIKE(0 1 2u -0.5 8u rate=10k rate=20k n=2)", "'rate=' is given twice"},
        {"SPIKE(0 1 2u -0.5 8u times=(1u 20u) n=2)", "start=, stop= and n= go with rate=, not with times="},
        {"SPIKE(0 1 2u -0.5 8u n=2)", "start=, stop= and n= go with rate="},
        {"SPIKE(0 1 2u -0.5 8u rate=10k n=2 start=-1u)", "start must not be negative"},
        {"SPIKE(0 1 2u -0.5 8u rate=10k start=5u stop=1u)", "stop=1e-06 is before start=5e-06"},
        {"SPIKE(0 1 2u -0.5 8u rate=-10k n=2)", "rate must be positive, got -10000"},
        {"SPIKE(0 1 2u -0.5 8u times=())", "times=( ) lists no time"},
        {"SPIKE(0 1 2u -0.5 8u shape=square times=1u) read=0.1", "shape must be rect, tri or saw"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *net = xasprintf("e\nV1 a 0 %s\nR1 a 0 1\n.tran 1u 10u\n.end\n", cases[k].src);
        TuRun *r = tu_run_any(net);
        if (r->rc != 1 || !strstr(r->log, cases[k].msg) || !strstr(r->log, "test.cir:2:"))
            fail_msg("'%s': expected exit 1 with line 2 and '%s', got %d:\n%s", cases[k].src, cases[k].msg, r->rc,
                     r->log);
        tu_free(r);
        free(net);
    }
}

/* the program itself: exit status 1, the message with file:line on stderr,
 * for a bad TRAIN and a bad SPIKE in a netlist file */
static void test_exit_status(void **state)
{
    (void)state;
    char dir[] = "/tmp/ms_spike_XXXXXX";
    assert_non_null(mkdtemp(dir));
    static const char *const lines[][2] = {
        {"V1 a 0 TRAIN(0 1 1u 1n 1n 1u 2u amps=())", "bad.cir:3:8: error: v1: train: amps=( ) lists no amplitude"},
        {"I1 0 a SPIKE(0 1m 2u -0.5m 8u rate=0 n=3)", "bad.cir:3:8: error: i1: spike: rate must be positive, got 0"},
        {"V1 a 0 SPIKE(0 1 2u -0.5 8u times=1u bogus=1)", "bad.cir:3:38: error: unexpected 'bogus=' in a spike source"},
    };
    for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++) {
        char *cir = xasprintf("%s/bad.cir", dir), *err = xasprintf("%s/err.txt", dir);
        FILE *f = fopen(cir, "w");
        assert_non_null(f);
        fprintf(f, "bad source\n* line 2\n%s\nR1 a 0 1\n.tran 1u 10u\n.end\n", lines[k][0]);
        assert_int_equal(fclose(f), 0);
        char *cmd = xasprintf("cd '%s' && '%s' -q --no-raw bad.cir 2>err.txt", dir, MEMSPICE);
        int st = system(cmd);
        char *log = tu_read_file(err);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 1 || !strstr(log, lines[k][1]))
            fail_msg("%s: expected exit 1 and '%s', got status %d:\n%s", lines[k][0], lines[k][1], st, log);
        unlink(cir);
        unlink(err);
        free(log), free(cmd), free(cir), free(err);
    }
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_train),
        cmocka_unit_test(test_current_source),
        cmocka_unit_test(test_spike),
        cmocka_unit_test(test_breakpoints),
        cmocka_unit_test(test_same_as_pwl),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_exit_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
