/* Second-order memristor with filament temperature (Kim 2015, level 7):
 * both states against an independent RK45 integration of the equations
 * as written here, the pulse-pair timing effect (the paper's key result:
 * two identical, non-overlapping pulses change the conductance more the
 * closer they are, because the heat of the first has not decayed), the
 * thermal decay time, pinched loops shrinking with frequency, exact
 * bounds under overdrive, DC (x held, T = T0 + S(rth v i)), initial states
 * and error messages. */
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

/* the model as the test writes it (docs/devices/mem_kim.md) */
typedef struct KimPar {
    double ron, roff, ea, k0, v0, rth, tau, t0, tmax;
} KimPar;

static const double KB = 8.617333262e-5; /* eV/K */

static double kim_g(const KimPar *q, double x)
{
    return 1 / q->roff + x * (1 / q->ron - 1 / q->roff);
}

static double kim_current(double v, const double *x, const void *par)
{
    return kim_g(par, x[0]) * v;
}

/* the steady rise rth p, saturated towards tmax - t0 */
static double kim_rise(const KimPar *q, double p)
{
    double d = q->rth * p, span = q->tmax - q->t0;
    return d / pow(1 + pow(d / span, 16), 1.0 / 16);
}

static void kim_rates(double v, const double *x, double *dxdt, const void *par)
{
    const KimPar *q = par;
    double window = v >= 0 ? 1 - x[0] : x[0];
    dxdt[0] = q->k0 * exp(-q->ea / (KB * x[1])) * sinh(v / q->v0) * window;
    double power = v * kim_current(v, x, par);
    dxdt[1] = (kim_rise(q, power) - (x[1] - q->t0)) / q->tau;
}

/* steady temperature at power p */
static double kim_steady_t(const KimPar *q, double p)
{
    return q->t0 + kim_rise(q, p);
}

/* the defaults of the .model card */
static KimPar defaults(void)
{
    return (KimPar){1e3, 10e3, 1.0, 1e13, 0.25, 3e6, 300e-9, 300.15, 2000};
}

static const char *const cols[] = {"x(ymemristor!m1)", "temp(ymemristor!m1)"};

/* V1 -> rs -> the device */
static TuRun *run_series(const char *model, const MtWave *w, double rs, double xo, double tstop, double tmax)
{
    char spec[256];
    mt_wave_spec(w, spec, sizeof spec);
    char *net = xasprintf("series drive\nV1 in 0 %s\nRs in a %.17g\nYMEMRISTOR m1 a 0 mm xo=%.17g\n"
                          ".model mm memristor level=7 %s\n.tran %.17g %.17g 0 %.17g\n.end\n",
                          spec, rs, xo, model, tmax, tstop, tmax);
    TuRun *r = tu_run(net);
    free(net);
    return r;
}

static double col_max(const MemPlot *p, const char *name)
{
    int c = tu_col(p, name);
    double m = -INFINITY;
    for (int k = 0; k < p->npoints; k++) m = fmax(m, tu_val(p, k, c));
    return m;
}

static double last(const MemPlot *p, const char *name)
{
    return tu_val(p, p->npoints - 1, tu_col(p, name));
}

/* x and T under sines (0.6 V 10 kHz: the device switches fully on and
 * off with thermal runaway, T follows the power; 0.5 V 1 kHz: gradual)
 * and 50 ns pulse trains every 300 ns (heat accumulates from pulse to
 * pulse; at +1.4 V it runs away and x climbs to 0.89) through 100 ohm, at
 * default tolerances apart from the step cap (tmax). Error scale: 1 for
 * x; for T its excursion max(T) - T0 in that run (stricter than the whole
 * bound [T0-10, 2000]). The brief asks for <= 1%; measured at most 4.3e-3,
 * in the runaway train (a switching instant's small timing error becomes
 * a large x error there: 1.2e-3 or less in the other runs). */
static void test_trajectories_vs_rk45(void **state)
{
    (void)state;
    MtWave sine = {.kind = 0, .a = 0.6, .f = 10e3};
    MtWave sine_slow = {.kind = 0, .a = 0.5, .f = 1e3};
    MtWave pulse = {.kind = 1, .v1 = 0, .v2 = 1.3, .td = 50e-9, .tr = 1e-9, .tf = 1e-9, .pw = 50e-9, .per = 300e-9};
    MtWave neg = {.kind = 1, .v1 = 0, .v2 = -1.3, .td = 50e-9, .tr = 1e-9, .tf = 1e-9, .pw = 50e-9, .per = 300e-9};
    MtWave hot = {.kind = 1, .v1 = 0, .v2 = 1.4, .td = 50e-9, .tr = 1e-9, .tf = 1e-9, .pw = 50e-9, .per = 300e-9};
    const MtWave *waves[] = {&sine, &sine_slow, &pulse, &neg, &hot};
    const char *names[] = {"sine 0.6 V 10 kHz", "sine 0.5 V 1 kHz", "+1.3 V pulses", "-1.3 V pulses",
                           "+1.4 V pulses (runaway)"};
    const double xo[] = {0.1, 0.1, 0.1, 0.8, 0.1};
    const double tstop[] = {200e-6, 2e-3, 3e-6, 3e-6, 3e-6};
    const double tmax[] = {10e-9, 1e-6, 1e-9, 1e-9, 1e-9};
    KimPar q = defaults();
    for (int k = 0; k < 5; k++) {
        TuRun *r = run_series("", waves[k], 100, xo[k], tstop[k], tmax[k]);
        const MemPlot *p = tu_plot_named(r, "Transient");
        double rise = col_max(p, cols[1]) - q.t0;
        tu_ge(rise, 50, "temperature excursion (the run must heat the device)");
        MtModel m = {2, kim_current, kim_rates, &q, {0, q.t0 - 10}, {1, 2000}, {1, rise}};
        double x0[2] = {xo[k], q.t0}, where;
        int which;
        double err = mt_state_error(p, cols, &m, 100, waves[k], x0, &where, &which);
        print_message("%s: max state error %.3g (of %s) at t=%g; x %g -> %g, T rises %.0f K\n", names[k], err,
                      which ? "the T excursion" : "the x range", where, xo[k], last(p, cols[0]), rise);
        tu_le(err, 0.01, "state error against RK45");
        mt_check_bounds(p, cols[0], 0, 1);
        mt_check_bounds(p, cols[1], q.t0 - 10, 2000);
        tu_free(r);
    }
}

/* One pulse pair: 1.4 V, 50 ns flat, 1 ns edges, a gap `gap` between the
 * end of the first and the start of the second (PULSE with period
 * 52 ns + gap, stopped before a third), 100 ohm series, from x = 0.1. The
 * run is checked against the RK45 reference: the x error at most 1% of
 * the change of x, the T error at most 1% of its excursion (*worst: the
 * largest of these fractions so far). Returns the change of x. */
static double pair_change(const char *model, const KimPar *q, double gap, double *t_decay, double *worst)
{
    MtWave w = {.kind = 1, .v1 = 0, .v2 = 1.4, .td = 0, .tr = 1e-9, .tf = 1e-9, .pw = 50e-9, .per = 52e-9 + gap};
    double tstop = w.per + 60e-9;
    TuRun *r = run_series(model, &w, 100, 0.1, tstop, 1e-9);
    const MemPlot *p = tu_plot_named(r, "Transient");
    double dx = last(p, cols[0]) - 0.1;
    double rise = col_max(p, cols[1]) - q->t0;
    MtModel m = {2, kim_current, kim_rates, q, {0, q->t0 - 10}, {1, 2000}, {dx, rise}};
    double x0[2] = {0.1, q->t0};
    int which;
    double err = mt_state_error(p, cols, &m, 100, &w, x0, NULL, &which);
    if (err > 0.01)
        fail_msg("gap %g s: %s error against RK45 is %.3g of %s", gap, which ? "T" : "x", err,
                 which ? "its excursion" : "the change of x");
    if (err > *worst) *worst = err;
    if (t_decay) {
        /* the heat of the first pulse in the gap: v = 0 there, so
         * T - T0 decays exactly as exp(-t/tau) */
        int c = tu_col(p, cols[1]);
        double t1 = 52e-9 + 0.2 * gap, t2 = 52e-9 + 0.8 * gap;
        double d1 = tu_interp(p, c, t1) - q->t0, d2 = tu_interp(p, c, t2) - q->t0;
        *t_decay = (t2 - t1) / log(d1 / d2);
    }
    tu_free(r);
    return dx;
}

/* The paper's pulse-pair experiment. Gaps 25 ns .. 1.6 us and 10 us (the
 * long-spacing limit, where the first pulse's heat (tau = 300 ns) is
 * gone). Claims:
 *  - the change falls strictly with the gap (the smallest step measured,
 *    1.6 us -> 10 us, is 2%; each run agrees with RK45 to 0.6% of its
 *    change, so the order is resolved);
 *  - short over long spacing: dx(25 ns)/dx(10 us) > 50 (measured 216:
 *    exp(-ea/(kB T)) turns the ~150 K left over from the first pulse
 *    into a much faster second one);
 *  - the temperature between the pulses decays with tau: fitted within
 *    0.5% of 300 ns (exact up to the trapezoidal rule's error);
 *  - the timing window is set by tau: with tau doubled (and rth doubled,
 *    so each pulse heats the same; tmax=4000 keeps the saturation S out
 *    of the comparison), every gap from 100 ns to 1.6 us gives a larger
 *    change (the window widens).
 * Every run is also compared with the RK45 reference (pair_change). */
static void test_pulse_pair_timing(void **state)
{
    (void)state;
    const double gaps[] = {25e-9, 50e-9, 100e-9, 200e-9, 400e-9, 800e-9, 1600e-9, 10e-6};
    enum { NG = sizeof gaps / sizeof gaps[0] };
    KimPar q = defaults(), q2 = defaults();
    q2.tau = 600e-9;
    q2.rth = 6e6;
    q2.tmax = 4000;
    double dx[NG], dx2[NG], tfit = 0, worst = 0;
    for (int k = 0; k < NG; k++) {
        dx[k] = pair_change("", &q, gaps[k], k == 5 ? &tfit : NULL, &worst);
        dx2[k] = pair_change("tau_th=600n rth=6meg tmax=4000", &q2, gaps[k], NULL, &worst);
        print_message("gap %6.0f ns: dx = %.5g (tau 300 ns), %.5g (tau 600 ns)\n", gaps[k] * 1e9, dx[k], dx2[k]);
    }
    for (int k = 1; k < NG; k++)
        if (!(dx[k] < dx[k - 1]))
            fail_msg("change %g at gap %g s is not below %g at gap %g s", dx[k], gaps[k], dx[k - 1], gaps[k - 1]);
    double ratio = dx[0] / dx[NG - 1];
    print_message("short/long spacing: dx(25 ns)/dx(10 us) = %.4g; fitted thermal decay %.4g ns; "
                  "worst error against RK45 %.3g of the change\n", ratio, tfit * 1e9, worst);
    tu_ge(ratio, 50, "dx(25 ns) / dx(10 us)");
    tu_close(tfit, 300e-9, 5e-3, 0, "thermal decay time in the gap");
    for (int k = 2; k < NG - 1; k++)
        if (!(dx2[k] > dx[k]))
            fail_msg("gap %g s: tau_th=600n gives %g, not more than tau_th=300n's %g", gaps[k], dx2[k], dx[k]);
}

/* Pinched loop; its area shrinks as the frequency rises (x moves less per
 * cycle, and the Arrhenius rate makes that steep). 0.5 V, 100 ohm,
 * 1, 5, 25 kHz: each area less than half the previous. */
static void test_pinched_frequency(void **state)
{
    (void)state;
    double f[3] = {1e3, 5e3, 25e3}, area[3];
    for (int k = 0; k < 3; k++) {
        MtWave w = {.kind = 0, .a = 0.5, .f = f[k]};
        area[k] = mt_pinched_area(run_series("", &w, 100, 0.1, 2 / f[k], 1e-3 / f[k]), f[k]);
    }
    mt_check_shrinking(area, 3, 2);
}

/* 10 V through 10 ohm for seconds either way, and 1 ns 10 V pulses: x
 * within [0, 1] and T within [T0 - 10, tmax] exactly (no tolerance), no
 * failure (also from an operating point at -10 V); after seconds at
 * -10 V T sits at its steady state T0 + S(rth v i), within 10 K of tmax
 * (the saturation). Default model, a low tmax, and a very fast state
 * (ea=0.3 eV). */
static void test_bounds_overdrive(void **state)
{
    (void)state;
    const char *drives[] = {"PWL(0 0 1n 10 2 10 2.000001 -10 4 -10)", "PULSE(-10 10 0 1n 1n 1n 4n)",
                            "PULSE(0 10 0 1n 1n 1n 4n)"};
    const char *trans[] = {".tran 1m 4", ".tran 0.1n 400n", ".tran 0.1n 400n"};
    const char *models[] = {"", "tmax=800", "ea=0.3 k0=1e15"};
    for (int mi = 0; mi < 3; mi++)
        for (int d = 0; d < 3; d++) {
            char *net = xasprintf("overdrive\nV1 in 0 %s\nR1 in a 10\nYMEMRISTOR m1 a 0 mm xo=0.5\n"
                                  ".model mm memristor level=7 %s\n%s\n.end\n",
                                  drives[d], models[mi], trans[d]);
            TuRun *r = tu_run(net);
            const MemPlot *p = tu_plot_named(r, "Transient");
            double tmax = mi == 1 ? 800 : 2000;
            mt_check_bounds(p, cols[0], 0, 1);
            mt_check_bounds(p, cols[1], 300.15 - 10, tmax);
            mt_check_bounds(p, "r(ymemristor!m1)", 1e3 * (1 - 1e-12), 10e3 * (1 + 1e-12));
            if (d == 0) {
                /* the end of 4 s at -10 V: at its steady state just below tmax */
                KimPar q = defaults();
                q.tmax = tmax;
                double pw = last(p, "v(a)") * last(p, "i(ymemristor!m1)");
                tu_close(last(p, cols[1]), kim_steady_t(&q, pw), 1e-9, 0, "T under -10 V");
                tu_ge(last(p, cols[1]), tmax - 10, "T under -10 V near tmax");
            }
            tu_free(r);
            free(net);
        }
}

/* Operating point and DC sweep: x is memory, held at xo; T is at its
 * steady state T0 + rth G v^2 (exact: the rate is linear in T) */
static void test_dc(void **state)
{
    (void)state;
    TuRun *r = tu_run("dc\nV1 a 0 0.7\nYMEMRISTOR m1 a 0 mm xo=0.25\n.model mm memristor level=7\n.op\n"
                      ".dc v1 -1 1 0.25\n.end\n");
    double g = 1e-4 + 0.25 * (1e-3 - 1e-4);
    tu_close(tu_op(r, "x(ymemristor!m1)"), 0.25, 0, 0, "held state");
    tu_close(tu_op(r, "r(ymemristor!m1)"), 1 / g, 1e-14, 0, "R(xo)");
    tu_close(tu_op(r, "i(ymemristor!m1)"), 0.7 * g, 1e-14, 0, "i = G v");
    KimPar q = defaults();
    tu_close(tu_op(r, "temp(ymemristor!m1)"), kim_steady_t(&q, 0.49 * g), 1e-12, 0, "T = T0 + rth v i s(T)");
    tu_close(tu_op(r, "temp(ymemristor!m1)"), 300.15 + 3e6 * g * 0.49, 1e-6, 0, "T = T0 + rth v i (s ~ 1)");
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    int ci = tu_col(p, "i(ymemristor!m1)"), cx = tu_col(p, cols[0]), ct = tu_col(p, cols[1]);
    for (int k = 0; k < p->npoints; k++) {
        double v = tu_val(p, k, 0);
        tu_close(tu_val(p, k, ci), v * g, 1e-14, 1e-18, "dc sweep current");
        tu_close(tu_val(p, k, cx), 0.25, 0, 0, "dc sweep state");
        /* to Newton's tolerance on T (its abstol 1.7e-6 K) */
        tu_close(tu_val(p, k, ct), kim_steady_t(&q, g * v * v), 1e-9, 0, "dc sweep temperature");
    }
    tu_free(r);
    /* ambient: the circuit temperature unless t0 is given */
    r = tu_run("amb\nV1 a 0 0\nYMEMRISTOR m1 a 0 mm\nYMEMRISTOR m2 a 0 mt\n.model mm memristor level=7\n"
               ".model mt memristor level=7 t0=350\n.temp 85\n.op\n.end\n");
    tu_close(tu_op(r, "temp(ymemristor!m1)"), 358.15, 1e-12, 0, "T0 = .temp");
    tu_close(tu_op(r, "temp(ymemristor!m2)"), 350, 1e-12, 0, "T0 = t0");
    tu_free(r);
}

/* a model's xo is the default of its instances; uic starts x there and T
 * at ambient */
static void test_initial_state(void **state)
{
    (void)state;
    TuRun *r = tu_run("ic\nV1 a 0 0\nYMEMRISTOR m1 a 0 mm\nYMEMRISTOR m2 a 0 mm xo=1\n"
                      ".model mm memristor level=7 xo=0.6\n.tran 1n 10n uic\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    tu_close(tu_val(p, 0, tu_col(p, "x(ymemristor!m1)")), 0.6, 0, 0, "model xo");
    tu_close(tu_val(p, 0, tu_col(p, "x(ymemristor!m2)")), 1, 0, 0, "instance xo");
    tu_close(tu_val(p, 0, tu_col(p, "temp(ymemristor!m1)")), 300.15, 1e-15, 0, "T at ambient");
    tu_free(r);
}

/* The thermal terminal (YMEMRISTOR n+ n- th model): the temperature is the
 * node's voltage (docs/devices/thermal.md).
 *  - bare node: the same pulse pair as the internal state (x change
 *    within 1e-3, T within 0.01 K);
 *  - a heat sink (a 0 V-source at T0 on th, the node held at ambient):
 *    no heating, so the pair moves x far less (the Arrhenius rate stays
 *    at T0);
 *  - an extra heat capacity of 30% of the device's own (3e-14 against
 *    tau_th/rth = 1e-13 J/K) on th slows the heating: the peak rise falls
 *    (measured 295 -> 238 K, about 1/1.3) and x moves far less
 *    (0.054 -> 0.0076). */
static void test_thermal_terminal(void **state)
{
    (void)state;
    const char *base = "tt\nV1 in 0 PULSE(0 1.4 0 1n 1n 50n 102n)\nR1 in a 100\nV2 in2 0 PULSE(0 1.4 0 1n 1n 50n 102n)\n"
                       "R2 in2 b 100\nYMEMRISTOR m1 a 0 km xo=0.1\nYMEMRISTOR m2 b 0 th km xo=0.1\n%s"
                       ".model km memristor level=7\n.tran 1n 220n\n.end\n";
    const char *extra[] = {"", "Vsink th 0 300.15\n", "Cx th 0 3e-14\n"};
    double dx[3], tpk[3];
    for (int k = 0; k < 3; k++) {
        char *net = xasprintf(base, extra[k]);
        TuRun *r = tu_run(net);
        free(net);
        const MemPlot *p = tu_plot_named(r, "Transient");
        int cx1 = tu_col(p, "x(ymemristor!m1)"), cx2 = tu_col(p, "x(ymemristor!m2)");
        int ct1 = tu_col(p, "temp(ymemristor!m1)"), ct2 = tu_col(p, "v(th)");
        double t1max = 0, t2max = 0, tdiff = 0;
        for (int i = 0; i < p->npoints; i++) {
            t1max = fmax(t1max, tu_val(p, i, ct1));
            t2max = fmax(t2max, tu_val(p, i, ct2));
            tdiff = fmax(tdiff, fabs(tu_val(p, i, ct1) - tu_val(p, i, ct2)));
        }
        double dx1 = last(p, "x(ymemristor!m1)") - 0.1;
        dx[k] = last(p, "x(ymemristor!m2)") - 0.1;
        tpk[k] = t2max;
        (void)cx1, (void)cx2;
        print_message("%s: internal dx %.5g T up to %.1f K; terminal dx %.5g T up to %.1f K\n",
                      k == 0 ? "bare node" : k == 1 ? "heat sink" : "extra heat capacity", dx1, t1max, dx[k], t2max);
        if (k == 0) {
            tu_close(dx[0], dx1, 1e-3, 0, "bare thermal node: the internal state's x");
            tu_le(tdiff, 0.01, "bare thermal node: the internal state's T");
        }
        tu_free(r);
    }
    tu_le(dx[1], 0.05 * dx[0], "heat sink: the pair barely moves x");
    tu_close(tpk[1], 300.15, 0, 1e-9, "heat sink: T held at ambient");
    tu_le(tpk[2] - 300.15, 0.9 * (tpk[0] - 300.15), "extra heat capacity: less heating");
    tu_le(dx[2], 0.5 * dx[0], "... and a slower state");
}

static void test_errors(void **state)
{
    (void)state;
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm xo=1.5\n.model mm memristor level=7\n.op\n.end\n",
                 "ymemristor!m1: initial state xo=1.5 is outside [0, 1]");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=7 t0=400 tmax=350\n.op\n.end\n",
                 "tmax=350 K must be above the ambient temperature t0=400 K");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=7 rthh=1meg\n.op\n.end\n",
                 "did you mean 'rth'");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=7 tau_th=-1n\n.op\n.end\n",
                 "'tau_th' must be positive");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=7 ea=0\n.op\n.end\n",
                 "'ea' must be positive");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm xo=-0.1\n.model mm memristor level=7\n.op\n.end\n", "'xo'");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 th mm\n.model mm memristor level=1\n.op\n.end\n",
                    "unexpected 'th' (model 'mm', memristor level 1, has no optional terminals)");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 0 mm\n.model mm memristor level=7\n.op\n.end\n",
                    "the thermal terminal is ground");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trajectories_vs_rk45), cmocka_unit_test(test_pulse_pair_timing),
        cmocka_unit_test(test_pinched_frequency),    cmocka_unit_test(test_bounds_overdrive),
        cmocka_unit_test(test_dc),                   cmocka_unit_test(test_initial_state),
        cmocka_unit_test(test_thermal_terminal), cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
