/* The other sinks: CSV and .print text (exact), memory, fan-out, variable
 * type words, the progress line, and the rawcmp tool (when built). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "output/progress.h"
#include "output/raw_read.h"
#include "testutil.h"
#include "output/sink.h"
#include "util/xmem.h"


static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    VEC(char) b = { 0 };
    int c;
    while ((c = fgetc(f)) != EOF) VEC_PUSH(b, (char)c);
    VEC_PUSH(b, '\0');
    fclose(f);
    return b.v;
}

static const OutVar tran_vars[] = { { "time", VT_TIME }, { "v(out)", VT_VOLTAGE }, { "v(a,b)", VT_VOLTAGE } };
static const OutVar op_vars[] = { { "v(in)", VT_VOLTAGE }, { "v(out)", VT_VOLTAGE } };
static const PlotInfo tran_plot = {.title = "small", .plotname = "Transient Analysis", .vars = tran_vars, .nvars = 3};
static const PlotInfo op_plot = {.title = "small", .plotname = "Operating Point", .vars = op_vars, .nvars = 2};
static const double tran_pts[2][3] = { { 0, 0.5, -0.125 }, { 1e-6, 0.1, 3 } };
static const double op_pt[2] = { 1, 0.75 };

/* the tran plot then the op plot, through any sink */
static int feed(Sink *s, Diag *d)
{
    int bad = s->begin(s, &tran_plot, d);
    for (int k = 0; k < 2 && !bad; k++) bad = s->point(s, tran_pts[k], d);
    if (!bad) bad = s->end(s, d);
    if (!bad) bad = s->begin(s, &op_plot, d);
    if (!bad) bad = s->point(s, op_pt, d);
    if (!bad) bad = s->end(s, d);
    return bad;
}

static void test_csv_text(void **state)
{
    char *path = tu_tmp_path(state, "out.csv");
    Diag d;
    diag_init(&d, NULL);
    Sink *s = csv_sink_open(path, &d);
    assert_non_null(s);
    assert_int_equal(feed(s, &d), 0);
    s->close(s);
    char *text = slurp(path);
    assert_string_equal(text, "time,v(out),\"v(a,b)\"\n"
                              "0,0.5,-0.125\n"
                              "9.9999999999999995e-07,0.10000000000000001,3\n"
                              "\n"
                              "v(in),v(out)\n"
                              "1,0.75\n");
    free(text);
    diag_free(&d);
    free(path);
}

/* unwritable paths and a full disk (/dev/full), for the raw and csv files:
 * errors name the file and the system's reason */
static void test_write_errors(void **state)
{
    Diag d;
    diag_init(&d, NULL);
    assert_null(csv_sink_open("/nonexistent/dir/out.csv", &d));
    assert_non_null(strstr(d.buf, "cannot open csv file '/nonexistent/dir/out.csv' for writing: No such file"));
    assert_null(raw_sink_open("/nonexistent/dir/out.raw", 0, &d));
    assert_non_null(strstr(d.buf, "cannot open raw file '/nonexistent/dir/out.raw' for writing: No such file"));
    char *dir = tu_tmp_path(state, "");
    assert_null(raw_sink_open(dir, 0, &d));
    assert_non_null(strstr(d.buf, "Is a directory"));
    free(dir);
    if (access("/dev/full", W_OK) == 0) {
        Sink *s = csv_sink_open("/dev/full", &d);
        assert_non_null(s);
        assert_int_not_equal(feed(s, &d), 0);
        assert_non_null(strstr(d.buf, "cannot write csv file '/dev/full': No space left on device"));
        s->close(s);
        s = raw_sink_open("/dev/full", 0, &d);
        assert_non_null(s);
        assert_int_not_equal(feed(s, &d), 0);
        assert_non_null(strstr(d.buf, "cannot write raw file '/dev/full': No space left on device"));
        s->close(s);
    } else {
        print_message("no /dev/full: the disk-full cases were not run\n");
    }
    diag_free(&d);
}

static char *print_text(const int *cols, int ncols, int expect_bad, Diag *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    Sink *s = print_sink_new(f, cols, ncols);
    assert_int_equal(feed(s, d) != 0, expect_bad);
    s->close(s);
    fclose(f);
    return buf;
}

#define RULE "--------------------------------------------------------------------------------\n"

static void test_print_text(void **state)
{
    (void)state;
    Diag d;
    diag_init(&d, NULL);
    int cols[] = { 2 };
    char *text = print_text(cols, 1, 1, &d);
    assert_string_equal(text, "                                     small\n"
                              "                                     Transient Analysis\n" RULE
                              "Index   time            v(a,b)          \n" RULE
                              "0\t0.000000e+00\t-1.250000e-01\t\n"
                              "1\t1.000000e-06\t3.000000e+00\t\n"
                              "\n");   /* then column 2 of the op plot is out of range */
    free(text);
    assert_int_equal(d.nerrors, 1);
    assert_non_null(strstr(d.buf, "column 2 out of range for plot 'Operating Point'"));

    text = print_text(NULL, 0, 0, &d);   /* every column */
    assert_non_null(strstr(text, "Index   time            v(out)          v(a,b)          \n"));
    assert_non_null(strstr(text, "1\t1.000000e-06\t1.000000e-01\t3.000000e+00\t\n"));
    assert_non_null(strstr(text, "\nv(in) = 1.000000e+00\nv(out) = 7.500000e-01\n"));
    free(text);
    diag_free(&d);
}

static void test_mem_sink(void **state)
{
    (void)state;
    Diag d;
    diag_init(&d, NULL);
    Sink *s = mem_sink_new();
    /* names passed to begin() are copied: free ours right away */
    OutVar vars[3];
    for (int i = 0; i < 3; i++) vars[i] = (OutVar){ xstrdup(tran_vars[i].name), tran_vars[i].type };
    PlotInfo pi = {.title = "t", .plotname = "Transient Analysis", .vars = vars, .nvars = 3};
    assert_int_equal(s->begin(s, &pi, &d), 0);
    for (int i = 0; i < 3; i++) free((char *)vars[i].name);
    for (int k = 0; k < 100; k++) {
        double v[3] = { k, 2.0 * k, -k };
        assert_int_equal(s->point(s, v, &d), 0);
    }
    assert_int_equal(s->end(s, &d), 0);
    assert_int_equal(s->begin(s, &op_plot, &d), 0);
    assert_int_equal(s->point(s, op_pt, &d), 0);
    assert_int_equal(s->end(s, &d), 0);

    assert_int_equal(mem_sink_nplots(s), 2);
    const MemPlot *p = mem_sink_plot(s, 0);
    assert_string_equal(p->plotname, "Transient Analysis");
    assert_int_equal(p->npoints, 100);
    assert_int_equal(p->types[0], VT_TIME);
    assert_int_equal(memplot_var(p, "v(out)"), 1);
    assert_int_equal(memplot_var(p, "V(OUT)"), -1);   /* exact match only */
    assert_int_equal(memplot_var(p, "v(nope)"), -1);
    assert_true(p->data[99 * 3 + 1] == 198.0 && p->data[99 * 3 + 2] == -99.0);
    p = mem_sink_plot(s, 1);
    assert_int_equal(p->npoints, 1);
    assert_true(p->data[1] == 0.75);
    assert_null(mem_sink_plot(s, 2));
    s->close(s);
    diag_free(&d);
}

static void test_multi_sink(void **state)
{
    char *path = tu_tmp_path(state, "multi.csv");
    Diag d;
    diag_init(&d, NULL);
    Sink *parts[3] = { mem_sink_new(), csv_sink_open(path, &d), mem_sink_new() };
    Sink *m = multi_sink_new(parts, 3);
    assert_int_equal(feed(m, &d), 0);
    assert_int_equal(mem_sink_nplots(parts[0]), 2);
    assert_int_equal(mem_sink_nplots(parts[2]), 2);
    assert_int_equal(mem_sink_plot(parts[2], 0)->npoints, 2);
    m->close(m);   /* closes the members (valgrind checks nothing leaks) */
    char *text = slurp(path);
    assert_non_null(strstr(text, "v(in),v(out)\n1,0.75\n"));
    free(text);

    /* one member failing does not starve the others; the failure shows */
    if (access("/dev/full", W_OK) == 0) {
        Sink *more[3] = { raw_sink_open("/dev/full", 0, &d), NULL, mem_sink_new() };
        m = multi_sink_new(more, 3);
        int bad = m->begin(m, &tran_plot, &d);   /* the raw header fails to write */
        for (int k = 0; k < 2; k++) bad |= m->point(m, tran_pts[k], &d);
        bad |= m->end(m, &d);
        assert_int_not_equal(bad, 0);
        assert_int_equal(mem_sink_nplots(more[2]), 1);
        assert_int_equal(mem_sink_plot(more[2], 0)->npoints, 2);
        m->close(m);
    }
    diag_free(&d);
    free(path);
}

static void test_vartypes(void **state)
{
    (void)state;
    assert_string_equal(vartype_name(VT_TIME), "time");
    assert_string_equal(vartype_name(VT_FREQUENCY), "frequency");
    assert_string_equal(vartype_name(VT_VOLTAGE), "voltage");
    assert_string_equal(vartype_name(VT_CURRENT), "current");
    assert_string_equal(vartype_name(VT_NOTYPE), "notype");
    assert_string_equal(vartype_name(VT_TEMPERATURE), "temperature");
    assert_false(plot_has_scale("Operating Point"));
    assert_true(plot_has_scale("Transient Analysis"));
    assert_true(plot_has_scale("DC transfer characteristic"));
}

static void sleep_seconds(double s)
{
    struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
    nanosleep(&ts, NULL);
}

static void test_progress(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    Progress *p = progress_new(f, 1, "tran");
    progress_update(p, 0.5e-6, 0, 1e-6, 100);
    assert_true(strncmp(buf, "\rtran  50.0% t=500ns  100 steps  ", 33) == 0);
    assert_non_null(strstr(buf, " steps/s  ETA "));
    size_t first = len;
    progress_update(p, 0.9e-6, 0, 1e-6, 180);   /* too soon after the last redraw */
    assert_int_equal(len, first);
    sleep_seconds(0.15);
    progress_update(p, 1.23e-6, 0, 2e-6, 4567);
    assert_non_null(strstr(buf + first, "\rtran  61.5% t=1.23us  4567 steps  "));
    progress_done(p);
    assert_true(buf[len - 1] == '\r' && buf[len - 2] == ' ');   /* blanked out */
    fclose(f);
    free(buf);

    buf = NULL;
    f = open_memstream(&buf, &len);
    p = progress_new(f, 0, "tran");
    progress_update(p, 0.5, 0, 1, 10);
    progress_done(p);
    fflush(f);
    assert_int_equal(len, 0);
    fclose(f);
    free(buf);
}

/* ---- bench/rawcmp --------------------------------------------------------- */

static void write_ramp(const char *path, int n, double offset, const char *vname)
{
    Diag d;
    diag_init(&d, NULL);
    OutVar vars[] = { { "time", VT_TIME }, { vname, VT_VOLTAGE }, { "i(v1)", VT_CURRENT }, { "x(ym1)", VT_NOTYPE } };
    PlotInfo pi = {.title = "ramp", .plotname = "Transient Analysis", .vars = vars, .nvars = 4};
    Sink *s = raw_sink_open(path, 0, &d);
    assert_int_equal(s->begin(s, &pi, &d), 0);
    for (int k = 0; k < n; k++) {
        double t = (double)k / (n - 1), v[4] = { t, 2 * t + offset, -1e-3 * t, 0.5 };
        assert_int_equal(s->point(s, v, &d), 0);
    }
    s->close(s);
    diag_free(&d);
}

static int rawcmp(const char *args, char **out)
{
    char *cmd = xasprintf("%s/rawcmp %s 2>&1", MS_BUILDDIR, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    VEC(char) b = { 0 };
    int c;
    while ((c = fgetc(p)) != EOF) VEC_PUSH(b, (char)c);
    VEC_PUSH(b, '\0');
    int st = pclose(p);
    free(cmd);
    *out = b.v;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static double summary(const char *out, char *var, size_t n)
{
    const char *s = strstr(out, "\nmax_rel_diff ");   /* the summary, not the column title */
    if (!s) print_message("rawcmp said:\n%s", out);
    assert_non_null(s);
    double v = strtod(s + 14, NULL);
    const char *open = strchr(s, '('), *at = strstr(s, " at ");
    assert_true(open && at && at > open);
    snprintf(var, n, "%.*s", (int)(at - open - 1), open + 1);
    return v;
}

static void test_rawcmp(void **state)
{
    char *tool = xasprintf("%s/rawcmp", MS_BUILDDIR);
    int have = access(tool, X_OK) == 0;
    free(tool);
    if (!have) fail_msg("%s/rawcmp not built (make test builds it)", MS_BUILDDIR);
    char *a = tu_tmp_path(state, "a.raw"), *b = tu_tmp_path(state, "b.raw"), *out, var[64];
    write_ramp(a, 11, 0, "v(out)");
    write_ramp(b, 21, 0.01, "V(OUT)");   /* finer grid, offset, other case */
    char *args = xasprintf("%s %s", a, b);
    assert_int_equal(rawcmp(args, &out), 0);
    /* 0.01 off on a range of 2; the ramp itself interpolates exactly */
    assert_true(fabs(summary(out, var, sizeof var) - 0.005) < 1e-9);
    assert_string_equal(var, "v(out)");
    free(out);
    free(args);

    args = xasprintf("%s %s --vars 'i(v1),x(ym1)'", a, b);
    assert_int_equal(rawcmp(args, &out), 0);
    assert_true(summary(out, var, sizeof var) < 1e-12);
    assert_null(strstr(out, "v(out)"));
    free(out);
    free(args);

    args = xasprintf("%s %s", a, a);
    assert_int_equal(rawcmp(args, &out), 0);
    assert_true(summary(out, var, sizeof var) == 0.0);
    free(out);
    free(args);

    const char *bad[] = { "", "/nonexistent.raw /nonexistent.raw", "--bogus a b" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(rawcmp(bad[i], &out), 1);
        free(out);
    }
    args = xasprintf("%s %s --plot 1", a, b);
    assert_int_equal(rawcmp(args, &out), 1);
    assert_non_null(strstr(out, "no plot 1"));
    free(out);
    free(args);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_text),    cmocka_unit_test(test_write_errors), cmocka_unit_test(test_print_text),
        cmocka_unit_test(test_mem_sink),    cmocka_unit_test(test_multi_sink), cmocka_unit_test(test_vartypes),
        cmocka_unit_test(test_progress),    cmocka_unit_test(test_rawcmp),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
