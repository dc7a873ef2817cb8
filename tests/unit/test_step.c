/* .step and --param (issue 9).
 *
 * A stepped run must give, point for point, exactly the numbers of a
 * separate run with the values written in (each point is elaborated and
 * simulated on its own: the comparison is bit for bit, tolerance 0), and
 * the same files whatever the number of worker threads (byte for byte,
 * the raw file's date fixed by SOURCE_DATE_EPOCH). */
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
#include "sim.h"
#include "testutil.h"
#include "util/xmem.h"

typedef struct Run {
    Sink *mem;
    int rc;
    char *log;
} Run;

static Run run(const char *text, const ParamOverride *ov, int nov, int jobs, const char *raw, const char *csv)
{
    Run r = {mem_sink_new(), 0, NULL};
    Diag d;
    diag_init(&d, NULL);
    SimConfig cfg = {.netlist = "step.cir", .text = text, .quiet = 1, .extra = r.mem, .params = ov, .nparams = nov,
                     .jobs = jobs, .raw = raw, .csv = csv};
    r.rc = sim_run(&cfg, &d);
    r.log = xstrdup(d.buf ? d.buf : "");
    diag_free(&d);
    return r;
}

static void run_free(Run *r)
{
    r->mem->close(r->mem);
    free(r->log);
}

static void same_plot(const MemPlot *a, const MemPlot *b, const char *what)
{
    if (strcmp(a->plotname, b->plotname) || a->nvars != b->nvars || a->npoints != b->npoints)
        fail_msg("%s: plots differ in shape (%s %dx%d vs %s %dx%d)", what, a->plotname, a->npoints, a->nvars,
                 b->plotname, b->npoints, b->nvars);
    for (int i = 0; i < a->nvars; i++) assert_string_equal(a->names[i], b->names[i]);
    if (memcmp(a->data, b->data, (size_t)a->npoints * (size_t)a->nvars * sizeof(double)))
        fail_msg("%s: values differ from the separate run", what);
}

/* every point of a stepped run equals the run with its values given by
 * --param (the netlist without its .step lines) */
static void check_against_separate(const char *stepped, const char *plain, const char *const *names, int nnames,
                                   const double *vals, int npoints, int plots_per_point)
{
    for (int jobs = 1; jobs <= 2; jobs++) {
        Run s = run(stepped, NULL, 0, jobs, NULL, NULL);
        if (s.rc) fail_msg("stepped run failed (rc %d):\n%s", s.rc, s.log);
        assert_int_equal(mem_sink_nplots(s.mem), npoints * plots_per_point);
        for (int k = 0; k < npoints; k++) {
            ParamOverride ov[3];
            for (int j = 0; j < nnames; j++) ov[j] = (ParamOverride){.name = names[j], .value = vals[k * nnames + j], .origin = "--param"};
            Run p = run(plain, ov, nnames, 1, NULL, NULL);
            if (p.rc) fail_msg("separate run %d failed (rc %d):\n%s", k, p.rc, p.log);
            for (int q = 0; q < plots_per_point; q++)
                same_plot(mem_sink_plot(s.mem, k * plots_per_point + q), mem_sink_plot(p.mem, q), "step point");
            run_free(&p);
        }
        run_free(&s);
    }
}

#define RC_BODY                                                                                                  \
    ".param r=1k c=1u\nV1 in 0 PULSE(0 1 0 1u 1u 1m 2m)\nR1 in out {r}\nC1 out 0 {c}\nD1 out 0 dd\n"              \
    ".model dd d is=1e-14\n.op\n.tran 10u 3m\n"

static void test_list_and_linear_nested(void **state)
{
    (void)state;
    const char *stepped = "nested\n" RC_BODY ".step param r list 1k 2.2k 4.7k\n.step param c 1u 3u 1u\n.end\n";
    const char *plain = "nested\n" RC_BODY ".end\n";
    const char *names[] = {"r", "c"};
    double vals[9 * 2];
    const double rs[] = {1e3, 2.2e3, 4.7e3};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            vals[(i * 3 + j) * 2] = rs[i];   /* the first .step line is the outer one */
            vals[(i * 3 + j) * 2 + 1] = (1 + j) * 1e-6;
        }
    check_against_separate(stepped, plain, names, 2, vals, 9, 2);
    /* the plot title carries the point's values */
    Run s = run(stepped, NULL, 0, 1, NULL, NULL);
    assert_non_null(strstr(mem_sink_plot(s.mem, 2 * 4 + 1)->title, "r=2200, c=2e-06"));
    run_free(&s);
}

static void test_dec_oct_points(void **state)
{
    (void)state;
    const char *body = "points\n.param f=1\nV1 a 0 {f}\nR1 a 0 1k\n.op\n%s\n.end\n";
    struct {
        const char *line;
        double want[8];
        int n;
    } cases[] = {
        {".step dec param f 1 100 2", {1, sqrt(10), 10, 10 * sqrt(10), 100}, 5},
        {".step oct param f 1 8 1", {1, 2, 4, 8}, 4},
        {".step param f 0 1 0.25", {0, 0.25, 0.5, 0.75, 1}, 5},
        {".step lin param f 3 1 -1", {3, 2, 1}, 3},
        {".step param f list 5 -2 7", {5, -2, 7}, 3},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *net = xasprintf(body, cases[c].line);
        Run s = run(net, NULL, 0, 2, NULL, NULL);
        if (s.rc) fail_msg("%s: rc %d\n%s", cases[c].line, s.rc, s.log);
        assert_int_equal(mem_sink_nplots(s.mem), cases[c].n);
        for (int k = 0; k < cases[c].n; k++) {
            const MemPlot *p = mem_sink_plot(s.mem, k);
            tu_close(p->data[memplot_var(p, "v(a)")], cases[c].want[k], 1e-12, 1e-15, cases[c].line);
        }
        run_free(&s);
        free(net);
    }
}

/* a model parameter through a .param, and the temperature */
static void test_model_param_and_temp(void **state)
{
    (void)state;
    const char *mem = "model param\n.param ron=100\nV1 in 0 SIN(0 1.2 1)\nR1 in a 100\nYMEMRISTOR m1 a 0 hp xo=0.3\n"
                      ".model hp memristor level=1 ron={ron} roff=16k d=10n uv=1e-14 window=2 p=2\n.tran 5m 1\n";
    char *stepped = xasprintf("%s.step param ron list 50 100 200\n.end\n", mem);
    char *plain = xasprintf("%s.end\n", mem);
    const char *names[] = {"ron"};
    const double vals[] = {50, 100, 200};
    check_against_separate(stepped, plain, names, 1, vals, 3, 1);
    free(stepped);
    free(plain);
    /* .step temp against .temp written in */
    const char *diode = "temp\nV1 a 0 0.7\nR1 a b 100\nD1 b 0 dd\n.model dd d is=1e-14 n=1.5\n.op\n";
    char *st = xasprintf("%s.step temp list -20 27 80\n.end\n", diode);
    Run s = run(st, NULL, 0, 2, NULL, NULL);
    if (s.rc) fail_msg("temp: %s", s.log);
    const double temps[] = {-20, 27, 80};
    for (int k = 0; k < 3; k++) {
        char *net = xasprintf("%s.temp %g\n.end\n", diode, temps[k]);
        Run p = run(net, NULL, 0, 1, NULL, NULL);
        same_plot(mem_sink_plot(s.mem, k), mem_sink_plot(p.mem, 0), ".step temp");
        run_free(&p);
        free(net);
    }
    run_free(&s);
    free(st);
}

/* LTspice's direct forms: .step TYPE MODEL(PARAM) and .step VNAME give
 * what stepping a .param written into the model or source gives */
static void test_direct_forms(void **state)
{
    (void)state;
    const char *direct = "direct\nV1 in 0 0.8\nR1 in a 100\nYMEMRISTOR m1 a 0 hp xo=0.3\n"
                         ".model hp memristor level=1 ron=100 roff=16k d=10n uv=1e-14 window=2 p=2\n.op\n"
                         ".step memristor hp(ron) list 50 200\n.step V1 0.2 0.6 0.4\n.end\n";
    const char *viaparam = "via param\n.param ron=100 vin=0.8\nV1 in 0 {vin}\nR1 in a 100\nYMEMRISTOR m1 a 0 hp xo=0.3\n"
                           ".model hp memristor level=1 ron={ron} roff=16k d=10n uv=1e-14 window=2 p=2\n.op\n"
                           ".step param ron list 50 200\n.step param vin 0.2 0.6 0.4\n.end\n";
    Run a = run(direct, NULL, 0, 2, NULL, NULL), b = run(viaparam, NULL, 0, 2, NULL, NULL);
    if (a.rc || b.rc) fail_msg("direct: %s\nvia param: %s", a.log, b.log);
    assert_int_equal(mem_sink_nplots(a.mem), 4);
    for (int k = 0; k < 4; k++) same_plot(mem_sink_plot(a.mem, k), mem_sink_plot(b.mem, k), "direct .step form");
    assert_non_null(strstr(mem_sink_plot(a.mem, 3)->title, "hp(ron)=200, v1=0.6"));
    run_free(&a);
    run_free(&b);
    static const struct {
        const char *line, *msg;
    } bad[] = {
        {".step memristor nomodel(ron) list 1 2", "no top-level .model 'nomodel'"},
        {".step memristor hp(bogus) list 1 2", "model 'hp' (memristor) has no parameter 'bogus'"},
        {".step vnone list 1 2", "'vnone' is not an independent source of the top level"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char *net = xasprintf("bad direct\nV1 in 0 1\nR1 in a 100\nYMEMRISTOR m1 a 0 hp\n"
                              ".model hp memristor level=1 ron=100 roff=16k\n.op\n%s\n.end\n", bad[k].line);
        Run r = run(net, NULL, 0, 1, NULL, NULL);
        if (r.rc != 1 || !strstr(r.log, bad[k].msg) || !strstr(r.log, "step.cir:7"))
            fail_msg("'%s': expected exit 1 with '%s' at step.cir:7, got %d:\n%s", bad[k].line, bad[k].msg, r.rc, r.log);
        run_free(&r);
        free(net);
    }
}

/* --param gives what editing the .param line gives; a derived .param follows */
static void test_param_override(void **state)
{
    (void)state;
    const char *base = "override\n.param r=%s rr={2*r}\nV1 a 0 1\nR1 a b {r}\nR2 b 0 {rr}\n.op\n.end\n";
    char *edited = xasprintf(base, "3.3k");
    char *orig = xasprintf(base, "1k");
    ParamOverride ov = {.name = "r", .value = 3300, .origin = "--param"};
    Run a = run(edited, NULL, 0, 1, NULL, NULL), b = run(orig, &ov, 1, 1, NULL, NULL);
    assert_int_equal(a.rc, 0);
    assert_int_equal(b.rc, 0);
    same_plot(mem_sink_plot(a.mem, 0), mem_sink_plot(b.mem, 0), "--param");
    const MemPlot *p = mem_sink_plot(b.mem, 0);
    tu_close(p->data[memplot_var(p, "v(b)")], 2.0 / 3.0, 1e-12, 0, "divider with rr = 2 r");
    run_free(&a);
    run_free(&b);
    ParamOverride bad = {.name = "nope", .value = 1, .origin = "--param"};
    Run c = run(orig, &bad, 1, 1, NULL, NULL);
    assert_int_equal(c.rc, 1);
    assert_non_null(strstr(c.log, "--param nope: the netlist has no top-level .param 'nope'"));
    run_free(&c);
    free(edited);
    free(orig);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = xmalloc((size_t)n + 1);
    if (fread(b, 1, (size_t)n, f) != (size_t)n) fail_msg("short read %s", path);
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* -j 1, 2 and 4 write the same raw (binary) and CSV files */
static void test_files_independent_of_jobs(void **state)
{
    char *net = xasprintf("jobs\n" RC_BODY ".step param r list 1k 2.2k 4.7k 10k 22k\n.end\n");
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    char *raw[3], *csv[3], *rb[3], *cb[3];
    size_t rl[3], cl[3];
    const int jobs[3] = {1, 2, 4};
    for (int k = 0; k < 3; k++) {
        char rn[32], cn[32];
        snprintf(rn, sizeof rn, "j%d.raw", jobs[k]);
        snprintf(cn, sizeof cn, "j%d.csv", jobs[k]);
        raw[k] = tu_tmp_path(state, rn);
        csv[k] = tu_tmp_path(state, cn);
        Run r = run(net, NULL, 0, jobs[k], raw[k], csv[k]);
        if (r.rc) fail_msg("-j %d: %s", jobs[k], r.log);
        run_free(&r);
        rb[k] = slurp(raw[k], &rl[k]);
        cb[k] = slurp(csv[k], &cl[k]);
    }
    unsetenv("SOURCE_DATE_EPOCH");
    for (int k = 1; k < 3; k++) {
        assert_true(rl[k] == rl[0] && memcmp(rb[k], rb[0], rl[0]) == 0);
        assert_true(cl[k] == cl[0] && memcmp(cb[k], cb[0], cl[0]) == 0);
    }
    /* the raw file holds 10 plots (op + tran per point), read back */
    Diag d;
    diag_init(&d, NULL);
    RawFile *rf = raw_read(raw[0], &d);
    assert_non_null(rf);
    assert_int_equal(rf->nplots, 10);
    raw_free(rf);
    diag_free(&d);
    /* CSV: one table per plot kind with the step columns first */
    assert_non_null(strstr(cb[0], "step,r,v(in),v(out)"));
    assert_non_null(strstr(cb[0], "step,r,time,v(in),v(out)"));
    for (int k = 0; k < 3; k++) {
        free(raw[k]);
        free(csv[k]);
        free(rb[k]);
        free(cb[k]);
    }
    free(net);
}

/* memspice-mpi with 2 ranks (make test builds it and installs Open MPI)
 * writes the raw and CSV files of memspice -j 1, byte for byte */
static void test_mpi_two_ranks(void **state)
{
    if (!tu_have_program("mpirun")) fail_msg("mpirun is required (make test installs openmpi-bin)");
    char *net = xasprintf("mpi\n" RC_BODY ".step param r list 1k 2.2k 4.7k 10k 22k\n"
                          ".meas tran t30 WHEN v(out)=0.3\n.meas tran vmax MAX v(out)\n"
                          ".meas tran never WHEN v(out)=5\n.end\n");
    char *cir = tu_tmp_path(state, "mpi.cir");
    FILE *f = fopen(cir, "w");
    assert_non_null(f);
    fputs(net, f);
    fclose(f);
    const char *ext[] = {".raw", ".csv", ".meas.csv", ".out"};
    char *sp[4], *mp[4];
    for (int k = 0; k < 4; k++) {
        char sn[32], mn[32];
        snprintf(sn, sizeof sn, "s%s", ext[k]);
        snprintf(mn, sizeof mn, "m%s", ext[k]);
        sp[k] = tu_tmp_path(state, sn);
        mp[k] = tu_tmp_path(state, mn);
    }
    /* leaks inside Open MPI's own initialization are not ours to report */
    char *cmd = xasprintf("SOURCE_DATE_EPOCH=1700000000 %s/memspice -q -j 1 -r '%s' --csv '%s' '%s' > '%s' && "
                          "SOURCE_DATE_EPOCH=1700000000 ASAN_OPTIONS=detect_leaks=0 mpirun --allow-run-as-root "
                          "--oversubscribe -n 2 %s/memspice-mpi -q -r '%s' --csv '%s' '%s' > '%s'",
                          MS_BUILDDIR, sp[0], sp[1], cir, sp[3], MS_BUILDDIR, mp[0], mp[1], cir, mp[3]);
    int rc = system(cmd);
    if (rc != 0) fail_msg("%s: exit %d", cmd, rc);
    /* raw, CSV, .meas table and the printed measurements: the same bytes */
    for (int k = 0; k < 4; k++) {
        size_t l1, l2;
        char *a = slurp(sp[k], &l1), *b = slurp(mp[k], &l2);
        if (!(l1 == l2 && memcmp(a, b, l1) == 0)) fail_msg("%s differs between -j 1 and MPI", ext[k]);
        if (k == 2 && strncmp(a, "r,t30,vmax,never\n1000,", 22)) fail_msg(".meas table:\n%s", a);
        free(a);
        free(b);
        free(sp[k]);
        free(mp[k]);
    }
    free(cmd);
    free(cir);
    free(net);
}

/* Monte Carlo: a stepped name needs no .param (LTspice); --seed gives the
 * same draws every time, for any -j; another seed other ones */
static void test_monte_carlo_seed(void **state)
{
    (void)state;
    const char *net = "mc\nV1 a 0 1\nR1 a b {agauss(1k, 100, 1)}\nR2 b 0 1k\n.step param run 1 6 1\n.op\n.end\n";
    double v[3][6];
    const uint64_t seeds[3] = {42, 42, 43};
    for (int s = 0; s < 3; s++) {
        Sink *mem = mem_sink_new();
        Diag d;
        diag_init(&d, NULL);
        SimConfig cfg = {.netlist = "mc.cir", .text = net, .quiet = 1, .extra = mem, .jobs = s + 1,
                         .seed = seeds[s], .seed_given = 1};
        int rc = sim_run(&cfg, &d);
        if (rc) fail_msg("rc %d: %s", rc, d.buf);
        assert_int_equal(mem_sink_nplots(mem), 6);
        for (int k = 0; k < 6; k++) {
            const MemPlot *p = mem_sink_plot(mem, k);
            v[s][k] = p->data[memplot_var(p, "v(b)")];
        }
        mem->close(mem);
        diag_free(&d);
    }
    for (int k = 0; k < 6; k++) {
        assert_true(v[0][k] == v[1][k]);   /* same seed: bit for bit, -j 1 and -j 2 */
        assert_true(v[0][k] != v[2][k]);
        for (int j = 0; j < k; j++) assert_true(v[0][k] != v[0][j]);   /* each run its own draw */
    }
    /* no seed given: one is chosen for the whole run and said */
    Diag d;
    diag_init(&d, NULL);
    SimConfig cfg = {.netlist = "mc.cir", .text = net, .quiet = 1, .jobs = 2};
    assert_int_equal(sim_run(&cfg, &d), 0);
    const char *note = strstr(d.buf, "random numbers drawn with seed ");
    if (!note) fail_msg("no seed note in:\n%s", d.buf);
    assert_null(strstr(note + 1, "random numbers drawn with seed "));   /* said once, not per point */
    diag_free(&d);
}

static void test_step_errors(void **state)
{
    (void)state;
    static const struct {
        const char *lines;
        const char *msg;
    } cases[] = {
        {".step param r 1k 0 1k", "goes away from stop"},
        {".step param r 1k 2k 0", "the increment is 0"},
        {".step param r list", "needs at least one value"},
        {".step dec param r 0 10 2", "start and stop must be positive"},
        {".step dec param r 1 10 0.5", "whole number"},
        {".step 1 2 1", "expected 'param NAME', 'temp'"},
        {".step param r list 1 x", "expected a number, got 'x'"},
        {".step param r list 1 2\n.step param r list 3 4", "'r' is already stepped"},
        {".step param r list 1\n.step param c list 1\n.step temp list 1\n.step param x list 1",
         "more than 3 .step lines"},
        {".subckt s a\n.step param r list 1 2\nR1 a 0 1\n.ends", ".step inside a subcircuit"},
        {".step param r 1 1e9 1", "more than 1000000 points"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *net = xasprintf("errors\n.param r=1k c=1u x=1\nV1 a 0 1\nR1 a 0 {r}\n%s\n.op\n.end\n", cases[k].lines);
        Run r = run(net, NULL, 0, 2, NULL, NULL);
        if (r.rc != 1 || !strstr(r.log, cases[k].msg))
            fail_msg("'%s': expected exit 1 with '%s', got %d:\n%s", cases[k].lines, cases[k].msg, r.rc, r.log);
        if (!strstr(r.log, "step.cir:")) fail_msg("'%s': no file:line in\n%s", cases[k].lines, r.log);
        run_free(&r);
        free(net);
    }
}

/* a point whose simulation fails does not stop the others; the exit code
 * says a point failed */
static void test_failing_point(void **state)
{
    (void)state;
    const char *net = "fail\n.param g=1\nV1 a 0 1\nR1 a b 1k\nB1 b 0 I={g}*1m/v(b)\n.op\n"
                      ".step param g list 0 1e6 0\n.end\n";
    Run r = run(net, NULL, 0, 2, NULL, NULL);
    assert_int_equal(r.rc, 2);
    assert_int_equal(mem_sink_nplots(r.mem), 2);   /* points 0 and 2 */
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_and_linear_nested),
        cmocka_unit_test(test_dec_oct_points),
        cmocka_unit_test(test_model_param_and_temp),
        cmocka_unit_test(test_param_override),
        cmocka_unit_test(test_direct_forms),
        cmocka_unit_test_setup_teardown(test_files_independent_of_jobs, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_mpi_two_ranks, tu_tmpdir_setup, tu_tmpdir_teardown),
        cmocka_unit_test(test_monte_carlo_seed),
        cmocka_unit_test(test_step_errors),
        cmocka_unit_test(test_failing_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
