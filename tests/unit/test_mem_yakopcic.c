/* Yakopcic memristor (level 3): Xyce's regression deck (native device
 * beside the same model as a behavioural subcircuit) runs unchanged and
 * the two agree; trajectories against an RK45 integration of the TCAD
 * 2013 equations; pinched loops; bounds; errors. */
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

#define DECK MS_SRCDIR "/tests/netlists/xyce/memristorYakopcic.cir"
#define MODEL "a1=0.17 a2=0.17 b=0.05 vp=0.16 vn=0.15 ap=4000 an=4000 xp=0.3 xn=0.5 alphap=1 alphan=5 eta=1"


static double colmax(const MemPlot *p, int c)
{
    double m = 0;
    for (int k = 0; k < p->npoints; k++) m = fmax(m, fabs(tu_val(p, k, c)));
    return m;
}

/* The pairs of columns Xyce's deck prints must agree: native device and
 * subcircuit see the same source and time steps, so they differ only by
 * the Newton tolerance. The issue asks for 0.5 %; Xyce's deck checks
 * 5e-4 abs/rel. Bound: 5e-4 of each column's range (measured ~1e-10). */
static void test_xyce_deck_native_vs_subcircuit(void **state)
{
    (void)state;
    char *net = tu_read_file(DECK);
    TuRun *r = tu_run(net);
    const MemPlot *p = tu_plot_named(r, "Transient");
    const char *pairs[3][2] = {{"v(n1,n2)", "v(n1,n3)"},
                               {"i(ymemristor!mr1)", "i(rptg2)"},
                               {"n(ymemristor!mr1_x)", "v(n4)"}};
    for (int k = 0; k < 3; k++) {
        int a = tu_col(p, pairs[k][0]), b = tu_col(p, pairs[k][1]);
        double range = colmax(p, a), worst = 0;
        for (int i = 0; i < p->npoints; i++) worst = fmax(worst, fabs(tu_val(p, i, a) - tu_val(p, i, b)));
        print_message("%s vs %s: largest difference %.3g (range %.3g)\n", pairs[k][0], pairs[k][1], worst, range);
        tu_le(worst, 5e-4 * range, "native device against the behavioural subcircuit");
    }
    /* the state moved (0.11 -> ~0.7): the comparison is not trivial */
    tu_ge(colmax(p, tu_col(p, "n(ymemristor!mr1_x)")), 0.5, "state swing");
    tu_free(r);
    free(net);
}

/* the model as the test writes it (Yakopcic 2013 eqs. 1-7) */
typedef struct YkPar {
    double a1, a2, b, vp, vn, ap, an, xp, xn, alphap, alphan, eta;
} YkPar;

static double yk_current(double v, const double *x, const void *par)
{
    const YkPar *q = par;
    return (v >= 0 ? q->a1 : q->a2) * x[0] * sinh(q->b * v);
}

static void yk_rates(double v, const double *x, double *dxdt, const void *par)
{
    const YkPar *q = par;
    double g = v > q->vp ? q->ap * (exp(v) - exp(q->vp)) : v < -q->vn ? -q->an * (exp(-v) - exp(q->vn)) : 0;
    double f = 1, s = x[0];
    if (q->eta * v > 0) {
        if (s >= q->xp) f = exp(-q->alphap * (s - q->xp)) * ((q->xp - s) / (1 - q->xp) + 1);
    } else if (s <= 1 - q->xn) {
        f = exp(q->alphan * (s + q->xn - 1)) * (s / (1 - q->xn));
    }
    dxdt[0] = q->eta * g * f;
}

/* Through a 50 ohm resistor, the deck's parameters: sine (0.5 V, 100 Hz)
 * and +-0.45 V pulse trains; error <= 1 % of the [0, 1] range at default
 * tolerances (measured below 1e-3). */
static void test_trajectories_vs_rk45(void **state)
{
    (void)state;
    YkPar q = {0.17, 0.17, 0.05, 0.16, 0.15, 4000, 4000, 0.3, 0.5, 1, 5, 1};
    MtWave sine = {.kind = 0, .a = 0.5, .f = 100};
    MtWave pulse = {.kind = 1, .v1 = -0.45, .v2 = 0.45, .td = 1e-3, .tr = 1e-5, .tf = 1e-5, .pw = 4e-3, .per = 1e-2};
    const MtWave *waves[] = {&sine, &pulse};
    static const char *const col[] = {"x(ymemristor!m1)"};
    for (int wv = 0; wv < 2; wv++) {
        char spec[256];
        mt_wave_spec(waves[wv], spec, sizeof spec);
        char *net = xasprintf("yakopcic\nV1 in 0 %s\nRs in a 50\nYMEMRISTOR m1 a 0 mm xo=0.11\n"
                              ".model mm memristor level=3 " MODEL "\n.tran 10u 40m 0 10u\n.end\n", spec);
        TuRun *r = tu_run(net);
        const MemPlot *p = tu_plot_named(r, "Transient");
        MtModel m = {1, yk_current, yk_rates, &q, {0}, {1}, {1}};
        double x0 = 0.11, where;
        double err = mt_state_error(p, col, &m, 50, waves[wv], &x0, &where, NULL);
        print_message("%s: max state error %.3g of the range at t=%g\n", wv ? "pulses" : "sine", err, where);
        tu_le(err, 0.01, "state error against RK45");
        mt_check_bounds(p, col[0], 0, 1);
        tu_free(r);
        free(net);
    }
}

static void test_pinched_frequency(void **state)
{
    (void)state;
    double f[3] = {100, 1000, 10000}, area[3];
    for (int k = 0; k < 3; k++) {
        char *net = xasprintf("yakopcic\nV1 a 0 SIN(0 0.25 %g)\nYMEMRISTOR m1 a 0 mm xo=0.11\n"
                              ".model mm memristor level=3 " MODEL "\n.tran %g %g 0 %g\n.end\n",
                              f[k], 1e-3 / f[k], 2 / f[k], 1e-3 / f[k]);
        area[k] = mt_pinched_area(tu_run(net), f[k]);
        free(net);
    }
    mt_check_shrinking(area, 3, 2);
}

/* 10 V for seconds and 1 ns 10 V pulses: x within [0, 1], no failure */
static void test_bounds_overdrive(void **state)
{
    (void)state;
    const char *drives[] = {"PWL(0 0 1n 10 2 10 2.000001 -10 4 -10)", "PULSE(-10 10 0 1n 1n 1n 4n)",
                            "PWL(0 0 1u 100 1 100 1.000001 -100 2 -100)"};
    const char *trans[] = {".tran 1m 4", ".tran 0.1n 400n", ".tran 1m 2"};
    for (int d = 0; d < 3; d++) {
        char *net = xasprintf("overdrive\nV1 in 0 %s\nR1 in a 10\nYMEMRISTOR m1 a 0 mm xo=0.5\n"
                              ".model mm memristor level=3 " MODEL "\n%s\n.end\n", drives[d], trans[d]);
        TuRun *r = tu_run(net);
        const MemPlot *p = tu_plot_named(r, "Transient");
        mt_check_bounds(p, "x(ymemristor!m1)", 0, 1);
        mt_check_bounds(p, "i(ymemristor!m1)", -1e30, 1e30);
        tu_free(r);
        free(net);
    }
}

static void test_dc_and_errors(void **state)
{
    (void)state;
    TuRun *r = tu_run("dc\nV1 a 0 0.3\nYMEMRISTOR m1 a 0 mm xo=0.4\n.model mm memristor level=3 " MODEL
                      "\n.op\n.end\n");
    tu_close(tu_op(r, "x(ymemristor!m1)"), 0.4, 0, 0, "held state");
    tu_close(tu_op(r, "i(ymemristor!m1)"), 0.17 * 0.4 * sinh(0.05 * 0.3), 1e-14, 0, "I(V, x)");
    tu_free(r);
    const char *bad[][2] = {{"xp=1", "xp and xn must be below 1"}, {"vn=-0.1", "'vn' must be"}};
    for (int k = 0; k < 2; k++) {
        char *net = xasprintf("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=3 %s\n.op\n.end\n",
                              bad[k][0]);
        tu_expect_error(net, bad[k][1]);
        free(net);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xyce_deck_native_vs_subcircuit),
        cmocka_unit_test(test_trajectories_vs_rk45),
        cmocka_unit_test(test_pinched_frequency),
        cmocka_unit_test(test_bounds_overdrive),
        cmocka_unit_test(test_dc_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
