/* The control language (.control ... .endc, docs/control.md).
 *
 * test_compat_decks: every deck in tests/compat/ is run by ngspice -b and
 * by memspice in a scratch directory. Their "name = value" lines (print,
 * meas) are compared in order within the deck's "* compat: rtol=X
 * [atol=Y]" (the reason is stated in the deck), lines starting with "@"
 * (echo) must be equal, and the files named by "* compat-files:" must be
 * equal byte for byte (wrdata). A missing ngspice fails the test (make
 * test installs it).
 *
 * The other tests cover what ngspice cannot be compared on: -r receiving
 * every plot, shell refused, graphics through gnuplot, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/raw_read.h"
#include "sim.h"
#include "testutil.h"
#include "util/xmem.h"

typedef struct Line {
    char *name;       /* "name" of "name = value", or the whole "@ ..." line */
    double value;
    double im;        /* a complex value "re,im" */
    int echo;
} Line;

typedef struct Lines {
    Line *v;
    int n;
} Lines;

/* print and meas lines ("x = 1.0e+00", "vmax   =  9.8e-01 at= ..."), and
 * "@" lines */
static Lines parse_lines(const char *text)
{
    Lines r = {0};
    const char *p = text;
    while (p && *p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *l = xasprintf("%.*s", (int)len, p);
        p = e ? e + 1 : NULL;
        char name[200];
        double v;
        int pos = 0;
        if (l[0] == '@') {
            r.v = xrealloc(r.v, (size_t)(r.n + 1) * sizeof *r.v);
            r.v[r.n++] = (Line){xstrdup(l), 0, 0, 1};
        } else if (sscanf(l, "%199s =%n", name, &pos) == 1 && pos > 0 && sscanf(l + pos, "%lg", &v) == 1 &&
                   strcmp(name, "Doing") != 0) {
            double im = 0;
            const char *comma = strchr(l + pos, ',');
            if (comma && sscanf(comma + 1, "%lg", &im) != 1) im = 0;
            r.v = xrealloc(r.v, (size_t)(r.n + 1) * sizeof *r.v);
            r.v[r.n++] = (Line){xstrdup(name), v, im, 0};
        }
        free(l);
    }
    return r;
}

static void lines_free(Lines *l)
{
    for (int i = 0; i < l->n; i++) free(l->v[i].name);
    free(l->v);
}

/* the value of "* key" in the deck ("" if absent) */
static char *deck_field(const char *deck, const char *key)
{
    const char *k = strstr(deck, key);
    if (!k) return xstrdup("");
    k += strlen(key);
    size_t n = strcspn(k, "\n");
    return xasprintf("%.*s", (int)n, k);
}

static int run_memspice(const char *deck, const char *out_path)
{
    FILE *out = fopen(out_path, "w");
    assert_non_null(out);
    SimConfig cfg = {.netlist = deck, .quiet = 1, .out = out};
    Diag d;
    diag_init(&d, NULL);
    int rc = sim_run(&cfg, &d);
    fprintf(out, "%s", d.buf ? d.buf : "");
    fclose(out);
    diag_free(&d);
    return rc;
}

static void compare_deck(const char *dir, const char *deck_path)
{
    char *deck = tu_read_file(deck_path);
    char *spec = deck_field(deck, "* compat:"), *files = deck_field(deck, "* compat-files:");
    double rtol = 0, atol = 0;
    const char *r = strstr(spec, "rtol="), *a = strstr(spec, "atol=");
    if (!r) fail_msg("%s: no '* compat: rtol=...' line", deck_path);
    rtol = atof(r + 5);
    if (a) atol = atof(a + 5);
    if (chdir(dir)) fail_msg("chdir %s", dir);
    /* ngspice first; its files are kept as NAME.ng */
    char *cmd = xasprintf("ngspice -b '%s' > ng.out 2>&1", deck_path);
    /* its exit status is not used: ngspice-39 exits 1 after a 'reset' that worked */
    int ngrc = system(cmd);
    (void)ngrc;
    free(cmd);
    char *ng_log = tu_read_file("ng.out");
    if (strstr(ng_log, "Error") || strstr(ng_log, "error:"))
        fail_msg("%s: ngspice reported an error:\n%s", deck_path, ng_log);
    free(ng_log);
    char *fl = xstrdup(files);
    for (char *save = NULL, *f = strtok_r(fl, " \t", &save); f; f = strtok_r(NULL, " \t", &save)) {
        char *ng = xasprintf("%s.ng", f);
        if (rename(f, ng)) fail_msg("%s: ngspice wrote no '%s'", deck_path, f);
        free(ng);
    }
    free(fl);
    int rc = run_memspice(deck_path, "ms.out");
    char *ng_out = tu_read_file("ng.out"), *ms_out = tu_read_file("ms.out");
    if (rc != 0) fail_msg("%s: memspice exit %d:\n%s", deck_path, rc, ms_out);
    Lines ln = parse_lines(ng_out), lm = parse_lines(ms_out);
    if (ln.n < 3) fail_msg("%s: ngspice printed %d values: the comparison has no substance\n%s", deck_path, ln.n, ng_out);
    if (ln.n != lm.n) fail_msg("%s: ngspice printed %d values, memspice %d\n--- ngspice:\n%s\n--- memspice:\n%s",
                               deck_path, ln.n, lm.n, ng_out, ms_out);
    double worst = 0;
    for (int i = 0; i < ln.n; i++) {
        const Line *x = &ln.v[i], *y = &lm.v[i];
        if (strcmp(x->name, y->name) || x->echo != y->echo)
            fail_msg("%s: line %d: ngspice '%s', memspice '%s'", deck_path, i + 1, x->name, y->name);
        if (x->echo) continue;
        double diff = hypot(x->value - y->value, x->im - y->im);
        double scale = fmax(hypot(x->value, x->im), hypot(y->value, y->im));
        if (!(diff <= rtol * scale + atol))
            fail_msg("%s: %s: ngspice %.9g%+.9gj, memspice %.9g%+.9gj (rtol %g, atol %g)", deck_path, x->name, x->value,
                     x->im, y->value, y->im, rtol, atol);
        if (diff > atol && diff / scale > worst) worst = diff / scale;
    }
    fl = xstrdup(files);
    int nfiles = 0;
    for (char *save = NULL, *f = strtok_r(fl, " \t", &save); f; f = strtok_r(NULL, " \t", &save)) {
        char *ng = xasprintf("%s.ng", f);
        char *a1 = tu_read_file(ng), *b1 = tu_read_file(f);
        if (strcmp(a1, b1)) fail_msg("%s: %s differs from ngspice's\n--- ngspice:\n%s--- memspice:\n%s", deck_path, f, a1, b1);
        free(a1);
        free(b1);
        free(ng);
        nfiles++;
    }
    free(fl);
    if (getenv("TU_VERBOSE"))
        print_message("  %s: %d values (largest relative difference %.2e), %d files byte for byte\n",
                      strrchr(deck_path, '/') + 1, ln.n, worst, nfiles);
    lines_free(&ln);
    lines_free(&lm);
    free(ng_out);
    free(ms_out);
    free(spec);
    free(files);
    free(deck);
}

static void test_compat_decks(void **state)
{
    if (!tu_have_program("ngspice")) fail_msg("ngspice is not on PATH: the comparison needs it (make test installs it)");
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    const char *dirname = MS_SRCDIR "/tests/compat";
    DIR *dir = opendir(dirname);
    assert_non_null(dir);
    struct dirent *e;
    int n = 0;
    char **names = NULL;
    while ((e = readdir(dir))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cir")) continue;
        names = xrealloc(names, (size_t)(n + 1) * sizeof *names);
        names[n++] = xasprintf("%s/%s", dirname, e->d_name);
    }
    closedir(dir);
    assert_true(n >= 5);
    for (int i = 0; i < n; i++) {
        char *sub = tu_tmp_path(state, strrchr(names[i], '/') + 1);
        char *mk = xasprintf("mkdir -p '%s'", sub);
        assert_int_equal(system(mk), 0);
        compare_deck(sub, names[i]);
        if (chdir(cwd)) fail_msg("chdir back");
        free(mk);
        free(sub);
        free(names[i]);
    }
    free(names);
}

/* run netlist text in the scratch directory; stdout and messages in *out */
static int run_text(void **state, const char *text, const char *raw, int allow_shell, char **out)
{
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char *dir = tu_tmp_path(state, "");
    if (chdir(dir)) fail_msg("chdir");
    size_t len;
    char *buf = NULL;
    FILE *o = open_memstream(&buf, &len);
    SimConfig cfg = {.netlist = "ctl.cir", .text = text, .quiet = 1, .out = o, .raw = raw, .allow_shell = allow_shell};
    Diag d;
    diag_init(&d, NULL);
    int rc = sim_run(&cfg, &d);
    fprintf(o, "%s", d.buf ? d.buf : "");
    fclose(o);
    diag_free(&d);
    if (chdir(cwd)) fail_msg("chdir back");
    free(dir);
    *out = buf;
    return rc;
}

static void expect_in(const char *out, const char *want)
{
    if (!strstr(out, want)) fail_msg("expected '%s' in:\n%s", want, out);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* source FILE: a netlist with a circuit replaces the current one and runs
 * its .control lines; a file of .control lines runs them on the current
 * circuit. The same script in ngspice prints the same lines. */
static void test_source(void **state)
{
    static const char *const main_deck = "source test\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nprint v(a)\nsource other.net\n"
                                         "op\nprint v(a) v(b)\nsource cmds.net\nprint x\n.endc\n.end\n";
    char *other = tu_tmp_path(state, "other.net"), *cmds = tu_tmp_path(state, "cmds.net");
    write_file(other, "other circuit\nV1 a 0 2\nR1 a b 1k\nR2 b 0 1k\n.control\necho loaded other\n.endc\n.end\n");
    write_file(cmds, "commands only\n.control\nlet x = v(b) * 10\necho cmds ran\n.endc\n.end\n");
    static const char *const want[] = {"v(a) = 1.000000e+00\nloaded other\nv(a) = 2.000000e+00\nv(b) = 1.000000e+00\n"
                                       "cmds ran\nx = 1.000000e+01\n"};
    char *out;
    assert_int_equal(run_text(state, main_deck, NULL, 0, &out), 0);
    expect_in(out, want[0]);
    free(out);
    /* ngspice, in the same directory */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char *dir = tu_tmp_path(state, ""), *deck = tu_tmp_path(state, "main.cir");
    write_file(deck, main_deck);
    if (chdir(dir)) fail_msg("chdir");
    int rc = system("ngspice -b main.cir 2>/dev/null | grep -E '^(v\\(|x |loaded|cmds)' > ng.txt");
    (void)rc;
    if (chdir(cwd)) fail_msg("chdir back");
    char *ngf = tu_tmp_path(state, "ng.txt");
    char *ng = tu_read_file(ngf);
    if (strcmp(ng, want[0])) fail_msg("ngspice printed:\n%s", ng);
    free(ng), free(ngf), free(dir), free(deck);
    /* errors: a missing file, a circuit with errors (the previous one stays) */
    write_file(other, "bad circuit\nV1 a 0 2\nR1 a\n.end\n");
    assert_int_equal(run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\nsource nosuch.cir\nsource other.net\nop\n"
                              "print v(a)\n.endc\n.end\n", NULL, 0, &out), 1);
    expect_in(out, "source: 'nosuch.cir' could not be read");
    expect_in(out, "the circuit of 'other.net' has errors (see above); the previous circuit stays");
    expect_in(out, "v(a) = 1.000000e+00");
    free(out);
    write_file(other, "loop\n.control\nsource other.net\n.endc\n.end\n");
    assert_int_equal(run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nsource other.net\n.endc\n.end\n", NULL, 0,
                              &out), 1);
    expect_in(out, "source: files sourced 16 deep (a file that sources itself?)");
    free(out);
    /* labels do not cross files: a goto in a sourced file without its label is an error (exit 1) */
    write_file(other, "jump\n.control\ngoto nowhere\n.endc\n.end\n");
    assert_int_equal(run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nsource other.net\n.endc\n.end\n", NULL, 0,
                              &out), 1);
    expect_in(out, "goto nowhere: no 'label nowhere' in the goto's block or an enclosing one");
    free(out);
    free(other), free(cmds);
}

/* -r FILE: every plot of the script, in order, when it wrote nothing itself */
static void test_raw_gets_every_plot(void **state)
{
    char *out, *raw = tu_tmp_path(state, "all.raw");
    int rc = run_text(state, "t\nV1 a 0 1\nR1 a b 1k\nC1 b 0 1n\n.control\nop\ntran 0.1u 2u\ndc v1 0 1 0.5\n"
                             "let extra = v(b) * 2\n.endc\n.end\n", raw, 0, &out);
    assert_int_equal(rc, 0);
    Diag d;
    diag_init(&d, NULL);
    RawFile *rf = raw_read(raw, &d);
    if (!rf) fail_msg("%s", d.buf);
    assert_int_equal(rf->nplots, 3);
    assert_string_equal(rf->plots[0].plotname, "Operating Point");
    assert_string_equal(rf->plots[1].plotname, "Transient Analysis");
    assert_string_equal(rf->plots[2].plotname, "DC transfer characteristic");
    assert_true(memplot_var(&rf->plots[2], "extra") >= 0);   /* let adds to the current plot */
    assert_int_equal(rf->plots[2].npoints, 3);
    raw_free(rf);
    diag_free(&d);
    free(raw);
    free(out);
}

/* write: the named vectors with the scale; appendwrite adds plots */
static void test_write_appendwrite(void **state)
{
    char *out, *raw = tu_tmp_path(state, "w.raw");
    char *text = xasprintf("t\nV1 a 0 1\nR1 a b 1k\nR2 b 0 1k\n.control\ndc v1 0 1 0.5\nwrite %s v(b)\n"
                           "set appendwrite\nop\nwrite %s\n.endc\n.end\n", raw, raw);
    int rc = run_text(state, text, NULL, 0, &out);
    assert_int_equal(rc, 0);
    Diag d;
    diag_init(&d, NULL);
    RawFile *rf = raw_read(raw, &d);
    if (!rf) fail_msg("%s", d.buf);
    assert_int_equal(rf->nplots, 2);
    assert_int_equal(rf->plots[0].nvars, 2);   /* v-sweep, v(b) */
    tu_close(tu_val(&rf->plots[0], 2, 1), 0.5, 1e-12, 0, "v(b) at v1 = 1");
    raw_free(rf);
    diag_free(&d);
    free(text);
    free(raw);
    free(out);
}

static void test_shell(void **state)
{
    char *out;
    int rc = run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nshell echo ran > shell_ran.txt\n.endc\n.end\n",
                      NULL, 0, &out);
    assert_int_equal(rc, 1);
    expect_in(out, "ctl.cir:6:1: error: shell: running programs from a netlist is refused");
    char *marker = tu_tmp_path(state, "shell_ran.txt");
    assert_int_not_equal(access(marker, F_OK), 0);
    free(out);
    rc = run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nshell echo ran > shell_ran.txt\n.endc\n.end\n", NULL,
                  1, &out);
    assert_int_equal(rc, 0);
    assert_int_equal(access(marker, F_OK), 0);
    free(marker);
    free(out);
}

/* gnuplot NAME vecs: NAME.data, NAME.plt and NAME.png as ngspice names
 * them (gnuplot is a dependency of make test); plot: a PNG, never an error */
static void test_graphics(void **state)
{
    if (!tu_have_program("gnuplot")) fail_msg("gnuplot is not on PATH (make test installs it)");
    char *out;
    int rc = run_text(state, "t\nV1 a 0 SIN(0 1 1k)\nR1 a b 1k\nC1 b 0 100n\n.control\ntran 10u 2m\n"
                             "gnuplot wave v(a) v(b)\nplot v(b)\nhardcopy hc.png v(a)\n.endc\n.end\n", NULL, 0, &out);
    assert_int_equal(rc, 0);
    static const char *const files[] = {"wave.png", "wave.data", "wave.plt", "plot1.png", "hc.png"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *p = tu_tmp_path(state, files[i]);
        if (access(p, F_OK)) fail_msg("%s was not written:\n%s", files[i], out);
        free(p);
    }
    free(out);
}

static void test_errors(void **state)
{
    char *out;
    assert_int_equal(run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\necho hi\n.endc\n.end\n", NULL, 0, &out), 1);
    expect_in(out, "ctl.cir:5:1: error: the .control block ran no analysis");
    free(out);
    assert_int_equal(run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nfrobnicate\nprint v(a)\n.endc\n.end\n",
                              NULL, 0, &out), 1);
    expect_in(out, "ctl.cir:6:1: error: unknown control command 'frobnicate'");
    expect_in(out, "v(a) = 1.000000e+00");   /* the script goes on after an error, as in ngspice */
    free(out);
    assert_int_equal(run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nprint v(nosuch)\n.endc\n.end\n", NULL, 0,
                              &out), 1);
    expect_in(out, "ctl.cir:6:1: error: 'v(nosuch)': no vector named 'v(nosuch)'");
    free(out);
    assert_int_equal(run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nif 1\necho x\n.endc\n.end\n", NULL, 0,
                              &out), 1);
    expect_in(out, "ctl.cir:6:1: error: this block has no 'end'");
    free(out);
    assert_int_equal(run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nalter r9 = 2\nalter r1 bogus = 2\n"
                              "altermod nomodel is=1\n.endc\n.end\n", NULL, 0, &out), 1);
    expect_in(out, "alter: no element named 'r9'");
    expect_in(out, "alter: r1 (resistor) has no parameter 'bogus'");
    expect_in(out, "altermod: no model named 'nomodel'");
    free(out);
    assert_int_equal(run_text(state, "t\n.subckt s a\nR1 a 0 {r}\n.param r=1\n.ends\nV1 a 0 1\nX1 a s\n.control\nop\n"
                              "alterparam s q = 2\nreset\n.endc\n.end\n", NULL, 0, &out), 1);
    expect_in(out, "alterparam s q: the netlist has no subcircuit 's' with a parameter 'q'");
    free(out);
    /* never without end: a loop that does not finish is stopped */
    assert_int_equal(run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nrepeat\nend\necho @ after\n.endc\n.end\n",
                              NULL, 0, &out), 1);
    expect_in(out, "ctl.cir:6:1: error: this loop ran 10000000 times without ending: stopped");
    if (strstr(out, "@ after")) fail_msg("the script went on after the stopped loop:\n%s", out);
    free(out);
    assert_int_equal(run_text(state, "t\nV1 a 0 1\nR1 a 0 1k\n.tran 1u 1m\n.step param x 1 2 1\n.param x=1\n"
                              ".control\nrun\n.endc\n.end\n", NULL, 0, &out), 1);
    expect_in(out, "a .control block and .step in one netlist are not supported");
    free(out);
}

/* $&vec, let x[i] = v, setplot / destroy, option temp, print col and line */
static void test_vectors_and_plots(void **state)
{
    char *out;
    int rc = run_text(state,
                      "t\nV1 a 0 1\nR1 a 0 r=1k tc1=0.01\n.control\nop\nlet r0 = v(a)/-i(v1)\noption temp=127\nop\n"
                      "let r1 = v(a)/-i(v1)\nprint r1\nsetplot op1\nprint r0\nlet z = vector(4)\nlet z[2] = 7\n"
                      "echo @ $&z\nprint line z\nprint col z\ndestroy op2\nsetplot\n.endc\n.end\n",
                      NULL, 0, &out);
    if (rc) fail_msg("%s", out);
    expect_in(out, "r1 = 2.000000e+03");   /* 1k (1 + 0.01 * 100 K) */
    expect_in(out, "r0 = 1.000000e+03");
    expect_in(out, "@ 0 1 7 3");
    expect_in(out, "z = (  0.000000e+00\t1.000000e+00\t7.000000e+00\t3.000000e+00 )");
    expect_in(out, "Current\top1");
    if (strstr(out, "op2\t")) fail_msg("op2 not destroyed:\n%s", out);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compat_decks),     cmocka_unit_test(test_raw_gets_every_plot), cmocka_unit_test(test_source),
        cmocka_unit_test(test_write_appendwrite), cmocka_unit_test(test_shell),
        cmocka_unit_test(test_graphics),          cmocka_unit_test(test_errors),
        cmocka_unit_test(test_vectors_and_plots),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
