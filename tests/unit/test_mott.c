/* NbO2 Mott memristor (MOTT levels 1 and 2, docs/devices/mott.md).
 * Level 1 (Pickett & Williams 2012 metallic channel): the metallic
 * fraction against an independent RK45 integration of the equations as
 * written here; the quasi-static I-V under a DC current sweep against its
 * closed form (threshold sqrt(pth roff), NDR branch v i = pth, hold
 * sqrt(pth ron), on branch i ron); the state within [0, 1] under
 * overdrive. Level 2 (Kumar 2017 Poole-Frenkel + heating): the operating
 * point against the heat balance computed here; the temperature against
 * RK45; the I-V's two NDR regions (the thermal one at a moderate
 * temperature rise, the Mott one near tc); a relaxation oscillator with
 * the temperature bounded; its seeded thermal noise against
 * equipartition. Bad parameters with file:line. */
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

#define PI 3.14159265358979323846

/* ---- level 1, written from the paper's form in u = r_core/r_ch ---- */
typedef struct P12 {
    double rch, l, rhoi, rhom, gth, dh, cp, tc, ta, eps;
} P12;

static const P12 p12_default = {15e-9, 20e-9, 1e-3, 3e-5, 4.5e-8, 1.6e8, 2.7e6, 1081, 300.15, 1e-3};

/* channel conductance with metallic core radius u rch: core || shell */
static double p12_g(const P12 *q, double w)
{
    double a = PI * q->rch * q->rch;
    return a * w / (q->rhom * q->l) + a * (1 - w) / (q->rhoi * q->l);
}

static double p12_current(double v, const double *x, const void *par)
{
    return v * p12_g(par, x[0]);
}

/* d(u^2)/dt = 2 u du/dt with du/dt = (P - gth dT)/(2 pi rch^2 l u (dh + cp dT)),
 * times the edge windows of docs/devices/mott.md */
static void p12_rates(double v, const double *x, double *dxdt, const void *par)
{
    const P12 *q = par;
    double w = x[0], dt = q->tc - q->ta;
    double s = v * v * p12_g(q, w) - q->gth * dt;
    double cu = PI * q->rch * q->rch * q->l * (q->dh + q->cp * dt);
    double ps = 1e-3 * q->gth * dt, sp = 0.5 * (hypot(s, ps) + s), sn = 0.5 * (hypot(s, ps) - s);
    dxdt[0] = (sp * (1 - w) / (1 - w + q->eps) - sn * w / (w + q->eps)) / cu;
}

static const char *const wcol[] = {"w(ymott!m1)"};

/* A 2 V, 200 kHz sine and a pulse train through 2 kohm switch the channel
 * on and off each period. The latent heat is raised 10^4 times (dh =
 * 1.6e12 J/m^3) so switching takes ~0.5 us instead of ~0.5 ns and the
 * comparison measures the equations, not the timing of a sub-ns edge
 * (with the default dh the two agree to ~10 ps at the edges: a 1% error
 * in w there is a 3 ps shift). The largest w error against RK45 (rtol
 * 1e-9) must be below 2% of its range at default tolerances with the
 * step capped at 10 ns. */
static void test_level1_vs_rk45(void **state)
{
    (void)state;
    MtWave sine = {.kind = 0, .a = 2, .f = 200e3};
    MtWave pulse = {.kind = 1, .v1 = -0.5, .v2 = 2.5, .td = 0.5e-6, .tr = 0.1e-6, .tf = 0.1e-6, .pw = 2e-6, .per = 5e-6};
    const MtWave *waves[] = {&sine, &pulse};
    for (int k = 0; k < 2; k++) {
        char spec[256];
        mt_wave_spec(waves[k], spec, sizeof spec);
        char *net = xasprintf("series drive\nV1 in 0 %s\nRs in a 2k\nYMOTT m1 a 0 mm\n"
                              ".model mm mott level=1 dh=1.6e12\n.tran 10n 10u 0 10n\n.end\n",
                              spec);
        TuRun *r = tu_run(net);
        free(net);
        const MemPlot *p = tu_plot_named(r, "Transient");
        P12 q = p12_default;
        q.dh = 1.6e12;
        MtModel m = {1, p12_current, p12_rates, &q, {0}, {1}, {1}};
        double x0[1] = {0}, where;
        double err = mt_state_error(p, wcol, &m, 2e3, waves[k], x0, &where, NULL);
        int c = tu_col(p, wcol[0]);
        double wmax = 0;
        for (int i = 0; i < p->npoints; i++) wmax = fmax(wmax, tu_val(p, i, c));
        print_message("%s: max w error %.3g at t=%g, w up to %.4f\n", k ? "pulses" : "sine", err, where, wmax);
        tu_ge(wmax, 0.99, "the drive turns the channel fully metallic");
        tu_le(err, 0.02, "w error against RK45");
        mt_check_bounds(p, wcol[0], 0, 1);
        tu_free(r);
    }
}

/* DC current sweep: off branch v = i roff up to the threshold current
 * sqrt(pth/roff); the snap-back: v falls as i rises with v i = pth (the
 * steady state of the state equation) down to the hold voltage
 * sqrt(pth ron); then the on branch v = i ron. Closed forms from the
 * parameters, tolerance 2e-3 (the edge windows' eps = 1e-3 shift the
 * steady state by about that much); the largest v of the sweep within 1%
 * of the threshold (the 0.5 uA grid straddles the 35 uA threshold
 * current: the nearest point is up to 0.7% below the peak). */
static void test_level1_iv(void **state)
{
    (void)state;
    TuRun *r = tu_run("iv\nI1 0 a 0\nYMOTT m1 a 0 mm\n.model mm mott level=1\n.dc I1 0.5u 1m 0.5u\n.end\n");
    const MemPlot *p = tu_plot_named(r, "DC");
    int cv = tu_col(p, "v(a)"), cw = tu_col(p, wcol[0]);
    const P12 *q = &p12_default;
    double pth = q->gth * (q->tc - q->ta);
    double roff = 1 / p12_g(q, 0), ron = 1 / p12_g(q, 1);
    double vth = sqrt(pth * roff), vhold = sqrt(pth * ron), ith = sqrt(pth / roff), ihold = sqrt(pth / ron);
    double vmax = 0, vmin_on = 1e9;
    int nndr = 0;
    for (int k = 0; k < p->npoints; k++) {
        double i = tu_val(p, k, 0), v = tu_val(p, k, cv), w = tu_val(p, k, cw);
        vmax = fmax(vmax, v);
        if (i < 0.98 * ith) tu_close(v, i * roff, 1e-4, 0, "off branch");
        if (i > 1.02 * ith && i < 0.98 * ihold) {
            tu_close(v * i, pth, 2e-3, 0, "NDR branch: v i = pth");
            nndr++;
        }
        if (i > 1.05 * ihold) {
            tu_close(v, i * ron, 1e-3, 0, "on branch");
            tu_close(w, 1, 1e-3, 0, "fully metallic");
        }
        if (i > ith) vmin_on = fmin(vmin_on, v);
    }
    print_message("vth %.4f V (closed form %.4f), hold %.4f V (%.4f), %d points on the NDR branch\n", vmax, vth,
                  vmin_on, vhold, nndr);
    tu_close(vmax, vth, 1e-2, 0, "threshold sqrt(pth roff)");
    tu_close(vmin_on, vhold, 2e-3, 0, "hold sqrt(pth ron)");
    tu_ge(nndr, 100, "the sweep resolves the NDR branch");
    tu_free(r);
}

/* 10 V and 100 V pulses through 1 ohm and a 1 kV source: w within [0, 1],
 * and the channel relaxes to insulating when the drive ends */
static void test_level1_overdrive(void **state)
{
    (void)state;
    TuRun *r = tu_run("over\nV1 in 0 PULSE(-100 100 0 1n 1n 50n 100n)\nRs in a 1\nYMOTT m1 a 0 mm\n"
                      "V2 b 0 PULSE(0 10 0 1n 1n 20n 400n)\nYMOTT m2 b 0 mm\nV3 c 0 1k\nR3 c d 1\nYMOTT m3 d 0 mm wo=1\n"
                      ".model mm mott level=1\n.tran 1n 300n\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    mt_check_bounds(p, "w(ymott!m1)", 0, 1);
    mt_check_bounds(p, "w(ymott!m2)", 0, 1);
    mt_check_bounds(p, "w(ymott!m3)", 0, 1);
    tu_ge(tu_interp(p, tu_col(p, "w(ymott!m2)"), 20e-9), 0.999, "10 V: metallic");
    tu_le(tu_interp(p, tu_col(p, "w(ymott!m2)"), 290e-9), 1e-3, "relaxed after the pulse");
    tu_free(r);
}

/* ---- level 2, Kumar 2017 with the Hartke 3D Poole-Frenkel factor ---- */
typedef struct K17 {
    double d, area, sig0, ea, epsr, cth, rth, tc, dtc, km, rser, ta;
    double vdrive;   /* the source of the RK45 reference's circuit */
} K17;

static const K17 k17_default = {20e-9, 7.07e-16, 1.4e5, 0.2, 45, 1e-15, 1.5e6, 1081, 10, 10, 300, 300.15, 0};

/* the core conductance at (T, v), straight from the formula (PF in its
 * closed form, series only where it cancels: x < 1e-3) */
static double k17_g(const K17 *q, double t, double v)
{
    const double kb = 8.617333262e-5, qe = 1.602176634e-19, e0 = 8.8541878128e-12;
    double f = sqrt(v * v + 1e-12) / q->d;
    double om = sqrt(qe * qe * qe / (PI * e0 * q->epsr)) / qe;
    double x = om * sqrt(f) / (kb * t);
    double pf = x < 1e-3 ? 1 + x / 3 : (1 + (x - 1) * exp(x)) / (x * x) + 0.5;
    double mt = 1 + (q->km - 1) / (1 + exp(-(t - q->tc) / q->dtc));
    return q->sig0 * q->area / q->d * exp(-q->ea / (kb * t)) * pf * mt;
}

static double k17_current(double v, const double *x, const void *par)
{
    const K17 *q = par;
    double g = k17_g(q, x[0], v);
    return v * g / (1 + g * q->rser);
}

static void k17_rates(double v, const double *x, double *dxdt, const void *par)
{
    const K17 *q = par;
    double g = k17_g(q, x[0], v), i = v * g / (1 + g * q->rser);
    dxdt[0] = (i * i / g - (x[0] - q->ta) / q->rth) / q->cth;
}

/* the operating point at 0.5, 1.0, 1.2 V through 1 kohm: the temperature
 * satisfies the heat balance T = Ta + rth i^2/g (relative 1e-6) */
static void test_level2_op(void **state)
{
    (void)state;
    const double vs[] = {0.5, 1.0, 1.2};
    for (int k = 0; k < 3; k++) {
        char *net = xasprintf("op\nV1 in 0 %g\nR1 in a 1k\nYMOTT m1 a 0 mm\n.model mm mott level=2\n.op\n.end\n", vs[k]);
        TuRun *r = tu_run(net);
        free(net);
        double t = tu_op(r, "temp(ymott!m1)"), v = tu_op(r, "v(a)");
        const K17 *q = &k17_default;
        double g = k17_g(q, t, v), i = v * g / (1 + g * q->rser);
        print_message("%.1f V: v %.4f V, T %.2f K\n", vs[k], v, t);
        tu_close(t, q->ta + q->rth * i * i / g, 1e-6, 0, "heat balance");
        tu_close((vs[k] - v) / 1e3, i, 1e-6, 1e-12, "KCL");
        tu_free(r);
    }
}

/* a 1.6 V pulse through 5 kohm heats the device through its thermal
 * runaway (first NDR) in ns: T against RK45 within 1% of tc - Ta */
static void test_level2_vs_rk45(void **state)
{
    (void)state;
    MtWave pulse = {.kind = 1, .v1 = 0, .v2 = 3, .td = 2e-9, .tr = 1e-9, .tf = 1e-9, .pw = 10e-9, .per = 20e-9};
    char spec[256];
    mt_wave_spec(&pulse, spec, sizeof spec);
    char *net = xasprintf("series drive\nV1 in 0 %s\nRs in a 2k\nYMOTT m1 a 0 mm\n.model mm mott level=2\n"
                          ".tran 0.05n 40n 0 0.05n\n.end\n",
                          spec);
    TuRun *r = tu_run(net);
    free(net);
    const MemPlot *p = tu_plot_named(r, "Transient");
    K17 q = k17_default;
    MtModel m = {1, k17_current, k17_rates, &q, {1}, {5000}, {1081 - 300.15}};
    double x0[1] = {300.15}, where;
    const char *cols[] = {"temp(ymott!m1)"};
    double err = mt_state_error(p, cols, &m, 2e3, &pulse, x0, &where, NULL);
    int c = tu_col(p, cols[0]);
    double tmax = 0;
    for (int i = 0; i < p->npoints; i++) tmax = fmax(tmax, tu_val(p, i, c));
    print_message("max T error %.3g of (tc - Ta) at t=%g, T up to %.1f K\n", err, where, tmax);
    tu_ge(tmax, 900, "the pulse drives the device through its thermal runaway");
    tu_le(err, 0.01, "T error against RK45");
    tu_free(r);
}

/* DC current sweep: the first (thermal, Poole-Frenkel) NDR sets in at a
 * moderate temperature rise (a local maximum of v at T - Ta < 150 K); the
 * steepest negative relative slope d ln v / d ln i of the core lies at
 * the Mott transition (tc - 5 dtc .. tc + 2 dtc), the second NDR */
static void test_level2_iv(void **state)
{
    (void)state;
    TuRun *r = tu_run("iv\nI1 0 a 0\nYMOTT m1 a 0 mm\n.model mm mott level=2 rser=0\n.dc I1 1u 2m 1u\n.end\n");
    const MemPlot *p = tu_plot_named(r, "DC");
    int cv = tu_col(p, "v(a)"), ct = tu_col(p, "temp(ymott!m1)");
    double vmax = 0, tpk = 0, slope_min = 0, tslope = 0;
    for (int k = 0; k < p->npoints; k++) {
        double v = tu_val(p, k, cv);
        if (v > vmax) vmax = v, tpk = tu_val(p, k, ct);
        if (k > 0) {
            double s = log(v / tu_val(p, k - 1, cv)) / log(tu_val(p, k, 0) / tu_val(p, k - 1, 0));
            if (tu_val(p, k, 0) > 1e-4 && s < slope_min) slope_min = s, tslope = tu_val(p, k, ct);
        }
    }
    print_message("first NDR: peak %.4f V at T = %.1f K; steepest d ln v/d ln i %.3f at T = %.1f K\n", vmax, tpk,
                  slope_min, tslope);
    tu_le(tpk - 300.15, 150, "thermal NDR at a moderate temperature rise");
    tu_ge(tpk - 300.15, 20, "... but a rise");
    tu_ge(tslope, 1081 - 50, "steepest NDR at the Mott transition");
    tu_le(tslope, 1081 + 20, "steepest NDR at the Mott transition");
    tu_free(r);
}

/* Relaxation oscillator (Kumar 2017's circuit): 3 V through 5 kohm, 100 pF
 * across the device: it oscillates (temperature swinging through the
 * transition) with the temperature bounded by the series resistance */
static void test_level2_oscillator(void **state)
{
    (void)state;
    TuRun *r = tu_run("osc\nV1 in 0 PULSE(0 3 0 10n)\nRs in a 5k\nCp a 0 100p\nYMOTT m1 a 0 mm\n"
                      ".model mm mott level=2\n.tran 1n 4u\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    int ct = tu_col(p, "temp(ymott!m1)");
    int n = 0, above = 0;
    double tmax = 0;
    for (int k = 0; k < p->npoints; k++) {
        double t = tu_val(p, k, ct);
        tmax = fmax(tmax, t);
        if (!above && t > 1000) n++, above = 1;
        if (above && t < 800) above = 0;
    }
    print_message("%d oscillations in 4 us, T up to %.0f K\n", n, tmax);
    tu_ge(n, 5, "self-oscillation");
    tu_le(tmax, 2000, "temperature bounded");
    tu_free(r);
}

/* Thermal noise (noise=1): at zero bias the device is a thermal RC driven
 * by the fluctuation-dissipation heat noise, so T fluctuates with the
 * equipartition variance k T^2/cth (1.244e-3 K^2 here) whatever rth is.
 * Sampled every 0.05 ns over 10 us (~3300 thermal time constants: the
 * estimate's standard error is ~2.5%), within 8%. The same seed gives the
 * same waveform, another seed another one; noise=0 none. */
static double noise_run(const char *opts, int seed, double *var)
{
    char *net = xasprintf("noise\nV1 a 0 0\nYMOTT m1 a 0 mm\n.model mm mott level=2 %s\n.options seed=%d\n"
                          ".tran 0.05n 10u\n.end\n",
                          opts, seed);
    TuRun *r = tu_run(net);
    free(net);
    const MemPlot *p = tu_plot_named(r, "Transient");
    int c = tu_col(p, "temp(ymott!m1)");
    double s1 = 0, s2 = 0;
    int n = 0;
    for (double t = 20e-9; t < 10e-6; t += 0.05e-9, n++) {
        double x = tu_interp(p, c, t) - 300.15;
        s1 += x;
        s2 += x * x;
    }
    double at1 = tu_interp(p, c, 1e-6);
    *var = s2 / n - (s1 / n) * (s1 / n);
    tu_free(r);
    return at1;
}

static void test_level2_noise(void **state)
{
    (void)state;
    double v1, v2, v3, v0;
    double a = noise_run("noise=1", 7, &v1), b = noise_run("noise=1", 7, &v2), c = noise_run("noise=1", 8, &v3);
    double want = 1.380649e-23 * 300.15 * 300.15 / 1e-15;
    print_message("Var(T) %.4g K^2 (equipartition %.4g), seed 8: %.4g; T(1 us) %.6f / %.6f / %.6f K\n", v1, want, v3,
                  a, b, c);
    tu_close(v1, want, 0.08, 0, "equipartition variance k T^2/cth");
    tu_close(v3, want, 0.08, 0, "... with another seed too");
    tu_close(a, b, 0, 0, "the same seed: the same waveform");
    tu_ge(fabs(a - c), 1e-6, "another seed: another waveform");
    noise_run("noise=0", 7, &v0);
    tu_le(v0, 1e-20, "noise=0: none");
}

static void test_errors(void **state)
{
    (void)state;
    struct {
        const char *card, *msg;
    } bad[] = {
        {"level=1 rho_met=1 rho_ins=0.1", "rho_met=1 must not exceed rho_ins=0.1"},
        {"level=1 tc=250", "tc=250 K must be above the ambient"},
        {"level=1 wo=2", "wo=2 is outside [0, 1]"},
        {"level=1 dh=0 cp=0", "no heat capacity"},
        {"level=1 rch=0", "rch"},
        {"level=2 d=0", "'d'"},
        {"level=2 tmax=200", "tmax=200 K must be above the ambient"},
        {"level=4", "level"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char *net = xasprintf("bad\nV1 a 0 1\nYMOTT m1 a 0 mm\n.model mm mott %s\n.tran 1n 10n\n.end\n", bad[k].card);
        tu_expect_error(net, bad[k].msg);
        free(net);
    }
    tu_expect_error("bad\nV1 a 0 1\nYMOTT m1 a 0 th mm\n.model mm mott level=1\n.tran 1n 10n\n.end\n",
                    "unexpected 'th' (model 'mm', mott level 1, has no optional terminals)");
    tu_expect_error("bad\nV1 a 0 1\nYMOTT m1 a 0 th th2 mm\n.model mm mott level=2\n.tran 1n 10n\n.end\n",
                    "unexpected 'th2' (at most 1 optional terminal");
    tu_expect_error("bad\nV1 a 0 1\nYVO2 m1 a 0 mm\n.model mm mott level=2\n.tran 1n 10n\n.end\n", "mott");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_level1_vs_rk45), cmocka_unit_test(test_level1_iv),
        cmocka_unit_test(test_level1_overdrive), cmocka_unit_test(test_level2_op),
        cmocka_unit_test(test_level2_vs_rk45),  cmocka_unit_test(test_level2_iv),
        cmocka_unit_test(test_level2_oscillator), cmocka_unit_test(test_level2_noise),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
