/* No false failures of the DC operating point on valid circuits (issue 8,
 * part 4).
 *
 * - Behavioural sources singular at 0 V (sqrt, log, 1/x, x**0.5) of a node
 *   a source holds at 4 V: Newton from y = 0 evaluates them where they are
 *   undefined or have an infinite slope; the start from the circuit's
 *   linear part (src/engine/newton.c, newton_linear_start) and the slope
 *   rule of behavioural sources make them solve, to ngspice's values.
 * - An update that lands where a device is undefined is halved (sqrt of a
 *   negative voltage after an overshoot): closed-form solution.
 * - .nodeset values are Newton's first iterate.
 * - A behavioural current that reads its own terminal's voltage is a DC
 *   path (Bs 0 s I=1-v(s): v(s) = 1 as ngspice); one reading another
 *   node is not.
 * - The LIF neuron's Schmitt trigger (clamped gain 1e4..1e6 or tanh):
 *   plain Newton jumps between the rails; damped Newton finds the
 *   operating point ngspice finds.
 *
 * References: closed forms where they exist; ngspice's operating point
 * (required: a missing ngspice fails). Tolerances: 1e-6 relative against
 * closed forms and ngspice where both solve to a tight residual (measured
 * <= 1e-9 for the single-source circuits); 1e-4 for the comparator, whose
 * operating point both simulators accept anywhere within Newton's
 * tolerance of a gain-1e6 slope (measured agreement 1e-7). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/raw_read.h"
#include "testutil.h"
#include "util/xmem.h"

/* ngspice's operating-point value of column `name` for netlist `net` */
static double ngspice_op(const char *net, const char *name)
{
    if (!tu_have_program("ngspice")) fail_msg("ngspice is required for this test (make test installs it)");
    RawFile *rf = tu_ngspice(net);
    assert_non_null(rf);
    const MemPlot *p = tu_raw_plot(rf, "Operating Point");
    double v = tu_val(p, 0, tu_col(p, name));
    raw_free(rf);
    return v;
}

static void test_singular_at_zero(void **state)
{
    (void)state;
    /* ngspice: ngspice solves it (its v(a)**0.5, in either form, stops
     * with "0, -0.5 out of range for pwr" in every gmin step: compared
     * with the closed form only) */
    static const struct {
        const char *expr;
        double want;
        int ngspice;
    } cases[] = {
        {"sqrt(v(a))", 2.0, 1},
        {"log(v(a))", 1.3862943611198906, 1},
        {"1/v(a)", 0.25, 1},
        {"v(a)**0.5", 2.0, 0},
        {"asin(v(a)/8)*6/3.141592653589793", 1.0, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        for (int form = 0; form < 2; form++) {
            /* voltage form, and current form into a 1 kohm load */
            char *dev = form ? xasprintf("B1 0 b I=1m*%s", cases[k].expr) : xasprintf("B1 b 0 V=%s", cases[k].expr);
            char *net = xasprintf("singular at zero\nV1 a 0 4\n%s\nR1 b 0 1k\n.op\n.end\n", dev);
            free(dev);
            TuRun *r = tu_run(net);
            double got = tu_op(r, "v(b)"), ng = !cases[k].ngspice ? NAN : ngspice_op(net, "v(b)");
            print_message("%-36s form %c: v(b) = %.12g (exact %.12g, ngspice %.12g)\n", cases[k].expr,
                          form ? 'I' : 'V', got, cases[k].want, ng);
            tu_close(got, cases[k].want, 1e-6, 0, "v(b) against the closed form");
            if (!isnan(ng)) tu_close(got, ng, 1e-6, 0, "v(b) against ngspice");
            tu_free(r);
            free(net);
        }
    }
    /* a chain: the sqrt's argument comes from another nonlinear source, so
     * it is 0 at the linear start too: only the slope rule gets past it */
    TuRun *r = tu_run("chain\nV1 a 0 4\nB2 c 0 V=v(a)*v(a)\nB1 b 0 V=sqrt(v(c))\nR1 b 0 1k\n.op\n.end\n");
    tu_close(tu_op(r, "v(b)"), 4.0, 1e-9, 0, "sqrt(v(a)^2)");
    tu_free(r);
}

/* (1 - b)/1k = 10m sqrt(b): Newton from the linear start (b = 1)
 * overshoots below 0, where sqrt is undefined; the halved update is not.
 * sqrt(b) = (-10 + sqrt(104))/2. */
static void test_overshoot_halved(void **state)
{
    (void)state;
    const char *net = "overshoot\nV1 a 0 1\nR1 a b 1k\nB1 b 0 I=1e-2*sqrt(v(b))\n.op\n.end\n";
    TuRun *r = tu_run(net);
    double s = (-10 + sqrt(104)) / 2;
    tu_close(tu_op(r, "v(b)"), s * s, 1e-6, 0, "closed form");
    tu_free(r);
}

/* log(v(c)) with c set by another behavioural source: 0 V at every start
 * but the user's. Without .nodeset: a clear failure naming the device;
 * with it: the solution (ngspice: 0.6931). */
static void test_nodeset_is_the_start(void **state)
{
    (void)state;
    const char *base = "nodeset start\nV1 a 0 4\nB2 c 0 V=v(a)*0.5\nB1 b 0 V=log(v(c))\nR1 b 0 1k\n%s.op\n.end\n";
    char *bad = xasprintf(base, "");
    tu_expect_error(bad, "b1 (");
    tu_expect_error(bad, "logarithm of a non-positive number");
    char *good = xasprintf(base, ".nodeset v(c)=1\n");
    TuRun *r = tu_run(good);
    tu_close(tu_op(r, "v(b)"), log(2.0), 1e-9, 0, "log(2)");
    tu_free(r);
    free(bad);
    free(good);
}

static void test_self_conductance_is_a_path(void **state)
{
    (void)state;
    const char *net = "self conductance\nBs 0 s I=1-v(s)\n.op\n.end\n";
    TuRun *r = tu_run(net);
    tu_close(tu_op(r, "v(s)"), 1.0, 1e-9, 0, "v(s)");
    tu_close(tu_op(r, "v(s)"), ngspice_op(net, "v(s)"), 1e-9, 0, "v(s) against ngspice");
    tu_free(r);
    /* a linear VCCS controlled by its own output node is a resistor */
    const char *g = "vccs\nG1 0 s s 0 1m\nI1 0 s 1m\n.op\n.end\n";
    r = tu_run(g);
    tu_close(tu_op(r, "v(s)"), -1.0, 1e-9, 0, "v(s) of G with its own control");
    tu_close(tu_op(r, "v(s)"), ngspice_op(g, "v(s)"), 1e-9, 0, "against ngspice");
    tu_free(r);
    /* reading another node's voltage does not tie s down */
    tu_expect_error("no path\nV1 x 0 1\nR1 x 0 1k\nBs 0 s I=1-v(x)\n.op\n.end\n", "no DC path to ground");
    /* a subcircuit's state capacitor with ic= keeps precedence over a
     * self-dependent source (its slope is 0 at zero bias): covered by
     * test_mem_yakopcic's Xyce deck */
}

/* The LIF neuron of test_feedback without uic: its operating point is
 * the comparator's linear range, microvolts wide for gain 1e6. */
static void test_lif_comparator_op(void **state)
{
    (void)state;
    const char *comparators[] = {
        "min(max(1e4*(v(p)-1), 0), 5)",  "min(max(1e5*(v(p)-1), 0), 5)", "min(max(1e6*(v(p)-1), 0), 5)",
        "2.5*(1+tanh(1e3*(v(p)-1)))",    "2.5*(1+tanh(1e5*(v(p)-1)))",    "2.5*(1+tanh(1e6*(v(p)-1)))",
    };
    for (size_t k = 0; k < sizeof comparators / sizeof comparators[0]; k++) {
        char *net = xasprintf("LIF neuron operating point\n"
                              "Iin 0 mem DC 10u\nCm mem 0 1n\nRl mem 0 1Meg\n"
                              "Bbuf pb 0 V=v(mem)\nRin pb p 10k\nRf p cmp 100k\n"
                              "Bc cmp 0 V=%s\nBr mem 0 I=1e-4*v(cmp)\n.op\n.end\n",
                              comparators[k]);
        TuRun *r = tu_run(net);
        double mem = tu_op(r, "v(mem)"), cmp = tu_op(r, "v(cmp)");
        double mem_ng = ngspice_op(net, "v(mem)"), cmp_ng = ngspice_op(net, "v(cmp)");
        print_message("%-30s v(mem) %.9g (ngspice %.9g), v(cmp) %.9g (ngspice %.9g)\n", comparators[k], mem,
                      mem_ng, cmp, cmp_ng);
        tu_close(mem, mem_ng, 1e-4, 0, "v(mem) against ngspice");
        tu_close(cmp, cmp_ng, 1e-4, 0, "v(cmp) against ngspice");
        /* and it is a solution: KCL at mem, 10 uA = v(mem)/1Meg + 1e-4 v(cmp) */
        tu_close(mem / 1e6 + 1e-4 * cmp, 10e-6, 1e-6, 0, "KCL at mem");
        tu_free(r);
        free(net);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_singular_at_zero),
        cmocka_unit_test(test_overshoot_halved),
        cmocka_unit_test(test_nodeset_is_the_start),
        cmocka_unit_test(test_self_conductance_is_a_path),
        cmocka_unit_test(test_lif_comparator_op),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
