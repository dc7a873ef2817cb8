/* Robustness (issue 8, part 5): bounded inputs, the subcircuit expansion
 * limit, signals during elaboration, values that used to be converted to
 * int unchecked, and nonsense that used to be accepted. The error cases
 * with a fixed message are in tests/bad (run by test_cli); what needs a
 * value, a size limit or a signal is here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netlist/source.h"
#include "sim.h"
#include "testutil.h"
#include "util/interrupt.h"
#include "util/xmem.h"

/* ---------------------------------------------------------------- inputs */

static char *write_tmp(const char *text, size_t len)
{
    char *path = xstrdup("/tmp/ms_robust_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

static void test_size_limit(void **state)
{
    (void)state;
    char big[200];
    memset(big, '*', sizeof big);
    big[sizeof big - 1] = '\n';
    char *p1 = write_tmp(big, sizeof big), *p2 = write_tmp(big, 40);
    SourceSet s;
    sourceset_init(&s);
    s.max_bytes = 100;
    assert_null(sourceset_load(&s, p1));
    assert_non_null(s.why);
    assert_non_null(strstr(s.why, "exceed"));
    assert_non_null(sourceset_load(&s, p2));   /* 40 bytes fit */
    assert_null(s.why);
    /* the limit is for all files together: 40 + 80 > 100 */
    char *p3 = write_tmp(big, 80);
    assert_null(sourceset_load(&s, p3));
    assert_non_null(s.why);
    sourceset_free(&s);
    unlink(p1), unlink(p2), unlink(p3);
    free(p1), free(p2), free(p3);
}

static void test_devices_refused(void **state)
{
    (void)state;
    const char *const devs[] = {"/dev/zero", "/dev/urandom", "/dev/null"};
    for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
        if (access(devs[i], R_OK) != 0) continue;
        SourceSet s;
        sourceset_init(&s);
        assert_null(sourceset_load(&s, devs[i]));
        assert_non_null(s.why);
        assert_non_null(strstr(s.why, "not a regular file"));
        sourceset_free(&s);
        /* the whole program: exit 1, no memory exhausted */
        SimConfig cfg = {0};
        cfg.netlist = devs[i];
        cfg.quiet = 1;
        Diag d;
        diag_init(&d, NULL);
        assert_int_equal(sim_run(&cfg, &d), 1);
        assert_non_null(strstr(d.buf, "not a regular file"));
        diag_free(&d);
    }
    TuRun *r = tu_run_any("t\n.include /dev/zero\nR1 a 0 1\n.op\n.end\n");
    assert_int_equal(r->rc, 1);
    assert_non_null(strstr(r->log, ":2:1: error: .include: cannot open '/dev/zero': not a regular file"));
    tu_free(r);
}

/* ------------------------------------------------------ subckt expansion */

/* 2 levels of `w` instances over a leaf of one resistor */
static char *nest(int levels, int w, const char *options)
{
    char *s = xasprintf("nest\n%s\n.subckt s0 a b\nR1 a b 1k\n.ends\n", options);
    for (int k = 1; k <= levels; k++) {
        char *t = xasprintf("%s.subckt s%d a b\n", s, k);
        free(s);
        s = t;
        for (int j = 0; j < w; j++) {
            t = xasprintf("%sX%d a b s%d\n", s, j, k - 1);
            free(s);
            s = t;
        }
        t = xasprintf("%s.ends\n", s);
        free(s);
        s = t;
    }
    char *t = xasprintf("%sV1 in 0 1\nXtop in 0 s%d\n.op\n.end\n", s, levels);
    free(s);
    return t;
}

static void test_expansion_limit(void **state)
{
    (void)state;
    /* 3 levels of 2 (an X counts with what it makes): s0 = 1, s1 = 2 (1 + 1) = 4,
     * s2 = 2 (1 + 4) = 10, s3 = 22; Xtop 23, V1: 24 */
    char *ok = nest(3, 2, ".options maxelements=24");
    TuRun *r = tu_run(ok);
    tu_free(r);
    free(ok);
    char *over = nest(3, 2, ".options maxelements=23");
    r = tu_run_any(over);
    assert_int_equal(r->rc, 1);
    assert_non_null(strstr(r->log, "would have 24 element and subcircuit instances, more than the limit of 23"));
    tu_free(r);
    free(over);
    /* the default: 10^8 leaves are refused at once, nothing built */
    char *huge = nest(8, 10, "");
    r = tu_run_any(huge);
    assert_int_equal(r->rc, 1);
    assert_non_null(strstr(r->log, "more than the limit of 5e+06"));
    tu_free(r);
    free(huge);
    /* .options maxelements must be positive */
    r = tu_run_any("t\n.options maxelements=0\nV1 a 0 1\nR1 a 0 1\n.op\n.end\n");
    assert_int_equal(r->rc, 1);
    assert_non_null(strstr(r->log, "maxelements must be at least 1"));
    tu_free(r);
}

static void test_interrupt_during_elaboration(void **state)
{
    (void)state;
    interrupt_install();
    raise(SIGINT);   /* as if Ctrl-C came while the netlist is read */
    char *text = nest(4, 3, "");
    SimConfig cfg = {0};
    cfg.netlist = "nest.cir";
    cfg.text = text;
    cfg.quiet = 1;
    Diag d;
    diag_init(&d, NULL);
    int rc = sim_run(&cfg, &d);
    interrupt_clear();
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    assert_int_equal(rc, 3);
    assert_non_null(strstr(d.buf, "interrupted while reading the netlist"));
    diag_free(&d);
    free(text);
}

/* ------------------------------------------------------------ conversions */

static void test_huge_values_defined(void **state)
{
    (void)state;
    /* off=1e30 is "off" (it was converted to int) */
    TuRun *r = tu_run("t\nV1 d 0 1\nR1 d g 1k\nM1 g g 0 0 nm off=1e30\n.model nm nmos level=1\n.op\n.end\n");
    assert_true(fabs(tu_op(r, "v(d)") - 1) < 1e-12);
    tu_free(r);
    /* a level of 1e12 is no level of a diode's model type... */
    r = tu_run_any("t\nV1 a 0 1\nR1 a b 1k\nD1 b 0 dm\n.model dm d level=1e12\n.op\n.end\n");
    tu_free(r);
    /* ...and NaN or infinity are not whole numbers or are out of range */
    r = tu_run_any("t\nV1 a 0 1\nR1 a 0 1k\n.options itl1={1/0}\n.op\n.end\n");
    assert_int_equal(r->rc, 1);
    tu_free(r);
}

/* ------------------------------------------------------ accepted nonsense */

static void test_func_wins_over_builtin(void **state)
{
    (void)state;
    /* ngspice: v(m) = 20 */
    TuRun *r = tu_run("t\n.func sin(x) = {x*10}\nB1 m 0 V=sin(2)\nR2 m 0 1\n.op\n.end\n");
    assert_true(fabs(tu_op(r, "v(m)") - 20) < 1e-9);
    tu_free(r);
    /* a .param uses it too */
    r = tu_run("t\n.func cos(x) = {x+1}\n.param p={cos(1)}\nV1 a 0 {p}\nR1 a 0 1\n.op\n.end\n");
    assert_true(fabs(tu_op(r, "v(a)") - 2) < 1e-12);
    tu_free(r);
}

static void test_param_redefined_later_wins(void **state)
{
    (void)state;
    TuRun *r = tu_run("t\n.param a=1\n.param a=2\nV1 n 0 {a}\nR1 n 0 1k\n.op\n.end\n");
    assert_true(fabs(tu_op(r, "v(n)") - 2) < 1e-12);
    assert_non_null(strstr(r->log, "warning: parameter 'a' is defined again"));
    tu_free(r);
    /* one warning for a subcircuit body, not one per instance */
    r = tu_run("t\n.subckt s a\n.param q=1\n.param q=2\nR1 a 0 {q}\n.ends\nV1 n 0 1\nX1 n s\nX2 n s\nX3 n s\n.op\n.end\n");
    const char *w = strstr(r->log, "defined again");
    assert_non_null(w);
    assert_null(strstr(w + 1, "defined again"));
    tu_free(r);
}

static void test_nonfinite_output(void **state)
{
    (void)state;
    TuRun *r = tu_run_any("t\nV1 a 0 PWL(0 0 1m 1)\nR1 a 0 1k\n.save v(a) {1/v(a)}\n.tran 0.1m 1m\n.end\n");
    assert_int_equal(r->rc, 2);
    assert_non_null(strstr(r->log, "output {1/v(a)} is"));
    assert_non_null(strstr(r->log, "at time=0"));
    tu_free(r);
    /* the operating point names no scale */
    r = tu_run_any("t\nV1 a 0 0\nR1 a 0 1k\n.save v(a) {log(v(a))}\n.op\n.end\n");
    assert_int_equal(r->rc, 2);
    assert_non_null(strstr(r->log, "at the operating point"));
    tu_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_devices_refused),
        cmocka_unit_test(test_expansion_limit),
        cmocka_unit_test(test_interrupt_during_elaboration),
        cmocka_unit_test(test_huge_values_defined),
        cmocka_unit_test(test_func_wins_over_builtin),
        cmocka_unit_test(test_param_redefined_later_wins),
        cmocka_unit_test(test_nonfinite_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
