/* memspice against ngspice on the same netlists, when ngspice is on PATH
 * (every test skips otherwise). ngspice runs in batch mode writing a raw
 * file (ngspice -b -r), read back with raw_read(); memspice runs in
 * process into a memory sink.
 *
 * - .op and .dc of linear circuits: both solve the same linear equations
 *   (neither adds gmin to linear elements), so values agree to round-off;
 *   bound 1e-9 relative (plus 1e-15 of the variable's largest magnitude
 *   for values that are zero in one of them). Measured: <= 2.5e-15.
 *   The variable names must be the same set (raw files are meant to be
 *   interchangeable).
 * - transients: both control the step by SPICE's local truncation error
 *   with the same defaults (reltol 1e-3, trtol 7, trapezoidal), but their
 *   step sequences differ (ngspice's first step is ten times smaller, for
 *   one), so the waveforms differ by truncation-error-sized amounts plus
 *   the error of interpolating one onto the other's time points. The
 *   difference is measured both ways (memspice interpolated at ngspice's
 *   points and the reverse) relative to the signal's range; each bound is
 *   about 3x the difference measured when the test was written (stated
 *   next to it). */
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

#include "output/raw_read.h"
#include "testutil.h"
#include "util/xmem.h"



/* Same variable names, same number of points, every value within rtol
 * (relative to the larger magnitude) plus 1e-15 of the variable's largest
 * magnitude. Returns the largest relative difference seen. */
static double compare_exact(const MemPlot *ng, const MemPlot *ms, double rtol)
{
    int bad = 0;
    for (int i = 0; i < ng->nvars; i++)
        if (memplot_var(ms, ng->names[i]) < 0) {
            print_error("memspice has no '%s' (ngspice has it)\n", ng->names[i]);
            bad++;
        }
    for (int i = 0; i < ms->nvars; i++)
        if (memplot_var(ng, ms->names[i]) < 0) {
            print_error("ngspice has no '%s' (memspice has it)\n", ms->names[i]);
            bad++;
        }
    if (ng->npoints != ms->npoints) {
        print_error("%d points from ngspice, %d from memspice\n", ng->npoints, ms->npoints);
        bad++;
    }
    double worst = 0;
    const char *worst_name = "";
    for (int i = 0; i < ng->nvars && !bad; i++) {
        int j = memplot_var(ms, ng->names[i]);
        double big = 0;
        for (int k = 0; k < ng->npoints; k++) big = fmax(big, fabs(tu_val(ng, k, i)));
        for (int k = 0; k < ng->npoints; k++) {
            double a = tu_val(ng, k, i), b = tu_val(ms, k, j), diff = fabs(a - b);
            double scale = fmax(fabs(a), fabs(b));
            if (!(diff <= rtol * scale + 1e-15 * big)) {
                print_error("%s, point %d: ngspice %.17g, memspice %.17g\n", ng->names[i], k, a, b);
                bad++;
            }
            if (scale > 0 && diff / scale > worst) {
                worst = diff / scale;
                worst_name = ng->names[i];
            }
        }
    }
    if (getenv("TU_VERBOSE"))
        print_message("  %d variables x %d points, largest relative difference %.3e (%s)\n", ng->nvars,
                      ng->npoints, worst, worst_name);
    if (bad) fail_msg("%d difference(s) between ngspice and memspice", bad);
    return worst;
}

static void compare_op_dc(void **state, const char *netlist, const char *plot)
{
    (void)state;
    RawFile *rf = tu_ngspice(netlist);
    TuRun *r = tu_run(netlist);
    const MemPlot *ng = tu_raw_plot(rf, plot), *ms = tu_plot_named(r, plot);
    assert_true(ng->nvars >= 5);   /* the comparison has substance */
    compare_exact(ng, ms, 1e-9);
    tu_free(r);
    raw_free(rf);
}

/* ------------------------------------------------------------- .op, .dc */

static const char *const OP_NETLIST = "op comparison\n"
                                      ".param rval=2k vs={2*3}\n"
                                      ".func twice(x) {2*x}\n"
                                      "V1 in 0 {vs}\n"
                                      "R1 in mid {rval}\n"
                                      "R2 mid 0 {twice(rval)/2}\n"
                                      "X1 mid out 0 atten ratio=0.25\n"
                                      ".subckt atten a b g params: ratio=0.5 rtot=4k\n"
                                      "R1 a c {rtot*(1-ratio)}\n"
                                      "Vm c b 0\n"
                                      "R2 b g {rtot*ratio}\n"
                                      ".ends\n"
                                      "E1 e 0 mid 0 -3\n"
                                      "Re e f 1k\n"
                                      "Rf f 0 2.2k\n"
                                      "F1 0 g V1 7\n"
                                      "Rg g 0 470\n"
                                      "G1 0 h g f 1.5m\n"
                                      "Rh h 0 3.3k\n"
                                      "H1 k 0 V1 250\n"
                                      "Rk k top 1k\n"
                                      "Rt1 top a1 1k\nRt2 a1 0 2k\nRt3 top b1 3k\nRt4 b1 0 4k\nRt5 a1 b1 500\n"
                                      "I1 0 a1 0.2m\n"
                                      "L1 mid lx 1m\n"
                                      "Rl lx 0 5k\n"
                                      "C1 top 0 1u\n"
                                      "Rtc h 0 10k tc1=2m tc2=10u\n"
                                      ".temp 75\n"
                                      ".op\n"
                                      ".end\n";

static void test_op(void **state)
{
    compare_op_dc(state, OP_NETLIST, "Operating Point");
}

static void test_dc_nested(void **state)
{
    compare_op_dc(state,
                  "nested dc\n"
                  "V1 in 0 0\n"
                  "R1 in mid 3k\n"
                  "R2 mid 0 1k\n"
                  "I1 0 mid 0\n"
                  "E1 e 0 mid in 4\n"
                  "Re e 0 1k\n"
                  "H1 h 0 V1 100\n"
                  "Rh h 0 1k\n"
                  ".dc V1 -1 2 0.25 I1 0 3m 0.5m\n"
                  ".end\n",
                  "DC transfer");
}

static void test_dc_negative_step_isource(void **state)
{
    compare_op_dc(state,
                  "negative step, current sweep\n"
                  "V1 in 0 1\n"
                  "R1 in mid 3k\n"
                  "R2 mid 0 1k\n"
                  "I1 0 mid 0\n"
                  "G1 0 g mid 0 1m\n"
                  "Rg g 0 2k\n"
                  "F1 0 f V1 2\n"
                  "Rf f 0 1k\n"
                  ".dc I1 2m -1m -0.25m\n"
                  ".end\n",
                  "DC transfer");
}

/* ----------------------------------------------------------- transients */

/* largest |difference| of `name` between the two runs, each interpolated
 * at the other's time points, relative to the range of ngspice's values */
static double tran_difference(const MemPlot *ng, const MemPlot *ms, const char *name)
{
    int cn = tu_col(ng, name), cm = tu_col(ms, name);
    double lo = INFINITY, hi = -INFINITY, worst = 0, at = 0;
    for (int k = 0; k < ng->npoints; k++) {
        lo = fmin(lo, tu_val(ng, k, cn));
        hi = fmax(hi, tu_val(ng, k, cn));
    }
    double t_end = fmin(tu_val(ng, ng->npoints - 1, 0), tu_val(ms, ms->npoints - 1, 0));
    for (int k = 0; k < ng->npoints; k++) {
        double t = tu_val(ng, k, 0);
        if (t > t_end) break;
        double d = fabs(tu_interp(ms, cm, t) - tu_val(ng, k, cn));
        if (d > worst) {
            worst = d;
            at = t;
        }
    }
    for (int k = 0; k < ms->npoints; k++) {
        double t = tu_val(ms, k, 0);
        if (t > t_end) break;
        double d = fabs(tu_interp(ng, cn, t) - tu_val(ms, k, cm));
        if (d > worst) {
            worst = d;
            at = t;
        }
    }
    double rel = worst / (hi - lo);
    if (getenv("TU_VERBOSE"))
        print_message("  %s: range %.3e, largest difference %.3e at t=%.4e (%.3e of the range)\n", name, hi - lo,
                      worst, at, rel);
    return rel;
}

static void compare_tran(void **state, const char *netlist, const char *const *names, int nnames, double bound)
{
    (void)state;
    RawFile *rf = tu_ngspice(netlist);
    TuRun *r = tu_run(netlist);
    const MemPlot *ng = tu_raw_plot(rf, "Transient"), *ms = tu_plot_named(r, "Transient");
    /* same span */
    tu_close(tu_val(ms, ms->npoints - 1, 0), tu_val(ng, ng->npoints - 1, 0), 1e-12, 0, "tstop");
    for (int k = 0; k < nnames; k++) {
        char what[96];
        snprintf(what, sizeof what, "%s: memspice vs ngspice, fraction of the range", names[k]);
        tu_le(tran_difference(ng, ms, names[k]), bound, what);
    }
    tu_free(r);
    raw_free(rf);
}

static void test_tran_rlc(void **state)
{
    /* series RLC driven by a pulse: underdamped (zeta = 0.16), ringing on
     * both edges. Measured 1.6e-5 (v(b)) and 8.3e-5 (i(l1)) of the range;
     * bound 2.5e-4 */
    static const char *const names[] = {"v(b)", "i(l1)", "v(a)"};
    compare_tran(state,
                 "rlc\n"
                 "V1 in 0 PULSE(0 1 10u 1u 1u 200u 400u)\n"
                 "R1 in a 10\n"
                 "L1 a b 1m\n"
                 "C1 b 0 1u\n"
                 ".tran 1u 1m\n"
                 ".end\n",
                 names, 3, 2.5e-4);
}

static void test_tran_rc_ladder(void **state)
{
    /* 20 sections of 100 ohm / 10 pF (1 ns each) driven by a 0.1 ns edge:
     * a stiff, diffusive line. The largest difference is at the first
     * node during the 0.1 ns edge, where both step sequences resolve the
     * ramp with a handful of points: measured 1.45e-3 of the range there,
     * <= 1.7e-4 further down the line; bound 4.5e-3 */
    char *nl = xasprintf("rc ladder\nV1 n0 0 PULSE(0 1 1n 0.1n 0.1n 20n 60n)\n");
    for (int k = 1; k <= 20; k++) {
        char *more = xasprintf("%sR%d n%d n%d 100\nC%d n%d 0 10p\n", nl, k, k - 1, k, k, k);
        free(nl);
        nl = more;
    }
    char *full = xasprintf("%s.tran 1n 200n\n.end\n", nl);
    static const char *const names[] = {"v(n1)", "v(n5)", "v(n10)", "v(n20)", "i(v1)"};
    compare_tran(state, full, names, 5, 4.5e-3);
    free(full);
    free(nl);
}

/* Behavioural elements as ngspice reads them: a resistor whose value reads
 * a node, a capacitor C(v) with i = C dv/dt, and the memristor idiom (a
 * state capacitor charged by k*i(Rmem), i() of a resistor through a 0 V
 * probe, .tran uic). Measured 1.9e-5 (v(m)), 2.6e-6 (v(x)) and 3.8e-6
 * (v(o)) of the range; bound 1e-4 */
static void test_tran_behavioural_elements(void **state)
{
    static const char *const names[] = {"v(m)", "v(x)", "v(o)"};
    compare_tran(state,
                 "behavioural R and C, memristor idiom\n"
                 "V1 a 0 SIN(0 1 1k)\n"
                 "Rm a m r={1k*(1+v(a)^2)}\n"
                 "Cm m 0 1u\n"
                 "Cx a 0 c={1n*(1+v(m))}\n"
                 "V2 p 0 SIN(0 1 1k)\n"
                 "Rmem p o r={100*v(x)+16k*(1-v(x))}\n"
                 "Ro o 0 1k\n"
                 "Gx 0 x value={1e7*i(Rmem)}\n"
                 "Cx2 x 0 1 IC=0.1\n"
                 ".tran 1u 2m uic\n"
                 ".end\n",
                 names, 3, 1e-4);
}

/* ------------------------------------------------------------------ .ac */

/* every variable ngspice writes (but the frequency's imaginary part, which
 * ngspice leaves unset), complex, relative to the variable's largest
 * magnitude over the sweep */
static void compare_ac(void **state, const char *netlist, double bound)
{
    (void)state;
    RawFile *rf = tu_ngspice(netlist);
    TuRun *r = tu_run(netlist);
    const MemPlot *ng = tu_raw_plot(rf, "AC"), *ms = tu_plot_named(r, "AC");
    assert_true(ng->cplx && ms->cplx);
    assert_int_equal(ng->npoints, ms->npoints);
    assert_int_equal(ng->nvars, ms->nvars);
    double worst = 0;
    const char *wname = "";
    for (int i = 0; i < ng->nvars; i++) {
        int j = tu_col(ms, ng->names[i]);
        double big = 0;
        for (int k = 0; k < ng->npoints; k++) big = fmax(big, hypot(ng->data[(k * ng->nvars + i) * 2], ng->data[(k * ng->nvars + i) * 2 + 1]));
        for (int k = 0; k < ng->npoints; k++) {
            const double *a = &ng->data[(k * ng->nvars + i) * 2], *b = &ms->data[(k * ms->nvars + j) * 2];
            double d = i == 0 ? fabs(a[0] - b[0]) : hypot(a[0] - b[0], a[1] - b[1]);
            if (big > 0 && d / big > worst) worst = d / big, wname = ng->names[i];
        }
    }
    if (getenv("TU_VERBOSE")) print_message("  largest difference %.3e of the variable's range (%s)\n", worst, wname);
    tu_le(worst, bound, "AC: memspice vs ngspice");
    tu_free(r);
    raw_free(rf);
}

/* RC low-pass, series RLC, parallel RC fed by a current with a phase:
 * the same linear equations; measured 2.2e-13; bound 1e-10 */
static void test_ac_filters(void **state)
{
    compare_ac(state,
               "filters\nV1 in 0 DC 0 AC 1\nR1 in out 1k\nC1 out 0 1u\nV2 in2 0 AC 2 45\nR2 in2 m 10\nL2 m o2 1m\n"
               "C2 o2 0 1u\nI3 0 x AC 1m\nR3 x 0 1k\nC3 x 0 1n\n.ac dec 10 10 1meg\n.end\n",
               1e-10);
}

/* a common-source MOS amplifier with a source-bypass capacitor and an
 * output coupling capacitor: linearised at an operating point that both
 * find to Newton's tolerance (reltol 1e-3 on the update, far tighter on the
 * residual); measured 6e-8 of the range; bound 1e-5 */
static void test_ac_mos_amplifier(void **state)
{
    compare_ac(state,
               "cs amp\nVdd vdd 0 5\nVin in 0 DC 0 AC 1m\nCin in g 1u\nR1 vdd g 200k\nR2 g 0 100k\nRd vdd d 10k\n"
               "M1 d g s 0 nm W=10u L=1u\nRs s 0 1k\nCs s 0 10u\nCout d out 1u\nRl out 0 100k\n"
               ".model nm nmos level=1 vto=0.7 kp=100u lambda=0.02 cgso=1n cgdo=1n cbd=10f cbs=10f\n"
               ".ac dec 10 1 100meg\n.end\n",
               1e-5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_op),
        cmocka_unit_test(test_dc_nested),
        cmocka_unit_test(test_dc_negative_step_isource),
        cmocka_unit_test(test_tran_rlc),
        cmocka_unit_test(test_tran_rc_ladder),
        cmocka_unit_test(test_tran_behavioural_elements),
        cmocka_unit_test(test_ac_filters),
        cmocka_unit_test(test_ac_mos_amplifier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
