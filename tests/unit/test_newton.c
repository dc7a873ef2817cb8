/* Transient Newton options: chord iterations and the predictor must not
 * change results beyond the Newton tolerance, and must hold exact
 * properties (a memory state under no drive stays bit-identical). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/xmem.h"

/* a 4x4 crossbar of linear-drift memristors with 2 ohm wires, two rows
 * pulsed: the benchmark's circuit in small */
static char *crossbar(const char *opts)
{
    /* row r: r<r>_in -> r<r>_0 -> r<r>_1 ... through 2 ohm segments; column
     * c: c0_<c> -> c1_<c> ... -> ground; a memristor at every crossing */
    char *s = xstrdup("");
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) {
            char prev[32], next[32];
            if (c) snprintf(prev, sizeof prev, "r%d_%d", r, c - 1);
            else snprintf(prev, sizeof prev, "r%d_in", r);
            if (r < 3) snprintf(next, sizeof next, "c%d_%d", r + 1, c);
            else snprintf(next, sizeof next, "0");
            char *t = xasprintf("%sRw%d_%d %s r%d_%d 2\nRv%d_%d c%d_%d %s 2\nYMEMRISTOR m%d_%d r%d_%d c%d_%d mm xo=%g\n",
                                s, r, c, prev, r, c, r, c, r, c, next, r, c, r, c, r, c, 0.2 + 0.05 * (r + c));
            free(s);
            s = t;
        }
    char *net = xasprintf("crossbar 4x4\n%s\n.model mm memristor level=1 ron=100 roff=16k d=5n uv=1e-10 p=1 "
                          "window=1\nVr0 r0_in 0 PULSE(0 3.5 0.5u 0.1u 0.1u 1.5u 5u)\n"
                          "Vr2 r2_in 0 PULSE(0 -3 1u 0.1u 0.1u 1u 4u)\nVr1 r1_in 0 0\nVr3 r3_in 0 0\n%s"
                          ".tran 10n 10u\n.end\n",
                          opts, s);
    free(s);
    return net;
}

static double range_of(const MemPlot *p, int c)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int k = 0; k < p->npoints; k++) {
        lo = fmin(lo, tu_val(p, k, c));
        hi = fmax(hi, tu_val(p, k, c));
    }
    return hi - lo;
}

/* every column of b at a's time points (both runs take the same steps
 * here: tmax-limited), relative to the column's range */
static double worst_diff(const MemPlot *a, const MemPlot *b, const char **which)
{
    assert_int_equal(a->nvars, b->nvars);
    double worst = 0;
    for (int c = 1; c < a->nvars; c++) {
        int cb = tu_col(b, a->names[c]);
        /* scale: the signal's range, at least 1e-3 of its size (a signal
         * that barely moves is compared at the Newton tolerance) */
        double rg = range_of(a, c), mag = 0;
        for (int k = 0; k < a->npoints; k++) mag = fmax(mag, fabs(tu_val(a, k, c)));
        rg = fmax(rg, 1e-3 * mag);
        if (rg == 0) continue;
        for (int k = 0; k < a->npoints; k++) {
            double t = tu_val(a, k, 0);
            double d = fabs(tu_val(a, k, c) - tu_interp(b, cb, t)) / rg;
            if (d > worst) {
                worst = d;
                *which = a->names[c];
            }
        }
    }
    return worst;
}

/* Chord iterations and the predictor against plain Newton from the last
 * point: the same waveforms within 1e-4 of each signal's range (the
 * Newton tolerance is reltol 1e-3 on the updates; measured ~1e-5) */
/* Runs of two netlists differ by at most `bound` of each signal's range
 * (n0 the reference), and signal `moving` of the reference moves by at
 * least `move` */
static void runs_agree(char *n0, char *n1, const char *what, double bound, const char *moving, double move)
{
    TuRun *r1 = tu_run(n1), *r0 = tu_run(n0);
    const MemPlot *p1 = tu_plot_named(r1, "Transient"), *p0 = tu_plot_named(r0, "Transient");
    const char *which = "";
    double w = worst_diff(p0, p1, &which);
    print_message("%s: largest difference %.3g of the range (%s)\n", what, w, which);
    tu_le(w, bound, what);
    tu_ge(range_of(p0, tu_col(p0, moving)), move, "the reference's signal moves");
    tu_free(r1);
    tu_free(r0);
    free(n1);
    free(n0);
}

static void test_chord_predictor_match_full_newton(void **state)
{
    (void)state;
    runs_agree(crossbar(".options chord=0 predictor=0"), crossbar(""), "chord + predictor vs full Newton", 1e-4,
               "x(ymemristor!m0_0)", 0.05);
}

/* A memory state with no drive keeps its value over a long transient, with
 * chord iterations and the quadratic predictor on (an extrapolation
 * written as y + differences predicts an unmoved quantity exactly); what
 * remains is the rounding of the sparse solves through the state's
 * coupling to its node: bound 1e-14 (measured 1.1e-16) */
static void test_memory_state_untouched(void **state)
{
    (void)state;
    TuRun *r = tu_run("retention\nV1 a 0 PULSE(0 2 1u 10n 10n 1u 1)\nR1 a b 100\nYMEMRISTOR m1 b 0 mm xo=0.3\n"
                      "YMEMRISTOR m2 c 0 mm xo=0.7\nR2 c 0 1k\n.model mm memristor level=1 uv=1e-10 window=2 p=1\n"
                      ".tran 10n 20u\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    int c2 = tu_col(p, "x(ymemristor!m2)"), c1 = tu_col(p, "x(ymemristor!m1)");
    for (int k = 0; k < p->npoints; k++) tu_close(tu_val(p, k, c2), 0.7, 0, 1e-14, "undriven state");
    tu_ge(fabs(tu_val(p, p->npoints - 1, c1) - 0.3), 0.01, "the driven state moved");
    tu_free(r);
}

/* A Yakopcic crossbar written with .crossbar, 2 ohm wires, every 4th row
 * pulsed (bench's ykbar in small) */
static char *ykbar(int k, const char *tran, const char *opts)
{
    char *rows = xstrdup("");
    for (int r = 0; r < k; r++) {
        char *t = r % 4 == 0 ? xasprintf("%sVr%d xb.rl%d 0 PULSE(0 %s 0u 10u 10u 300u 1m)\n", rows, r, r,
                                         r % 8 ? "-0.5" : "0.5")
                             : xasprintf("%sVr%d xb.rl%d 0 0\n", rows, r, r);
        free(rows);
        rows = t;
    }
    for (int c = 0; c < k; c++) {
        char *t = xasprintf("%sVc%d xb.cb%d 0 0\n", rows, c, c);
        free(rows);
        rows = t;
    }
    char *net = xasprintf("ykbar %dx%d\n.model yk memristor level=3 a1=0.17 a2=0.17 b=0.05 vp=0.16 vn=0.15 "
                          "ap=4000 an=4000 xp=0.3 xn=0.5 alphap=1 alphan=5 eta=1\n"
                          ".crossbar xb rows=%d cols=%d model=yk rrow=2 rcol=2 xo=0.11\n%s%s\n.tran %s\n.end\n",
                          k, k, k, k, rows, opts, tran);
    free(rows);
    return net;
}

/* Condensed device states (the default) against the full system: the same
 * waveforms within 1e-4 of each signal's range (the Newton tolerance, as
 * for chord iterations above; measured ~1e-6) on a 16x16 Yakopcic array
 * whose states move */
static void test_condensed_matches_full(void **state)
{
    (void)state;
    runs_agree(ykbar(16, "2u 400u", ".options condense=0"), ykbar(16, "2u 400u", ""), "condensed vs full system",
               1e-4, "i(vr0)", 1e-4);
}

static void same_bits(const char *n1, const char *n2)
{
    TuRun *r1 = tu_run(n1), *r2 = tu_run(n2);
    const MemPlot *p1 = tu_plot_named(r1, "Transient"), *p2 = tu_plot_named(r2, "Transient");
    assert_int_equal(p1->npoints, p2->npoints);
    assert_int_equal(p1->nvars, p2->nvars);
    for (int c = 0; c < p1->nvars; c++)
        for (int k = 0; k < p1->npoints; k++)
            if (tu_val(p1, k, c) != tu_val(p2, k, c))
                fail_msg("%s differs at point %d: %.17g vs %.17g", p1->names[c], k, tu_val(p1, k, c),
                         tu_val(p2, k, c));
    tu_free(r1);
    tu_free(r2);
}

/* The solves and the loads split over two threads give the same bits as
 * one thread (a 64x64 array: its factors are split, test_linsolve.c, and
 * its resistors and cells load in two halves) */
static void test_threads_same_bits(void **state)
{
    (void)state;
    char *n1 = ykbar(64, "2u 60u", ".options num_threads=1"), *n2 = ykbar(64, "2u 60u", ".options num_threads=2");
    same_bits(n1, n2);
    free(n1);
    free(n2);
}

/* an RC ladder of k sections (resistors in a chain share a node with
 * their neighbours: the two-thread load split has a middle range) */
static char *ladder(int k, const char *opts)
{
    size_t cap = (size_t)k * 64 + 256, len = 0;
    char *s = xmalloc(cap);
    len += (size_t)snprintf(s + len, cap - len, "ladder\nV1 n0 0 PULSE(0 1 0 10n 10n 1u 2u)\n%s\n", opts);
    for (int i = 0; i < k; i++)
        len += (size_t)snprintf(s + len, cap - len, "R%d n%d n%d 10\nC%d n%d 0 1p\n", i, i, i + 1, i, i + 1);
    snprintf(s + len, cap - len, ".tran 10n 400n\n.save v(n1) v(n%d) v(n%d)\n.end\n", k / 2, k);
    return s;
}

/* The loads split over two threads give the same bits as one, where the
 * split has instances in the middle (a 6000-section ladder) */
static void test_threads_same_bits_ladder(void **state)
{
    (void)state;
    char *n1 = ladder(6000, ".options num_threads=1"), *n2 = ladder(6000, ".options num_threads=2");
    same_bits(n1, n2);
    free(n1);
    free(n2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_same_bits_ladder),
        cmocka_unit_test(test_condensed_matches_full),
        cmocka_unit_test(test_threads_same_bits),
        cmocka_unit_test(test_chord_predictor_match_full_newton),
        cmocka_unit_test(test_memory_state_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
