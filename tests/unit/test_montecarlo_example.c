/* examples/montecarlo (issue 9): the Monte Carlo crossbar read, reduced to
 * 40 runs (640 column currents), against the analytic expectation of its
 * statistics; the same seed gives the same table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim.h"
#include "testutil.h"
#include "util/xmem.h"

enum { RUNS = 40, COLS = 16 };

/* the example's netlist with 40 runs instead of 200; its .meas table */
static char *run_mc(void)
{
    char *path = xasprintf("%s/examples/montecarlo/crossbar16_mc.cir", MS_SRCDIR);
    char *text = tu_read_file(path);
    char *st = strstr(text, ".step param run 1 200 1");
    if (!st) fail_msg("the example no longer has '.step param run 1 200 1'");
    memcpy(st, ".step param run 1 40  1", 23);
    /* .include-free netlist: read from memory under its own path */
    char *t = tu_meas_table(path, text);
    free(text);
    free(path);
    return t;
}

static void test_statistics(void **state)
{
    (void)state;
    char *a = run_mc(), *b = run_mc();
    assert_string_equal(a, b);   /* .options seed=2024: the same draws */
    double v[RUNS * COLS];
    int n = 0;
    char *p = strchr(a, '\n') + 1;
    for (int r = 0; r < RUNS; r++) {
        char *q = p;
        strtod(q, &q);
        for (int c = 0; c < COLS; c++) {
            if (*q != ',') fail_msg("row %d: column %d missing", r, c);
            v[n] = strtod(q + 1, &q);
            if (!isfinite(v[n]) || !(v[n] > 0)) fail_msg("row %d column %d: %g", r, c, v[n]);
            n++;
        }
        p = strchr(p, '\n') + 1;
    }
    double sum = 0, sq = 0;
    for (int k = 0; k < n; k++) sum += v[k];
    double mean = sum / n;
    for (int k = 0; k < n; k++) sq += (v[k] - mean) * (v[k] - mean);
    double sd = sqrt(sq / (n - 1));
    /* R = 0.5 ron + 0.5 roff, ron ~ N(100, 10), roff ~ N(16k, 1.6k) */
    double r0 = 8050, s = 0.5 * hypot(10, 1600) / r0, i0 = 16 * 0.2 / r0;
    double want = i0 * (1 + s * s + 3 * pow(s, 4));
    double se = sd / sqrt(n);
    tu_close(mean, want, 5e-4, 4 * se, "mean column current (A) vs I0 (1 + s^2 + 3 s^4)");
    double rel = sd / mean, pred = s / 4 * (1 + s * s);
    tu_ge(rel, 0.85 * pred, "relative sigma of the column current");
    tu_le(rel, 1.15 * pred, "relative sigma of the column current");
    /* each cell its own draw: no two column currents of a run are equal */
    for (int r = 0; r < RUNS; r++)
        for (int c = 1; c < COLS; c++) assert_true(v[r * COLS + c] != v[r * COLS]);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statistics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
