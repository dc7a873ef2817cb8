/* Switches S (voltage-controlled, .model sw) and W (current-controlled,
 * .model csw): resistances, on/off initial states, hysteresis in .dc
 * sweeps up and down (also negative hysteresis), switching times of a
 * transient against the analytic crossing times, the state memory across
 * rejected time steps, a relaxation oscillator against the RC formula, and
 * W controlled by the branch currents of V, E, H and B elements and of an
 * inductor; Xyce's smooth VSWITCH/ISWITCH against their closed form. Comparisons with ngspice are skipped when it is not on PATH.
 *
 * A switch is an exact two-valued conductance, so every level is checked
 * to round-off (1e-9 relative); switching times are quantised by the time
 * step and are checked against bounds derived from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "output/raw_read.h"
#include "testutil.h"

/* v(out) of a 1 V source through 1k into a switch to ground */
static double divider(double rsw)
{
    return rsw / (1e3 + rsw);
}

#define LEVEL_TOL 1e-9   /* relative: a linear divider solved once */

/* ------------------------------------------------------------ DC levels */

/* control far above and far below the band: ron and roff; the defaults
 * ron = 1 ohm and roff = 1/gmin (1e12 ohm, or 1e9 ohm with gmin = 1e-9) */
static void test_resistances(void **state)
{
    (void)state;
    TuRun *r = tu_run("levels\nVa a 0 1\nVhi hi 0 5\nVlo lo 0 -5\n"
                      "R1 a o1 1k\nS1 o1 0 hi 0 sm\n"
                      "R2 a o2 1k\nS2 o2 0 lo 0 sm\n"
                      "R3 a o3 1k\nS3 o3 0 hi 0 sd\n"
                      "R4 a o4 1k\nS4 o4 0 lo 0 sd\n"
                      ".model sm sw vt=1 vh=0.5 ron=10 roff=1meg\n.model sd sw\n.op\n.end\n");
    tu_close(tu_op(r, "v(o1)"), divider(10), LEVEL_TOL, 0, "closed: ron = 10");
    tu_close(tu_op(r, "v(o2)"), divider(1e6), LEVEL_TOL, 0, "open: roff = 1meg");
    tu_close(tu_op(r, "v(o3)"), divider(1), LEVEL_TOL, 0, "default ron = 1 ohm");
    tu_close(tu_op(r, "v(o4)"), divider(1e12), LEVEL_TOL, 0, "default roff = 1/gmin = 1e12 ohm");
    tu_free(r);
    r = tu_run("gmin\n.options gmin=1e-9\nVa a 0 1\nVlo lo 0 -5\nR4 a o4 1k\nS4 o4 0 lo 0 sd\n.model sd sw\n.op\n.end\n");
    tu_close(tu_op(r, "v(o4)"), divider(1e9), LEVEL_TOL, 0, "default roff = 1/gmin with gmin = 1e-9");
    tu_free(r);
}

/* control inside the band: the state given on the line (default off), for
 * positive and for negative hysteresis. ngspice agrees for vh > 0; for
 * vh < 0 it closes the switch whatever the flag (its "previous state" is a
 * zeroed, never written history slot), see docs/devices/switch.md. */
static void test_initial_state_in_band(void **state)
{
    (void)state;
    TuRun *r = tu_run("band\nVa a 0 1\nVc c 0 2.5\n"
                      "R1 a o1 1k\nS1 o1 0 c 0 sm\n"
                      "R2 a o2 1k\nS2 o2 0 c 0 sm on\n"
                      "R3 a o3 1k\nS3 o3 0 c 0 sm off\n"
                      "R4 a o4 1k\nS4 o4 0 c 0 sn\n"
                      "R5 a o5 1k\nS5 o5 0 c 0 sn on\n"
                      ".model sm sw vt=2.5 vh=0.5 ron=10 roff=1meg\n"
                      ".model sn sw vt=2.5 vh=-0.5 ron=10 roff=1meg\n.op\n.end\n");
    tu_close(tu_op(r, "v(o1)"), divider(1e6), LEVEL_TOL, 0, "in the band, no flag: open");
    tu_close(tu_op(r, "v(o2)"), divider(10), LEVEL_TOL, 0, "in the band, on: closed");
    tu_close(tu_op(r, "v(o3)"), divider(1e6), LEVEL_TOL, 0, "in the band, off: open");
    tu_close(tu_op(r, "v(o4)"), divider(1e6), LEVEL_TOL, 0, "negative vh, in the band, no flag: open");
    tu_close(tu_op(r, "v(o5)"), divider(10), LEVEL_TOL, 0, "negative vh, in the band, on: closed");
    tu_free(r);
}

/* ------------------------------------------------------------ DC sweeps */

#define SWEEP_CKT "Vc c 0 0\nVa a 0 1\nR1 a out 1k\nS1 out 0 c 0 sm\n"

/* first sweep point (control value) at which v(out) says closed/open
 * differently from the point before; -1 if none */
static double dc_switch_point(const MemPlot *p, int col)
{
    for (int k = 1; k < p->npoints; k++)
        if ((tu_val(p, k, col) < 0.5) != (tu_val(p, k - 1, col) < 0.5)) return tu_val(p, k, 0);
    return -1;
}

/* every point of a memspice sweep equals ngspice's (the same exact
 * divider levels, so to round-off) */
static void same_as_ngspice(const MemPlot *m, const char *ng_netlist)
{
    RawFile *ng = tu_ngspice(ng_netlist);
    if (!ng) return;
    const MemPlot *n = tu_raw_plot(ng, "DC");
    int cm = tu_col(m, "v(out)"), cn = tu_col(n, "v(out)");
    assert_int_equal(m->npoints, n->npoints);
    for (int k = 0; k < n->npoints; k++) {
        tu_close(tu_val(m, k, 0), tu_val(n, k, 0), 1e-12, 1e-12, "sweep value against ngspice");
        tu_close(tu_val(m, k, cm), tu_val(n, k, cn), 1e-6, 0, "v(out) against ngspice");
    }
    raw_free(ng);
}

/* vt = 2.5, vh = 0.5: closes above 3.0 on the way up, opens below 2.0 on
 * the way down; at exactly 3.0 (2.0) it keeps its state, the comparisons
 * being strict in ngspice too. The second .dc starts from the first's
 * last state (closed), as does ngspice's when the first point is outside
 * the band. */
static void test_dc_hysteresis_up_down(void **state)
{
    (void)state;
    const char *model = ".model sm sw vt=2.5 vh=0.5 ron=10 roff=1meg\n";
    char net[1024];
    snprintf(net, sizeof net, "sweeps\n" SWEEP_CKT "%s.dc Vc 0 5 0.25\n.dc Vc 5 0 -0.25\n.end\n", model);
    TuRun *r = tu_run(net);
    const MemPlot *up = tu_plot(r, 0), *down = tu_plot(r, 1);
    int cu = tu_col(up, "v(out)"), cd = tu_col(down, "v(out)");
    tu_close(dc_switch_point(up, cu), 3.25, 0, 1e-12, "up: first closed point (just above vt+vh)");
    tu_close(dc_switch_point(down, cd), 1.75, 0, 1e-12, "down: first open point (just below vt-vh)");
    for (int k = 0; k < up->npoints; k++) {
        double v = tu_val(up, k, 0);
        tu_close(tu_val(up, k, cu), divider(v > 3.0 ? 10 : 1e6), LEVEL_TOL, 0, "up sweep level");
    }
    for (int k = 0; k < down->npoints; k++) {
        double v = tu_val(down, k, 0);
        tu_close(tu_val(down, k, cd), divider(v < 2.0 ? 1e6 : 10), LEVEL_TOL, 0, "down sweep level");
    }
    snprintf(net, sizeof net, "up\n" SWEEP_CKT "%s.dc Vc 0 5 0.25\n.end\n", model);
    same_as_ngspice(up, net);
    snprintf(net, sizeof net, "down\n" SWEEP_CKT "%s.dc Vc 5 0 -0.25\n.end\n", model);
    same_as_ngspice(down, net);
    tu_free(r);
}

/* vh = -0.5: the switch changes state on entering the band, closing at
 * 2.0 on the way up and opening at 3.0 on the way down (ngspice's
 * behaviour; the band is entered at its edge, where the comparisons are
 * strict) */
static void test_dc_negative_hysteresis(void **state)
{
    (void)state;
    const char *model = ".model sm sw vt=2.5 vh=-0.5 ron=10 roff=1meg\n";
    char net[1024];
    snprintf(net, sizeof net, "neg\n" SWEEP_CKT "%s.dc Vc 0 5 0.25\n.dc Vc 5 0 -0.25\n.end\n", model);
    TuRun *r = tu_run(net);
    const MemPlot *up = tu_plot(r, 0), *down = tu_plot(r, 1);
    tu_close(dc_switch_point(up, tu_col(up, "v(out)")), 2.0, 0, 1e-12, "up: closes entering the band");
    tu_close(dc_switch_point(down, tu_col(down, "v(out)")), 3.0, 0, 1e-12, "down: opens entering the band");
    snprintf(net, sizeof net, "up\n" SWEEP_CKT "%s.dc Vc 0 5 0.25\n.end\n", model);
    same_as_ngspice(up, net);
    snprintf(net, sizeof net, "down\n" SWEEP_CKT "%s.dc Vc 5 0 -0.25\n.end\n", model);
    same_as_ngspice(down, net);
    tu_free(r);
}

/* ------------------------------------------------------------ transient */

/* times where column `col` changes between closed (< 0.5) and open */
static int switch_times(const MemPlot *p, int col, double *t, int max)
{
    int n = 0;
    for (int k = 1; k < p->npoints && n < max; k++)
        if ((tu_val(p, k, col) < 0.5) != (tu_val(p, k - 1, col) < 0.5)) t[n++] = tu_val(p, k, 0);
    return n;
}

static double max_step(const MemPlot *p)
{
    double h = 0;
    for (int k = 1; k < p->npoints; k++) h = fmax(h, tu_val(p, k, 0) - tu_val(p, k - 1, 0));
    return h;
}

/* triangle 0 -> 5 V -> 0 over 2 ms: crosses vt+vh = 3 V rising at 0.6 ms
 * and vt-vh = 2 V falling at 1.6 ms. The switch acts at the first time
 * point past the crossing: within one step (h <= tmax = 10 us) after it.
 * The levels in between are exact. */
static const char *pwl_net = "pwl\nVc c 0 PWL(0 0 1m 5 2m 0)\nVa a 0 1\nR1 a out 1k\nS1 out 0 c 0 sm\n"
                             ".model sm sw vt=2.5 vh=0.5 ron=10 roff=1meg\n.tran 10u 2m\n.end\n";

static void test_tran_pwl_crossings(void **state)
{
    (void)state;
    TuRun *r = tu_run(pwl_net);
    const MemPlot *p = tu_plot_named(r, "Transient");
    int co = tu_col(p, "v(out)"), cc = tu_col(p, "v(c)");
    double t[4], h = max_step(p);
    tu_le(h, 10e-6 * (1 + 1e-9), "largest step (tmax = tstep)");
    assert_int_equal(switch_times(p, co, t, 4), 2);
    tu_ge(t[0], 0.6e-3, "closes after the rising crossing of 3 V");
    tu_le(t[0], 0.6e-3 + h, "closes within one step of 0.6 ms");
    tu_ge(t[1], 1.6e-3, "opens after the falling crossing of 2 V");
    tu_le(t[1], 1.6e-3 + h, "opens within one step of 1.6 ms");
    print_message("switch times: %.6g s (exact 0.6 ms), %.6g s (exact 1.6 ms), step %.3g s\n", t[0], t[1], h);
    /* every level against the hysteresis applied to the control values */
    int closed = 0;
    for (int k = 0; k < p->npoints; k++) {
        double x = tu_val(p, k, cc);
        if (x > 3.0) closed = 1;
        else if (x < 2.0) closed = 0;
        tu_close(tu_val(p, k, co), divider(closed ? 10 : 1e6), LEVEL_TOL, 0, "v(out) level");
    }
    RawFile *ng = tu_ngspice(pwl_net);
    if (ng) {
        const MemPlot *n = tu_raw_plot(ng, "Transient");
        double tn[4];
        assert_int_equal(switch_times(n, tu_col(n, "v(out)"), tn, 4), 2);
        print_message("ngspice switch times: %.6g s, %.6g s\n", tn[0], tn[1]);
        /* both within one step of the crossing (ngspice's steps are tmax too) */
        tu_close(t[0], tn[0], 0, h, "closing time against ngspice");
        tu_close(t[1], tn[1], 0, h, "opening time against ngspice");
        raw_free(ng);
    }
    tu_free(r);
}

/* The state is committed only for accepted time points: a time step in
 * which the switch flipped but that the truncation-error control then
 * rejected must not leave the switch flipped for the retry. The control
 * here is an RC-filtered triangle that does not depend on the switches,
 * so the state at every accepted point must be the hysteresis automaton
 * run over the accepted control values. S1 switches a capacitor (its
 * current jump gets steps rejected at the flips: 31 rejections with these
 * tight tolerances; a switch that kept the rejected attempts' state fails
 * this at 19 points); S2, with the same control, shows the state in a
 * plain divider. */
static void test_tran_rejected_steps_leave_state(void **state)
{
    (void)state;
    TuRun *r = tu_run("rejections\n.options reltol=1e-5 trtol=1\n"
                      "Vin in 0 PWL(0 0 1m 5 2m 0 3m 5 4m 0)\nRf in c 1k\nCf c 0 100n\n"
                      "Va a 0 1\nR1 a o1 1k\nC1 o1 0 1u\nS1 o1 0 c 0 sm\nR2 a out 1k\nS2 out 0 c 0 sm\n"
                      ".model sm sw vt=2.5 vh=0.5 ron=10 roff=1meg\n.tran 10u 4m\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    int co = tu_col(p, "v(out)"), cc = tu_col(p, "v(c)");
    int closed = 0, flips = 0;
    for (int k = 0; k < p->npoints; k++) {
        double x = tu_val(p, k, cc);
        int was = closed;
        if (x > 3.0) closed = 1;
        else if (x < 2.0) closed = 0;
        flips += was != closed;
        if ((tu_val(p, k, co) < 0.5) != closed)
            fail_msg("t=%.9g s: control %.6g V, the switch is %s, the hysteresis says %s", tu_val(p, k, 0), x,
                     closed ? "open" : "closed", closed ? "closed" : "open");
    }
    assert_int_equal(flips, 4);
    tu_free(r);
}

/* ------------------------------------------------- relaxation oscillator */

/* C charged from V through R; a switch across C, controlled by v(C),
 * closes above vhi = vt+vh and opens below vlo = vt-vh: the threshold
 * "neuron". With roff (default 1e12) and ron in the Thevenin sources
 *   charge:    v1 = V roff/(R+roff),  r1 = R||roff
 *   discharge: v2 = V ron/(R+ron),    r2 = R||ron
 *   T = r1 C ln((v1 - vlo)/(v1 - vhi)) + r2 C ln((vhi - v2)/(vlo - v2)).
 * Error bound from the step control: every step is tmax = h here (the
 * truncation error never asks for less). An event is acted on at the
 * first time point past the crossing and the trapezoidal step across it
 * mixes the old and the new current: this moves the event by at most h in
 * time and the voltage it starts the next phase from by at most h times
 * the slope of the phase that ends; that voltage is made up at the slope
 * of the next phase. Per period (plus h for reading the period off the
 * time points):
 *   |dT| <= h (2 + s_charge(vhi)/|s_dis(vhi)| + |s_dis(vlo)|/s_charge(vlo)). */
#define OSC_R 10e3
#define OSC_C 100e-9
#define OSC_RON 1e3
#define OSC_V 5.0
#define OSC_VLO 1.5
#define OSC_VHI 3.5
static const char *osc_net = "relaxation oscillator\nV1 vdd 0 5\nR1 vdd c 10k\nC1 c 0 100n ic=0\n"
                             "S1 c 0 c 0 sm\n.model sm sw vt=2.5 vh=1 ron=1k\n.tran 1u 10m uic\n.end\n";

/* mean period between the switch-closing events (v(c) maxima) after the
 * first one (which starts from 0 V, not from vlo) */
static double osc_period(const MemPlot *p, int *nper)
{
    int cc = tu_col(p, "v(c)");
    double first = -1, last = -1;
    int n = 0;
    for (int k = 1; k + 1 < p->npoints; k++) {
        double a = tu_val(p, k - 1, cc), b = tu_val(p, k, cc), c = tu_val(p, k + 1, cc);
        if (b > a && c < b) {
            if (n == 1) first = tu_val(p, k, 0);
            last = tu_val(p, k, 0);
            n++;
        }
    }
    *nper = n - 2;
    if (n < 3) fail_msg("the oscillator switched %d times", n);
    return (last - first) / (n - 2);
}

static void test_relaxation_oscillator(void **state)
{
    (void)state;
    double roff = 1e12, r1 = OSC_R * roff / (OSC_R + roff), v1 = OSC_V * roff / (OSC_R + roff);
    double r2 = OSC_R * OSC_RON / (OSC_R + OSC_RON), v2 = OSC_V * OSC_RON / (OSC_R + OSC_RON);
    double T = r1 * OSC_C * log((v1 - OSC_VLO) / (v1 - OSC_VHI)) + r2 * OSC_C * log((OSC_VHI - v2) / (OSC_VLO - v2));
    double sc_hi = (v1 - OSC_VHI) / (r1 * OSC_C), sc_lo = (v1 - OSC_VLO) / (r1 * OSC_C);
    double sd_hi = (OSC_VHI - v2) / (r2 * OSC_C), sd_lo = (OSC_VLO - v2) / (r2 * OSC_C);
    TuRun *r = tu_run(osc_net);
    const MemPlot *p = tu_plot_named(r, "Transient");
    double h = max_step(p);
    tu_le(h, 1e-6 * (1 + 1e-9), "largest step (tmax = tstep)");
    double bound = h * (2 + sc_hi / sd_hi + sd_lo / sc_lo);
    int nper;
    double Tm = osc_period(p, &nper);
    print_message("period: memspice %.7g s over %d periods, analytic %.7g s, error %.3g (bound %.3g)\n", Tm, nper,
                  T, (Tm - T) / T, bound / T);
    assert_true(nper >= 8);
    tu_close(Tm, T, 0, bound, "period against the RC formula");
    /* the levels it swings between: never above vhi while open... */
    int cc = tu_col(p, "v(c)");
    double vmax = 0;
    for (int k = 0; k < p->npoints; k++) vmax = fmax(vmax, tu_val(p, k, cc));
    tu_le(vmax, OSC_VHI + h * sc_hi, "largest v(c): vhi plus one step of charging");
    RawFile *ng = tu_ngspice(osc_net);
    if (ng) {
        int nn;
        double Tn = osc_period(tu_raw_plot(ng, "Transient"), &nn);
        print_message("period: ngspice %.7g s, error %.3g; memspice - ngspice %.3g s\n", Tn, (Tn - T) / T, Tm - Tn);
        tu_close(Tn, T, 0, bound, "ngspice's period against the RC formula (same bound, same tmax)");
        tu_close(Tm, Tn, 0, 2 * bound, "period against ngspice");
        raw_free(ng);
    }
    tu_free(r);
}

/* ------------------------------------------------------------ W */

/* current source 0 -> 3 mA -> 0 through the sensing source Vs: W closes
 * above it+ih = 1.25 mA and opens below it-ih = 0.85 mA (off the 0.1 mA
 * grid, whose points are not exact binary numbers). The current is
 * positive from Vs's n+ through it to n-. */
#define W_CKT "I1 0 s 0\nVs s 0 0\nVa a 0 1\nR1 a out 1k\nW1 out 0 Vs wm\n"
#define W_MODEL ".model wm csw it=1.05m ih=0.2m ron=10 roff=1meg\n"

static void test_w_vsource_current(void **state)
{
    (void)state;
    TuRun *r = tu_run("w\n" W_CKT W_MODEL ".dc I1 0 3m 0.1m\n.dc I1 3m 0 -0.1m\n.end\n");
    const MemPlot *up = tu_plot(r, 0), *down = tu_plot(r, 1);
    tu_close(dc_switch_point(up, tu_col(up, "v(out)")), 1.3e-3, 0, 1e-12, "up: closes above 1.25 mA");
    tu_close(dc_switch_point(down, tu_col(down, "v(out)")), 0.8e-3, 0, 1e-12, "down: opens below 0.85 mA");
    same_as_ngspice(up, "up\n" W_CKT W_MODEL ".dc I1 0 3m 0.1m\n.end\n");
    same_as_ngspice(down, "down\n" W_CKT W_MODEL ".dc I1 3m 0 -0.1m\n.end\n");
    tu_free(r);
    /* transient: a triangle of current 0 -> 3 mA -> 0 over 2 ms, crossing
     * 1.25 mA rising at 1.25/3 ms and 0.85 mA falling at 1 ms + 2.15/3 ms */
    r = tu_run("w tran\nI1 0 s PWL(0 0 1m 3m 2m 0)\nVs s 0 0\nVa a 0 1\nR1 a out 1k\nW1 out 0 Vs wm\n" W_MODEL
               ".tran 10u 2m\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    double t[4], h = max_step(p);
    assert_int_equal(switch_times(p, tu_col(p, "v(out)"), t, 4), 2);
    tu_close(t[0], 1.25 / 3 * 1e-3 + h / 2, 0, h / 2 * (1 + 1e-6), "closes within one step after 0.4167 ms");
    tu_close(t[1], (1 + 2.15 / 3) * 1e-3 + h / 2, 0, h / 2 * (1 + 1e-6), "opens within one step after 1.7167 ms");
    tu_free(r);
}

/* W reading the branch current of an inductor, an H, an E and a B V=
 * source (the op values agree with ngspice for E, H and B; ngspice 39 does
 * not accept an inductor as the controlling element) */
static void test_w_other_branches(void **state)
{
    (void)state;
    TuRun *r = tu_run("w refs\nVa a 0 1\n"
                      "I1 0 l 2m\nL1 l 0 1u\nR1 a o1 1k\nW1 o1 0 L1 wm\n"
                      "Vx b 0 1\nRb b 0 500\nH1 h 0 Vx -1\nRh h 0 1\nR2 a o2 1k\nW2 o2 0 H1 wm\n"
                      "E1 e 0 0 b 1\nRe e 0 250\nR3 a o3 1k\nW3 o3 0 E1 wm\n"
                      "B1 bb 0 V=-2\nRbb bb 0 1k\nR4 a o4 1k\nW4 o4 0 B1 wm\n"
                      ".model wm csw it=1m ih=0.5m ron=10 roff=1meg\n.op\n.end\n");
    /* i(L1) = 2 mA > 1.5 mA: closed. i(Vx) = -2 mA, v(h) = -1 ohm * i(Vx)
     * = 2 mV drives 2 mA out of H1's n+ into Rh: i(H1) = -2 mA < 0.5 mA:
     * open. v(e) = -v(b) = -1 V: 4 mA flows into E1's n+ from Re:
     * i(E1) = 4 mA: closed. v(bb) = -2 V: i(B1) = 2 mA: closed. */
    tu_close(tu_op(r, "i(l1)"), 2e-3, 1e-9, 0, "i(l1)");
    tu_close(tu_op(r, "i(h1)"), -2e-3, 1e-9, 0, "i(h1)");
    tu_close(tu_op(r, "i(e1)"), 4e-3, 1e-9, 0, "i(e1)");
    tu_close(tu_op(r, "v(o1)"), divider(10), LEVEL_TOL, 0, "W on an inductor's current: closed");
    tu_close(tu_op(r, "v(o2)"), divider(1e6), LEVEL_TOL, 0, "W on an H's current: open");
    tu_close(tu_op(r, "v(o3)"), divider(10), LEVEL_TOL, 0, "W on an E's current: closed");
    tu_close(tu_op(r, "i(b1)"), 2e-3, 1e-9, 0, "i(b1)");
    tu_close(tu_op(r, "v(o4)"), divider(10), LEVEL_TOL, 0, "W on a B V= source's current: closed");
    tu_free(r);
}

/* ------------------------------------------------------------ smooth (Xyce VSWITCH / ISWITCH) */

/* Xyce's smooth switch resistance for control x (docs/devices/switch.md),
 * written out independently of the device code */
static double xyce_r(double x, double on, double off, double ron, double roff)
{
    double s = (x - off) / (on - off);
    if (s >= 1) return ron;
    if (s <= 0) return roff;
    double u = 2 * s - 1, lm = log(sqrt(ron * roff)), lr = log(ron / roff);
    return exp(lm + 0.75 * lr * u - 0.25 * lr * u * u * u);
}

/* a .dc sweep of the control through and beyond the band [voff, von]:
 * every point the divider with the closed-form resistance, to round-off;
 * the same with the band reversed (von < voff: closes as x falls) and for
 * W with an ISWITCH model reading a 0 V ammeter */
static void test_smooth_vswitch_iswitch(void **state)
{
    (void)state;
    TuRun *r = tu_run("smooth\nVc c 0 0\nVa a 0 1\nR1 a o1 1k\nS1 o1 0 c 0 sm\nR2 a o2 1k\nS2 o2 0 c 0 sr\n"
                      ".model sm vswitch von=1 voff=0.2 ron=10 roff=1e5\n"
                      ".model sr vswitch von=0.2 voff=1\n"
                      ".dc Vc -0.5 1.5 0.01\n.end\n");
    const MemPlot *p = tu_plot(r, 0);
    int c1 = tu_col(p, "v(o1)"), c2 = tu_col(p, "v(o2)");
    assert_int_equal(p->npoints, 201);
    for (int k = 0; k < p->npoints; k++) {
        double x = tu_val(p, k, 0);
        tu_close(tu_val(p, k, c1), divider(xyce_r(x, 1, 0.2, 10, 1e5)), LEVEL_TOL, 0, "vswitch");
        tu_close(tu_val(p, k, c2), divider(xyce_r(x, 0.2, 1, 1, 1e6)), LEVEL_TOL, 0, "vswitch, von < voff, defaults");
    }
    /* the ends: ron and roff exactly; the middle: sqrt(ron roff) */
    tu_close(tu_interp(p, c1, 1.2), divider(10), LEVEL_TOL, 0, "above von: ron");
    tu_close(tu_interp(p, c1, 0.0), divider(1e5), LEVEL_TOL, 0, "below voff: roff");
    tu_close(tu_interp(p, c1, 0.6), divider(1e3), LEVEL_TOL, 0, "mid-band: sqrt(ron roff)");
    tu_free(r);

    r = tu_run("smooth w\nI1 0 s 0\nVs s 0 0\nVa a 0 1\nR1 a out 1k\nW1 out 0 Vs wm\n"
               ".model wm iswitch ion=2m ioff=0.5m ron=5 roff=1meg\n.dc I1 0 3m 0.05m\n.end\n");
    p = tu_plot(r, 0);
    int co = tu_col(p, "v(out)");
    for (int k = 0; k < p->npoints; k++) {
        double x = tu_val(p, k, 0);
        tu_close(tu_val(p, k, co), divider(xyce_r(x, 2e-3, 0.5e-3, 5, 1e6)), LEVEL_TOL, 0, "iswitch");
    }
    tu_free(r);
}

/* a switch controlled by its own voltage: Newton needs the Jacobian's
 * entries towards the control; along a ramp through the band every
 * accepted point agrees with the closed form */
static void test_smooth_self_controlled(void **state)
{
    (void)state;
    TuRun *r = tu_run("self\nV1 a 0 PWL(0 0 1m 2)\nR1 a o 1k\nS1 o 0 o 0 sm\n"
                      ".model sm vswitch von=1 voff=0.5 ron=100 roff=10k\n.tran 1u 1m\n.end\n");
    const MemPlot *p = tu_plot_named(r, "Transient");
    int ca = tu_col(p, "v(a)"), co = tu_col(p, "v(o)");
    for (int k = 0; k < p->npoints; k++) {
        /* KCL at o: (v(a) - v(o))/1k = v(o)/R(v(o)), solved here by
         * bisection (the left side falls and the right rises in v(o)) */
        double va = tu_val(p, k, ca), lo = 0, hi = va;
        for (int it = 0; it < 200; it++) {
            double m = 0.5 * (lo + hi);
            if ((va - m) / 1e3 > m / xyce_r(m, 1, 0.5, 100, 1e4)) lo = m;
            else hi = m;
        }
        /* Newton's voltage tolerance (vntol 1e-6 V + reltol 1e-3) bounds
         * the last update; the error after it is far smaller */
        tu_close(tu_val(p, k, co), 0.5 * (lo + hi), 0, 1e-6, "v(o) against the bisected KCL solution");
    }
    tu_free(r);
}

/* ------------------------------------------------------------ errors */

static void expect_error(const char *net, const char *what)
{
    TuRun *r = tu_run_any(net);
    assert_int_equal(r->rc, 1);
    if (!strstr(r->log, what)) fail_msg("expected '%s' in:\n%s", what, r->log);
    tu_free(r);
}

/* the same cases as tests/bad/{switch,cswitch}_*.cir, through the library */
static void test_errors(void **state)
{
    (void)state;
    expect_error("e\nVc c 0 1\nS1 a 0 c 0\nR1 a 0 1k\n.op\n.end\n", "test.cir:3:1: error: s1: a model name is required");
    expect_error("e\nVc c 0 1\nS1 a 0 c 0 wm\nR1 a 0 1k\n.model wm csw\n.op\n.end\n",
                 "s1: model 'wm' is for cswitch devices");
    expect_error("e\nVc c 0 1\nR0 c 0 1k\nW1 a 0 R0 wm\nR1 a 0 1k\n.model wm csw\n.op\n.end\n",
                 "test.cir:4:1: error: w1: 'r0' is a resistor, which cannot be referenced here");
    expect_error("e\nVc c 0 1\nS1 a 0 c 0 sm on off\nR1 a 0 1k\n.model sm sw\n.op\n.end\n", "'on' and 'off' both given");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resistances),
        cmocka_unit_test(test_initial_state_in_band),
        cmocka_unit_test(test_dc_hysteresis_up_down),
        cmocka_unit_test(test_dc_negative_hysteresis),
        cmocka_unit_test(test_tran_pwl_crossings),
        cmocka_unit_test(test_tran_rejected_steps_leave_state),
        cmocka_unit_test(test_relaxation_oscillator),
        cmocka_unit_test(test_w_vsource_current),
        cmocka_unit_test(test_w_other_branches),
        cmocka_unit_test(test_smooth_vswitch_iswitch),
        cmocka_unit_test(test_smooth_self_controlled),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
