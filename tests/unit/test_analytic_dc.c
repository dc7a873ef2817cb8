/* Operating point and DC sweeps of linear circuits against hand-solved
 * answers: dividers, series/parallel networks, Wheatstone bridges, the four
 * controlled sources, superposition, source polarity conventions, single,
 * nested and negative-step sweeps, parameters/functions/subcircuits, and
 * resistor temperature coefficients.
 *
 * Tolerances: these circuits are linear, so memspice solves them with one
 * LU factorization; the only error is floating-point round-off, a few ulps
 * times the condition number of these small well-scaled matrices. 1e-12
 * relative is ~5000 ulps: far above round-off, far below any modelling
 * mistake (a wrong sign, a missing conductance, gmin leaking in at 1e-12 S
 * across a 1 kohm node would show as ~1e-9). Measured errors are <= 3.4e-15
 * relative (the bridge voltage, a difference of two node voltages) and
 * exact in most cases. Where the expected value is zero, the bound is
 * absolute at 1e-15 of the circuit's current/voltage scale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"
#include "util/xmem.h"

#define RTOL 1e-12   /* see the file comment: round-off only */

static void test_divider(void **state)
{
    (void)state;
    TuRun *r = tu_run("divider\n"
                      "V1 in 0 12\n"
                      "R1 in mid 1k\n"
                      "R2 mid 0 2k\n"
                      ".op\n"
                      ".end\n");
    tu_close(tu_op(r, "v(in)"), 12, RTOL, 0, "v(in)");
    tu_close(tu_op(r, "v(mid)"), 8, RTOL, 0, "v(mid) = 12*2k/3k");
    /* 4 mA leave v1's + terminal into the circuit: SPICE reports -4 mA */
    tu_close(tu_op(r, "i(v1)"), -4e-3, RTOL, 0, "i(v1)");
    tu_free(r);
}

static void test_series_parallel(void **state)
{
    (void)state;
    /* 100 + (200 || 300) + (50 || 50 || 100) = 100 + 120 + 20 = 240 ohm */
    TuRun *r = tu_run("series parallel\n"
                      "V1 a 0 DC 24\n"
                      "R1 a b 100\n"
                      "R2 b c 200\n"
                      "R3 b c 300\n"
                      "R4 c 0 50\n"
                      "R5 c 0 50\n"
                      "R6 c 0 100\n"
                      ".op\n"
                      ".end\n");
    double i = 24.0 / 240;
    tu_close(tu_op(r, "i(v1)"), -i, RTOL, 0, "i(v1)");
    tu_close(tu_op(r, "v(b)"), 24 - 100 * i, RTOL, 0, "v(b)");
    tu_close(tu_op(r, "v(c)"), 20 * i, RTOL, 0, "v(c)");
    tu_free(r);
}

/* left arm: top - a (r1), a - 0 (r2); right arm: top - b (r3), b - 0 (r4);
 * bridge r5 from a to b through an ammeter vm (0 V source) */
static char *bridge(double r1, double r2, double r3, double r4, double r5)
{
    return xasprintf("wheatstone\n"
                     "V1 top 0 10\n"
                     "R1 top a %.17g\nR2 a 0 %.17g\nR3 top b %.17g\nR4 b 0 %.17g\n"
                     "R5 a m %.17g\nVm m b 0\n"
                     ".op\n.end\n",
                     r1, r2, r3, r4, r5);
}

static void test_wheatstone_balanced(void **state)
{
    (void)state;
    char *nl = bridge(1e3, 2e3, 3e3, 6e3, 500);
    TuRun *r = tu_run(nl);
    /* balanced: no bridge current. Scale of the currents is 10V/1k = 1e-2;
     * allow 1e-15 of that (round-off in v(a) - v(b)) */
    tu_close(tu_op(r, "i(vm)"), 0, 0, 1e-17, "bridge current");
    tu_close(tu_op(r, "v(a)"), 10 * 2.0 / 3, RTOL, 0, "v(a)");
    tu_close(tu_op(r, "v(b)"), 10 * 6.0 / 9, RTOL, 0, "v(b)");
    tu_free(r);
    free(nl);
}

static void test_wheatstone_unbalanced(void **state)
{
    (void)state;
    double r1 = 1e3, r2 = 2e3, r3 = 3e3, r4 = 4e3, r5 = 500, v = 10;
    char *nl = bridge(r1, r2, r3, r4, r5);
    TuRun *r = tu_run(nl);
    /* Thevenin seen by r5: open-circuit voltage between a and b and the
     * two arms in parallel on each side */
    double vth = v * (r2 / (r1 + r2) - r4 / (r3 + r4));
    double rth = r1 * r2 / (r1 + r2) + r3 * r4 / (r3 + r4);
    double i5 = vth / (rth + r5);  /* from a to b: into vm's + terminal */
    tu_close(tu_op(r, "i(vm)"), i5, RTOL, 0, "bridge current (Thevenin)");
    tu_close(tu_op(r, "v(a)") - tu_op(r, "v(b)"), i5 * r5, 1e-11, 0, "bridge voltage");
    tu_free(r);
    free(nl);
}

static void test_vcvs_inverting_amp(void **state)
{
    (void)state;
    /* inverting amplifier around a finite-gain E: the exact closed-loop
     * gain is -(rf/rin) / (1 + (1 + rf/rin)/A) */
    TuRun *r = tu_run("inverting amp\n"
                      "V1 in 0 0.5\n"
                      "Rin in minus 1k\n"
                      "Rf minus out 10k\n"
                      "E1 out 0 0 minus 1000\n"
                      "Rl out 0 2k\n"
                      ".op\n.end\n");
    double A = 1000, k = 10, g = -k / (1 + (1 + k) / A);
    tu_close(tu_op(r, "v(out)"), 0.5 * g, RTOL, 0, "v(out)");
    tu_close(tu_op(r, "v(minus)"), -0.5 * g / A, RTOL, 0, "v(minus) = -v(out)/A");
    tu_free(r);
}

static void test_cccs(void **state)
{
    (void)state;
    /* 5 mA flow through vsense from + to -; F1 0 out drives 3x that from
     * node 0 through itself into out */
    TuRun *r = tu_run("cccs\n"
                      "V1 a 0 5\n"
                      "R1 a b 1k\n"
                      "Vsense b 0 0\n"
                      "F1 0 out Vsense 3\n"
                      "R2 out 0 100\n"
                      ".op\n.end\n");
    tu_close(tu_op(r, "i(vsense)"), 5e-3, RTOL, 0, "i(vsense)");
    tu_close(tu_op(r, "v(out)"), 3 * 5e-3 * 100, RTOL, 0, "v(out)");
    tu_free(r);
}

static void test_vccs(void **state)
{
    (void)state;
    /* G1 0 out in 0 2m: 2m*v(in) from 0 through G1 into out */
    TuRun *r = tu_run("vccs\n"
                      "V1 in 0 3\n"
                      "G1 0 out in 0 2m\n"
                      "R1 out 0 1k\n"
                      ".op\n.end\n");
    tu_close(tu_op(r, "v(out)"), 6, RTOL, 0, "v(out)");
    tu_free(r);
    /* G controlled by its own terminals is a conductance: with the right
     * sign a 500 ohm to ground (v = 1/3); the wrong sign gives -1 V */
    r = tu_run("vccs as resistor\n"
               "V1 in 0 1\n"
               "R1 in out 1k\n"
               "G1 out 0 out 0 2m\n"
               ".op\n.end\n");
    tu_close(tu_op(r, "v(out)"), 1.0 / 3, RTOL, 0, "v(out)");
    tu_free(r);
}

static void test_ccvs(void **state)
{
    (void)state;
    TuRun *r = tu_run("ccvs\n"
                      "V1 a 0 5\n"
                      "R1 a b 1k\n"
                      "Vsense b 0 0\n"
                      "H1 out 0 Vsense 500\n"
                      "R2 out 0 100\n"
                      ".op\n.end\n");
    tu_close(tu_op(r, "v(out)"), 2.5, RTOL, 0, "v(out) = 500 * 5mA");
    /* H1 delivers 25 mA into R2, i.e. out of its + terminal */
    tu_close(tu_op(r, "i(h1)"), -25e-3, RTOL, 0, "i(h1)");
    tu_free(r);
}

static char *superpos_netlist(double v, double i)
{
    return xasprintf("superposition\n"
                     "V1 a 0 %.17g\n"
                     "I1 0 c %.17g\n"
                     "R1 a b 1k\nR2 b 0 2.2k\nR3 b c 3.3k\nR4 c 0 4.7k\nR5 a c 10k\n"
                     "E1 d 0 b c 2\nR6 d c 1.5k\n"
                     ".op\n.end\n",
                     v, i);
}

static void test_superposition(void **state)
{
    (void)state;
    char *nboth = superpos_netlist(7, 3e-3), *nv = superpos_netlist(7, 0), *ni = superpos_netlist(0, 3e-3);
    TuRun *both = tu_run(nboth), *rv = tu_run(nv), *ri = tu_run(ni);
    static const char *const names[] = {"v(a)", "v(b)", "v(c)", "v(d)", "i(v1)", "i(e1)"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        double sum = tu_op(rv, names[k]) + tu_op(ri, names[k]);
        /* 1e-12 relative to the larger of the parts: the sum may cancel */
        double scale = fmax(fabs(tu_op(rv, names[k])), fabs(tu_op(ri, names[k])));
        tu_close(tu_op(both, names[k]), sum, 0, 1e-12 * scale, names[k]);
    }
    /* and the parts are not trivially zero (measured 3.1 V and 0.22 V) */
    assert_true(fabs(tu_op(rv, "v(c)")) > 0.1);
    assert_true(fabs(tu_op(ri, "v(b)")) > 0.1);
    tu_free(both);
    tu_free(rv);
    tu_free(ri);
    free(nboth);
    free(nv);
    free(ni);
}

static void test_current_source_polarity(void **state)
{
    (void)state;
    /* I1 n+ n- drives its current from n+ through the source to n- */
    TuRun *r = tu_run("isrc into node\n"
                      "I1 0 n 1m\n"
                      "R1 n 0 1k\n"
                      ".op\n.end\n");
    tu_close(tu_op(r, "v(n)"), 1, RTOL, 0, "I1 0 n 1m into 1k");
    tu_free(r);
    r = tu_run("isrc out of node\n"
               "I1 n 0 1m\n"
               "R1 n 0 1k\n"
               ".op\n.end\n");
    tu_close(tu_op(r, "v(n)"), -1, RTOL, 0, "I1 n 0 1m out of 1k");
    tu_free(r);
    /* I1 pushes 2 mA into a, R1 takes 1 mA, the other 1 mA enters v1's +
     * terminal: i(v1) = +1 mA */
    r = tu_run("vsrc absorbing\n"
               "V1 a 0 1\n"
               "I1 0 a 2m\n"
               "R1 a 0 1k\n"
               ".op\n.end\n");
    tu_close(tu_op(r, "i(v1)"), 1e-3, RTOL, 0, "i(v1) absorbing");
    tu_free(r);
}

static void test_dc_sweep_line(void **state)
{
    (void)state;
    /* v(mid) = v1 * R2/(R1+R2) + I1 * (R1||R2) = 0.25 v1 + 0.75 */
    TuRun *r = tu_run("sweep\n"
                      "V1 in 0 0\n"
                      "R1 in mid 3k\n"
                      "R2 mid 0 1k\n"
                      "I1 0 mid 1m\n"
                      ".dc V1 -1 4 0.5\n"
                      ".end\n");
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    int cs = tu_col(p, "v(v-sweep)"), cm = tu_col(p, "v(mid)"), ci = tu_col(p, "i(v1)");
    assert_int_equal(cs, 0);
    assert_int_equal(p->npoints, 11);
    for (int k = 0; k < p->npoints; k++) {
        double v = -1 + 0.5 * k;
        /* sweep values: start + k*step within round-off of the step */
        tu_close(tu_val(p, k, cs), v, 0, 1e-12, "sweep value");
        tu_close(tu_val(p, k, cm), 0.25 * tu_val(p, k, cs) + 0.75, 0, RTOL * 2, "v(mid) on the line");
        /* current into v1's + terminal: (v(mid) - v1)/R1 */
        tu_close(tu_val(p, k, ci), (tu_val(p, k, cm) - tu_val(p, k, cs)) / 3e3, 0, RTOL * 1e-3, "i(v1)");
    }
    tu_free(r);
}

static void test_dc_nested(void **state)
{
    (void)state;
    TuRun *r = tu_run("nested sweep\n"
                      "V1 in 0 0\n"
                      "R1 in mid 3k\n"
                      "R2 mid 0 1k\n"
                      "I1 0 mid 0\n"
                      ".dc V1 0 2 1 I1 0 3m 1m\n"
                      ".end\n");
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    int cs = tu_col(p, "v(v-sweep)"), cm = tu_col(p, "v(mid)");
    /* 3 inner (V1) x 4 outer (I1) points, V1 varying fastest */
    assert_int_equal(p->npoints, 12);
    for (int k = 0; k < 12; k++) {
        double v = k % 3, i = 1e-3 * (k / 3);
        tu_close(tu_val(p, k, cs), v, 0, 1e-12, "inner sweep value");
        tu_close(tu_val(p, k, cm), 0.25 * v + 750 * i, 0, 4 * RTOL, "v(mid) at (v1, i1)");
    }
    tu_free(r);
}

static void test_dc_negative_step(void **state)
{
    (void)state;
    TuRun *r = tu_run("negative step\n"
                      "V1 in 0 0\n"
                      "R1 in out 1k\n"
                      "R2 out 0 1k\n"
                      ".dc V1 5 -1 -1.5\n"
                      ".end\n");
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    int cs = tu_col(p, "v(v-sweep)"), co = tu_col(p, "v(out)");
    /* 5, 3.5, 2, 0.5, -1 */
    assert_int_equal(p->npoints, 5);
    for (int k = 0; k < p->npoints; k++) {
        double v = 5 - 1.5 * k;
        tu_close(tu_val(p, k, cs), v, 0, 1e-12, "sweep value");
        tu_close(tu_val(p, k, co), v / 2, 0, RTOL * 5, "v(out)");
    }
    tu_free(r);
}

static void test_params_funcs_subckt(void **state)
{
    (void)state;
    TuRun *r = tu_run("parameters\n"
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
                      ".op\n.end\n");
    /* subcircuit: 3k + 1k = 4k to ground from mid; mid sees 2k || 4k */
    double rpar = 2e3 * 4e3 / 6e3, vmid = 6 * rpar / (2e3 + rpar);
    tu_close(tu_op(r, "v(mid)"), vmid, RTOL, 0, "v(mid)");
    tu_close(tu_op(r, "v(out)"), vmid * 0.25, RTOL, 0, "v(out) with ratio=0.25");
    tu_close(tu_op(r, "v(x1.c)"), vmid * 0.25, RTOL, 0, "internal node x1.c");
    tu_close(tu_op(r, "i(v.x1.vm)"), vmid / 4e3, RTOL, 0, "current of v.x1.vm");
    tu_free(r);
}

static void test_resistor_temperature(void **state)
{
    (void)state;
    /* R(T) = R (1 + tc1 dT + tc2 dT^2), dT = T - tnom, tnom = 27 C */
    double dt = 75 - 27, rt = 1e3 * (1 + 2e-3 * dt + 1e-5 * dt * dt);
    TuRun *r = tu_run("tc\n"
                      "V1 a 0 1\n"
                      "R1 a 0 1k tc1=2m tc2=10u\n"
                      "R2 a b 1k\n"
                      "R3 b 0 1k\n"
                      ".temp 75\n"
                      ".op\n.end\n");
    tu_close(tu_op(r, "i(v1)"), -(1 / rt + 1 / 2e3), RTOL, 0, "i(v1) at 75 C");
    tu_close(tu_op(r, "v(b)"), 0.5, RTOL, 0, "resistors without tc are unchanged");
    tu_free(r);
    r = tu_run("tc options\n"
               "V1 a 0 1\n"
               "R1 a 0 1k tc1=2m tc2=10u\n"
               ".options temp=75\n"
               ".op\n.end\n");
    tu_close(tu_op(r, "i(v1)"), -1 / rt, RTOL, 0, "i(v1) with .options temp=75");
    tu_free(r);
    /* at the nominal temperature the coefficients do nothing */
    r = tu_run("tc nominal\n"
               "V1 a 0 1\n"
               "R1 a 0 1k tc1=2m tc2=10u\n"
               ".op\n.end\n");
    tu_close(tu_op(r, "i(v1)"), -1e-3, RTOL, 0, "i(v1) at 27 C");
    tu_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_divider),
        cmocka_unit_test(test_series_parallel),
        cmocka_unit_test(test_wheatstone_balanced),
        cmocka_unit_test(test_wheatstone_unbalanced),
        cmocka_unit_test(test_vcvs_inverting_amp),
        cmocka_unit_test(test_cccs),
        cmocka_unit_test(test_vccs),
        cmocka_unit_test(test_ccvs),
        cmocka_unit_test(test_superposition),
        cmocka_unit_test(test_current_source_polarity),
        cmocka_unit_test(test_dc_sweep_line),
        cmocka_unit_test(test_dc_nested),
        cmocka_unit_test(test_dc_negative_step),
        cmocka_unit_test(test_params_funcs_subckt),
        cmocka_unit_test(test_resistor_temperature),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
