/* Stanford/ASU metal-oxide RRAM (level 6): gap and local temperature
 * against an independent RK45 integration of the published equations,
 * abrupt SET / gradual RESET under voltage ramps, pinched loops shrinking
 * with frequency, exact bounds under overdrive, DC behaviour (gap held,
 * temperature at its steady state), the Chen-Yu form, outputs and error
 * messages. */
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

/* The model as the test writes it (Jiang 2016 eqs. 1-3 with the v1.0.0
 * minimum field, Chen & Yu 2015 eq. 4 for T), in SI units except the gap,
 * which is in nm as memspice reports it. */
typedef struct RrPar {
    double i0, g0, v0, vel0, ea, a0, tox, gamma0, beta, g1, fmin, fminw, t0, rth, tau;
} RrPar;

#define KB 1.380649e-23
#define QE 1.602176634e-19

static const RrPar stanford = {1e-3, 0.25e-9, 0.25, 10, 0.6, 0.25e-9, 12e-9, 16, 0.8, 1e-9, 1.4e9, 0.01,
                               300.15, 2.1e3, 0.23e-9};

static double rr_current(double v, const double *x, const void *par)
{
    const RrPar *q = par;
    return q->i0 * exp(-x[0] * 1e-9 / q->g0) * sinh(v / q->v0);
}

/* steady rise Rth |p|, softly saturated below tmax = 3000 K */
static double rr_rise(const RrPar *q, double p)
{
    double rise = q->rth * fabs(p), dmax = 3000 - q->t0;
    return rise / pow(1 + pow(rise / dmax, 4), 0.25);
}

static void rr_rates(double v, const double *x, double *dxdt, const void *par)
{
    const RrPar *q = par;
    double g = x[0] * 1e-9, T = q->t0 + x[1];
    double gamma = q->gamma0 - q->beta * pow(g / q->g1, 3);
    if (q->fmin > 0) {
        double field = gamma * fabs(v) / q->tox;
        gamma *= 1 / (1 + exp(-(field - q->fmin) / (q->fminw * q->fmin)));
    }
    double dgdt = -q->vel0 * exp(-QE * q->ea / (KB * T)) * sinh(gamma * q->a0 * QE * v / (q->tox * KB * T));
    dxdt[0] = 1e9 * dgdt;
    dxdt[1] = (rr_rise(q, v * rr_current(v, x, par)) - x[1]) / q->tau;
}

static const char *const cols[] = {"gap(ymemristor!m1)", "dtemp(ymemristor!m1)"};

static TuRun *run_series(const char *model, const char *wave, double rs, double gap_nm, double tstop,
                         double tmax)
{
    char *net = xasprintf("series drive\nV1 in 0 %s\nRs in a %.17g\nYMEMRISTOR m1 a 0 mm gap_ini=%.17gn\n"
                          ".model mm memristor level=6 %s\n.tran %.17g %.17g 0 %.17g\n.end\n",
                          wave, rs, gap_nm, model, tmax, tstop, tmax);
    TuRun *r = tu_run(net);
    free(net);
    return r;
}

/* largest of sign * column c */
static double col_max(const MemPlot *p, int c, double sign)
{
    double m = -INFINITY;
    for (int k = 0; k < p->npoints; k++) m = fmax(m, sign * tu_val(p, k, c));
    return m;
}

/* Gap and temperature against the RK45 reference, through a 100 ohm
 * series resistor, at default tolerances: a 1.6 V 1 MHz sine from the HRS
 * (partial SET and RESET) and a pulse train +1.5 V / -1.6 V with 50 ns
 * edges (abrupt SET to ~0.6 nm, then RESET back to gap_max, every period).
 * Thermal time constant 0.23 ns (Chen & Yu 2015), and in a second pulse
 * run 50 ns with rth = 2e4 (thermal dynamics on the time scale of the
 * edges, ~90 K rise). Errors: the gap against gap_max - gap_min; T against
 * its rise in the run (the largest T - T0: its physical range there). The
 * issue asks for <= 1%; measured: sine 2.9e-5 (gap) / 9.0e-5 (T), pulses
 * 9.8e-4 / 2.3e-3, slow thermal 2.8e-3 / 1.2e-3.
 * Not covered here (see docs/devices/mem_rram.md, numerics): 5 ns edges
 * with tau_th = 0.23 ns (T error ~2% at default tolerances: the
 * trapezoidal rule rings on the stiff T, amplitude ~2 tau_th/h of the
 * change of T0 + Rth v i per step), and RESET run-aways through the
 * resistor (the unstable growth amplifies any error; the step that lands
 * on gap_max skips the truncation-error test). */
static void test_trajectories_vs_rk45(void **state)
{
    (void)state;
    MtWave sine = {.kind = 0, .a = 1.6, .f = 1e6};
    MtWave pulse = {.kind = 1, .v1 = -1.6, .v2 = 1.5, .td = 0.2e-6, .tr = 50e-9, .tf = 50e-9, .pw = 0.5e-6,
                    .per = 1.5e-6};
    struct {
        const MtWave *w;
        double gap0, tstop;
        const char *extra;
        double rth, tau;
    } cases[] = {
        {&sine, 1.7, 2e-6, "tau_th=0.23n", 2.1e3, 0.23e-9},
        {&pulse, 1.7, 3.2e-6, "tau_th=0.23n", 2.1e3, 0.23e-9},
        {&pulse, 1.7, 3.2e-6, "rth=2e4 tau_th=50n", 2e4, 50e-9},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        RrPar q = stanford;
        q.rth = cases[k].rth;
        q.tau = cases[k].tau;
        char wave[256];
        mt_wave_spec(cases[k].w, wave, sizeof wave);
        TuRun *r = run_series(cases[k].extra, wave, 100, cases[k].gap0, cases[k].tstop, cases[k].tstop / 2000);
        const MemPlot *p = tu_plot_named(r, "Transient");
        double rise = col_max(p, tu_col(p, cols[1]), 1);
        MtModel m = {2, rr_current, rr_rates, &q, {0.2, 0}, {1.7, 3000 - q.t0}, {1.5, rise}};
        /* the reference starts where memspice's operating point is: gap
         * held, T at its steady state for the source's initial value
         * (checked in test_dc) */
        double x0[2] = {cases[k].gap0, tu_val(p, 0, tu_col(p, cols[1]))};
        /* each state's error alone (the other's scale infinite) */
        double err[2], where[2];
        for (int j = 0; j < 2; j++) {
            MtModel mj = m;
            mj.range[1 - j] = INFINITY;
            err[j] = mt_state_error(p, cols, &mj, 100, cases[k].w, x0, &where[j], NULL);
        }
        print_message("%s %s: gap %.3g..%.3g nm, max error %.3g of the gap range (t=%.4g), %.3g of the T rise "
                      "%.3g K (t=%.4g); %d points\n", cases[k].w->kind ? "pulses" : "sine", cases[k].extra,
                      -col_max(p, tu_col(p, cols[0]), -1), col_max(p, tu_col(p, cols[0]), 1), err[0], where[0],
                      err[1], rise, where[1], p->npoints);
        tu_le(err[0], 0.01, "gap error against RK45");
        tu_le(err[1], 0.01, "temperature error against RK45");
        mt_check_bounds(p, cols[0], 0.2, 1.7);
        tu_ge(rise, 1, "the run heats the device");
        tu_le(-col_max(p, tu_col(p, cols[0]), -1), cases[k].w->kind ? 0.8 : 1.2, "the gap closes (SET)");
        if (cases[k].w->kind) /* and reopens before the next SET pulse */
            tu_ge(tu_interp(p, tu_col(p, cols[0]), pulse.td + pulse.per - 10e-9), 1.6, "the gap reopens (RESET)");
        tu_free(r);
    }
}

/* The default tau_th = 1 ps is the instantaneous heating of Guan 2012 /
 * Jiang 2016: at every point of a 1 MHz sine (steps ~1 ns), T - T0 =
 * Rth v i within 1e-3 of the rise (trapezoidal ringing ~2 tau_th/h). */
static void test_instantaneous_heating(void **state)
{
    (void)state;
    TuRun *r = run_series("rth=2e4", "SIN(0 1.6 1e6)", 100, 1.7, 2e-6, 1e-9);
    const MemPlot *p = tu_plot_named(r, "Transient");
    RrPar q = stanford;
    q.rth = 2e4;
    int cv = tu_col(p, "v(a)"), ci = tu_col(p, "i(ymemristor!m1)"), ct = tu_col(p, cols[1]);
    double rise = col_max(p, ct, 1), worst = 0;
    for (int k = 0; k < p->npoints; k++)
        worst = fmax(worst, fabs(tu_val(p, k, ct) - rr_rise(&q, tu_val(p, k, cv) * tu_val(p, k, ci))));
    print_message("instantaneous heating: largest |dT - Rth v i| %.3g K of a %.3g K rise\n", worst, rise);
    tu_ge(rise, 10, "the sine heats the device");
    tu_le(worst, 1e-3 * rise, "T - T0 = Rth v i with tau_th = 1 ps");
    tu_free(r);
}

/* |i| ratio between source voltages dv apart along a ramp v(in) = k t,
 * largest over |v(in)| >= vmin (the current at v -> 0 is not a state change) */
static double worst_ratio(const MemPlot *p, double rate, double t1, double dv, double vmin, double *at)
{
    int ci = tu_col(p, "i(ymemristor!m1)");
    double worst = 1, dt = dv / fabs(rate);
    for (double t = vmin / fabs(rate); t + dt <= t1; t += dt) {
        double a = fabs(tu_interp(p, ci, t)), b = fabs(tu_interp(p, ci, t + dt));
        double q = fmax(a / b, b / a);
        if (q > worst) {
            worst = q;
            *at = rate * (t + dt);
        }
    }
    return worst;
}

/* Abrupt SET, gradual RESET (Jiang 2016, Sec. III): a 2 V/ms ramp through
 * 100 ohm (the compliance) from the HRS sets in one 10 mV step (the
 * current jumps > 10x: the field enhancement grows as the gap closes, a
 * positive feedback); a -2 V/ms voltage-driven ramp from the LRS resets
 * over > 0.1 V with no 10 mV step changing the current by more than 3x
 * (the enhancement falls as the gap opens, and the gap follows the
 * minimum-field contour). */
static void test_abrupt_set_gradual_reset(void **state)
{
    (void)state;
    TuRun *r = run_series("", "PWL(0 0 1m 2)", 100, 1.7, 1e-3, 1e-6);
    const MemPlot *p = tu_plot_named(r, "Transient");
    double at = 0, q = worst_ratio(p, 2e3, 1e-3, 0.01, 0.1, &at);
    print_message("SET: current jumps %.3gx within 10 mV at v(in)=%.3f V\n", q, at);
    tu_ge(q, 10, "abrupt SET: current ratio within one 10 mV step");
    tu_close(tu_val(p, p->npoints - 1, tu_col(p, cols[0])), 0.2, 0, 0.15, "set to the LRS");
    tu_free(r);

    r = run_series("", "PWL(0 0 1m -2)", 1e-3, 0.2, 1e-3, 1e-6);
    p = tu_plot_named(r, "Transient");
    q = worst_ratio(p, -2e3, 1e-3, 0.01, 0.1, &at);
    int cg = tu_col(p, cols[0]);
    double v10 = 0, v90 = 0;
    for (int k = 0; k < p->npoints; k++) {
        double g = tu_val(p, k, cg), v = tu_val(p, k, tu_col(p, "v(in)"));
        if (!v10 && g > 0.2 + 0.1 * 1.5) v10 = v;
        if (!v90 && g > 0.2 + 0.9 * 1.5) v90 = v;
    }
    print_message("RESET: largest current ratio within 10 mV %.3gx (at v(in)=%.3f V); 10%%-90%% of the gap "
                  "between %.3f and %.3f V\n", q, at, v10, v90);
    tu_le(q, 3, "gradual RESET: current ratio within one 10 mV step");
    tu_ge(v10 - v90, 0.1, "gradual RESET: voltage span of 10%-90% of the gap change");
    tu_free(r);
}

/* Pinched loop (i = 0 at v = 0 whatever the gap); its area shrinks as the
 * frequency rises (the gap moves less per cycle): 1.6 V sine through
 * 100 ohm from the HRS at 0.5, 1 and 2 MHz. */
static void test_pinched_frequency(void **state)
{
    (void)state;
    double f[3] = {0.5e6, 1e6, 2e6}, area[3];
    for (int k = 0; k < 3; k++) {
        char wave[64];
        snprintf(wave, sizeof wave, "SIN(0 1.6 %g)", f[k]);
        area[k] = mt_pinched_area(run_series("", wave, 100, 1.7, 2 / f[k], 1e-3 / f[k]), f[k]);
    }
    mt_check_shrinking(area, 3, 2);
}

/* 10 V for seconds either way through 10 ohm, 1 ns 10 V pulses through
 * 10 ohm and straight across the device: the gap stays in [0.2, 1.7] nm
 * and T - T0 in [0, 3000 K - T0] exactly (no tolerance), no failure; the
 * heating saturates below tmax (the 10 V DC reaches 0.976 of it). */
static void test_bounds_overdrive(void **state)
{
    (void)state;
    const char *drives[] = {"PWL(0 0 1n 10 2 10 2.000001 -10 4 -10)", "PULSE(-10 10 0 1n 1n 1n 4n)",
                            "PULSE(-10 10 0 1n 1n 1n 4n)"};
    const char *trans[] = {".tran 1m 4", ".tran 0.1n 400n", ".tran 0.1n 400n"};
    const char *rs[] = {"10", "10", "1u"};
    for (int d = 0; d < 3; d++)
        for (int g = 0; g < 2; g++) {
            char *net = xasprintf("overdrive\nV1 in 0 %s\nR1 in a %s\nYMEMRISTOR m1 a 0 mm gap_ini=%s\n"
                                  ".model mm memristor level=6\n%s\n.end\n",
                                  drives[d], rs[d], g ? "1.7n" : "0.2n", trans[d]);
            TuRun *r = tu_run(net);
            const MemPlot *p = tu_plot_named(r, "Transient");
            mt_check_bounds(p, cols[0], 0.2, 1.7);
            mt_check_bounds(p, cols[1], 0, 3000 - 300.15);
            mt_check_bounds(p, "i(ymemristor!m1)", -INFINITY, INFINITY);
            double hot = col_max(p, tu_col(p, cols[1]), 1);
            print_message("overdrive %d, gap_ini %s: largest T - T0 %.4g K\n", d, g ? "1.7n" : "0.2n", hot);
            if (d == 0) tu_ge(hot, 0.9 * (3000 - 300.15), "10 V DC heats to near tmax");
            tu_free(r);
            free(net);
        }
}

/* Operating point and DC sweep: the gap is memory, held at gap_ini; T is
 * at its steady state T0 + Rth v i (exact: i does not depend on T) */
static void test_dc(void **state)
{
    (void)state;
    TuRun *r = tu_run("dc\nV1 a 0 0.7\nYMEMRISTOR m1 a 0 mm gap_ini=1n\n.model mm memristor level=6 rth=1e5\n"
                      ".op\n.dc v1 -1 1 0.25\n.end\n");
    RrPar q = stanford;
    q.rth = 1e5;
    double x[2] = {1, 0};
    double i = rr_current(0.7, x, &q);
    tu_close(tu_op(r, cols[0]), 1, 0, 0, "held gap");
    tu_close(tu_op(r, "i(ymemristor!m1)"), i, 1e-14, 0, "i = I0 exp(-g/g0) sinh(v/V0)");
    tu_close(tu_op(r, cols[1]), rr_rise(&q, 0.7 * i), 1e-12, 0, "T - T0 = Rth v i");
    tu_close(tu_op(r, "r(ymemristor!m1)"), 0.7 / i, 1e-14, 0, "r = v / i");
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    int ci = tu_col(p, "i(ymemristor!m1)"), cg = tu_col(p, cols[0]), ct = tu_col(p, cols[1]);
    for (int k = 0; k < p->npoints; k++) {
        double v = tu_val(p, k, 0), ik = rr_current(v, x, &q);
        tu_close(tu_val(p, k, ci), ik, 1e-13, 1e-18, "dc sweep current");
        tu_close(tu_val(p, k, cg), 1, 0, 0, "dc sweep gap");
        tu_close(tu_val(p, k, ct), rr_rise(&q, v * ik), 1e-12, 1e-12, "dc sweep temperature rise");
    }
    tu_free(r);
}

/* A retention bake at zero bias: with the minimum field the gap does not
 * move; the Chen-Yu form (eag != ear, fmin=0) drifts at exactly
 * -vel0 (exp(-q Eag/kT0) - exp(-q Ear/kT0)) (T = T0 at zero bias), with T0
 * = t0 when given, else the circuit temperature (here both 400 K). */
static void test_zero_bias_and_chen_yu(void **state)
{
    (void)state;
    TuRun *r = tu_run("bake\nV1 a 0 0\nYMEMRISTOR m1 a 0 mm gap_ini=1n\nYMEMRISTOR m2 a 0 cy gap_ini=1n\n"
                      "YMEMRISTOR m3 a 0 ct gap_ini=1n\n.model mm memristor level=6\n"
                      ".model cy memristor level=6 fmin=0 eag=0.6 ear=0.62 vel0=10 t0=400\n"
                      ".model ct memristor level=6 fmin=0 eag=0.6 ear=0.62 vel0=10\n"
                      ".options temp=126.85\n.tran 10u 1m\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    int last = p->npoints - 1;
    tu_close(tu_val(p, last, tu_col(p, cols[0])), 1, 0, 0, "no motion below the minimum field");
    double kt = KB * 400 / QE;
    double drift = -10 * (exp(-0.6 / kt) - exp(-0.62 / kt)) * 1e9; /* nm/s */
    tu_close(tu_val(p, last, tu_col(p, "gap(ymemristor!m2)")), 1 + drift * 1e-3, 1e-9, 0,
             "Chen-Yu zero-bias drift, t0 given");
    tu_close(tu_val(p, last, tu_col(p, "gap(ymemristor!m3)")), 1 + drift * 1e-3, 1e-9, 0,
             "Chen-Yu zero-bias drift at the circuit temperature");
    tu_close(tu_val(p, last, tu_col(p, "dtemp(ymemristor!m2)")), 0, 0, 0, "no heating at zero bias");
    tu_free(r);
}

/* a model's gap_ini is the default of its instances; uic starts there, T at T0 */
static void test_initial_state(void **state)
{
    (void)state;
    TuRun *r = tu_run("ic\nV1 a 0 0\nYMEMRISTOR m1 a 0 mm\nYMEMRISTOR m2 a 0 mm gap_ini=1.7n\n"
                      ".model mm memristor level=6 gap_ini=0.9n\n.tran 1n 10n uic\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    tu_close(tu_val(p, 0, tu_col(p, "gap(ymemristor!m1)")), 0.9, 1e-15, 0, "model gap_ini");
    tu_close(tu_val(p, 0, tu_col(p, "gap(ymemristor!m2)")), 1.7, 1e-15, 0, "instance gap_ini");
    tu_close(tu_val(p, 0, tu_col(p, "dtemp(ymemristor!m1)")), 0, 0, 0, "T = T0 at uic");
    tu_free(r);
}

static void test_errors(void **state)
{
    (void)state;
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm gap_ini=2n\n.model mm memristor level=6\n.op\n.end\n",
                 "ymemristor!m1: initial gap gap_ini=2e-09 is outside [gap_min, gap_max] = [2e-10, 1.7e-09]");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=6 gap_min=2n\n.op\n.end\n",
                 "gap_min=2e-09 must be below gap_max=1.7e-09");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=6 beta=4\n.op\n.end\n",
                 "field enhancement gamma0 - beta (gap_max/g1)^alpha = -3.652 is not positive at gap_max");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=6 alpha=0.5\n.op\n.end\n",
                 "alpha=0.5: the enhancement exponent must be at least 1");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=6 t0=400 tmax=350\n.op\n.end\n",
                 "tmax=350 must be above t0=400");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=6 tau_th=0\n.op\n.end\n",
                 "tau_th");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=6 i0=-1\n.op\n.end\n", "i0");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=6 gama0=3\n.op\n.end\n",
                 "did you mean 'gamma0'");
}

/* inside a subcircuit the states are gap(ymemristor!x1.m1), dtemp(...) */
static void test_subcircuit_names(void **state)
{
    (void)state;
    TuRun *r = tu_run("sub\n.subckt cell p n\nYMEMRISTOR m1 p n mm gap_ini=1.7n\n.ends\n"
                      ".model mm memristor level=6\nV1 a 0 0.1\nX1 a 0 cell\n.op\n.end\n");
    RrPar q = stanford;
    double x[2] = {1.7, 0};
    tu_close(tu_op(r, "gap(ymemristor!x1.m1)"), 1.7, 1e-15, 0, "gap in a subcircuit");
    tu_close(tu_op(r, "i(ymemristor!x1.m1)"), rr_current(0.1, x, &q), 1e-13, 0, "current");
    tu_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trajectories_vs_rk45), cmocka_unit_test(test_instantaneous_heating),
        cmocka_unit_test(test_abrupt_set_gradual_reset),
        cmocka_unit_test(test_pinched_frequency),    cmocka_unit_test(test_bounds_overdrive),
        cmocka_unit_test(test_dc),                   cmocka_unit_test(test_zero_bias_and_chen_yu),
        cmocka_unit_test(test_initial_state),        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_subcircuit_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
