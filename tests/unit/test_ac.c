/* .ac small-signal analysis against closed forms: an RC low-pass, a series
 * RLC at and around resonance, a current source into a parallel RC with a
 * phase, a memristor linearised at its state, the frequency grids of dec,
 * oct and lin, complex raw and CSV output, and bad .ac lines. Comparisons
 * with ngspice are in test_ngspice_compare.c.
 *
 * Tolerance 1e-12 relative: the small-signal system is linear and solved
 * directly (one complex LU per frequency), so only round-off separates it
 * from the closed form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/raw_read.h"
#include "sim.h"
#include "testutil.h"
#include "util/xmem.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static double complex cval(const MemPlot *p, int row, int col)
{
    assert_true(p->cplx);
    const double *v = p->data + ((size_t)row * (size_t)p->nvars + (size_t)col) * 2;
    return v[0] + I * v[1];
}

static void close_c(double complex got, double complex want, double rtol, const char *what)
{
    if (!(cabs(got - want) <= rtol * cabs(want) + 1e-300))
        fail_msg("%s: got %.12g%+.12gj, want %.12g%+.12gj", what, creal(got), cimag(got), creal(want), cimag(want));
}

static void test_rc_lowpass(void **state)
{
    (void)state;
    TuRun *r = tu_run("rc\nV1 in 0 DC 0 AC 1\nR1 in out 1k\nC1 out 0 1u\n.ac dec 10 1 1meg\n.end\n");
    const MemPlot *p = tu_plot_named(r, "AC Analysis");
    assert_int_equal(p->npoints, 61);   /* 6 decades x 10 + 1 */
    int cf = tu_col(p, "frequency"), co = tu_col(p, "v(out)"), ci = tu_col(p, "i(v1)");
    for (int k = 0; k < p->npoints; k++) {
        double f = creal(cval(p, k, cf));
        double complex h = 1 / (1 + I * 2 * M_PI * f * 1e3 * 1e-6);
        close_c(cval(p, k, co), h, 1e-12, "v(out) = 1/(1 + j w R C)");
        close_c(cval(p, k, ci), -(1 - h) / 1e3, 1e-12, "i(v1) = -(1 - H)/R");
    }
    tu_close(creal(cval(p, 10, cf)), 10, 1e-12, 0, "10 points per decade");
    tu_free(r);
}

/* series RLC driven with phase 45 degrees: the current is V/(R + jwL + 1/(jwC)) */
static void test_rlc_and_phase(void **state)
{
    (void)state;
    TuRun *r = tu_run("rlc\nV1 a 0 AC 2 45\nR1 a b 10\nL1 b c 1m\nC1 c 0 1u\n.ac lin 11 4k 6k\n.end\n");
    const MemPlot *p = tu_plot_named(r, "AC Analysis");
    assert_int_equal(p->npoints, 11);
    for (int k = 0; k < p->npoints; k++) {
        double f = creal(cval(p, k, 0)), w = 2 * M_PI * f;
        tu_close(f, 4e3 + 200.0 * k, 1e-12, 0, "lin grid");
        double complex v = 2 * cexp(I * M_PI / 4), z = 10 + I * w * 1e-3 + 1 / (I * w * 1e-6);
        close_c(cval(p, k, tu_col(p, "i(l1)")), v / z, 1e-12, "i(l1) = V/Z");
        close_c(cval(p, k, tu_col(p, "v(c)")), v / z / (I * w * 1e-6), 1e-12, "v(c) = I/(jwC)");
    }
    tu_free(r);
}

/* I source AC 1m at -90 degrees into R || C: v = I R / (1 + j w R C) */
static void test_current_source(void **state)
{
    (void)state;
    TuRun *r = tu_run("i\nI1 0 x AC 1m -90\nR1 x 0 1k\nC1 x 0 1n\n.ac oct 2 1k 16k\n.end\n");
    const MemPlot *p = tu_plot_named(r, "AC Analysis");
    assert_int_equal(p->npoints, 9);   /* 4 octaves x 2 + 1 */
    for (int k = 0; k < p->npoints; k++) {
        double f = creal(cval(p, k, 0)), w = 2 * M_PI * f;
        tu_close(f, 1e3 * pow(2, k / 2.0), 1e-12, 0, "oct grid");
        close_c(cval(p, k, tu_col(p, "v(x)")), -I * 1e-3 * 1e3 / (1 + I * w * 1e3 * 1e-9), 1e-12, "v(x)");
    }
    tu_free(r);
}

/* a linear-drift memristor at its state x0 = 0.25: R = Ron x + Roff (1 - x)
 * = 12025 ohm; the divider with 1k is flat in frequency (its state is held,
 * docs/analyses.md) */
static void test_memristor_at_its_state(void **state)
{
    (void)state;
    TuRun *r = tu_run("m\nV1 a 0 DC 0.1 AC 1\nR1 a b 1k\nYMEMRISTOR m1 b 0 mm xo=0.25\n.model mm memristor level=1\n"
                      ".ac dec 2 1 1k\n.end\n");
    const MemPlot *p = tu_plot_named(r, "AC Analysis");
    double rm = 100 * 0.25 + 16e3 * 0.75;
    for (int k = 0; k < p->npoints; k++) close_c(cval(p, k, tu_col(p, "v(b)")), rm / (rm + 1e3), 1e-12, "divider");
    tu_free(r);
}

/* complex raw files (binary and ascii) read back; CSV re()/im() columns */
static void test_complex_output(void **state)
{
    char *raw = tu_tmp_path(state, "ac.raw"), *asc = tu_tmp_path(state, "aca.raw"), *csv = tu_tmp_path(state, "ac.csv");
    const char *net = "rc\nV1 in 0 AC 1\nR1 in out 1k\nC1 out 0 1u\n.ac dec 1 10 1k\n.end\n";
    for (int a = 0; a < 2; a++) {
        SimConfig cfg = {.netlist = "t.cir", .text = net, .quiet = 1, .raw = a ? asc : raw, .ascii = a, .csv = csv};
        Diag d;
        diag_init(&d, NULL);
        assert_int_equal(sim_run(&cfg, &d), 0);
        RawFile *rf = raw_read(a ? asc : raw, &d);
        if (!rf) fail_msg("%s", d.buf);
        const MemPlot *p = &rf->plots[0];
        assert_true(p->cplx);
        assert_int_equal(p->npoints, 3);
        double complex h = 1 / (1 + I * 2 * M_PI * 100 * 1e-3);
        close_c(cval(p, 1, memplot_var(p, "v(out)")), h, 1e-15, "read back");
        raw_free(rf);
        diag_free(&d);
    }
    char *text = tu_read_file(csv);
    if (!strstr(text, "re(frequency),im(frequency),re(v(in)),im(v(in)),re(v(out)),im(v(out))"))
        fail_msg("csv header: %s", text);
    free(text);
    free(raw);
    free(asc);
    free(csv);
}

/* .meas ac and .print ac on vdb/vp/vm/...: the RC low-pass's corner
 * 1/(2 pi R C) = 159.155 Hz found by WHEN vdb = -3.0103 on 1000 points per
 * decade (linear interpolation in f between points 0.23% apart: 1e-5;
 * measured 2e-10);
 * the gain and phase at 1 kHz exact (1e-12) */
static void test_meas_and_print_ac(void **state)
{
    char *path = tu_tmp_path(state, "m.cir");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "rc\nV1 in 0 AC 1\nR1 in out 1k\nC1 out 0 1u\n.ac dec 1000 10 10k\n"
               ".meas ac f3db when vdb(out)=-3.0102999566\n.meas ac g1k find vdb(out) at=1k\n"
               ".meas ac p1k find vp(out) at=1k\n.meas ac i1k find im(v1) at=1k\n.print ac vdb(out) vp(out)\n.end\n");
    fclose(f);
    static const char *const none[] = {NULL};
    double w = 2 * M_PI * 1e3 * 1e-3;
    tu_close(tu_meas(path, none, "f3db"), 1 / (2 * M_PI * 1e-3), 1e-5, 0, "corner frequency");
    tu_close(tu_meas(path, none, "g1k"), -10 * log10(1 + w * w), 1e-9, 0, "vdb at 1 kHz");
    tu_close(tu_meas(path, none, "p1k"), -atan(w), 1e-9, 0, "vp at 1 kHz (radians)");
    tu_close(tu_meas(path, none, "i1k"), w / sqrt(1 + w * w) / 1e3, 1e-9, 0, "|i(v1)| at 1 kHz");
    free(path);
    tu_expect_error("t\nV1 a 0 AC 1\nR1 a 0 1k\n.ac dec 1 1 10\n.print ac vq(a)\n.end\n",
                    ".print ac: 'vq(a)' is not vm|vp|vdb|vr|vi|v(node[,node])");
}

static void test_bad_ac(void **state)
{
    (void)state;
    tu_expect_error("t\nV1 a 0 AC 1\nR1 a 0 1k\n.ac dec 10 0 1k\n.end\n", ".ac: fstart must be positive");
    tu_expect_error("t\nV1 a 0 AC 1\nR1 a 0 1k\n.ac log 10 1 1k\n.end\n", ".ac expects: .ac dec|oct|lin n fstart fstop");
    tu_expect_error("t\nV1 a 0 AC 1\nR1 a 0 1k\n.ac dec 2.5 1 1k\n.end\n", "whole number");
    tu_expect_error("t\nV1 a 0 AC 1\nR1 a 0 1k\n.ac dec 10 1k 1\n.end\n", "fstop must not be below fstart");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rc_lowpass),      cmocka_unit_test(test_rlc_and_phase),
        cmocka_unit_test(test_current_source),  cmocka_unit_test(test_memristor_at_its_state),
        cmocka_unit_test(test_complex_output),  cmocka_unit_test(test_bad_ac),
        cmocka_unit_test(test_meas_and_print_ac),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
