/* examples/stdp (issue 9): the STDP curves of both netlists, run as they
 * are in the repository, have the sign and shape of STDP: potentiation
 * when the post spike follows the pre spike, depression when it precedes
 * it, |dW| not growing with |dt|. And examples/pulse_plasticity: the
 * conductance rises with every positive pulse and falls with every
 * negative one, more for larger and longer pulses. */
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

#include "sim.h"
#include "testutil.h"
#include "util/xmem.h"

enum { MAXPTS = 128 };

/* run examples/stdp/<name>.cir; dt and dw columns of its .meas table */
static int run_example(const char *name, double *dt, double *dw)
{
    char *cir = xasprintf("%s/examples/stdp/%s.cir", MS_SRCDIR, name);
    char *t = tu_meas_table(cir, NULL);
    if (strncmp(t, "dt,i_before,i_after,dw\n", 23)) fail_msg("%s: table header:\n%.200s", name, t);
    int n = 0;
    for (char *p = strchr(t, '\n') + 1; *p && n < MAXPTS; p = strchr(p, '\n') + 1) {
        double v[4];
        char *q = p;
        for (int k = 0; k < 4; k++) {
            if (*q == ',' || *q == '\n') fail_msg("%s: an empty cell (a failed measurement) in row %d", name, n);
            v[k] = strtod(q, &q);
            if (k < 3) q++;
        }
        dt[n] = v[0];
        dw[n] = v[3];
        n++;
    }
    free(t);
    free(cir);
    return n;
}

/* rows sorted by dt (the .step order); zero: |dw| below which a value
 * counts as no change */
static void check_stdp(const char *name, const double *dt, const double *dw, int n, double zero, double peak)
{
    double maxp = 0, maxd = 0;
    for (int k = 0; k < n; k++) {
        if (dt[k] > 0 && !(dw[k] > 0 || fabs(dw[k]) <= zero))
            fail_msg("%s: dt=%g (post after pre) gives dw=%g%%: not potentiation", name, dt[k], dw[k]);
        if (dt[k] < 0 && !(dw[k] < 0 || fabs(dw[k]) <= zero))
            fail_msg("%s: dt=%g (pre after post) gives dw=%g%%: not depression", name, dt[k], dw[k]);
        if (dt[k] > 0) maxp = fmax(maxp, dw[k]);
        if (dt[k] < 0) maxd = fmax(maxd, -dw[k]);
        /* |dw| does not grow as |dt| grows: compare with the neighbour
         * nearer to dt = 0 on the same side */
        if (k > 0 && dt[k] > 0 && dt[k - 1] > 0 && fabs(dw[k]) > fabs(dw[k - 1]) + zero)
            fail_msg("%s: |dw| grows from %g%% at dt=%g to %g%% at dt=%g", name, dw[k - 1], dt[k - 1], dw[k], dt[k]);
        if (k + 1 < n && dt[k] < 0 && dt[k + 1] < 0 && fabs(dw[k]) > fabs(dw[k + 1]) + zero)
            fail_msg("%s: |dw| grows from %g%% at dt=%g to %g%% at dt=%g", name, dw[k + 1], dt[k + 1], dw[k], dt[k]);
    }
    tu_ge(maxp, peak, "largest potentiation (%)");
    tu_ge(maxd, peak, "largest depression (%)");
}

static void test_yakopcic(void **state)
{
    (void)state;
    double dt[MAXPTS], dw[MAXPTS];
    int n = run_example("stdp_yakopcic", dt, dw);
    assert_true(n >= 41);
    /* zero: beyond the 100 us tail nothing moves: dw is 0 up to rounding
     * of the read currents (measured 3e-14 %) */
    check_stdp("stdp_yakopcic", dt, dw, n, 1e-9, 1.0);
    /* and the tail's end: no change at |dt| >= 110 us */
    for (int k = 0; k < n; k++)
        if (fabs(dt[k]) >= 110e-6 && fabs(dw[k]) > 1e-9) fail_msg("dt=%g beyond the tail gives dw=%g%%", dt[k], dw[k]);
}

static void test_kim(void **state)
{
    (void)state;
    double dt[MAXPTS], dw[MAXPTS];
    int n = run_example("stdp_kim", dt, dw);
    assert_true(n >= 41);
    /* zero = 0: every point has the sign of dt (the smallest |dw| is 0.037%) */
    check_stdp("stdp_kim", dt, dw, n, 0, 50.0);
    /* the decay follows the thermal time constant (300 ns): |dw| at 600 ns
     * is below 2% of its value at 60 ns */
    for (int k = 0; k < n; k++)
        if (fabs(fabs(dt[k]) - 600e-9) < 1e-12) tu_le(fabs(dw[k]), 0.02 * 70, "|dw| at |dt| = 600 ns (%)");
}

/* one row per .step value: the value, g00..g40, pot, dep */
static void run_plasticity(const char *name, double g[3][41], double pot[3])
{
    char *cir = xasprintf("%s/examples/pulse_plasticity/%s.cir", MS_SRCDIR, name);
    char *t = tu_meas_table(cir, NULL);
    char *p = strchr(t, '\n') + 1;
    for (int r = 0; r < 3; r++) {
        char *q = p;
        strtod(q, &q);   /* the stepped value */
        for (int k = 0; k < 41; k++) {
            if (q[0] != ',' || q[1] == ',' || q[1] == '\n') fail_msg("%s row %d: g%02d missing", name, r, k);
            g[r][k] = strtod(q + 1, &q);
        }
        pot[r] = strtod(q + 1, &q);
        p = strchr(p, '\n') + 1;
    }
    free(t);
    free(cir);
}

static void test_pulse_plasticity(void **state)
{
    (void)state;
    const char *studies[] = {"pulse_amplitude", "pulse_width"};
    for (int s = 0; s < 2; s++) {
        double g[3][41], pot[3];
        run_plasticity(studies[s], g, pot);
        for (int r = 0; r < 3; r++) {
            for (int k = 1; k <= 40; k++) {
                int up = k <= 20;
                if (up ? !(g[r][k] > g[r][k - 1]) : !(g[r][k] < g[r][k - 1]))
                    fail_msg("%s row %d: G after pulse %d (%g) does not %s from %g", studies[s], r, k, g[r][k],
                             up ? "rise" : "fall", g[r][k - 1]);
            }
            tu_close(pot[r], g[r][20] / g[r][0], 1e-12, 0, "pot = g20/g00");
        }
        /* larger / longer pulses potentiate more (0.4 < 0.5 < 0.6 V; 10 < 20 < 40 us) */
        assert_true(pot[0] < pot[1] && pot[1] < pot[2]);
    }
    /* the earlier version of the example (nine netlists, awk on the CSV)
     * printed G after pulse 1 = 0.00116 S at 0.4 V, 20 us */
    double g[3][41], pot[3];
    run_plasticity("pulse_amplitude", g, pot);
    tu_close(g[0][1], 0.00116, 5e-3, 0, "G after the first 0.4 V pulse (S)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yakopcic),
        cmocka_unit_test(test_kim),
        cmocka_unit_test(test_pulse_plasticity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
