/* Published memristor models written as behavioural subcircuits (the way
 * users bring them from ngspice/LTspice): the Yakopcic model (TCAD 2013)
 * and a Biolek-style linear-drift model with Joglekar's window. They must
 * run, show the memristor fingerprint (a pinched hysteresis loop whose
 * area shrinks as the drive frequency rises) and agree with ngspice. */
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
#include "output/raw_read.h"
#include "testutil.h"
#include "util/xmem.h"

#define LIB "\"" MS_SRCDIR "/models/memristor_subckt.lib\""

/* sine-driven device: amplitude amp volts at freq Hz, `cycles` periods,
 * `per` output points per period at most (tmax) */
static char *yakopcic_netlist(double amp, double freq, int cycles, const char *opts)
{
    return xasprintf("yakopcic sine drive\n.include " LIB "\n%s\n"
                     "V1 in 0 SIN(0 %g %g)\nX1 in 0 yakopcic\n.tran %g %g 0 %g uic\n"
                     ".save v(in) v(x1.xsv) i(v1)\n.end\n",
                     opts, amp, freq, 1 / (freq * 1000), cycles / freq, 1 / (freq * 1000));
}

static char *biolek_netlist(double amp, double freq, int cycles, const char *opts)
{
    return xasprintf("biolek sine drive\n.include " LIB "\n%s\n"
                     "V1 in 0 SIN(0 %g %g)\nX1 in 0 biolek\n.tran %g %g uic\n"
                     ".save v(in) v(x1.x) i(v1)\n.end\n",
                     opts, amp, freq, 1 / (freq * 1000), cycles / freq);
}

static void test_yakopcic_pinched_and_frequency(void **state)
{
    (void)state;
    double freq[3] = {100, 1000, 10000}, area[3];
    for (int f = 0; f < 3; f++) {
        char *net = yakopcic_netlist(0.25, freq[f], 3, "");
        TuRun *r = tu_run(net);
        const MemPlot *p = tu_plot_named(r, "Transient");
        mt_check_pinched(p, "i(v1)", freq[f], 3);
        area[f] = mt_loop_area(p, "v(in)", "i(v1)", freq[f]);
        print_message("yakopcic %g Hz: loop area %.4g W\n", freq[f], area[f]);
        tu_free(r);
        free(net);
    }
    /* the state moves less per cycle at higher frequency: the loop closes */
    mt_check_shrinking(area, 3, 2);
}

static void test_biolek_pinched_and_frequency(void **state)
{
    (void)state;
    double freq[3] = {1, 5, 25}, area[3];
    for (int f = 0; f < 3; f++) {
        char *net = biolek_netlist(1.2, freq[f], 2, "");
        TuRun *r = tu_run(net);
        const MemPlot *p = tu_plot_named(r, "Transient");
        mt_check_pinched(p, "i(v1)", freq[f], 2);
        int cx = tu_col(p, "v(x1.x)");
        for (int k = 0; k < p->npoints; k++)
            if (tu_val(p, k, cx) < -1e-6 || tu_val(p, k, cx) > 1 + 1e-6)
                fail_msg("state x = %g outside [0, 1] at t=%g", tu_val(p, k, cx), tu_val(p, k, 0));
        area[f] = mt_loop_area(p, "v(in)", "i(v1)", freq[f]);
        print_message("biolek %g Hz: loop area %.4g W\n", freq[f], area[f]);
        tu_free(r);
        free(net);
    }
    mt_check_shrinking(area, 3, 2);
}

/* largest difference of `name` between a (memspice) and b (interpolated at
 * a's times), relative to a's range */
static double rel_diff(const MemPlot *a, const MemPlot *b, const char *name)
{
    double range;
    double worst = tu_col_diff(a, tu_col(a, name), b, tu_col(b, name), &range);
    return worst / range;
}

/* Issue requirement: the Yakopcic subcircuit matches ngspice within 0.5%
 * (state and current, relative to their ranges, default tolerances,
 * tmax = period/1000). Measured when written: 1.7e-5. */
static void test_yakopcic_vs_ngspice(void **state)
{
    (void)state;
    char *net = yakopcic_netlist(0.25, 100, 2, "");
    RawFile *ng = tu_ngspice(net);
    TuRun *r = tu_run(net);
    const MemPlot *m = tu_plot_named(r, "Transient"), *n = tu_raw_plot(ng, "Transient");
    double dx = rel_diff(m, n, "v(x1.xsv)"), di = rel_diff(m, n, "i(v1)");
    print_message("yakopcic vs ngspice: state %.3g, current %.3g of range\n", dx, di);
    tu_le(dx, 5e-3, "state difference / range");
    tu_le(di, 5e-3, "current difference / range");
    tu_free(r);
    raw_free(ng);
    free(net);
}

/* The Biolek model near its boundary (x -> 1, window -> 0) is where
 * default tolerances are tested hardest. Reference: memspice at reltol
 * 1e-7 with a 10 us step cap; ngspice with the same settings agrees with it
 * to 3e-7 (checked when ngspice is present). At default tolerances
 * memspice must stay within 0.1% of that reference (3.7e-4 measured; at
 * defaults ngspice-39 is 6.9% off here). */
static void test_biolek_accuracy(void **state)
{
    (void)state;
    const char *tight = ".options reltol=1e-7 abstol=1e-15 chgtol=1e-18";
    char *net = biolek_netlist(1.2, 1, 2, ""), *ref = biolek_netlist(1.2, 1, 2, tight);
    char *refcap = xstrdup(ref);
    /* cap the reference step at 10 us */
    char *uic = strstr(refcap, " uic");
    char *capped = xasprintf("%.*s 0 10u uic%s", (int)(uic - refcap), refcap, uic + 4);
    TuRun *r = tu_run(net), *rr = tu_run(capped);
    const MemPlot *m = tu_plot_named(r, "Transient"), *ref_p = tu_plot_named(rr, "Transient");
    double dx = rel_diff(m, ref_p, "v(x1.x)"), di = rel_diff(m, ref_p, "i(v1)");
    print_message("biolek default vs tight reference: state %.3g, current %.3g of range\n", dx, di);
    tu_le(dx, 1e-3, "state difference / range");
    tu_le(di, 1e-3, "current difference / range");
    RawFile *ng = tu_ngspice(capped);
    if (ng) {
        double nd = rel_diff(ref_p, tu_raw_plot(ng, "Transient"), "i(v1)");
        print_message("biolek tight: memspice vs ngspice %.3g of range\n", nd);
        tu_le(nd, 1e-5, "tight-tolerance memspice vs ngspice");
        raw_free(ng);
    }
    tu_free(r);
    tu_free(rr);
    free(net);
    free(ref);
    free(refcap);
    free(capped);
}

/* .ic and .nodeset inside a .subckt (node names local to the instance,
 * values from its parameters; ngspice accepts both): two instances start
 * their internal node at their own v0 and charge towards 1 V; the
 * waveforms against ngspice at 0.2, 0.5, 1 and 2 ms within 1e-3 (the
 * analytic 1 - (1 - v0) e^(-t/1 ms) too). */
static void test_ic_in_subckt(void **state)
{
    (void)state;
    const char *net = "ic in subckt\n.subckt cell a params: v0=0.5\nR1 a x 1k\nC1 x 0 1u\n.ic v(x)={v0}\n"
                      ".nodeset v(x)={v0}\n.ends\nV1 in 0 1\nX1 in cell v0=0.2\nX2 in cell v0=0.7\n.tran 10u 2m\n.end\n";
    RawFile *ng = tu_ngspice(net);
    TuRun *r = tu_run(net);
    const MemPlot *pn = tu_raw_plot(ng, "Transient"), *pm = tu_plot_named(r, "Transient");
    const char *cols[] = {"v(x1.x)", "v(x2.x)"};
    const double v0[] = {0.2, 0.7}, ts[] = {0.2e-3, 0.5e-3, 1e-3, 2e-3};
    for (int k = 0; k < 2; k++) {
        tu_close(tu_val(pm, 0, tu_col(pm, cols[k])), v0[k], 1e-9, 0, "the instance's .ic at t = 0");
        for (int j = 0; j < 4; j++) {
            double m = tu_interp(pm, tu_col(pm, cols[k]), ts[j]), g = tu_interp(pn, tu_col(pn, cols[k]), ts[j]);
            tu_close(m, g, 1e-3, 0, "against ngspice");
            tu_close(m, 1 - (1 - v0[k]) * exp(-ts[j] / 1e-3), 1e-3, 0, "against the analytic charging");
        }
    }
    tu_free(r);
    raw_free(ng);
    tu_expect_error("bad\n.subckt cell a\nR1 a x 1k\nC1 x 0 1u\n.ic v(y)=1\n.ends\nV1 in 0 1\nX1 in cell\n"
                    ".tran 10u 1m\n.end\n", ".ic: no node named 'y' in this subcircuit");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yakopcic_pinched_and_frequency),
        cmocka_unit_test(test_biolek_pinched_and_frequency),
        cmocka_unit_test(test_yakopcic_vs_ngspice),
        cmocka_unit_test(test_biolek_accuracy),
        cmocka_unit_test(test_ic_in_subckt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
