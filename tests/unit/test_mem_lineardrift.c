/* Native linear ion-drift memristor (level 1) with its four windows:
 * pinched hysteresis, frequency dependence, state trajectories against an
 * independent RK45 integration of the paper's equations, exact bounds
 * under overdrive, DC behaviour, outputs and error messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memtest.h"
#include "testutil.h"
#include "util/xmem.h"

/* the model as the test writes it (Strukov 2008 eqs. 1-2 with windows) */
typedef struct LdPar {
    double ron, roff, k;   /* k = uv ron / D^2 */
    int window;
    double p, j;
} LdPar;

static double ld_r(const LdPar *q, double x)
{
    return q->ron * x + q->roff * (1 - x);
}

static double ld_current(double v, const double *x, const void *par)
{
    return v / ld_r(par, x[0]);
}

static double ld_window(const LdPar *q, double x, double i)
{
    switch (q->window) {
    case 1: return 1 - pow(fabs(2 * x - 1), 2 * q->p);
    case 2: return 1 - pow(fabs(x - (i <= 0 ? 1 : 0)), 2 * q->p);
    case 3: return q->j * (1 - pow((x - 0.5) * (x - 0.5) + 0.75, q->p));
    default: return 1;
    }
}

static void ld_rates(double v, const double *x, double *dxdt, const void *par)
{
    const LdPar *q = par;
    double i = v / ld_r(q, x[0]);
    dxdt[0] = q->k * i * ld_window(q, x[0], i);
}

static const char *const xcol[] = {"x(ymemristor!m1)"};

static TuRun *run_series(const char *model, const MtWave *w, double rs, double xo, double tstop, double tmax)
{
    char spec[256];
    mt_wave_spec(w, spec, sizeof spec);
    char *net = xasprintf("series drive\nV1 in 0 %s\nRs in a %.17g\nYMEMRISTOR m1 a 0 mm xo=%.17g\n"
                          ".model mm memristor level=1 %s\n.tran %.17g %.17g 0 %.17g\n.end\n",
                          spec, rs, xo, model, tmax, tstop, tmax);
    TuRun *r = tu_run(net);
    free(net);
    return r;
}

/* State against the reference for every window, under a sine and a pulse
 * train through a series resistor, at default tolerances. The issue asks
 * for <= 1% of the state range; measured up to 2.6e-4. */
static void test_trajectories_vs_rk45(void **state)
{
    (void)state;
    const char *wins[] = {"window=0", "window=1 p=2", "window=2 p=2", "window=3 p=2 j=1"};
    MtWave sine = {.kind = 0, .a = 1.2, .f = 1};
    MtWave pulse = {.kind = 1, .v1 = 0, .v2 = 1.5, .td = 0.05, .tr = 1e-3, .tf = 1e-3, .pw = 0.1, .per = 0.3};
    MtWave neg = {.kind = 1, .v1 = 0, .v2 = -1.5, .td = 0.05, .tr = 1e-3, .tf = 1e-3, .pw = 0.1, .per = 0.3};
    const MtWave *waves[] = {&sine, &pulse, &neg};
    const double xo[] = {0.3, 0.3, 0.8};
    for (int wi = 0; wi < 4; wi++)
        for (int k = 0; k < 3; k++) {
            LdPar q = {100, 16e3, 1e-14 * 100 / (10e-9 * 10e-9), wi, 2, 1};
            char model[128];
            snprintf(model, sizeof model, "ron=100 roff=16k d=10n uv=1e-14 %s", wins[wi]);
            TuRun *r = run_series(model, waves[k], 1000, xo[k], 2, 1e-3);
            const MemPlot *p = tu_plot_named(r, "Transient");
            MtModel m = {1, ld_current, ld_rates, &q, {0}, {1}, {1}};
            double x0 = xo[k], where;
            double err = mt_state_error(p, xcol, &m, 1000, waves[k], &x0, &where, NULL);
            print_message("%s, %s: max state error %.3g (of the range) at t=%g\n", wins[wi],
                          k == 0 ? "sine" : "pulses", err, where);
            tu_le(err, 0.01, "state error against RK45");
            mt_check_bounds(p, xcol[0], 0, 1);
            tu_free(r);
        }
}

/* Pinched loop; its area shrinks as the frequency rises (the state moves
 * less per cycle). Joglekar window p=1, 1.2 V sine, 1, 5, 25 Hz. */
static void test_pinched_frequency(void **state)
{
    (void)state;
    double f[3] = {1, 5, 25}, area[3];
    for (int k = 0; k < 3; k++) {
        MtWave w = {.kind = 0, .a = 1.2, .f = f[k]};
        area[k] = mt_pinched_area(run_series("window=1 p=1", &w, 1e-3, 0.3, 2 / f[k], 1e-3 / f[k]), f[k]);
    }
    mt_check_shrinking(area, 3, 2);
}

/* 10 V for seconds either way, and 10 V pulses of 1 ns: the state stays
 * within [0, 1] exactly (no tolerance), every window, no failure */
static void test_bounds_overdrive(void **state)
{
    (void)state;
    const char *wins[] = {"window=0", "window=1 p=1", "window=2 p=1", "window=3 p=1", "window=2 p=0.3"};
    const char *drives[] = {"PWL(0 0 1n 10 2 10 2.000001 -10 4 -10)", "PULSE(-10 10 0 1n 1n 1n 4n)"};
    const char *trans[] = {".tran 1m 4", ".tran 0.1n 400n"};
    for (int wi = 0; wi < 5; wi++)
        for (int d = 0; d < 2; d++) {
            char *net = xasprintf("overdrive\nV1 in 0 %s\nR1 in a 10\nYMEMRISTOR m1 a 0 mm xo=0.5\n"
                                  ".model mm memristor level=1 %s uv=1e-10\n%s\n.end\n",
                                  drives[d], wins[wi], trans[d]);
            TuRun *r = tu_run(net);
            const MemPlot *p = tu_plot_named(r, "Transient");
            mt_check_bounds(p, xcol[0], 0, 1);
            /* r = v/i carries the rounding of the division */
            mt_check_bounds(p, "r(ymemristor!m1)", 100 * (1 - 1e-12), 16e3 * (1 + 1e-12));
            tu_free(r);
            free(net);
        }
}

/* Operating point and DC sweep: the state is memory, held at xo; R(xo)
 * exactly; i = v/R(xo) along the sweep */
static void test_dc(void **state)
{
    (void)state;
    TuRun *r = tu_run("dc\nV1 a 0 0.7\nYMEMRISTOR m1 a 0 mm xo=0.25\n.model mm memristor level=1\n.op\n"
                      ".dc v1 -1 1 0.5\n.end\n");
    double rx = 100 * 0.25 + 16e3 * 0.75;
    tu_close(tu_op(r, "x(ymemristor!m1)"), 0.25, 0, 0, "held state");
    tu_close(tu_op(r, "r(ymemristor!m1)"), rx, 1e-15, 0, "R(xo)");
    tu_close(tu_op(r, "i(ymemristor!m1)"), 0.7 / rx, 1e-15, 0, "i = v / R");
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    int ci = tu_col(p, "i(ymemristor!m1)"), cx = tu_col(p, "x(ymemristor!m1)");
    for (int k = 0; k < p->npoints; k++) {
        tu_close(tu_val(p, k, ci), tu_val(p, k, 0) / rx, 1e-14, 1e-18, "dc sweep current");
        tu_close(tu_val(p, k, cx), 0.25, 0, 0, "dc sweep state");
    }
    tu_free(r);
}

/* a model's xo is the default of its instances; uic starts there too */
static void test_initial_state(void **state)
{
    (void)state;
    TuRun *r = tu_run("ic\nV1 a 0 0\nYMEMRISTOR m1 a 0 mm\nYMEMRISTOR m2 a 0 mm xo=1\n"
                      ".model mm memristor level=1 xo=0.6\n.tran 1m 10m uic\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    tu_close(tu_val(p, 0, tu_col(p, "x(ymemristor!m1)")), 0.6, 0, 0, "model xo");
    tu_close(tu_val(p, 0, tu_col(p, "x(ymemristor!m2)")), 1, 0, 0, "instance xo");
    tu_free(r);
}

static void test_errors(void **state)
{
    (void)state;
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm xo=1.5\n.model mm memristor level=1\n.op\n.end\n",
                 "ymemristor!m1: initial state xo=1.5 is outside [0, 1]");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=1 window=7\n.op\n.end\n",
                 "window=7");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=1 rofff=1k\n.op\n.end\n",
                 "did you mean 'roff'");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a\n.op\n.end\n", "expected node n-");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR\n.op\n.end\n", "expected an instance name");
    tu_expect_error("t\nV1 a 0 1\nYFOO m1 a 0 mm\n.op\n.end\n", "unknown Y device 'yfoo'");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=42\n.op\n.end\n", "no level 42");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 dd\n.model dd d\n.op\n.end\n", "is for diode devices");
}

/* inside a subcircuit the instance is ymemristor!x1.m1 and its state
 * x(ymemristor!x1.m1) */
static void test_subcircuit_names(void **state)
{
    (void)state;
    TuRun *r = tu_run("sub\n.subckt cell p n\nYMEMRISTOR m1 p n mm xo=0.5\n.ends\n.model mm memristor\n"
                      "V1 a 0 1\nX1 a 0 cell\n.op\n.end\n");
    tu_close(tu_op(r, "x(ymemristor!x1.m1)"), 0.5, 0, 0, "state in a subcircuit");
    tu_close(tu_op(r, "i(ymemristor!x1.m1)"), 1 / (0.5 * 100 + 0.5 * 16e3), 1e-15, 0, "current");
    tu_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trajectories_vs_rk45), cmocka_unit_test(test_pinched_frequency),
        cmocka_unit_test(test_bounds_overdrive),     cmocka_unit_test(test_dc),
        cmocka_unit_test(test_initial_state),        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_subcircuit_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
