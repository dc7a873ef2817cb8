/* PEM memristor (level 4, Xyce's table-driven model): trajectories
 * against an RK45 integration of the equations with the tables
 * interpolated by the test; the state stays between the tables' ends;
 * table files found relative to the netlist that names them; errors for
 * missing, malformed and non-increasing tables. */
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

/* f+(x) falls from 1 to 0 over [0, 1], f-(x) rises from 0 to 1: motion
 * slows towards the end it moves to */
static const double FP[][2] = {{0, 1}, {0.25, 0.9}, {0.5, 0.6}, {0.75, 0.3}, {1, 0}};
static const double FM[][2] = {{0, 0}, {0.2, 0.3}, {0.5, 0.5}, {1, 1}};

static void write_table(const char *path, const double (*t)[2], int n, const char *sep)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "# x%sf(x)\n", sep);
    for (int k = 0; k < n; k++) fprintf(f, "%.17g%s%.17g\n", t[k][0], sep, t[k][1]);
    fclose(f);
}

typedef struct PemPar {
    double i1, i2, v1, v2, g0, vp, vn, d1, d2, c1, c2;
} PemPar;

/* the tables' linear interpolation, written here */
static double lin(const double (*t)[2], int n, double x)
{
    int k = 0;
    while (k < n - 2 && x >= t[k + 1][0]) k++;
    return t[k][1] + (x - t[k][0]) * (t[k + 1][1] - t[k][1]) / (t[k + 1][0] - t[k][0]);
}

static double pem_current(double v, const double *x, const void *par)
{
    const PemPar *q = par;
    return x[0] * (q->i1 * exp(v / q->v1) - q->i2 * exp(-v / q->v2) + q->g0 * v - (q->i1 - q->i2));
}

static void pem_rates(double v, const double *x, double *dxdt, const void *par)
{
    const PemPar *q = par;
    double g = v >= q->vp ? exp(q->d1 * (v - q->vp)) - 1 : v <= q->vn ? exp(q->d2 * (v - q->vn)) - 1 : 0;
    double f = v >= 0 ? (x[0] > 1 ? 0 : lin(FP, 5, x[0])) : (x[0] < 0 ? 0 : lin(FM, 4, x[0]));
    dxdt[0] = (v >= 0 ? q->c1 : q->c2) * g * f;
}

#define MODEL_PARAMS "i1=85.37e-6 i2=90.16e-6 v1=0.265 v2=0.265 g0=130.72e-6 vp=0.7 vn=-0.7 d1=9.87 d2=4.82 c1=100 c2=100"

/* Through 100 ohm: a 1.2 V, 1 kHz sine and +-1.2 V pulses; the state
 * error <= 1 % of its [0, 1] range at default tolerances (as the other
 * memristor levels). Tables written with commas, then with spaces. */
static void test_trajectories_vs_rk45(void **state)
{
    PemPar q = {85.37e-6, 90.16e-6, 0.265, 0.265, 130.72e-6, 0.7, -0.7, 9.87, 4.82, 100, 100};
    char *fp = tu_tmp_path(state, "fxp.csv"), *fm = tu_tmp_path(state, "fxm.dat");
    MtWave sine = {.kind = 0, .a = 1.2, .f = 1000};
    MtWave pulse = {.kind = 1, .v1 = -1.2, .v2 = 1.2, .td = 0.1e-3, .tr = 1e-6, .tf = 1e-6, .pw = 0.4e-3, .per = 1e-3};
    const MtWave *waves[] = {&sine, &pulse};
    static const char *const col[] = {"x(ymemristor!m1)"};
    for (int wv = 0; wv < 2; wv++) {
        write_table(fp, FP, 5, wv ? " " : ", ");
        write_table(fm, FM, 4, wv ? "\t" : ",");
        char spec[256];
        mt_wave_spec(waves[wv], spec, sizeof spec);
        char *net = xasprintf("pem\nV1 in 0 %s\nRs in a 100\nYMEMRISTOR m1 a 0 mm xo=0.1\n"
                              ".model mm memristor level=4 fxpdata=%s fxmdata='%s'\n+ " MODEL_PARAMS "\n"
                              ".tran 1u 3m 0 1u\n.end\n", spec, fp, fm);
        TuRun *r = tu_run(net);
        const MemPlot *p = tu_plot_named(r, "Transient");
        MtModel m = {1, pem_current, pem_rates, &q, {0}, {1}, {1}};
        double x0 = 0.1, where;
        double err = mt_state_error(p, col, &m, 100, waves[wv], &x0, &where, NULL);
        print_message("%s: max state error %.3g of the range at t=%g\n", wv ? "pulses" : "sine", err, where);
        tu_le(err, 0.01, "state error against RK45");
        mt_check_bounds(p, col[0], 0, 1);
        /* the state went both ways: the comparison covers both tables */
        double lo = 1, hi = 0;
        int c = tu_col(p, col[0]);
        for (int k = 0; k < p->npoints; k++) lo = fmin(lo, tu_val(p, k, c)), hi = fmax(hi, tu_val(p, k, c));
        tu_ge(hi - lo, 0.3, "state swing");
        tu_free(r);
        free(net);
    }
    free(fp);
    free(fm);
}

/* a .model in an included file names its tables relative to that file */
static void test_tables_relative_to_the_file(void **state)
{
    char *fp = tu_tmp_path(state, "p.csv"), *fm = tu_tmp_path(state, "m.csv"), *lib = tu_tmp_path(state, "pem.lib");
    write_table(fp, FP, 5, ",");
    write_table(fm, FM, 4, ",");
    FILE *f = fopen(lib, "w");
    assert_non_null(f);
    fprintf(f, ".model mm memristor level=4 fxpdata=p.csv fxmdata=m.csv " MODEL_PARAMS "\n");
    fclose(f);
    char *net = xasprintf("pem\n.include %s\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm xo=0.5\n.op\n.end\n", lib);
    TuRun *r = tu_run(net);
    PemPar q = {85.37e-6, 90.16e-6, 0.265, 0.265, 130.72e-6, 0.7, -0.7, 9.87, 4.82, 100, 100};
    double x = 0.5;
    tu_close(tu_op(r, "i(ymemristor!m1)"), pem_current(1, &x, &q), 1e-9, 0, "i = x h(v) at the held state");
    tu_free(r);
    free(net), free(fp), free(fm), free(lib);
}

static void test_errors(void **state)
{
    char *good = tu_tmp_path(state, "good.csv"), *bad = tu_tmp_path(state, "bad.csv");
    char *dec = tu_tmp_path(state, "dec.csv"), *three = tu_tmp_path(state, "three.csv");
    write_table(good, FP, 5, ",");
    FILE *f = fopen(bad, "w");
    fprintf(f, "0, 1\n0.5, abc\n");
    fclose(f);
    f = fopen(dec, "w");
    fprintf(f, "0, 1\n0.5, 2\n0.5, 3\n");
    fclose(f);
    f = fopen(three, "w");
    fprintf(f, "0, 1, 2\n1, 2, 3\n");
    fclose(f);
    struct {
        const char *p, *m, *want;
    } cases[] = {
        {good, "/nonexistent/m.csv", "fxmdata: /nonexistent/m.csv: No such file or directory"},
        {bad, good, ":2: expected a number, got 'abc'"},
        {dec, good, "x must increase from row to row (row 3: 0.5 after 0.5)"},
        {three, good, "3 columns; expected two (x, y)"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *net = xasprintf("e\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=4 fxpdata=%s fxmdata=%s\n"
                              ".op\n.end\n", cases[k].p, cases[k].m);
        tu_expect_error(net, cases[k].want);
        free(net);
    }
    char *net = xasprintf("e\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=4 fxpdata=%s\n.op\n.end\n", good);
    tu_expect_error(net, "missing value for parameter 'fxmdata'");
    free(net);
    net = xasprintf("e\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm xo=1.5\n.model mm memristor level=4 fxpdata=%s fxmdata=%s\n"
                    ".op\n.end\n", good, good);
    tu_expect_error(net, "initial state xo=1.5 is outside [0, 1]");
    free(net);
    net = xasprintf("e\nV1 a 0 1\nYMEMRISTOR m1 a 0 mm\n.model mm memristor level=4 fxpdata={1+2} fxmdata=%s\n"
                    ".op\n.end\n", good);
    tu_expect_error(net, "fxpdata= takes a file name");
    free(net);
    free(good), free(bad), free(dec), free(three);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trajectories_vs_rk45),
        cmocka_unit_test(test_tables_relative_to_the_file),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
