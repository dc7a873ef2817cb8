/* Junction diode (src/devices/diode.c): DC I-V against the SPICE level-1
 * equations computed here independently (forward, reverse, breakdown,
 * series resistance by solving the implicit equation, temperature), Newton
 * robustness (hard drive, rectifier with a large smoothing capacitor,
 * 'off'), parameter errors, and ngspice on the same netlists (ngspice
 * required: make test installs it).
 *
 * Constants are ngspice's (CODATA 2014 k and q, 27 degC = 300.15 K): with
 * them a diode across a voltage source gives ngspice's current to round-off. */
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

#define KB 1.38064852e-23
#define QE 1.6021766208e-19
#define GMIN 1e-12

static double vt_at(double celsius)
{
    return KB * (celsius + 273.15) / QE;
}

/* SPICE level-1 junction current without breakdown (ngspice's dioload):
 * IS (exp(v/(n vt)) - 1) down to -3 n vt, below it -IS (1 + (3 n vt/(e v))^3) */
typedef struct Dio {
    double is, n, vt, gmin, bv, nbv;   /* bv <= 0: no breakdown */
    double xbv;                        /* breakdown knee voltage (when bv > 0) */
} Dio;

static double dio_current(const Dio *d, double v)
{
    double vte = d->n * d->vt, i;
    if (v >= -3 * vte) i = d->is * (exp(v / vte) - 1);
    else if (d->bv <= 0 || v >= -d->xbv) i = -d->is * (1 + pow(3 * vte / (v * exp(1.0)), 3));
    else i = -d->is * exp(-(d->xbv + v) / (d->nbv * d->vt));
    return i + d->gmin * v;
}

static double dio_func(double v, const void *ctx)
{
    return dio_current(ctx, v);
}

/* -i(v1) of a .dc sweep of v1 across the diode against f(v) */
static double sweep_rel_err(const MemPlot *p, TuFunc f, const void *ctx, double lo, double hi, double floor)
{
    int ci = tu_col(p, "i(v1)");
    double worst = 0, at = 0;
    for (int k = 0; k < p->npoints; k++) {
        double v = tu_val(p, k, 0);
        if (v < lo - 1e-12 || v > hi + 1e-12) continue;
        double want = f(v, ctx), got = -tu_val(p, k, ci);
        double e = fabs(got - want) / fmax(fabs(want), floor);
        if (e > worst) {
            worst = e;
            at = v;
        }
    }
    if (getenv("TU_VERBOSE")) print_message("  largest relative error %.3e at v1 = %g\n", worst, at);
    return worst;
}

static TuRun *run_sweep(const char *model, const char *opts, double lo, double hi, double step)
{
    char *nl = xasprintf("diode sweep\nV1 a 0 0\nD1 a 0 dm\n.model dm d %s\n%s\n.dc V1 %g %g %g\n.end\n", model,
                         opts, lo, hi, step);
    TuRun *r = tu_run(nl);
    free(nl);
    return r;
}

/* Forward and reverse with rs = 0: the diode sees v1 exactly, so the
 * current is the formula at v1 up to round-off (bound 1e-9 relative;
 * measured 0: the same arithmetic). Reverse beyond -3 n vt is ngspice's cubic
 * continuation; with gmin = 0 the IS term is tested alone. */
static void test_dc_forward_reverse(void **state)
{
    (void)state;
    Dio d = {.is = 3e-14, .n = 1.5, .vt = vt_at(27), .gmin = GMIN};
    TuRun *r = run_sweep("is=3e-14 n=1.5", "", -0.12, 0.9, 0.005);
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    assert_int_equal(p->npoints, 205);
    tu_le(sweep_rel_err(p, dio_func, &d, 0.0, 0.9, 1e-30), 1e-9, "forward: |Id - IS(exp(V/nVt)-1) - gmin V| / |Id|");
    tu_le(sweep_rel_err(p, dio_func, &d, -3 * 1.5 * d.vt, -0.005, 1e-30), 1e-9, "reverse above -3 n vt");
    tu_free(r);

    d.gmin = 0;
    r = run_sweep("is=3e-14 n=1.5", ".options gmin=0", -5, 0.2, 0.01);
    p = tu_plot_named(r, "DC transfer");
    tu_le(sweep_rel_err(p, dio_func, &d, -5, 0.2, 1e-30), 1e-9, "gmin=0: exponential and cubic reverse regions");
    tu_close(-tu_val(p, 0, tu_col(p, "i(v1)")), -3e-14 * (1 + pow(3 * 1.5 * d.vt / (-5 * exp(1.0)), 3)), 1e-9, 0,
             "Id(-5 V)");
    tu_free(r);
}

/* ngspice's knee voltage: IS (exp((bv - x)/(nbv vt)) - 1 + x/vt) = ibv,
 * solved here by bisection to machine precision (ngspice iterates to
 * reltol*ibv, which moves x by nbv vt * 1e-3 / (ibv/IS) at most: 1e-16 V here) */
static double knee_voltage(double is, double bv, double ibv, double nbv, double vt)
{
    double lo = 0, hi = bv;
    for (int k = 0; k < 200; k++) {
        double x = 0.5 * (lo + hi);
        double f = is * (exp((bv - x) / (nbv * vt)) - 1 + x / vt) - ibv;
        if (f > 0) lo = x;
        else hi = x;
    }
    return 0.5 * (lo + hi);
}

/* Breakdown: -IS exp(-(xbv + v)/(nbv vt)) below -xbv, with the knee found
 * by bisection. Bound 1e-9 relative; measured 2.8e-14. The current at -bv is
 * ibv (plus gmin*bv). */
static void test_dc_breakdown(void **state)
{
    (void)state;
    double vt = vt_at(27);
    Dio d = {.is = 1e-14, .n = 1, .vt = vt, .gmin = GMIN, .bv = 6.2, .nbv = 1.4};
    d.xbv = knee_voltage(1e-14, 6.2, 5e-3, 1.4, vt);
    TuRun *r = run_sweep("is=1e-14 bv=6.2 ibv=5m nbv=1.4", "", -6.6, -5.8, 0.01);
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    tu_le(sweep_rel_err(p, dio_func, &d, -6.6, -5.8, 1e-30), 1e-9, "breakdown region");
    int ci = tu_col(p, "i(v1)");
    for (int k = 0; k < p->npoints; k++)
        if (fabs(tu_val(p, k, 0) + 6.2) < 1e-9) tu_close(tu_val(p, k, ci), 5e-3 + GMIN * 6.2, 1e-9, 0, "Id(-bv) = ibv");
    tu_free(r);
}

/* rs > 0 with area = 2: V = vd + Id rs/area, Id = 2 IS (exp(vd/(n vt)) - 1)
 * + gmin vd, solved by bisection on vd. Newton stops when its update is
 * within reltol*|v| + vntol; the error left is second order in that last
 * update (up to ~4e-4 of the current in theory at reltol 1e-3). Measured
 * 1.1e-6 at the default reltol (bound 1e-5) and 1.8e-11 with reltol=1e-6
 * (bound 1e-9), which isolates the equations from Newton's stopping
 * point. The internal node is hidden from the default output. */
typedef struct RsCase {
    Dio d;
    double rs;
} RsCase;

static double rs_current(double v, const void *ctx)
{
    const RsCase *c = ctx;
    double lo = fmin(v, 0) - 1, hi = fmax(v, 0) + 1;
    for (int k = 0; k < 200; k++) {
        double vd = 0.5 * (lo + hi);
        if (vd + c->rs * dio_current(&c->d, vd) > v) hi = vd;
        else lo = vd;
    }
    return dio_current(&c->d, 0.5 * (lo + hi));
}

static double rs_sweep_err(const RsCase *c, const char *opts)
{
    char *nl = xasprintf("rs sweep\nV1 a 0 0\nD1 a 0 dm 2\n.model dm d is=1e-14 n=1.1 rs=10\n%s\n"
                         ".dc V1 -1 2 0.01\n.end\n",
                         opts);
    TuRun *r = tu_run(nl);
    free(nl);
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    double e = sweep_rel_err(p, rs_current, c, -1, 2, 1e-15);
    assert_true(memplot_var(p, "v(d1#internal)") < 0);
    assert_int_equal(p->nvars, 3);   /* v(v-sweep), v(a), i(v1) */
    tu_free(r);
    return e;
}

static void test_dc_series_resistance(void **state)
{
    (void)state;
    RsCase c = {.d = {.is = 2 * 1e-14, .n = 1.1, .vt = vt_at(27), .gmin = GMIN}, .rs = 10.0 / 2};
    tu_le(rs_sweep_err(&c, ""), 1e-5, "Id with rs (implicit equation), default reltol");
    tu_le(rs_sweep_err(&c, ".options reltol=1e-6"), 1e-9, "Id with rs (implicit equation), reltol=1e-6");
}

/* IS(T) = IS (T/Tnom)^(xti/n) exp((T/Tnom - 1) eg/(n vt(T))) at .temp 75,
 * the same through an instance temp=75, and a model tnom: bound 1e-9
 * relative (measured 0: the same arithmetic). */
static double is_at(double is, double n, double eg, double xti, double tc, double tnomc)
{
    double t = tc + 273.15, tn = tnomc + 273.15;
    return is * exp((t / tn - 1) * eg / (n * vt_at(tc)) + xti / n * log(t / tn));
}

static void test_temperature(void **state)
{
    (void)state;
    Dio d = {.is = is_at(1e-14, 1.3, 1.11, 3, 75, 27), .n = 1.3, .vt = vt_at(75), .gmin = GMIN};
    assert_true(d.is > 100 * 1e-14);   /* the test has substance: IS grows ~x1000 over 48 K */
    TuRun *r = run_sweep("is=1e-14 n=1.3", ".temp 75", -0.1, 0.7, 0.01);
    tu_le(sweep_rel_err(tu_plot_named(r, "DC transfer"), dio_func, &d, -0.1, 0.7, 1e-30), 1e-9, ".temp 75");
    tu_free(r);

    r = tu_run("inst temp\nV1 a 0 0\nD1 a 0 dm temp=75\n.model dm d is=1e-14 n=1.3\n.dc V1 -0.1 0.7 0.01\n.end\n");
    tu_le(sweep_rel_err(tu_plot_named(r, "DC transfer"), dio_func, &d, -0.1, 0.7, 1e-30), 1e-9, "temp=75");
    tu_free(r);

    /* tnom=50, eg=0.69 xti=2 (Schottky-like), circuit at 0 degC, dtemp=10 */
    Dio s = {.is = is_at(5e-8, 1.05, 0.69, 2, 10, 50), .n = 1.05, .vt = vt_at(10), .gmin = GMIN};
    r = tu_run("dtemp\nV1 a 0 0\nD1 a 0 dm dtemp=10\n.model dm d is=5e-8 n=1.05 eg=0.69 xti=2 tnom=50\n"
               ".temp 0\n.dc V1 -0.1 0.4 0.01\n.end\n");
    tu_le(sweep_rel_err(tu_plot_named(r, "DC transfer"), dio_func, &s, -0.1, 0.4, 1e-30), 1e-9, "tnom=50, dtemp=10");
    tu_free(r);
}

/* root of an increasing function on [lo, hi] by bisection */
static double bisect(double (*f)(double, const Dio *), const Dio *d, double lo, double hi)
{
    for (int k = 0; k < 200; k++) {
        double x = 0.5 * (lo + hi);
        if (f(x, d) > 0) hi = x;
        else lo = x;
    }
    return 0.5 * (lo + hi);
}

/* KCL at the diode node: 100 V through 1 ohm into a forward diode, and into
 * a reverse one (v(c) = -vd) */
static double kcl_forward(double v, const Dio *d)
{
    return dio_current(d, v) - (100 - v);
}

static double kcl_reverse(double v, const Dio *d)
{
    return -dio_current(d, -v) - (100 - v);
}

/* 100 V through 1 ohm, forward (limiting from 0 V) and reverse into a
 * 50 V breakdown: plain Newton converges (no gmin/source stepping note)
 * to the solution of the diode equation (found here by bisection) within
 * Newton's own voltage tolerance reltol*|v| + vntol. In breakdown that
 * tolerance (50 mV at 50 V) is wide: measured 2.0 mV, where the current
 * is still 8% off (ngspice stops at the same iterate: v(c) = 50.28172). */
static void test_convergence_hard_drive(void **state)
{
    (void)state;
    TuRun *r = tu_run("hard\nV1 a 0 100\nR1 a b 1\nD1 b 0 dm\nR2 a c 1\nD2 0 c dm\n"
                      ".model dm d is=1e-14 bv=50\n.op\n.end\n");
    assert_null(strstr(r->log, "stepping"));
    Dio d = {.is = 1e-14, .n = 1, .vt = vt_at(27), .gmin = GMIN, .bv = 50, .nbv = 1};
    d.xbv = knee_voltage(1e-14, 50, 1e-3, 1, d.vt);
    double vb = bisect(kcl_forward, &d, 0, 2), vc = bisect(kcl_reverse, &d, 40, 60);
    tu_close(tu_op(r, "v(b)"), vb, 1e-3, 1e-6, "forward: v(b) solves (100 - v)/1 = Id(v)");
    tu_close(tu_op(r, "v(c)"), vc, 1e-3, 1e-6, "breakdown: v(c) solves (100 - v)/1 = -Id(-v)");
    tu_le(vb, 1.0, "forward drop below 1 V");
    tu_close(vc, 50, 0.02, 0, "clamped near bv");
    tu_free(r);
}

/* Half-wave rectifier, 10 V 50 Hz, 1000 uF || 1 k, 10 cycles: no
 * "timestep too small"; the peak is the input's less a diode drop, and the
 * ripple of the last cycle is the discharge Vout T/(R C) = 2% of Vout to
 * 15% (measured 9% less: the capacitor discharges for a little less than
 * one period). */
static const char *const RECT =
    "half-wave rectifier\n"
    "V1 in 0 SIN(0 10 50)\n"
    "D1 in out dmod\n"
    "C1 out 0 1000u\n"
    "R1 out 0 1k\n"
    ".model dmod d is=2.52n n=1.752 rs=0.568 cjo=4p m=0.4 tt=20n bv=100 ibv=100u\n"
    ".tran 0.1m 200m\n"
    ".end\n";

/* min and max of `col` over t in [t0, t1] */
static void range_over(const MemPlot *p, int col, double t0, double t1, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int k = 0; k < p->npoints; k++) {
        double t = tu_val(p, k, 0);
        if (t < t0 || t > t1) continue;
        *lo = fmin(*lo, tu_val(p, k, col));
        *hi = fmax(*hi, tu_val(p, k, col));
    }
}

static void test_rectifier(void **state)
{
    (void)state;
    TuRun *r = tu_run(RECT);
    assert_null(strstr(r->log, "too small"));
    const MemPlot *p = tu_plot_named(r, "Transient");
    double lo, hi;
    range_over(p, tu_col(p, "v(out)"), 0.18, 0.2, &lo, &hi);
    tu_close(hi, 10 - 0.75, 0.05, 0, "peak output = peak input - diode drop");
    tu_close(hi - lo, hi * 0.02, 0.15, 0, "ripple ~ Vout T / (R C)");
    tu_free(r);
}

/* A latch with positive feedback (E gain 2 around the diode) has two
 * operating points: x = 0 and x = 0.6437 V where x/1k = Id(x). SPICE
 * starts the junction at vcrit and finds the upper one; 'off' starts it
 * at 0 V and finds x = 0, in the .op and again in the .tran's initial
 * point. */
static double kcl_latch(double x, const Dio *d)
{
    return dio_current(d, x) - x / 1000;   /* increasing through the upper root */
}

static void test_off(void **state)
{
    (void)state;
    TuRun *r = tu_run("latch\nE1 y 0 x 0 2\nR1 y x 1k\nD1 x 0 dm\n.model dm d is=1e-14\n.op\n.end\n");
    Dio d = {.is = 1e-14, .n = 1, .vt = vt_at(27), .gmin = GMIN};
    double x = bisect(kcl_latch, &d, 0.5, 1);
    tu_close(tu_op(r, "v(x)"), x, 1e-3, 1e-6, "upper operating point: x/1k = Id(x)");
    tu_ge(x, 0.6, "upper operating point");
    tu_free(r);
    r = tu_run("latch off\nE1 y 0 x 0 2\nR1 y x 1k\nD1 x 0 dm off\n.model dm d is=1e-14\n.op\n"
               ".tran 1u 10u\n.end\n");
    tu_close(tu_op(r, "v(x)"), 0, 0, 1e-9, "off: x = 0");
    const MemPlot *p = tu_plot_named(r, "Transient");
    tu_close(tu_val(p, 0, tu_col(p, "v(x)")), 0, 0, 1e-9, "off: transient initial point x = 0");
    tu_free(r);
}

/* Parameter errors and warnings name the file and line. */
static void test_messages(void **state)
{
    (void)state;
    TuRun *r = tu_run_any("dup\nV1 a 0 1\nD1 a 0 dm\n.model dm d cjo=1p cj0=2p\n.op\n.end\n");
    assert_int_equal(r->rc, 1);
    assert_non_null(strstr(r->log, ":4:1: error: model dm: 'cj0' and 'cjo' are the same parameter"));
    tu_free(r);
    r = tu_run_any("two aliases\nV1 a 0 1\nD1 a 0 dm\n.model dm d cj=1p cj0=2p\n.op\n.end\n");
    assert_int_equal(r->rc, 1);
    assert_non_null(strstr(r->log, "'cj' and 'cj0' are the same parameter"));
    tu_free(r);
    /* aliases are used: cj0 as cjo, level=1 accepted; the charge shows in a transient */
    r = tu_run("alias\nV1 a 0 PULSE(0 1 0 1u 1u 1 1)\nR1 a b 1k\nD1 0 b dm\n.model dm d level=1 cj0=1n m=0\n"
               ".tran 0.1u 2u\n.end\n");
    {
        /* a constant 1 nF (m = 0) charged through 1k by a 1 V ramp of 1 us */
        const MemPlot *p = tu_plot_named(r, "Transient");
        double t = 2e-6, tau = 1e-6, vb = tu_interp(p, tu_col(p, "v(b)"), t);
        double want = 1 - tau / 1e-6 * (exp(-(t - 1e-6) / tau) - exp(-t / tau));
        tu_close(vb, want, 5e-5, 0, "cj0 = 1 nF through 1k: ramp response (measured 1.4e-5)");
    }
    tu_free(r);
    r = tu_run_any("fc\nV1 a 0 1\nD1 a 0 dm\n.model dm d fc=1\n.op\n.end\n");
    assert_int_equal(r->rc, 1);
    assert_non_null(strstr(r->log, "'fc' must be below 1"));
    tu_free(r);
    r = tu_run_any("sidewall\nV1 a 0 1\nD1 a 0 dm\n.model dm d jsw=1e-15\n.op\n.end\n");
    assert_int_equal(r->rc, 1);
    assert_non_null(strstr(r->log, ":4:"));
    assert_non_null(strstr(r->log, "unknown parameter 'jsw' for diode models"));
    tu_free(r);
    r = tu_run_any("nomodel\nV1 a 0 1\nD1 a 0\n.op\n.end\n");
    assert_int_equal(r->rc, 1);
    tu_free(r);
    r = tu_run("noise\nV1 a 0 1\nD1 a 0 dm\nD2 a 0 dm\n.model dm d kf=1e-16 af=1\n.op\n.end\n");
    assert_non_null(strstr(r->log, ":5:1: warning: model dm: parameter 'kf' has no effect"));
    /* once per model, not per instance */
    char *second = strstr(r->log, "parameter 'kf'");
    assert_null(strstr(second + 1, "parameter 'kf'"));
    tu_free(r);
    r = tu_run_any("level 3\nV1 a 0 1\nD1 a 0 dm\n.model dm d level=3\n.op\n.end\n");
    assert_int_equal(r->rc, 1);
    assert_non_null(strstr(r->log, "has no level 3"));
    tu_free(r);
}

/* ------------------------------------------------------------- ngspice */

/* point-by-point relative difference of i(v1) between two .dc sweeps */
static double dc_rel_diff(const MemPlot *ng, const MemPlot *ms, double floor)
{
    int cn = tu_col(ng, "i(v1)"), cm = tu_col(ms, "i(v1)");
    assert_int_equal(ng->npoints, ms->npoints);
    double worst = 0;
    int at = 0;
    for (int k = 0; k < ng->npoints; k++) {
        double a = tu_val(ng, k, cn), b = tu_val(ms, k, cm);
        double e = fabs(a - b) / fmax(fmax(fabs(a), fabs(b)), floor);
        if (e > worst) {
            worst = e;
            at = k;
        }
    }
    if (getenv("TU_VERBOSE"))
        print_message("  largest difference at v1 = %g: ngspice %.10g, memspice %.10g\n", tu_val(ms, at, 0),
                      tu_val(ng, at, cn), tu_val(ms, at, cm));
    return worst;
}

static void compare_dc(const char *netlist, double bound, double floor, const char *what)
{
    RawFile *rf = tu_ngspice(netlist);
    TuRun *r = tu_run(netlist);
    double e = dc_rel_diff(tu_raw_plot(rf, "DC transfer"), tu_plot_named(r, "DC transfer"), floor);
    tu_le(e, bound, what);
    tu_free(r);
    raw_free(rf);
}

/* I-V from deep breakdown to high forward current with area (rs = 0: the
 * junction sees v1 exactly); and every other DC parameter (rs, recombination,
 * knees, temperature coefficients) at .temp 85 against a tnom of 50, with
 * tight Newton tolerances in both simulators (at the defaults ngspice's own
 * answer with rs is 1e-3 off the exact solution at 1 V, memspice's 1e-6).
 * Bound 1e-6 relative, below a floor of 1 pA resp. 0.1 uA: with rs the
 * source current is gs (v(a) - v(a')), whose round-off is eps |v| gs ~
 * 3e-15 A. Measured 5.7e-8 (at v1 = 0, where ngspice's sweep value is
 * 3.6e-14 V instead of 0) and 9.6e-8. */
static void test_ngspice_iv(void **state)
{
    (void)state;
    compare_dc("iv\nV1 a 0 0\nD1 a 0 dm area=3\n.model dm d is=4n n=1.9 bv=12 ibv=2m\n"
               ".dc V1 -13 1.5 0.01\n.end\n",
               1e-6, 1e-12, "I-V vs ngspice");
    compare_dc("iv2\nV1 a 0 0\nD1 a 0 dm m=2\n"
               ".model dm d is=1e-15 n=1.05 isr=2e-11 nr=2.1 ikf=0.02 ikr=1e-9 rs=3 trs=4e-3 trs2=1e-5\n"
               "+ bv=20 ibv=10u nbv=2 tcv=0.01 tlev=1 eg=1.2 xti=3.5 tnom=50\n"
               ".options reltol=1e-7 vntol=1e-12 abstol=1e-15\n.temp 85\n.dc V1 -21 1.205 0.01\n.end\n",
               1e-6, 1e-7, "recombination, knees, temperature coefficients vs ngspice");
}

/* difference of `name` between the runs, each interpolated at the other's
 * time points, as a fraction of ngspice's range of it */
static double tran_diff(const MemPlot *ng, const MemPlot *ms, const char *name)
{
    int cn = tu_col(ng, name), cm = tu_col(ms, name);
    double lo, hi, worst = 0;
    range_over(ng, cn, -INFINITY, INFINITY, &lo, &hi);
    double tend = fmin(tu_val(ng, ng->npoints - 1, 0), tu_val(ms, ms->npoints - 1, 0));
    for (int k = 0; k < ng->npoints && tu_val(ng, k, 0) <= tend; k++)
        worst = fmax(worst, fabs(tu_interp(ms, cm, tu_val(ng, k, 0)) - tu_val(ng, k, cn)));
    for (int k = 0; k < ms->npoints && tu_val(ms, k, 0) <= tend; k++)
        worst = fmax(worst, fabs(tu_interp(ng, cn, tu_val(ms, k, 0)) - tu_val(ms, k, cm)));
    return worst / (hi - lo);
}

/* Rectifier: output waveform and ripple of the last cycle. Measured: the
 * output differs by 2.8e-4 of its range (2.6 mV, on the first charging
 * edge), the ripple (0.167 V) by 5.4e-4 of itself; bounds 1e-3 and 1.5e-3. */
static void test_ngspice_rectifier(void **state)
{
    (void)state;
    RawFile *rf = tu_ngspice(RECT);
    TuRun *r = tu_run(RECT);
    const MemPlot *ng = tu_raw_plot(rf, "Transient"), *ms = tu_plot_named(r, "Transient");
    tu_le(tran_diff(ng, ms, "v(out)"), 1e-3, "rectifier v(out) vs ngspice (fraction of range)");
    double nlo, nhi, mlo, mhi;
    range_over(ng, tu_col(ng, "v(out)"), 0.18, 0.2, &nlo, &nhi);
    range_over(ms, tu_col(ms, "v(out)"), 0.18, 0.2, &mlo, &mhi);
    tu_close(mhi - mlo, nhi - nlo, 1.5e-3, 0, "ripple vs ngspice");
    tu_free(r);
    raw_free(rf);
}

/* Reverse recovery: 5 V -> -5 V through 1k into a diode with tt = 10 ns
 * and cjo = 2 pF: ~5.7 mA of reverse current while the stored charge is
 * removed, then the depletion capacitance charges to -5 V. At 27 degC and
 * at 100 degC (temperature-adjusted cjo, vj, is, and the tlevc=1 / tm / ttt
 * laws). The current and voltage waveforms differ from ngspice's by at
 * most 1.2e-3 / 2.1e-3 of their range (at the end of the storage phase,
 * where the current collapses in ~2 ns and the step sequences differ);
 * bound 6e-3. The end of the storage phase (v(a) crossing 0, 26.5 ns)
 * agrees to 4 ps; bound 15 ps. */
static double crossing_time(const MemPlot *p, int col, double t0)
{
    for (int k = 1; k < p->npoints; k++) {
        double t = tu_val(p, k, 0), a = tu_val(p, k - 1, col), b = tu_val(p, k, col);
        if (t > t0 && a > 0 && b <= 0) return tu_val(p, k - 1, 0) + (t - tu_val(p, k - 1, 0)) * a / (a - b);
    }
    fail_msg("no falling zero crossing after t=%g", t0);
    return 0;
}

static void reverse_recovery(const char *temp, const char *extra)
{
    char *nl = xasprintf("reverse recovery\nV1 in 0 PULSE(5 -5 20n 1n 1n 100n 200n)\nR1 in a 1k\nD1 a 0 dm\n"
                         ".model dm d is=1e-14 rs=2 cjo=2p vj=0.7 m=0.45 tt=10n %s\n.temp %s\n"
                         ".tran 0.05n 80n\n.end\n",
                         extra, temp);
    RawFile *rf = tu_ngspice(nl);
    TuRun *r = tu_run(nl);
    const MemPlot *ng = tu_raw_plot(rf, "Transient"), *ms = tu_plot_named(r, "Transient");
    char what[200];
    snprintf(what, sizeof what, "reverse recovery i(v1) at %s degC %s vs ngspice", temp, extra);
    tu_le(tran_diff(ng, ms, "i(v1)"), 6e-3, what);
    snprintf(what, sizeof what, "reverse recovery v(a) at %s degC %s vs ngspice", temp, extra);
    tu_le(tran_diff(ng, ms, "v(a)"), 6e-3, what);
    double tn = crossing_time(ng, tu_col(ng, "v(a)"), 20e-9), tm = crossing_time(ms, tu_col(ms, "v(a)"), 20e-9);
    tu_ge(tn, 24e-9, "storage time is several ns (tt = 10 ns)");
    tu_close(tm, tn, 0, 15e-12, "end of the storage phase vs ngspice");
    tu_free(r);
    raw_free(rf);
    free(nl);
}

static void test_ngspice_reverse_recovery(void **state)
{
    (void)state;
    reverse_recovery("27", "");
    reverse_recovery("100", "");
    /* the other temperature laws: leaving out any one of these parameters
     * moves the waveform by 1.2e-2 .. 1e-1 of its range (measured) */
    reverse_recovery("100", "tlevc=1 cta=2e-3 tpb=1.5e-3 tm1=1e-3 ttt1=5e-3 ttt2=1e-5 tnom=40");
}

/* .tran uic with the junction capacitance charged from ic= (no operating
 * point): a reverse-biased diode (cjo = 1 nF, vj = 0.6, m = 0.5) discharging
 * through 10k. Measured 8.4e-5 of the range; bound 2.5e-4. */
static void test_ngspice_uic(void **state)
{
    (void)state;
    const char *nl = "uic\nR1 a 0 10k\nD1 0 a dm ic=-3\n.ic v(a)=3\n"
                     ".model dm d is=1e-14 cjo=1n vj=0.6 m=0.5\n.tran 0.1u 40u uic\n.end\n";
    RawFile *rf = tu_ngspice(nl);
    TuRun *r = tu_run(nl);
    const MemPlot *ng = tu_raw_plot(rf, "Transient"), *ms = tu_plot_named(r, "Transient");
    tu_le(tran_diff(ng, ms, "v(a)"), 2.5e-4, "uic discharge v(a) vs ngspice");
    tu_free(r);
    raw_free(rf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dc_forward_reverse),
        cmocka_unit_test(test_dc_breakdown),
        cmocka_unit_test(test_dc_series_resistance),
        cmocka_unit_test(test_temperature),
        cmocka_unit_test(test_convergence_hard_drive),
        cmocka_unit_test(test_rectifier),
        cmocka_unit_test(test_off),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_ngspice_iv),
        cmocka_unit_test(test_ngspice_rectifier),
        cmocka_unit_test(test_ngspice_reverse_recovery),
        cmocka_unit_test(test_ngspice_uic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
