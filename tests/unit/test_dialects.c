/* Dialects (docs/dialects.md): what other simulators' exports write runs,
 * each form checked against the ngspice form of the same circuit, and the
 * few dialect-dependent readings (Xyce's A suffix and IC= in the operating
 * point) both ways: guessed from the netlist and chosen with --dialect. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "testutil.h"
#include "util/xmem.h"

/* a run with a chosen dialect (0: guessed) into a memory sink */
static TuRun *run_dialect(const char *text, int dialect)
{
    TuRun *r = xcalloc(1, sizeof *r);
    r->sink = mem_sink_new();
    SimConfig cfg = {.netlist = "d.cir", .text = text, .quiet = 0, .extra = r->sink, .dialect = dialect};
    Diag d;
    diag_init(&d, NULL);
    r->rc = sim_run(&cfg, &d);
    r->log = xstrdup(d.buf ? d.buf : "");
    diag_free(&d);
    if (r->rc) fail_msg("exit %d:\n%s", r->rc, r->log);
    return r;
}

/* LTspice's forms give the same waveforms as ngspice's: SINE( = SIN(,
 * .params = .param, .tran tstop = .tran tstop/50 tstop, .backanno dropped,
 * M d g s model = M d g s s model */
static void test_ltspice_forms(void **state)
{
    (void)state;
    const char *lt = "lt\n.params rl=2k\nV1 in 0 SINE(0 1 1k)\nR1 in out {rl}\nC1 out 0 100n\nVdd vdd 0 3\n"
                     "Vg g 0 1.5\nRd vdd d 1k\nM1 d g 0 nm\n.model nm nmos vto=0.7 kp=200u\n.tran 2m\n.backanno\n.end\n";
    const char *ng = "ng\n.param rl=2k\nV1 in 0 SIN(0 1 1k)\nR1 in out {rl}\nC1 out 0 100n\nVdd vdd 0 3\n"
                     "Vg g 0 1.5\nRd vdd d 1k\nM1 d g 0 0 nm\n.model nm nmos vto=0.7 kp=200u\n.tran 40u 2m\n.end\n";
    TuRun *a = run_dialect(lt, 0), *b = tu_run(ng);
    if (!strstr(a->log, "read as a ltspice netlist (from .backanno here)")) fail_msg("no note:\n%s", a->log);
    const MemPlot *pa = tu_plot_named(a, "Transient"), *pb = tu_plot_named(b, "Transient");
    assert_int_equal(pa->npoints, pb->npoints);
    for (int c = 0; c < pb->nvars; c++) {
        int ca = tu_col(pa, pb->names[c]);
        for (int k = 0; k < pb->npoints; k++)
            if (tu_val(pa, k, ca) != tu_val(pb, k, c))
                fail_msg("%s differs at point %d: %.17g vs %.17g", pb->names[c], k, tu_val(pa, k, ca), tu_val(pb, k, c));
    }
    tu_free(a);
    tu_free(b);
    /* the micro sign, UTF-8 and Latin-1 (LTspice's exports) */
    TuRun *m = tu_run("mu\n.param c1=1\xc2\xb5 c2=1\xb5\nI1 0 a 1\nR1 a 0 {1/(c1+c2)}\n.op\n.end\n");
    tu_close(tu_op(m, "v(a)"), 5e5, 1e-12, 0, "1/(1u + 1u)");
    tu_free(m);
}

/* Xyce's A is amperes and IC= holds in the operating point; read as
 * ngspice the same deck has 1 aA and an IC= that waits for uic */
static void test_xyce_readings(void **state)
{
    (void)state;
    const char *text = "x\n.options timeint method=7\nI1 0 a 2A\nR1 a 0 1\nC1 b 0 1u IC=0.5\nR2 b 0 1k\n.op\n.end\n";
    TuRun *x = run_dialect(text, 0);
    if (!strstr(x->log, "read as a xyce netlist")) fail_msg("no note:\n%s", x->log);
    tu_close(tu_op(x, "v(a)"), 2, 1e-12, 0, "2A is 2 amperes (Xyce)");
    tu_close(tu_op(x, "v(b)"), 0.5, 1e-6, 0, "IC= holds in the operating point (Xyce)");
    tu_free(x);
    TuRun *n = run_dialect(text, 1 + 0 /* ngspice */);
    tu_close(tu_op(n, "v(a)"), 2e-18, 1e-12, 0, "2a is 2 attoamperes (ngspice)");
    tu_close(tu_op(n, "v(b)"), 0, 0, 1e-15, "IC= not in the operating point (ngspice)");
    if (strstr(n->log, "read as")) fail_msg("a chosen dialect is not guessed:\n%s", n->log);
    tu_free(n);
}

/* HSPICE: .option post guesses it; wildcards in .save and .print */
static void test_hspice_wildcards(void **state)
{
    (void)state;
    TuRun *r = run_dialect("h\n.option post=2 probe\n.subckt blk a b\nR1 a m 1k\nR2 m b 1k\n.ends\nV1 in 0 1\n"
                           "X1 in 0 blk\nX2 in 0 blk\n.probe v(x1.*) i(v?)\n.op\n.end\n", 0);
    if (!strstr(r->log, "read as a hspice netlist")) fail_msg("no note:\n%s", r->log);
    const MemPlot *p = tu_plot_named(r, "Operating");
    assert_int_equal(p->nvars, 2);   /* v(x1.m), i(v1) */
    tu_close(tu_val(p, 0, tu_col(p, "v(x1.m)")), 0.5, 1e-12, 0, "v(x1.m)");
    tu_col(p, "i(v1)");
    tu_free(r);
    tu_expect_error("h\nV1 in 0 1\nR1 in 0 1k\n.save v(zz*)\n.op\n.end\n",
                    "output pattern 'v(zz*)' matches no node voltage or branch current");
}

/* Xyce's section in the netlist itself and LTspice's one-argument .lib */
static void test_lib_forms(void **state)
{
    char *lib = tu_tmp_path(state, "parts.lib");
    FILE *f = fopen(lib, "w");
    assert_non_null(f);
    fprintf(f, "R9 in 0 3k\n");
    fclose(f);
    char *text = xasprintf("l\n.lib unused\nR5 in 0 1\n.endl\n.lib %s\nV1 in 0 3\n.op\n.end\n", lib);
    TuRun *r = tu_run(text);
    tu_close(tu_op(r, "i(v1)"), -1e-3, 1e-12, 0, "only the included 3k (the section is not read)");
    tu_free(r);
    free(text);
    free(lib);
}

/* MOSFET l= and w= on the model card (Xyce, HSPICE) stand for an
 * instance's missing ones: the same current as written on the instance */
static void test_mos_lw_on_model(void **state)
{
    (void)state;
    TuRun *a = tu_run("a\nVd d 0 2\nVg g 0 2\nM1 d g 0 0 nm\n.model nm nmos vto=1 kp=100u l=2u w=20u\n.op\n.end\n");
    TuRun *b = tu_run("b\nVd d 0 2\nVg g 0 2\nM1 d g 0 0 nm W=20u L=2u\n.model nm nmos vto=1 kp=100u\n.op\n.end\n");
    tu_close(tu_op(a, "i(vd)"), tu_op(b, "i(vd)"), 1e-15, 0, "model l/w = instance L/W");
    tu_close(tu_op(a, "i(vd)"), -50e-6 * 10, 1e-6, 0, "kp/2 W/L (vgs - vto)^2");
    tu_free(a);
    tu_free(b);
}

/* PWL written as ngspice/LTspice (PWL(t v ...)), with commas, as PSpice
 * (PWL (t1, v1) (t2, v2) ...), from a file as Xyce (PWL FILE "name") and
 * LTspice (PWL file=name), and with unit letters (0S 0V): the same
 * waveform, point for point */
static void test_pwl_forms(void **state)
{
    char *csv = tu_tmp_path(state, "vpwl.csv");
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fprintf(f, "# t, v\n0, 0\n1m, 1\n1m, 2\n2m, 0\n");
    fclose(f);
    char *net = xasprintf("pwl forms\nV1 a 0 PWL(0 0 1m 1 1m 2 2m 0)\nV2 b 0 PWL(0,0, 1m,1, 1m,2, 2m,0)\n"
                          "V3 c 0 PWL (0,0) (1m,1) (1m,2) (2m,0)\nV4 d 0 PWL FILE \"%s\"\nV5 e 0 PWL file=%s\n"
                          "V6 g 0 PWL 0S 0V 1mS 1V 1mS 2V 2mS 0V\n"
                          "R1 a 0 1k\nR2 b 0 1k\nR3 c 0 1k\nR4 d 0 1k\nR5 e 0 1k\nR6 g 0 1k\n.tran 0.1m 2m\n.end\n",
                          csv, csv);
    TuRun *r = tu_run(net);
    const MemPlot *p = tu_plot_named(r, "Transient");
    static const char *const cols[] = {"v(b)", "v(c)", "v(d)", "v(e)", "v(g)"};
    int ca = tu_col(p, "v(a)");
    for (int j = 0; j < 5; j++) {
        int cj = tu_col(p, cols[j]);
        for (int k = 0; k < p->npoints; k++) tu_close(tu_val(p, k, cj), tu_val(p, k, ca), 0, 0, cols[j]);
    }
    tu_close(tu_interp(p, ca, 0.5e-3), 0.5, 0, 1e-9, "the ramp to 1 V");
    tu_close(tu_interp(p, ca, 1.5e-3), 1, 0, 1e-9, "after the step to 2 V at 1 ms, the ramp down");
    tu_free(r);
    free(net);
    tu_expect_error("e\nV1 a 0 PWL FILE \"/nonexistent/v.csv\"\nR1 a 0 1\n.tran 1m 2m\n.end\n",
                    "v1: PWL FILE: /nonexistent/v.csv: No such file or directory");
    f = fopen(csv, "w");
    fprintf(f, "0 0\n2m 1\n1m 0\n");
    fclose(f);
    net = xasprintf("e\nV1 a 0 PWL FILE %s\nR1 a 0 1\n.tran 1m 2m\n.end\n", csv);
    tu_expect_error(net, "x must not decrease from row to row (row 3: 0.001 after 0.002)");
    free(net);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ltspice_forms),   cmocka_unit_test(test_xyce_readings),
        cmocka_unit_test(test_hspice_wildcards), cmocka_unit_test(test_lib_forms),
        cmocka_unit_test(test_mos_lw_on_model), cmocka_unit_test(test_pwl_forms),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
