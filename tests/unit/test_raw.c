/* Raw files: writer and reader round trips, the exact header layout,
 * streaming (count patched while running, files left valid when a run is
 * interrupted), damaged files, write errors, and interoperation with ngspice
 * (reading ngspice's files; ngspice loading ours) when ngspice is installed.
 * The rawcmp tool is exercised here too when it has been built. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/raw_read.h"
#include "testutil.h"
#include "output/sink.h"
#include "util/xmem.h"

#define PI 3.14159265358979323846

/* |a - b| <= tol, saying both values when not */
#define assert_close(a, b, tol) check_close((a), (b), (tol), #a, __FILE__, __LINE__)
static void check_close(double a, double b, double tol, const char *what, const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_message("%s:%d: %s = %.17g, expected %.17g (tolerance %g)\n", file, line, what, a, b, tol);
        fail();
    }
}


static int have_ngspice(void)
{
    return system("ngspice -v >/dev/null 2>&1") == 0;
}

/* ---- test plots ---------------------------------------------------------- */

static const double awkward[] = { 0.0, -0.0, 4.9406564584124654e-324, 2.2250738585072009e-308,
                                  1e300, -1e300, PI, -PI / 3, 1.0 / 3, DBL_MAX, -DBL_MIN, 0.1,
                                  123456789.123456789, -7.5e-13 };
#define NAWK ((int)(sizeof awkward / sizeof awkward[0]))

static const OutVar tran_vars[] = { { "time", VT_TIME },      { "v(out)", VT_VOLTAGE },
                                    { "i(v1)", VT_CURRENT },  { "x(ym1)", VT_NOTYPE },
                                    { "temp(ym2)", VT_TEMPERATURE }, { "f", VT_FREQUENCY } };
static const OutVar op_vars[] = { { "v(in)", VT_VOLTAGE }, { "v(out)", VT_VOLTAGE }, { "i(v1)", VT_CURRENT } };
static const OutVar dc_vars[] = { { "v(v-sweep)", VT_VOLTAGE }, { "v(out)", VT_VOLTAGE } };

static const PlotInfo tran_plot = {.title = "rc test", .plotname = "Transient Analysis", .vars = tran_vars, .nvars = 6};
static const PlotInfo op_plot = {.title = "rc test", .plotname = "Operating Point", .vars = op_vars, .nvars = 3};
static const PlotInfo dc_plot = {.title = "rc test", .plotname = "DC transfer characteristic", .vars = dc_vars, .nvars = 2};

#define TRAN_N 40
static void tran_point(int k, double *v)
{
    v[0] = k * 1e-9;
    for (int j = 1; j < 6; j++) v[j] = awkward[(k * 5 + j) % NAWK];
}

static const double op_vals[3] = { 1.0, 0.75, -2.5e-4 };

/* tran (awkward values), op, an empty dc sweep, tran again */
static void write_all(const char *path, int ascii)
{
    Diag d;
    diag_init(&d, NULL);
    Sink *s = raw_sink_open(path, ascii, &d);
    assert_non_null(s);
    double v[6];
    for (int rep = 0; rep < 2; rep++) {
        assert_int_equal(s->begin(s, &tran_plot, &d), 0);
        for (int k = 0; k < TRAN_N; k++) {
            tran_point(k, v);
            assert_int_equal(s->point(s, v, &d), 0);
        }
        assert_int_equal(s->end(s, &d), 0);
        if (rep) break;
        assert_int_equal(s->begin(s, &op_plot, &d), 0);
        assert_int_equal(s->point(s, op_vals, &d), 0);
        assert_int_equal(s->end(s, &d), 0);
        assert_int_equal(s->begin(s, &dc_plot, &d), 0);
        assert_int_equal(s->end(s, &d), 0);
    }
    s->close(s);
    assert_int_equal(d.nerrors + d.nwarnings, 0);
    diag_free(&d);
}

static void check_vars(const MemPlot *p, const PlotInfo *pi, int npoints)
{
    assert_string_equal(p->plotname, pi->plotname);
    assert_int_equal(p->nvars, pi->nvars);
    for (int j = 0; j < pi->nvars; j++) {
        assert_string_equal(p->names[j], pi->vars[j].name);
        assert_int_equal(p->types[j], pi->vars[j].type);
    }
    assert_int_equal(p->npoints, npoints);
}

/* bit-for-bit, so -0.0 and denormals count */
static void check_all(const RawFile *r)
{
    assert_int_equal(r->nplots, 4);
    double v[6];
    for (int t = 0; t < 4; t += 3) {
        check_vars(&r->plots[t], &tran_plot, TRAN_N);
        for (int k = 0; k < TRAN_N; k++) {
            tran_point(k, v);
            assert_memory_equal(r->plots[t].data + 6 * k, v, sizeof v);
        }
    }
    check_vars(&r->plots[1], &op_plot, 1);
    assert_memory_equal(r->plots[1].data, op_vals, sizeof op_vals);
    check_vars(&r->plots[2], &dc_plot, 0);
}

static RawFile *read_ok(const char *path, int expect_warnings)
{
    Diag d;
    diag_init(&d, NULL);
    RawFile *r = raw_read(path, &d);
    if (!r || d.nwarnings != expect_warnings) print_message("diag: %s\n", d.buf ? d.buf : "");
    assert_non_null(r);
    assert_int_equal(d.nwarnings, expect_warnings);
    diag_free(&d);
    return r;
}

static void test_binary_roundtrip(void **state)
{
    char *path = tu_tmp_path(state, "rt.raw");
    write_all(path, 0);
    RawFile *r = read_ok(path, 0);
    check_all(r);
    raw_free(r);
    free(path);
}

static void test_ascii_roundtrip(void **state)
{
    char *path = tu_tmp_path(state, "rta.raw");
    write_all(path, 1);
    RawFile *r = read_ok(path, 0);
    check_all(r);   /* %.16e round-trips every double exactly */
    raw_free(r);
    free(path);
}

static char *slurp(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = xmalloc((size_t)*len + 1);
    assert_int_equal(fread(b, 1, (size_t)*len, f), (size_t)*len);
    b[*len] = '\0';
    fclose(f);
    return b;
}

static const OutVar small_vars[] = { { "time", VT_TIME }, { "v(out)", VT_VOLTAGE } };
static const PlotInfo small_plot = {.title = "small", .plotname = "Transient Analysis", .vars = small_vars, .nvars = 2};

static void write_small(const char *path, int ascii, int npoints)
{
    Diag d;
    diag_init(&d, NULL);
    Sink *s = raw_sink_open(path, ascii, &d);
    assert_non_null(s);
    assert_int_equal(s->begin(s, &small_plot, &d), 0);
    for (int k = 0; k < npoints; k++) {
        double v[2] = { k, 0.5 * k + 1 };
        assert_int_equal(s->point(s, v, &d), 0);
    }
    assert_int_equal(s->end(s, &d), 0);
    s->close(s);
    diag_free(&d);
}

/* Everything but the date is fixed: check it byte for byte. */
static const char *skip_date(const char *b)
{
    assert_true(strncmp(b, "Title: small\nDate: ", 19) == 0);
    const char *nl = strchr(b + 19, '\n');
    assert_non_null(nl);
    return nl + 1;
}

static const char small_header[] = "Plotname: Transient Analysis\n"
                                   "Flags: real\n"
                                   "No. Variables: 2\n"
                                   "No. Points: 3           \n"
                                   "Variables:\n"
                                   "\t0\ttime\ttime\n"
                                   "\t1\tv(out)\tvoltage\n";

static void test_binary_layout(void **state)
{
    char *path = tu_tmp_path(state, "layout.raw");
    write_small(path, 0, 3);
    long len;
    char *b = slurp(path, &len);
    const char *h = skip_date(b);
    size_t hl = strlen(small_header);
    assert_memory_equal(h, small_header, hl);
    assert_memory_equal(h + hl, "Binary:\n", 8);
    const unsigned char *data = (const unsigned char *)h + hl + 8;
    assert_int_equal(len - (long)((const char *)data - b), 3 * 2 * 8);
    /* point 2 = (2.0, 2.0): little-endian 0x4000000000000000 twice */
    static const unsigned char two[8] = { 0, 0, 0, 0, 0, 0, 0, 0x40 };
    assert_memory_equal(data + 32, two, 8);
    assert_memory_equal(data + 40, two, 8);
    free(b);
    free(path);
}

static void test_ascii_layout(void **state)
{
    char *path = tu_tmp_path(state, "layout_a.raw");
    write_small(path, 1, 3);
    long len;
    char *b = slurp(path, &len);
    const char *h = skip_date(b);
    size_t hl = strlen(small_header);
    assert_memory_equal(h, small_header, hl);
    assert_string_equal(h + hl, "Values:\n"
                                "0\t\t0.0000000000000000e+00\n\t1.0000000000000000e+00\n"
                                "1\t\t1.0000000000000000e+00\n\t1.5000000000000000e+00\n"
                                "2\t\t2.0000000000000000e+00\n\t2.0000000000000000e+00\n");
    free(b);
    free(path);
}

/* interrupted run: close() without end() must still patch the count */
static void test_close_without_end(void **state)
{
    char *path = tu_tmp_path(state, "noend.raw");
    Diag d;
    diag_init(&d, NULL);
    Sink *s = raw_sink_open(path, 0, &d);
    assert_int_equal(s->begin(s, &small_plot, &d), 0);
    for (int k = 0; k < 7; k++) {
        double v[2] = { k, -k };
        assert_int_equal(s->point(s, v, &d), 0);
    }
    s->close(s);
    RawFile *r = read_ok(path, 0);
    assert_int_equal(r->nplots, 1);
    assert_int_equal(r->plots[0].npoints, 7);
    assert_true(r->plots[0].data[13] == -6.0);
    raw_free(r);
    diag_free(&d);
    free(path);
}

/* Read the file while the writer is still open, as after a kill -9: the
 * periodic patch must have left a count matching the points on disk. */
static void periodic_patch_case(void **state, long every, double seconds, int npts, int expect_on_disk)
{
    char *path = tu_tmp_path(state, "patch.raw");
    Diag d;
    diag_init(&d, NULL);
    Sink *s = raw_sink_open(path, 0, &d);
    raw_sink_set_patch_interval(s, every, seconds);
    assert_int_equal(s->begin(s, &small_plot, &d), 0);
    for (int k = 0; k < npts; k++) {
        double v[2] = { k, 2.0 * k };
        assert_int_equal(s->point(s, v, &d), 0);
    }
    long len;
    char *b = slurp(path, &len);
    char want[64];
    snprintf(want, sizeof want, "No. Points: %-12d\n", expect_on_disk);
    assert_non_null(strstr(b, want));
    free(b);
    RawFile *r = read_ok(path, 0);
    assert_int_equal(r->plots[0].npoints, expect_on_disk);
    raw_free(r);
    s->close(s);
    r = read_ok(path, 0);
    assert_int_equal(r->plots[0].npoints, npts);
    raw_free(r);
    diag_free(&d);
    free(path);
}

static void test_periodic_patch_points(void **state)
{
    periodic_patch_case(state, 3, 1e9, 10, 9);
}

static void test_periodic_patch_time(void **state)
{
    periodic_patch_case(state, 1000000, 0.0, 5, 5);
}

static void append_bytes(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static void expect_warning(const char *path, const char *needle, int npoints)
{
    Diag d;
    diag_init(&d, NULL);
    RawFile *r = raw_read(path, &d);
    assert_non_null(r);
    assert_int_equal(d.nwarnings, 1);
    assert_non_null(strstr(d.buf, needle));
    assert_int_equal(r->plots[r->nplots - 1].npoints, npoints);
    raw_free(r);
    diag_free(&d);
}

/* a kill after points reached the disk but before the count was patched */
static void test_more_points_than_count(void **state)
{
    char *path = tu_tmp_path(state, "stale.raw");
    write_small(path, 0, 4);
    double extra[2] = { 4.1, 3.0 };   /* a 5th point, then half of a 6th */
    append_bytes(path, extra, sizeof extra);
    append_bytes(path, extra, 8);
    expect_warning(path, "1 more point than its header says", 5);
    write_small(path, 0, 4);
    append_bytes(path, extra, 5);
    expect_warning(path, "5 stray bytes after the last point", 4);
    /* a tail starting with a 0 byte is the masked, uncounted data of
     * memspice's writer (raw_write.c): skipped, as ngspice skips it */
    write_small(path, 0, 4);
    double round[2] = { 4.0, 3.0 };
    append_bytes(path, round, sizeof round);
    expect_warning(path, "16 bytes of points the header does not count yet ignored", 4);
    free(path);

    path = tu_tmp_path(state, "stale_a.raw");
    write_small(path, 1, 4);
    const char more[] = "4\t\t4.0e+00\n\t3.0e+00\n5\t\t5.0e+00\n";
    append_bytes(path, more, strlen(more));
    expect_warning(path, "1 more point than its header says", 5);
    free(path);
}

static void truncate_by(const char *path, long nbytes)
{
    long len;
    free(slurp(path, &len));
    assert_int_equal(truncate(path, len - nbytes), 0);
}

static void test_truncated(void **state)
{
    char *path = tu_tmp_path(state, "trunc.raw");
    write_small(path, 0, 10);
    truncate_by(path, 24);   /* the last point and a half */
    expect_warning(path, "header says 10 points, the file holds 8 complete points", 8);
    free(path);

    path = tu_tmp_path(state, "trunc_a.raw");
    write_small(path, 1, 10);
    truncate_by(path, 4);    /* cuts the last number short: not trusted */
    expect_warning(path, "an incomplete last point was dropped", 9);
    free(path);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void expect_error(const char *path, const char *needle)
{
    Diag d;
    diag_init(&d, NULL);
    RawFile *r = raw_read(path, &d);
    assert_null(r);
    assert_true(d.nerrors >= 1);
    if (!strstr(d.buf, needle)) print_message("got: %s\nwanted: %s\n", d.buf, needle);
    assert_non_null(strstr(d.buf, needle));
    diag_free(&d);
}

static void test_bad_headers(void **state)
{
    char *path = tu_tmp_path(state, "bad.raw");
    char *want = NULL;
    write_text(path, "Title: x\nPlotname: p\nFlags: real\nNo. Variables: two\n");
    want = xasprintf("%s:4: error: bad number of variables", path);
    expect_error(path, want);
    free(want);
    write_text(path, "Title: x\n\nthis is not a header\n");
    want = xasprintf("%s:3: error: expected 'Keyword: value'", path);
    expect_error(path, want);
    free(want);
    write_text(path, "Title: x\nNo. Variables: 2\nNo. Points: 1\nVariables:\n\t0\ttime\ttime\n\t2\tv(a)\tvoltage\n");
    want = xasprintf("%s:6: error: expected variable 1", path);
    expect_error(path, want);
    free(want);
    write_text(path, "Title: x\nNo. Variables: 1\nVariables:\n\t0\ttime\ttime\nValues:\n0 1\n");
    expect_error(path, "no 'No. Points:' line");
    /* complex data (AC): "re,im" pairs; a plain number is its real part */
    write_text(path, "Title: x\nPlotname: AC Analysis\nFlags: complex\nNo. Variables: 2\nNo. Points: 1\nVariables:\n"
                     "\t0\tfrequency\tfrequency\n\t1\tv(a)\tvoltage\nValues:\n0\t10,0\n\t0.5,-0.25\n");
    {
        Diag cd;
        diag_init(&cd, NULL);
        RawFile *crf = raw_read(path, &cd);
        if (!crf) fail_msg("complex: %s", cd.buf);
        assert_true(crf->plots[0].cplx);
        assert_true(crf->plots[0].data[0] == 10 && crf->plots[0].data[2] == 0.5 && crf->plots[0].data[3] == -0.25);
        raw_free(crf);
        diag_free(&cd);
    }
    write_text(path, "Title: x\nNo. Variables: 1\nNo. Points: 1\nVariables:\n\t0\tt\ttime\nValues:\n0 1.0q\n");
    want = xasprintf("%s:7: error: bad number '1.0q'", path);
    expect_error(path, want);
    free(want);
    write_text(path, "");
    expect_error(path, "no plot in this file");
    expect_error("/nonexistent/memspice.raw", "cannot open raw file '/nonexistent/memspice.raw'");
    free(path);
}

/* header variants: Command:/Option: lines, blank lines, an unpadded count,
 * extra fields on variable lines, the first variable on the Variables: line */
static void test_header_variants(void **state)
{
    char *path = tu_tmp_path(state, "variants.raw");
    write_text(path, "Title: x\nDate: today\nPlotname: DC transfer characteristic\nFlags: real\n"
                     "No. Variables: 2\nNo. Points: 2\nCommand: version 39\nOption: temp=27\n\n"
                     "Variables: 0 v(v-sweep) voltage\n\t1\tv(out)\tvoltage dims=2\n"
                     "Values:\n 0\t1.5e+00\n\t2.5e+00\n\n 1\t2.5e+00\n\t-inf\n\n");
    RawFile *r = read_ok(path, 0);
    assert_int_equal(r->plots[0].npoints, 2);
    assert_string_equal(r->plots[0].names[0], "v(v-sweep)");
    assert_true(r->plots[0].data[1] == 2.5 && r->plots[0].data[3] == -INFINITY);
    raw_free(r);
    free(path);
}

/* ---- ngspice interoperation ------------------------------------------- */

static char *run_capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    VEC(char) out = { 0 };
    int c;
    while ((c = fgetc(p)) != EOF) VEC_PUSH(out, (char)c);
    VEC_PUSH(out, '\0');
    pclose(p);
    return out.v;
}

static void run_ngspice(void **state, const char *cir_name, const char *netlist, const char *args, char **output)
{
    char *cir = tu_tmp_path(state, cir_name);
    write_text(cir, netlist);
    /* stderr apart: its notes would land in the middle of printed rows */
    char *dir = tu_tmp_path(state, "");
    char *cmd = xasprintf("cd '%s' && ngspice -b %s %s 2>ngspice.err", dir, args, cir_name);
    free(dir);
    char *out = run_capture(cmd);
    free(cmd);
    free(cir);
    if (output) *output = out;
    else free(out);
}

#define REQUIRE_NGSPICE()                                                   \
    do {                                                                         \
        if (!have_ngspice()) {                                                   \
            fail_msg("ngspice is not installed (make test installs it)");        \
        }                                                                        \
    } while (0)

static const char divider[] = "divider\nV1 in 0 1\nR1 in out 1k\nR2 out 0 3k\n%s.dc V1 0 2 0.25\n.op\n.end\n";

/* resistive divider: v(out) = 3/4 v(in), i(v1) = -v(in)/4k exactly */
static void check_divider(const RawFile *r)
{
    assert_int_equal(r->nplots, 2);
    const MemPlot *dc = &r->plots[0], *op = &r->plots[1];
    assert_string_equal(dc->plotname, "DC transfer characteristic");
    assert_int_equal(dc->nvars, 4);
    assert_int_equal(dc->npoints, 9);
    int vout = memplot_var(dc, "v(out)"), iv1 = memplot_var(dc, "i(v1)");
    assert_true(vout > 0 && iv1 > 0);
    assert_int_equal(dc->types[iv1], VT_CURRENT);
    for (int k = 0; k < 9; k++) {
        const double *row = dc->data + 4 * k;
        assert_close(row[0], 0.25 * k, 1e-15);
        assert_close(row[vout], 0.75 * row[0], 1e-12);
        assert_close(row[iv1], -row[0] / 4000, 1e-15);
    }
    /* .op: no scale, one point of node values */
    assert_string_equal(op->plotname, "Operating Point");
    assert_false(plot_has_scale(op->plotname));
    assert_int_equal(op->nvars, 3);
    assert_int_equal(op->npoints, 1);
    assert_string_equal(op->names[0], "v(in)");
    assert_close(op->data[memplot_var(op, "v(out)")], 0.75, 1e-12);
}

static void test_ngspice_writes(void **state)
{
    REQUIRE_NGSPICE();
    for (int ascii = 0; ascii < 2; ascii++) {
        char *net = xasprintf(divider, ascii ? ".options filetype=ascii\n" : "");
        run_ngspice(state, "div.cir", net, "-r div.raw", NULL);
        free(net);
        char *path = tu_tmp_path(state, "div.raw");
        RawFile *r = read_ok(path, 0);
        check_divider(r);
        raw_free(r);
        free(path);
    }
    /* the interactive "write" command lays ascii out differently */
    run_ngspice(state, "divw.cir", "divider\nV1 in 0 1\nR1 in out 1k\nR2 out 0 3k\n.control\n"
                "set filetype=ascii\ndc V1 0 2 0.25\nwrite divw.raw\n.endc\n.end\n", "", NULL);
    char *path = tu_tmp_path(state, "divw.raw");
    RawFile *r = read_ok(path, 0);
    assert_int_equal(r->nplots, 1);
    assert_int_equal(r->plots[0].npoints, 9);
    assert_close(r->plots[0].data[4 * 8 + 2], 1.5, 1e-12);
    raw_free(r);
    free(path);
}

/* rows of the first `which`-th "Index ..." table of ngspice's print */
static int parse_print_table(const char *out, int which, double *vals, int ncols, int maxrows)
{
    const char *s = out;
    for (int t = 0; t <= which; t++) {
        s = strstr(s, "\nIndex ");
        assert_non_null(s);
        s++;
    }
    s = strchr(s, '\n') + 1;   /* the dashes */
    s = strchr(s, '\n') + 1;
    int rows = 0;
    while (rows < maxrows && *s >= '0' && *s <= '9') {
        char *e;
        strtol(s, &e, 10);
        for (int j = 0; j < ncols; j++) vals[rows * ncols + j] = strtod(e, &e);
        rows++;
        s = strchr(s, '\n');
        if (!s) break;
        s++;
    }
    return rows;
}

static void write_tran_op(const char *path, int ascii)
{
    Diag d;
    diag_init(&d, NULL);
    Sink *s = raw_sink_open(path, ascii, &d);
    double v[6];
    assert_int_equal(s->begin(s, &tran_plot, &d), 0);
    for (int k = 0; k < TRAN_N; k++) {
        tran_point(k, v);
        assert_int_equal(s->point(s, v, &d), 0);
    }
    assert_int_equal(s->begin(s, &op_plot, &d), 0);   /* begin() ends the previous plot */
    assert_int_equal(s->point(s, op_vals, &d), 0);
    assert_int_equal(s->end(s, &d), 0);
    s->close(s);
    diag_free(&d);
}

static const char load_script[] = "load test\n.control\nset numdgt=17\nset width=1000\nload %s\n"
                                  "setplot tran1\ndisplay\nprint time v(out) i(v1) x(ym1) temp(ym2) f\n"
                                  "setplot op1\nprint v(in) v(out) i(v1)\n.endc\n.end\n";

/* every value exactly (numdgt=17 prints 18 digits); every type word kept */
static void check_ngspice_load(const char *out)
{
    double got[TRAN_N * 6], v[6];
    assert_int_equal(parse_print_table(out, 0, got, 6, TRAN_N), TRAN_N);
    for (int k = 0; k < TRAN_N; k++) {
        tran_point(k, v);
        assert_memory_equal(got + 6 * k, v, sizeof v);
    }
    for (int j = 0; j < 6; j++) {
        char want[80];
        snprintf(want, sizeof want, "    %-20s: %s, real, %d long", tran_vars[j].name,
                 vartype_name(tran_vars[j].type), TRAN_N);
        if (!strstr(out, want)) print_message("ngspice said:\n%s\nwanted: %s\n", out, want);
        assert_non_null(strstr(out, want));
    }
    for (int j = 0; j < 3; j++) {
        char want[80];
        snprintf(want, sizeof want, "%s = ", op_vars[j].name);
        const char *at = strstr(out, want);
        assert_non_null(at);
        assert_true(strtod(at + strlen(want), NULL) == op_vals[j]);
    }
}

static void test_ngspice_loads_ours(void **state)
{
    REQUIRE_NGSPICE();
    for (int ascii = 0; ascii < 2; ascii++) {
        char *path = tu_tmp_path(state, "ours.raw");
        write_tran_op(path, ascii);
        char *net = xasprintf(load_script, path), *out;
        run_ngspice(state, "load.cir", net, "", &out);
        check_ngspice_load(out);
        free(out);
        free(net);
        free(path);
    }
}

/* a run killed mid-plot: ngspice loads the points counted at the last patch */
static void test_ngspice_loads_interrupted(void **state)
{
    REQUIRE_NGSPICE();
    char *path = tu_tmp_path(state, "killed.raw");
    Diag d;
    diag_init(&d, NULL);
    Sink *s = raw_sink_open(path, 0, &d);
    raw_sink_set_patch_interval(s, 4, 1e9);
    assert_int_equal(s->begin(s, &small_plot, &d), 0);
    for (int k = 0; k < 10; k++) {
        double v[2] = { k * 1e-6, 1.0 / (k + 1) };
        assert_int_equal(s->point(s, v, &d), 0);
    }
    char *net = xasprintf("load\n.control\nset numdgt=17\nload %s\nprint v(out)\n.endc\n.end\n", path), *out;
    run_ngspice(state, "killed.cir", net, "", &out);
    double got[10];
    assert_int_equal(parse_print_table(out, 0, got, 1, 10), 8);
    for (int k = 0; k < 8; k++) assert_true(got[k] == 1.0 / (k + 1));
    free(out);
    free(net);
    s->close(s);
    diag_free(&d);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binary_roundtrip),   cmocka_unit_test(test_ascii_roundtrip),
        cmocka_unit_test(test_binary_layout),      cmocka_unit_test(test_ascii_layout),
        cmocka_unit_test(test_close_without_end),  cmocka_unit_test(test_periodic_patch_points),
        cmocka_unit_test(test_periodic_patch_time), cmocka_unit_test(test_more_points_than_count),
        cmocka_unit_test(test_truncated),          cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_header_variants),
        cmocka_unit_test(test_ngspice_writes),     cmocka_unit_test(test_ngspice_loads_ours),
        cmocka_unit_test(test_ngspice_loads_interrupted),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
