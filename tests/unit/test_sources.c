/* Independent-source time functions, measured through a V source driving a
 * resistor (the node voltage is the source value) at every time point of a
 * finely stepped transient, against the formulas written out here from
 * ngspice's documented semantics. Where ngspice-39's behaviour and its
 * manual disagree (EXP's TD1 default), the tests follow the program, as a
 * netlist must give the same waveform in both; each such case says so.
 * The formulas were cross-checked against ngspice-39 output on the same
 * netlists (agreement to <= 2e-15).
 *
 * Tolerance: the node voltage is the source value through one exact MNA
 * row; the only differences are rounding in evaluating the same formula
 * (sin/exp of large arguments, t - td) and in the solve: 1e-12 absolute on
 * O(1) V values. Measured <= 4e-15. A wrong default, unit (degrees vs
 * radians) or branch shows as 1e-2 or more. */
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

#define PI 3.14159265358979323846
#define ATOL 1e-12

/* the transient all waveform tests use: tstep 0.5 us, tstop 10 us, at most
 * 10 ns per step (>= 1000 points). In e-notation so that the simulator's
 * tstep and tstop are the same doubles as these (a suffix is applied by
 * multiplication: 10u = 10 * 1e-6 is one ulp below 1e-5). */
#define TSTEP 0.5e-6
#define TSTOP 1e-5
#define TRAN ".tran 0.5e-6 1e-5 0 1e-8\n"

/* A reference waveform: kind and its arguments as written (nargs of them;
 * missing ones take the defaults inside the formulas). */
typedef struct Ref {
    const char *node;
    int kind;                 /* 'P' pulse, 'S' sin, 'E' exp, 'W' pwl, 'F' sffm */
    int nargs;
    double a[12];
    double r, td;             /* pwl r= (< 0: none), td= */
    double scale;             /* node voltage per source unit (I sources) */
} Ref;

static double arg(const Ref *w, int k, double def)
{
    return k < w->nargs ? w->a[k] : def;
}

/* SPICE replaces a missing or zero argument by the default */
static double arg_nz(const Ref *w, int k, double def)
{
    double v = arg(w, k, 0);
    return v != 0 ? v : def;
}

/* PULSE(v1 v2 td tr tf pw per np): tr, tf default tstep, pw, per default
 * tstop. ngspice folds the time into the period only once it exceeds the
 * period (at t - td == per exactly the unfolded waveform applies); np > 0
 * stops after np pulses. */
static double pulse_ref(const Ref *w, double t)
{
    double v1 = arg(w, 0, 0), v2 = arg(w, 1, 0), td = arg(w, 2, 0);
    double tr = arg_nz(w, 3, TSTEP), tf = arg_nz(w, 4, TSTEP), pw = arg_nz(w, 5, TSTOP);
    double per = arg_nz(w, 6, TSTOP), np = arg(w, 7, 0);
    double x = t - td;
    if (x > per) {
        double periods = floor(x / per);
        if (np > 0 && periods >= np) return v1;
        x -= per * periods;
    }
    if (x <= 0 || x >= tr + pw + tf) return v1;
    if (x >= tr && x <= tr + pw) return v2;
    if (x < tr) return v1 + (v2 - v1) * x / tr;
    return v2 + (v1 - v2) * (x - tr - pw) / tf;
}

/* SIN(vo va freq td theta phase): freq default 1/tstop, phase in degrees;
 * before td the value is vo + va sin(phase) */
static double sin_ref(const Ref *w, double t)
{
    double vo = arg(w, 0, 0), va = arg(w, 1, 0), f = arg_nz(w, 2, 1 / TSTOP), td = arg(w, 3, 0);
    double theta = arg(w, 4, 0), ph = arg(w, 5, 0) * PI / 180;
    double x = t - td;
    if (x <= 0) return vo + va * sin(ph);
    return vo + va * sin(2 * PI * f * x + ph) * exp(-x * theta);
}

/* EXP(v1 v2 td1 tau1 td2 tau2): tau1, tau2 default tstep, td2 default
 * td1 + tstep. TD1: ngspice-39 uses tstep when it is 0 or missing (its
 * manual says the default is 0; the program's output is what counts). */
static double exp_ref(const Ref *w, double t)
{
    double v1 = arg(w, 0, 0), v2 = arg(w, 1, 0), td1 = arg_nz(w, 2, TSTEP), tau1 = arg_nz(w, 3, TSTEP);
    double td2 = arg_nz(w, 4, td1 + TSTEP), tau2 = arg_nz(w, 5, TSTEP);
    if (t <= td1) return v1;
    double v = v1 + (v2 - v1) * (1 - exp(-(t - td1) / tau1));
    if (t > td2) v += (v1 - v2) * (1 - exp(-(t - td2) / tau2));
    return v;
}

/* PWL(t1 v1 ...) r=R td=TD: delayed by TD; before the first point the first
 * value, after the last the last value, unless r= repeats the part from
 * time R to the end (period tlast - R) forever */
static double pwl_ref(const Ref *w, double t)
{
    int n = w->nargs / 2;
    double x = t - w->td, tlast = w->a[2 * (n - 1)];
    if (w->r >= 0 && x > tlast) x = w->r + fmod(x - w->r, tlast - w->r);
    if (x <= w->a[0]) return w->a[1];
    for (int i = 1; i < n; i++) {
        double t0 = w->a[2 * i - 2], t1 = w->a[2 * i], v0 = w->a[2 * i - 1], v1 = w->a[2 * i + 1];
        if (x <= t1) return v0 + (v1 - v0) * (x - t0) / (t1 - t0);
    }
    return w->a[2 * n - 1];
}

/* SFFM(vo va fc mdi fs phasec phases): fc, fs default 1/tstop, phases in
 * degrees: vo + va sin(2 pi fc t + phasec + mdi sin(2 pi fs t + phases)) */
static double sffm_ref(const Ref *w, double t)
{
    double vo = arg(w, 0, 0), va = arg(w, 1, 0), fc = arg_nz(w, 2, 1 / TSTOP), mdi = arg(w, 3, 0);
    double fs = arg_nz(w, 4, 1 / TSTOP), pc = arg(w, 5, 0) * PI / 180, ps = arg(w, 6, 0) * PI / 180;
    return vo + va * sin(2 * PI * fc * t + pc + mdi * sin(2 * PI * fs * t + ps));
}

static double ref_value(double t, const void *ctx)
{
    const Ref *w = ctx;
    double v = 0;
    switch (w->kind) {
    case 'P': v = pulse_ref(w, t); break;
    case 'S': v = sin_ref(w, t); break;
    case 'E': v = exp_ref(w, t); break;
    case 'W': v = pwl_ref(w, t); break;
    case 'F': v = sffm_ref(w, t); break;
    }
    return v * (w->scale != 0 ? w->scale : 1);
}

/* Run the netlist and compare each listed node with its reference at every
 * time point; reports every mismatching node before failing. */
static void check_waveforms(const char *netlist, const Ref *refs, int nrefs)
{
    TuRun *r = tu_run(netlist);
    const MemPlot *p = tu_plot_named(r, "Transient");
    if (p->npoints < 1000) fail_msg("only %d time points; expected >= 1000 (tmax 10 ns)", p->npoints);
    int bad = 0;
    for (int k = 0; k < nrefs; k++) {
        double where;
        double err = tu_max_abs_err(p, tu_col(p, refs[k].node), ref_value, &refs[k], 0, INFINITY, &where);
        if (getenv("TU_VERBOSE")) print_message("  %s: max error %.3e at t=%.6e\n", refs[k].node, err, where);
        if (!(err <= ATOL)) {
            int row = 0;
            while (row < p->npoints && tu_val(p, row, 0) != where) row++;
            print_error("%s: error %.3e at t=%.17g: got %.17g, want %.17g\n", refs[k].node, err, where,
                        row < p->npoints ? tu_val(p, row, tu_col(p, refs[k].node)) : NAN,
                        ref_value(where, &refs[k]));
            bad++;
        }
    }
    tu_free(r);
    if (bad) fail_msg("%d waveform(s) differ from the reference by more than %.0e", bad, ATOL);
}

static void test_pulse(void **state)
{
    (void)state;
    /* all arguments, np = 2 pulses; a pulse with only td */
    static const Ref refs[] = {
        {"v(a)", 'P', 8, {0.5, 2, 1e-6, 0.2e-6, 0.3e-6, 1e-6, 3e-6, 2}, -1, 0, 0},
        {"v(b)", 'P', 7, {-1, 1, 0.5e-6, 0.1e-6, 0.4e-6, 0.7e-6, 2e-6}, -1, 0, 0},
        {"v(c)", 'P', 3, {0, 1, 2e-6}, -1, 0, 0},
    };
    check_waveforms("pulse\n"
                    "Va a 0 PULSE(0.5 2 1u 0.2u 0.3u 1u 3u 2)\nRa a 0 1k\n"
                    "Vb b 0 PULSE(-1 1 0.5u 0.1u 0.4u 0.7u 2u)\nRb b 0 1k\n"
                    "Vc c 0 PULSE(0 1 2u)\nRc c 0 1k\n" TRAN ".end\n",
                    refs, 3);
}

static void test_pulse_defaults(void **state)
{
    (void)state;
    /* PULSE(0 1): tr = tf = tstep, pw = per = tstop: a ramp to 1 over the
     * first tstep that then holds to the end, tstop included (ngspice-39:
     * v = 1 at t = tstop; the waveform folds into the next period only
     * after t - td exceeds the period). Also PULSE(0 1 0 1n 1n), the usual
     * way to write a step. */
    static const Ref refs[] = {
        {"v(a)", 'P', 2, {0, 1}, -1, 0, 0},
        {"v(b)", 'P', 5, {0, 1, 0, 1e-9, 1e-9}, -1, 0, 0},
    };
    check_waveforms("pulse defaults\n"
                    "Va a 0 PULSE(0 1)\nRa a 0 1k\n"
                    "Vb b 0 PULSE(0 1 0 1n 1n)\nRb b 0 1k\n" TRAN ".end\n",
                    refs, 2);
}

static void test_sin(void **state)
{
    (void)state;
    /* full: delay, damping, 30 degree phase (before td: vo + va sin 30deg);
     * defaults: freq = 1/tstop */
    static const Ref refs[] = {
        {"v(a)", 'S', 6, {0.5, 1.5, 200e3, 2e-6, 1e5, 30}, -1, 0, 0},
        {"v(b)", 'S', 2, {0, 1}, -1, 0, 0},
        {"v(c)", 'S', 3, {0.2, -0.7, 333e3}, -1, 0, 0},
    };
    check_waveforms("sin\n"
                    "Va a 0 SIN(0.5 1.5 200k 2u 1e5 30)\nRa a 0 1k\n"
                    "Vb b 0 SIN(0 1)\nRb b 0 1k\n"
                    "Vc c 0 SIN(0.2 -0.7 333k)\nRc c 0 1k\n" TRAN ".end\n",
                    refs, 3);
}

static void test_exp(void **state)
{
    (void)state;
    /* every argument given; td2 defaulted (td1 + tstep) */
    static const Ref refs[] = {
        {"v(a)", 'E', 6, {-1, 2, 1e-6, 0.5e-6, 4e-6, 1e-6}, -1, 0, 0},
        {"v(b)", 'E', 4, {0, 1, 0.2e-6, 2e-6}, -1, 0, 0},
        {"v(c)", 'E', 6, {0, 1, 0.2e-6, 0.5e-6, 0, 1e-6}, -1, 0, 0},
    };
    check_waveforms("exp\n"
                    "Va a 0 EXP(-1 2 1u 0.5u 4u 1u)\nRa a 0 1k\n"
                    "Vb b 0 EXP(0 1 0.2u 2u)\nRb b 0 1k\n"
                    "Vc c 0 EXP(0 1 0.2u 0.5u 0 1u)\nRc c 0 1k\n" TRAN ".end\n",
                    refs, 3);
}

static void test_exp_td1_default(void **state)
{
    (void)state;
    /* ngspice-39 output: TD1 missing or 0 means tstep (the rise starts at
     * 0.5 us here, not at 0), tau1 = tau2 = tstep, td2 = td1 + tstep */
    static const Ref refs[] = {
        {"v(a)", 'E', 2, {0, 1}, -1, 0, 0},
        {"v(b)", 'E', 4, {0, 1, 0, 2e-6}, -1, 0, 0},
    };
    check_waveforms("exp defaults\n"
                    "Va a 0 EXP(0 1)\nRa a 0 1k\n"
                    "Vb b 0 EXP(0 1 0 2u)\nRb b 0 1k\n" TRAN ".end\n",
                    refs, 2);
}

static void test_pwl(void **state)
{
    (void)state;
    /* plain (first value before the first point, last value after the
     * last), repeating from r=1u with td=0.5u, repeating from r=0 */
    static const Ref refs[] = {
        {"v(a)", 'W', 6, {1e-6, 0.4, 2e-6, 1, 4e-6, -0.3}, -1, 0, 0},
        {"v(b)", 'W', 8, {0, 0, 1e-6, 1, 2e-6, -1, 3e-6, 0.5}, 1e-6, 0.5e-6, 0},
        {"v(c)", 'W', 6, {0, 0.25, 0.8e-6, 1, 1.5e-6, 0.25}, 0, 0, 0},
    };
    check_waveforms("pwl\n"
                    "Va a 0 PWL(1u 0.4 2u 1 4u -0.3)\nRa a 0 1k\n"
                    "Vb b 0 PWL(0 0 1u 1 2u -1 3u 0.5) r=1u td=0.5u\nRb b 0 1k\n"
                    "Vc c 0 PWL(0 0.25 0.8u 1 1.5u 0.25) r=0\nRc c 0 1k\n" TRAN ".end\n",
                    refs, 3);
}

static void test_sffm(void **state)
{
    (void)state;
    static const Ref refs[] = {
        {"v(a)", 'F', 7, {0.1, 1, 300e3, 2, 50e3, 20, 40}, -1, 0, 0},
        {"v(b)", 'F', 2, {0, 1}, -1, 0, 0},
        {"v(c)", 'F', 5, {0, 0.5, 1e6, 3, 100e3}, -1, 0, 0},
    };
    check_waveforms("sffm\n"
                    "Va a 0 SFFM(0.1 1 300k 2 50k 20 40)\nRa a 0 1k\n"
                    "Vb b 0 SFFM(0 1)\nRb b 0 1k\n"
                    "Vc c 0 SFFM(0 0.5 1meg 3 100k)\nRc c 0 1k\n" TRAN ".end\n",
                    refs, 3);
}

static void test_current_source_waveforms(void **state)
{
    (void)state;
    /* I n+ n- drives its value from n+ through itself to n-: I 0 n into a
     * 2k resistor gives v(n) = +2k * i(t) */
    static const Ref refs[] = {
        {"v(a)", 'S', 6, {1e-3, 0.5e-3, 300e3, 1e-6, 0, 45}, -1, 0, 2e3},
        {"v(b)", 'P', 7, {0, 1e-3, 1e-6, 0.5e-6, 0.5e-6, 1e-6, 4e-6}, -1, 0, -2e3},
        {"v(c)", 'W', 6, {0, 0, 2e-6, 1e-3, 5e-6, -1e-3}, -1, 0, 2e3},
    };
    check_waveforms("isrc\n"
                    "Ia 0 a SIN(1m 0.5m 300k 1u 0 45)\nRa a 0 2k\n"
                    "Ib b 0 PULSE(0 1m 1u 0.5u 0.5u 1u 4u)\nRb b 0 2k\n"
                    "Ic 0 c PWL(0 0 2u 1m 5u -1m)\nRc c 0 2k\n" TRAN ".end\n",
                    refs, 3);
}

static void test_dc_analyses_use_dc_value(void **state)
{
    (void)state;
    /* .op: the DC value when given, else the waveform at t = 0 (values from
     * ngspice-39 on the same netlist) */
    TuRun *r = tu_run("op values\n"
                      "V1 a 0 DC 2 SIN(0 1 1k)\nR1 a 0 1k\n"
                      "V2 b 0 SIN(0.5 1 1k 0 0 30)\nR2 b 0 1k\n"
                      "V3 c 0 PULSE(0.3 1 1u)\nR3 c 0 1k\n"
                      "V4 d 0 EXP(-1 2 1u 1u)\nR4 d 0 1k\n"
                      "V5 e 0 PWL(1u 0.4 2u 1)\nR5 e 0 1k\n"
                      "V6 f 0 SFFM(0.1 1 1k 2 500 20 40)\nR6 f 0 1k\n"
                      "I1 0 g DC 1m PULSE(2m 3m 1u)\nR7 g 0 1k\n"
                      "I2 0 h SIN(1m 1m 1k 0 0 90)\nR8 h 0 1k\n"
                      ".op\n.end\n");
    double deg = PI / 180;
    tu_close(tu_op(r, "v(a)"), 2, 0, ATOL, "DC 2 with SIN: the DC value");
    tu_close(tu_op(r, "v(b)"), 0.5 + sin(30 * deg), 0, ATOL, "SIN at t=0: vo + va sin(phase)");
    tu_close(tu_op(r, "v(c)"), 0.3, 0, ATOL, "PULSE at t=0: v1");
    tu_close(tu_op(r, "v(d)"), -1, 0, ATOL, "EXP at t=0: v1");
    tu_close(tu_op(r, "v(e)"), 0.4, 0, ATOL, "PWL before its first point");
    tu_close(tu_op(r, "v(f)"), 0.1 + sin(20 * deg + 2 * sin(40 * deg)), 0, ATOL, "SFFM at t=0");
    tu_close(tu_op(r, "v(g)"), 1, 0, ATOL, "I DC 1m with PULSE: the DC value");
    tu_close(tu_op(r, "v(h)"), 2, 0, ATOL, "I SIN at t=0");
    tu_free(r);
    /* .dc: sweeping one source; the other keeps its DC value */
    r = tu_run("dc sweep with waveforms\n"
               "V1 a 0 DC 2 SIN(0 1 1k)\nR1 a m 1k\n"
               "V2 b 0 PULSE(0.3 1 1u)\nR2 b m 1k\n"
               "R3 m 0 1k\n"
               ".dc V2 0 1 0.5\n.end\n");
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    assert_int_equal(p->npoints, 3);
    for (int k = 0; k < 3; k++) {
        double v2 = 0.5 * k;
        tu_close(tu_val(p, k, tu_col(p, "v(a)")), 2, 0, ATOL, "v(a) during the sweep");
        tu_close(tu_val(p, k, tu_col(p, "v(m)")), (2 + v2) / 3, 0, ATOL, "v(m) during the sweep");
    }
    tu_free(r);
}

static void test_tran_uses_waveform(void **state)
{
    (void)state;
    /* a transient follows the waveform, its initial operating point
     * included (ngspice: the DC value is only for DC analyses) */
    static const Ref refs[] = {
        {"v(a)", 'S', 3, {0, 1, 300e3}, -1, 0, 0},
        {"v(b)", 'P', 7, {0.3, 1, 1e-6, 0.5e-6, 0.5e-6, 1e-6, 4e-6}, -1, 0, 0},
    };
    check_waveforms("dc and waveform\n"
                    "Va a 0 DC 2 SIN(0 1 300k)\nRa a 0 1k\n"
                    "Vb b 0 DC 5 PULSE(0.3 1 1u 0.5u 0.5u 1u 4u)\nRb b 0 1k\n" TRAN ".end\n",
                    refs, 2);
    TuRun *r = tu_run("dc and waveform t0\n"
                      "Va a 0 DC 2 SIN(0 1 300k)\nRa a 0 1k\n"
                      "Ca a 0 1n\n" TRAN ".end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    assert_true(tu_val(p, 0, 0) == 0);
    tu_close(tu_val(p, 0, tu_col(p, "v(a)")), 0, 0, ATOL, "v(a) at t=0 (the waveform, not DC 2)");
    tu_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pulse),
        cmocka_unit_test(test_pulse_defaults),
        cmocka_unit_test(test_sin),
        cmocka_unit_test(test_exp),
        cmocka_unit_test(test_exp_td1_default),
        cmocka_unit_test(test_pwl),
        cmocka_unit_test(test_sffm),
        cmocka_unit_test(test_current_source_waveforms),
        cmocka_unit_test(test_dc_analyses_use_dc_value),
        cmocka_unit_test(test_tran_uses_waveform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
