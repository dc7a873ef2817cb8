/* Short+long-term plasticity memristor with activity-dependent decay
 * (level 8, after Weilenmann et al. 2024): state trajectories against an
 * independent RK45 integration of the equations (docs/devices/mem_stp.md,
 * S1-S7, restated below), pinched hysteresis and its frequency dependence,
 * exact bounds under overdrive, DC (held l, steady-state s and a), the
 * fitted decay time of s, meta-plasticity (slower decay after a strong
 * history), consolidation above/below threshold, and error messages. */
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

/* the model as the test writes it (mem_stp.md S1-S7) */
typedef struct StpPar {
    double g0, gs, gl, vnl, vp, vn, v0, kp, kn, tau0, kmeta, ka, taua, kc, sc;
} StpPar;

/* the defaults of the .model card */
static const StpPar DEF = {1e-6, 0.5e-6, 2e-6, 0.5, 1, 1, 0.1, 0.5, 0.5, 1, 4, 0.1, 60, 0.5, 0.5};

static double drv(double u)
{
    return u > 0 ? expm1(u) - u : 0;
}

static double stp_current(double v, const double *x, const void *par)
{
    const StpPar *q = par;
    double g = q->g0 + q->gs * x[0] + q->gl * x[1];
    return g * (q->vnl > 0 ? q->vnl * sinh(v / q->vnl) : v);
}

static void stp_rates(double v, const double *x, double *dxdt, const void *par)
{
    const StpPar *q = par;
    double s = x[0], l = x[1], a = x[2];
    double dp = drv((v - q->vp) / q->v0), dn = drv((-v - q->vn) / q->v0);
    double tau = q->tau0 * (1 + q->kmeta * a);
    dxdt[0] = q->kp * dp * (1 - s) - q->kn * dn * (1 + s) - s / tau;
    dxdt[1] = q->kc * (fmax(s - q->sc, 0) * (1 - l) - fmax(-s - q->sc, 0) * l);
    dxdt[2] = q->ka * (dp + dn) * (1 - a) - a / q->taua;
}

static const char *const xcol[] = {"s(ymemristor!m1)", "l(ymemristor!m1)", "a(ymemristor!m1)"};

static TuRun *run_series(const char *model, const MtWave *w, double rs, const double *x0, int uic, double tstop,
                         double tmax)
{
    char spec[256];
    mt_wave_spec(w, spec, sizeof spec);
    char *net = xasprintf("series drive\nV1 in 0 %s\nRs in a %.17g\nYMEMRISTOR m1 a 0 mm s0=%.17g l0=%.17g a0=%.17g\n"
                          ".model mm memristor level=8 %s\n.tran %.17g %.17g 0 %.17g%s\n.end\n",
                          spec, rs, x0[0], x0[1], x0[2], model, tmax, tstop, tmax, uic ? " uic" : "");
    TuRun *r = tu_run(net);
    free(net);
    return r;
}

static MtModel mt_model(const StpPar *q)
{
    MtModel m = {3, stp_current, stp_rates, q, {-1, 0, 0}, {1, 1, 1}, {2, 1, 1}};
    return m;
}

static void check_all_bounds(const MemPlot *p)
{
    mt_check_bounds(p, xcol[0], -1, 1);
    mt_check_bounds(p, xcol[1], 0, 1);
    mt_check_bounds(p, xcol[2], 0, 1);
}

/* All three states against the reference, through a 100 kohm series
 * resistor (the device is ~0.3-1 Mohm): a 1.6 V sine, a 1.5 V train of
 * 2 ms pulses (s saturates, l consolidates), a -1.5 V train from l = 0.8
 * (depression, l falls), and a uic start from s0 = 0.6, a0 = 0.5 under the
 * sine (the decay of s with the activity-dependent tau). Default
 * tolerances; bound 1% of each state's range; measured up to 2.9e-4 (the
 * pulse train; see the printed figures). */
static void test_trajectories_vs_rk45(void **state)
{
    (void)state;
    MtWave sine = {.kind = 0, .a = 1.6, .f = 1};
    MtWave pulse = {.kind = 1, .v1 = 0, .v2 = 1.5, .td = 0.05, .tr = 1e-4, .tf = 1e-4, .pw = 2e-3, .per = 0.02};
    MtWave neg = {.kind = 1, .v1 = 0, .v2 = -1.5, .td = 0.05, .tr = 1e-4, .tf = 1e-4, .pw = 2e-3, .per = 0.02};
    struct {
        const MtWave *w;
        double x0[3];
        int uic;
        const char *what;
    } cases[] = {
        {&sine, {0, 0.2, 0}, 0, "sine"},
        {&pulse, {0, 0, 0}, 0, "+1.5 V pulses"},
        {&neg, {0, 0.8, 0}, 0, "-1.5 V pulses"},
        {&sine, {0.6, 0.3, 0.5}, 1, "sine, uic s0=0.6 a0=0.5"},
    };
    StpPar q = DEF;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        TuRun *r = run_series("", cases[k].w, 1e5, cases[k].x0, cases[k].uic, 2, 1e-3);
        const MemPlot *p = tu_plot_named(r, "Transient");
        MtModel m = mt_model(&q);
        double where;
        int which;
        double err = mt_state_error(p, xcol, &m, 1e5, cases[k].w, cases[k].x0, &where, &which);
        print_message("%s: max state error %.3g (of the range) in %s at t=%g\n", cases[k].what, err, xcol[which],
                      where);
        tu_le(err, 0.01, "state error against RK45");
        check_all_bounds(p);
        tu_free(r);
    }
}

/* Pinched loop; its area shrinks as the frequency rises (less time above
 * threshold per cycle, so s moves less). 1.6 V sine, 10, 50, 250 Hz; each
 * area at least 1.5x the next (measured ratios are printed). Below ~5 Hz
 * the area falls again: s saturates early in each half cycle, so the up
 * and down sweeps see nearly the same conductance (mem_stp.md). */
static void test_pinched_frequency(void **state)
{
    (void)state;
    double f[3] = {10, 50, 250}, area[3];
    double x0[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        MtWave w = {.kind = 0, .a = 1.6, .f = f[k]};
        area[k] = mt_pinched_area(run_series("", &w, 1e-3, x0, 0, 2 / f[k], 1e-3 / f[k]), f[k]);
    }
    print_message("area ratios %.3g, %.3g\n", area[0] / area[1], area[1] / area[2]);
    mt_check_shrinking(area, 3, 1.5);
}

/* 10 V for seconds either way, and 10 V pulses of 1 ns, through 10 ohm:
 * every state stays within its interval exactly, no failure; also with a
 * linear I-V (vnl=0), a large meta-plasticity gain and fast rates */
static void test_bounds_overdrive(void **state)
{
    (void)state;
    const char *models[] = {"", "vnl=0", "kmeta=100 kp=1e6 kn=1e6 ka=1e6 kc=1e6", "v0=0.01 sc=0"};
    const char *drives[] = {"PWL(0 0 1n 10 2 10 2.000001 -10 4 -10)", "PULSE(-10 10 0 1n 1n 1n 4n)"};
    const char *trans[] = {".tran 1m 4", ".tran 0.1n 400n"};
    for (size_t mi = 0; mi < sizeof models / sizeof models[0]; mi++)
        for (int d = 0; d < 2; d++) {
            char *net = xasprintf("overdrive\nV1 in 0 %s\nR1 in a 10\nYMEMRISTOR m1 a 0 mm l0=0.5\n"
                                  ".model mm memristor level=8 %s\n%s\n.end\n",
                                  drives[d], models[mi], trans[d]);
            TuRun *r = tu_run(net);
            const MemPlot *p = tu_plot_named(r, "Transient");
            check_all_bounds(p);
            tu_free(r);
            free(net);
        }
}

/* steady state of s and a at a constant v (S5, S7 with d/dt = 0) */
static void steady(const StpPar *q, double v, double *s, double *a)
{
    double dp = drv((v - q->vp) / q->v0), dn = drv((-v - q->vn) / q->v0);
    *a = q->ka * (dp + dn) / (q->ka * (dp + dn) + 1 / q->taua);
    double tau = q->tau0 * (1 + q->kmeta * *a);
    *s = (q->kp * dp - q->kn * dn) / (q->kp * dp + q->kn * dn + 1 / tau);
}

/* Operating point and DC sweep: l is memory, held at l0; s and a are at
 * their steady states (0 below threshold, the analytic value above); the
 * current is G vnl sinh(v/vnl) at those states. Bounds 1e-9 relative
 * (Newton's convergence, the state tolerance is 1e-9 of the range). */
static void test_dc(void **state)
{
    (void)state;
    TuRun *r = tu_run("dc\nV1 a 0 0.7\nYMEMRISTOR m1 a 0 mm l0=0.3\n.model mm memristor level=8\n.op\n"
                      ".dc v1 -1.6 1.6 0.1\n.end\n");
    double x0[3] = {0, 0.3, 0};
    tu_close(tu_op(r, "l(ymemristor!m1)"), 0.3, 0, 0, "held l");
    tu_close(tu_op(r, "s(ymemristor!m1)"), 0, 0, 1e-12, "s below threshold");
    tu_close(tu_op(r, "a(ymemristor!m1)"), 0, 0, 1e-12, "a below threshold");
    tu_close(tu_op(r, "i(ymemristor!m1)"), stp_current(0.7, x0, &DEF), 1e-12, 0, "op current");
    const MemPlot *p = tu_plot_named(r, "DC transfer");
    int ci = tu_col(p, "i(ymemristor!m1)"), cs = tu_col(p, xcol[0]), cl = tu_col(p, xcol[1]),
        ca = tu_col(p, xcol[2]);
    double smax = 0;
    for (int k = 0; k < p->npoints; k++) {
        double v = tu_val(p, k, 0), s, a;
        steady(&DEF, v, &s, &a);
        double x[3] = {s, 0.3, a};
        tu_close(tu_val(p, k, cs), s, 1e-9, 1e-12, "dc steady s");
        tu_close(tu_val(p, k, ca), a, 1e-9, 1e-12, "dc steady a");
        tu_close(tu_val(p, k, cl), 0.3, 0, 0, "dc held l");
        tu_close(tu_val(p, k, ci), stp_current(v, x, &DEF), 1e-8, 1e-18, "dc current");
        smax = fmax(smax, fabs(s));
    }
    tu_ge(smax, 0.9, "the sweep reaches strong drive (|s| near 1)");
    tu_free(r);

    /* strong drive through a series resistor: the Newton iterates overshoot
     * [-1, 1] on the way (the drive is ~1e35/s at 10 V); the solution must
     * still be the steady state at the solved v, inside the interval, with
     * KCL holding */
    double vs[] = {10, -10, 10, -10, 3, -2.5};
    double rs[] = {10, 10, 1e5, 1e5, 1e3, 1e6};
    for (int k = 0; k < 6; k++) {
        char *net = xasprintf("dc2\nV1 in 0 %g\nR1 in a %g\nYMEMRISTOR m1 a 0 mm l0=0.5\n"
                              ".model mm memristor level=8\n.op\n.end\n", vs[k], rs[k]);
        r = tu_run(net);
        free(net);
        double v = tu_op(r, "v(a)"), s, a;
        steady(&DEF, v, &s, &a);
        double x[3] = {s, 0.5, a};
        print_message("op %g V through %g ohm: v=%.6g s=%.9g a=%.9g\n", vs[k], rs[k], v, tu_op(r, xcol[0]),
                      tu_op(r, xcol[2]));
        tu_close(tu_op(r, xcol[0]), s, 1e-9, 1e-12, "op steady s under strong drive");
        tu_close(tu_op(r, xcol[2]), a, 1e-9, 1e-12, "op steady a under strong drive");
        tu_close(tu_op(r, xcol[1]), 0.5, 0, 0, "op held l under strong drive");
        tu_close(stp_current(v, x, &DEF), (vs[k] - v) / rs[k], 1e-6, 1e-12, "KCL at the device");
        tu_free(r);
    }
}

/* model s0/l0/a0 are the instances' defaults; uic starts there, the
 * operating point holds only l (s, a solved: 0 at 0 V) */
static void test_initial_state(void **state)
{
    (void)state;
    TuRun *r = tu_run("ic\nV1 a 0 0\nYMEMRISTOR m1 a 0 mm\nYMEMRISTOR m2 a 0 mm s0=-0.4 l0=1 a0=0.1\n"
                      ".model mm memristor level=8 s0=0.5 l0=0.6 a0=0.7\n.tran 1m 10m uic\n.end\n");
    /* a uic run writes its first point after the first step (t1 > 0), so
     * compare with the exact decay to t1 (S5, S7 at v = 0, l constant) */
    const MemPlot *p = tu_plot_named(r, "Transient");
    double t1 = tu_val(p, 0, 0);
    tu_le(t1, 1e-5, "first point near t = 0");
    double want[2][3] = {{0.5, 0.6, 0.7}, {-0.4, 1, 0.1}};
    const char *names[2][3] = {{"s(ymemristor!m1)", "l(ymemristor!m1)", "a(ymemristor!m1)"},
                               {"s(ymemristor!m2)", "l(ymemristor!m2)", "a(ymemristor!m2)"}};
    for (int k = 0; k < 2; k++) {
        double tau = DEF.tau0 * (1 + DEF.kmeta * want[k][2]);
        tu_close(tu_val(p, 0, tu_col(p, names[k][0])), want[k][0] * exp(-t1 / tau), 0, 1e-10, k ? "instance s0" : "model s0");
        tu_close(tu_val(p, 0, tu_col(p, names[k][1])), want[k][1], 0, 0, k ? "instance l0" : "model l0");
        tu_close(tu_val(p, 0, tu_col(p, names[k][2])), want[k][2] * exp(-t1 / DEF.taua), 0, 1e-10,
                 k ? "instance a0" : "model a0");
    }
    tu_free(r);
    r = tu_run("op\nV1 a 0 0\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=8 s0=0.5 l0=0.6 a0=0.7\n.op\n.end\n");
    tu_close(tu_op(r, "s(ymemristor!m1)"), 0, 0, 1e-12, "op: s solved");
    tu_close(tu_op(r, "l(ymemristor!m1)"), 0.6, 0, 0, "op: l held");
    tu_close(tu_op(r, "a(ymemristor!m1)"), 0, 0, 1e-12, "op: a solved");
    tu_free(r);
}

/* least-squares slope of ln s(t) on n uniform points of [t1, t2]: -1/tau
 * at the window's midpoint (exact for a quadratic ln s) */
static double fit_tau(const MemPlot *p, double t1, double t2)
{
    int cs = tu_col(p, xcol[0]), n = 201;
    double st = 0, sy = 0, stt = 0, sty = 0;
    for (int k = 0; k < n; k++) {
        double t = t1 + (t2 - t1) * k / (n - 1), y = log(tu_interp(p, cs, t));
        st += t;
        sy += y;
        stt += t * t;
        sty += t * y;
    }
    double slope = (n * sty - st * sy) / (n * stt - st * st);
    return -1 / slope;
}

/* PWL text of n pulses of height v (2 ms wide, 0.1 ms edges, every 20 ms
 * from t = 10 ms), then optionally one more at t = ttest (ttest <= 0:
 * none); 0 V otherwise. Caller frees. */
static char *pwl_train(double v, int n, double ttest)
{
    size_t cap = 64 + 4 * 48 * (size_t)(n + 1), len = 0;
    char *b = xmalloc(cap);
    len += (size_t)snprintf(b + len, cap - len, "PWL(0 0");
    for (int k = 0; k <= n; k++) {
        double t0 = k < n ? 0.01 + 0.02 * k : ttest;
        if (k == n && ttest <= 0) break;
        len += (size_t)snprintf(b + len, cap - len, " %.9g 0 %.9g %g %.9g %g %.9g 0", t0, t0 + 1e-4, v,
                                t0 + 2.1e-3, v, t0 + 2.2e-3);
    }
    snprintf(b + len, cap - len, ")");
    return b;
}

/* the device straight across a PWL pulse train (pwl_train) */
static TuRun *run_train(const char *model, const char *inst, double v, int npulse, double ttest, double tstop,
                        double tmax)
{
    char *pwl = pwl_train(v, npulse, ttest);
    char *net = xasprintf("pulses\nV1 a 0 %s\nYMEMRISTOR m1 a 0 mm %s\n.model mm memristor level=8 %s\n"
                          ".tran %g %g 0 %g\n.end\n",
                          pwl, inst, model, tmax, tstop, tmax);
    TuRun *r = tu_run(net);
    free(net);
    free(pwl);
    return r;
}

/* After a train of pulses s decays as exp(-t/tau), tau from S4. kmeta=0:
 * the fitted decay time against tau0 = 1 s; kmeta=4: against
 * tau0 (1 + kmeta a(t)) with a(t) read from the same run at the fit
 * window's midpoint. Bound 2%; measured deviations are printed. */
static void test_decay_time_constant(void **state)
{
    (void)state;
    const char *models[] = {"kmeta=0", "kmeta=4"};
    for (int k = 0; k < 2; k++) {
        TuRun *r = run_train(models[k], "", 1.5, 5, 0, 4.2, 5e-3);
        const MemPlot *p = tu_plot_named(r, "Transient");
        double t1 = 0.5, t2 = 3.0, tm = 0.5 * (t1 + t2);
        double tau = fit_tau(p, t1, t2);
        double a = tu_interp(p, tu_col(p, xcol[2]), tm);
        double want = DEF.tau0 * (1 + (k ? DEF.kmeta : 0) * a);
        print_message("%s: fitted tau %.6g s, equations give %.6g s (a=%.4g), deviation %.2e\n", models[k], tau,
                      want, a, tau / want - 1);
        tu_close(tau, want, 0.02, 0, "fitted decay time of s");
        tu_ge(tu_interp(p, tu_col(p, xcol[0]), t2), 1e-3, "s still measurable at the window end");
        tu_free(r);
    }
}

/* Meta-plasticity: the same test pulse (one 2 ms, 1.5 V pulse at t = 25 s)
 * after a weak history (2 pulses) and a strong one (60 pulses), both from
 * t = 10 ms, at 0 V in between (s has decayed by then, a much less). The
 * fitted decay time of s after the test pulse is longer after the strong
 * history by the ratio (1 + kmeta a_strong) / (1 + kmeta a_weak), each
 * within 2% of S4; required ratio >= 1.5; measured 2.54. */
static void test_metaplasticity(void **state)
{
    (void)state;
    double tau[2], want[2];
    int npre[2] = {2, 60};
    for (int k = 0; k < 2; k++) {
        TuRun *r = run_train("", "", 1.5, npre[k], 25, 29, 5e-3);
        const MemPlot *p = tu_plot_named(r, "Transient");
        double t1 = 25.2, t2 = 28.8;
        tau[k] = fit_tau(p, t1, t2);
        double a = tu_interp(p, tu_col(p, xcol[2]), 0.5 * (t1 + t2));
        want[k] = DEF.tau0 * (1 + DEF.kmeta * a);
        print_message("%d conditioning pulses: a=%.4g, fitted tau %.5g s (equations %.5g s)\n", npre[k], a, tau[k],
                      want[k]);
        tu_close(tau[k], want[k], 0.02, 0, "decay time after the test pulse");
        tu_free(r);
    }
    print_message("decay-time ratio strong/weak history: %.4g (equations %.4g)\n", tau[1] / tau[0],
                  want[1] / want[0]);
    tu_ge(tau[1] / tau[0], 1.5, "slower decay after the strong history");
}

/* Consolidation: 3 pulses keep s below sc = 0.5, so l stays exactly at 0;
 * 40 pulses drive s above sc and leave l > 0.05, which then stays (to
 * 1e-9) through 30 s of rest while s decays away; the read resistance is
 * lower at the end. A -1.5 V train likewise lowers l from 0.8. */
static void test_consolidation(void **state)
{
    (void)state;
    TuRun *r = run_train("", "", 1.5, 3, 0, 5, 5e-3);
    const MemPlot *p = tu_plot_named(r, "Transient");
    int cs = tu_col(p, xcol[0]), cl = tu_col(p, xcol[1]);
    double smax = 0, lmax = 0;
    for (int k = 0; k < p->npoints; k++) {
        smax = fmax(smax, tu_val(p, k, cs));
        lmax = fmax(lmax, tu_val(p, k, cl));
    }
    print_message("3 pulses: max s %.4g (sc 0.5), max l %.3g\n", smax, lmax);
    tu_le(smax, DEF.sc, "few pulses stay below the consolidation threshold");
    tu_close(lmax, 0, 0, 0, "no long-term change below threshold");
    tu_free(r);

    r = run_train("", "", 1.5, 40, 0, 32, 0.02);
    p = tu_plot_named(r, "Transient");
    cs = tu_col(p, xcol[0]);
    cl = tu_col(p, xcol[1]);
    int cr = tu_col(p, "r(ymemristor!m1)");
    smax = 0;
    for (int k = 0; k < p->npoints; k++) smax = fmax(smax, tu_val(p, k, cs));
    double l5 = tu_interp(p, cl, 5), lend = tu_val(p, p->npoints - 1, cl);
    double send = tu_val(p, p->npoints - 1, cs);
    print_message("40 pulses: max s %.4g, l at 5 s %.5g, at 32 s %.5g, s at 32 s %.2e\n", smax, l5, lend, send);
    tu_ge(smax, DEF.sc, "many pulses pass the consolidation threshold");
    tu_ge(lend, 0.05, "lasting long-term change");
    /* l's rate is exactly 0 below the threshold; what moves it is the
     * residual that Newton's chord iterations leave when s crosses the
     * threshold (measured 2.8e-8, far below reltol*l = 3e-4; 0 with
     * .options chord=0). Bound 1e-6: a consolidation that kept running
     * would move l by 1e-2 and more over these 27 s. */
    tu_close(lend, l5, 0, 1e-6, "l holds once s is below threshold");
    tu_le(send, 1e-2, "s has decayed");
    tu_le(tu_val(p, p->npoints - 1, cr), 0.9 / (DEF.g0), "read resistance lowered by the lasting change");
    tu_free(r);

    TuRun *rn = run_train("", "l0=0.8", -1.5, 40, 0, 20, 0.02);
    p = tu_plot_named(rn, "Transient");
    lend = tu_val(p, p->npoints - 1, tu_col(p, xcol[1]));
    print_message("40 pulses of -1.5 V from l=0.8: l at 20 s %.4g\n", lend);
    tu_le(lend, 0.75, "long-term depression by consolidated negative s");
    tu_free(rn);
}

static void test_errors(void **state)
{
    (void)state;
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm s0=1.5\n.model mm memristor level=8\n.op\n.end\n",
                 "ymemristor!m1: initial short-term state s0=1.5 is outside [-1, 1]");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm s0=-2\n.model mm memristor level=8\n.op\n.end\n",
                 "s0=-2 is outside [-1, 1]");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm l0=1.2\n.model mm memristor level=8\n.op\n.end\n",
                 "initial long-term state l0=1.2 is outside [0, 1]");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=8 a0=3\n.op\n.end\n",
                 "initial activity trace a0=3 is outside [0, 1]");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=8 gs=2u\n.op\n.end\n",
                 "gs=2e-06 must be below g0=1e-06");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=8 sc=1\n.op\n.end\n",
                 "consolidation threshold sc=1 must be below 1");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=8 tau0=0\n.op\n.end\n", "tau0");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=8 l0=-0.1\n.op\n.end\n", "l0");
    tu_expect_error("t\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=8 kmetta=1\n.op\n.end\n",
                 "did you mean 'kmeta'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trajectories_vs_rk45), cmocka_unit_test(test_pinched_frequency),
        cmocka_unit_test(test_bounds_overdrive),     cmocka_unit_test(test_dc),
        cmocka_unit_test(test_initial_state),        cmocka_unit_test(test_decay_time_constant),
        cmocka_unit_test(test_metaplasticity),       cmocka_unit_test(test_consolidation),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
