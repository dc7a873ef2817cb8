/* The memspice program from the outside: every input error in tests/bad,
 * the command line, interruption, unwritable output, simulation failure and
 * inputs built to break the front end (deep nesting, NUL bytes).
 *
 * tests/bad/NAME.cir: one netlist per error class. Its leading comment lines
 * say what must happen:
 *   * expect-exit: 1          (or a list: 0,1)
 *   * expect: name.cir:7:11: error: unknown parameter 'tc' ...
 * Every `expect` text must appear in stderr. When it starts with
 * file:line: that line of that file must be quoted ("    7 | text").
 * Exit 0 cases must print no error; others at least one. Nothing may
 * crash, hang, or print a sanitizer report.
 *
 * Everything runs build/memspice (MS_BUILDDIR) in a child process with a
 * time limit; tests that fail because memspice is wrong say so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "output/raw_read.h"
#include "output/sink.h"
#include "util/xmem.h"

#define MEMSPICE MS_BUILDDIR "/memspice"
#define BAD_DIR MS_SRCDIR "/tests/bad"

static char tmpdir[64];   /* per test program; removed at the end */

/* ---------------------------------------------------------------- helpers */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* whole file, NUL-terminated; *len its length (may contain NULs) */
static char *slurp_n(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    VEC(char) b = {0};
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        VEC_RESERVE(b, b.n + (int)got + 1);
        memcpy(b.v + b.n, buf, got);
        b.n += (int)got;
    }
    fclose(f);
    VEC_PUSH(b, '\0');
    if (len) *len = (size_t)b.n - 1;
    return b.v;
}

static char *slurp(const char *path)
{
    return slurp_n(path, NULL);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* a fresh empty directory under tmpdir */
static char *fresh_dir(const char *name)
{
    char *d = xasprintf("%s/%s", tmpdir, name);
    char *cmd = xasprintf("rm -rf '%s'", d);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    assert_int_equal(mkdir(d, 0755), 0);
    return d;
}

/* ------------------------------------------------------- running memspice */

typedef struct Proc {
    pid_t pid;
    char *out_path, *err_path;
    double t0;
} Proc;

typedef struct Result {
    int exited, status;     /* exit status when exited */
    int signaled, sig;      /* killed by a signal (a crash, or our timeout kill) */
    int timed_out;
    char *out, *err;        /* captured stdout / stderr */
    double seconds;
} Result;

static void result_free(Result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

/* Start memspice with args (NULL-terminated, without argv[0]) in cwd;
 * stdin from stdin_path (NULL: /dev/null). */
static Proc spawn(const char *cwd, const char *stdin_path, const char *const *args)
{
    static int seq;
    Proc p;
    p.out_path = xasprintf("%s/out.%d", tmpdir, seq);
    p.err_path = xasprintf("%s/err.%d", tmpdir, seq);
    seq++;
    int nargs = 0;
    while (args[nargs]) nargs++;
    char **argv = xcalloc((size_t)nargs + 2, sizeof *argv);
    argv[0] = (char *)MEMSPICE;
    for (int i = 0; i < nargs; i++) argv[i + 1] = (char *)args[i];
    fflush(NULL);
    p.t0 = now();
    p.pid = fork();
    assert_true(p.pid >= 0);
    if (p.pid == 0) {
        int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
        int out = open(p.out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(p.err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0 || chdir(cwd) != 0) _exit(125);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        close(in);
        close(out);
        close(err);
        execv(MEMSPICE, argv);
        _exit(126);
    }
    free(argv);
    return p;
}

/* Wait up to `timeout` seconds (then SIGKILL); collects the output. */
static Result finish(Proc *p, double timeout)
{
    Result r = {0};
    int st = 0;
    for (;;) {
        pid_t w = waitpid(p->pid, &st, WNOHANG);
        if (w == p->pid) break;
        if (now() - p->t0 > timeout) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &st, 0);
            r.timed_out = 1;
            break;
        }
        sleep_s(0.005);
    }
    r.seconds = now() - p->t0;
    if (WIFEXITED(st)) {
        r.exited = 1;
        r.status = WEXITSTATUS(st);
    } else if (WIFSIGNALED(st)) {
        r.signaled = 1;
        r.sig = WTERMSIG(st);
    }
    r.out = slurp(p->out_path);
    r.err = slurp(p->err_path);
    if (!r.out) r.out = xstrdup("");
    if (!r.err) r.err = xstrdup("");
    unlink(p->out_path);
    unlink(p->err_path);
    free(p->out_path);
    free(p->err_path);
    return r;
}

static Result run_in(const char *cwd, const char *stdin_path, double timeout, const char *const *args)
{
    Proc p = spawn(cwd, stdin_path, args);
    return finish(&p, timeout);
}

#define RUN(cwd, ...) run_in((cwd), NULL, 60, (const char *const[]){__VA_ARGS__, NULL})

static const char *describe(const Result *r, char *buf, size_t n)
{
    if (r->timed_out) snprintf(buf, n, "did not finish (killed after %.1f s)", r->seconds);
    else if (r->signaled) snprintf(buf, n, "killed by signal %d (%s)", r->sig, strsignal(r->sig));
    else snprintf(buf, n, "exit status %d", r->status);
    return buf;
}

/* no crash, no hang, no sanitizer report; then the exit status */
static void expect_clean_exit(const Result *r, int status)
{
    char how[128];
    describe(r, how, sizeof how);
    if (r->timed_out || r->signaled || strstr(r->err, "AddressSanitizer") || strstr(r->err, "LeakSanitizer") ||
        strstr(r->err, "runtime error"))
        fail_msg("memspice crashed, hung or reported memory errors: %s\n--- stderr:\n%s", how, r->err);
    if (r->status != status)
        fail_msg("expected exit status %d, got %s\n--- stderr:\n%s\n--- stdout:\n%.2000s", status, how, r->err,
                 r->out);
}

static void expect_in(const char *what, const char *text, const char *want)
{
    if (!strstr(text, want)) fail_msg("expected in %s:\n%s\n--- %s was:\n%s", what, want, what, text);
}

static void expect_not_in(const char *what, const char *text, const char *unwanted)
{
    if (strstr(text, unwanted)) fail_msg("did not expect in %s:\n%s\n--- %s was:\n%s", what, unwanted, what, text);
}

/* ---------------------------------------------------- tests/bad/NAME.cir */

typedef struct BadCase {
    char *name;             /* file name in tests/bad */
    int exits[4], nexits;
    VEC(char *) expects;
} BadCase;

/* line n (1-based) of a file: up to the newline or a NUL (*had_nul set) */
static char *file_line(const char *path, int n, int *had_nul)
{
    size_t len;
    char *s = slurp_n(path, &len);
    if (!s) return NULL;
    size_t i = 0;
    for (int k = 1; k < n && i < len; i++)
        if (s[i] == '\n') k++;
    size_t e = i;
    while (e < len && s[e] != '\n') e++;
    char *line = xstrndup(s + i, e - i);  /* stops at a NUL */
    *had_nul = strlen(line) < e - i;
    size_t l = strlen(line);
    if (l && line[l - 1] == '\r') line[l - 1] = '\0';
    free(s);
    return line;
}

static void parse_expectations(BadCase *bc)
{
    char *path = xasprintf("%s/%s", BAD_DIR, bc->name);
    size_t len;
    char *s = slurp_n(path, &len);
    assert_non_null(s);
    free(path);
    for (char *line = s; line && line < s + len;) {
        char *nl = memchr(line, '\n', (size_t)(s + len - line));
        if (nl) *nl = '\0';
        if (!strncmp(line, "* expect-exit:", 14)) {
            for (char *p = line + 14; *p && bc->nexits < 4;) {
                while (*p == ' ' || *p == ',') p++;
                if (!*p) break;
                bc->exits[bc->nexits++] = (int)strtol(p, &p, 10);
            }
        } else if (!strncmp(line, "* expect:", 9)) {
            char *t = line + 9;
            while (*t == ' ') t++;
            VEC_PUSH(bc->expects, xstrdup(t));
        }
        line = nl ? nl + 1 : NULL;
    }
    free(s);
}

/* "name.cir:12:..." -> file name and line, when the expectation starts so */
static int expect_location(const char *e, char *file, size_t n, int *line)
{
    const char *colon = strchr(e, ':');
    if (!colon || colon == e || (size_t)(colon - e) >= n) return 0;
    char *end;
    long l = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end != ':' || l <= 0) return 0;
    memcpy(file, e, (size_t)(colon - e));
    file[colon - e] = '\0';
    *line = (int)l;
    return 1;
}

static void test_bad_netlist(void **state)
{
    BadCase *bc = *state;
    parse_expectations(bc);
    if (bc->nexits == 0) fail_msg("%s: no '* expect-exit:' line", bc->name);
    if (bc->expects.n == 0) fail_msg("%s: no '* expect:' line", bc->name);
    Result r = run_in(BAD_DIR, NULL, 30, (const char *const[]){"--no-raw", bc->name, NULL});
    char how[128];
    describe(&r, how, sizeof how);
    if (r.timed_out || r.signaled || strstr(r.err, "AddressSanitizer") || strstr(r.err, "LeakSanitizer") ||
        strstr(r.err, "runtime error"))
        fail_msg("%s: memspice crashed, hung or reported memory errors: %s\n--- stderr:\n%s", bc->name, how, r.err);
    int ok = 0;
    for (int i = 0; i < bc->nexits; i++) ok |= r.status == bc->exits[i];
    if (!ok)
        fail_msg("%s: expected exit status %d%s, got %s\n--- stderr:\n%s", bc->name, bc->exits[0],
                 bc->nexits > 1 ? " (or another listed one)" : "", how, r.err);
    if (r.status == 0) expect_not_in("stderr", r.err, ": error: ");
    else expect_in("stderr", r.err, "error: ");
    for (int i = 0; i < bc->expects.n; i++) {
        const char *e = bc->expects.v[i];
        expect_in("stderr", r.err, e);
        char file[256];
        int line, had_nul = 0;
        if (!expect_location(e, file, sizeof file, &line)) continue;
        char *path = xasprintf("%s/%s", BAD_DIR, file);
        char *text = file_line(path, line, &had_nul);
        free(path);
        if (!text) fail_msg("%s: expectation names %s, which is not in tests/bad", bc->name, file);
        /* the quote of the offending line, as diag.c prints it */
        char *quote = xasprintf("%5d | %s%s", line, text, had_nul ? "" : "\n");
        expect_in("stderr (quoted source line)", r.err, quote);
        free(quote);
        free(text);
    }
    result_free(&r);
}

static int bad_teardown(void **state)
{
    BadCase *bc = *state;
    for (int i = 0; i < bc->expects.n; i++) free(bc->expects.v[i]);
    VEC_FREE(bc->expects);
    bc->nexits = 0;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(((const BadCase *)a)->name, ((const BadCase *)b)->name);
}

/* ---------------------------------------------------------- netlists */

static const char rc_netlist[] =
    "rc step\n"
    "V1 a 0 PULSE(0 1 10n 1n 1n 50n 100n)\n"
    "R1 a b 1k\n"
    "C1 b 0 10p\n"
    ".tran 1n 200n\n";

/* file in dir with the given text; returns its path */
static char *put(const char *dir, const char *name, const char *text)
{
    char *p = xasprintf("%s/%s", dir, name);
    write_file(p, text);
    return p;
}

static RawFile *load_raw(const char *path)
{
    Diag d;
    diag_init(&d, NULL);
    RawFile *rf = raw_read(path, &d);
    if (!rf || d.nerrors || d.nwarnings)
        fail_msg("raw file %s: %s", path, d.buf ? d.buf : "(no message)");
    diag_free(&d);
    return rf;
}

static double rel_diff(double a, double b)
{
    double m = fmax(fabs(a), fabs(b));
    return m == 0 ? 0 : fabs(a - b) / m;
}

/* ------------------------------------------------------- command line */

static void test_help(void **state)
{
    (void)state;
    Result r = RUN(tmpdir, "--help");
    expect_clean_exit(&r, 0);
    expect_in("stdout", r.out, "usage: memspice");
    expect_in("stdout", r.out, "--no-raw");
    expect_in("stdout", r.out, "--csv");
    assert_string_equal(r.err, "");
    result_free(&r);
}

static void test_version(void **state)
{
    (void)state;
    char *v = slurp(MS_SRCDIR "/VERSION");
    assert_non_null(v);
    v[strcspn(v, "\r\n")] = '\0';
    char *want = xasprintf("memspice %s\n", v);
    Result r = RUN(tmpdir, "--version");
    expect_clean_exit(&r, 0);
    assert_string_equal(r.out, want);
    assert_string_equal(r.err, "");
    free(want);
    free(v);
    result_free(&r);
}

static void test_list_devices(void **state)
{
    (void)state;
    Result r = RUN(tmpdir, "--list-devices");
    expect_clean_exit(&r, 0);
    static const char *const want[] = {"R  resistor", "C  capacitor", "L  inductor", "K  mutual", "V  vsource",
                                       "I  isource", "E  vcvs", "G  vccs", "F  cccs", "H  ccvs", "tc1"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) expect_in("stdout", r.out, want[i]);
    assert_string_equal(r.err, "");
    result_free(&r);
}

static void test_unknown_option(void **state)
{
    (void)state;
    Result r = RUN(tmpdir, "--bogus", "x.cir");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "unknown option '--bogus'");
    expect_in("stderr", r.err, "usage:");
    assert_string_equal(r.out, "");
    result_free(&r);
}

static void test_no_netlist(void **state)
{
    (void)state;
    Result r = RUN(tmpdir, "-q");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "usage:");
    assert_string_equal(r.out, "");
    result_free(&r);
}

static void test_option_missing_argument(void **state)
{
    (void)state;
    Result r = RUN(tmpdir, "-r");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "missing file name after '-r'");
    result_free(&r);
    r = RUN(tmpdir, "x.cir", "--csv");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "'--csv'");
    result_free(&r);
}

static void test_two_netlists(void **state)
{
    (void)state;
    Result r = RUN(tmpdir, "a.cir", "b.cir");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "more than one netlist");
    result_free(&r);
}

static void test_missing_netlist_file(void **state)
{
    (void)state;
    char *d = fresh_dir("missing");
    Result r = RUN(d, "no_such_netlist.cir");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "no_such_netlist.cir");
    expect_in("stderr", r.err, "error");
    char *raw = xasprintf("%s/no_such_netlist.raw", d);
    assert_false(file_exists(raw));
    free(raw);
    result_free(&r);
    free(d);
}

static void test_netlist_is_directory(void **state)
{
    (void)state;
    char *d = fresh_dir("isdir");
    char *sub = fresh_dir("isdir/sub.cir");
    Result r = RUN(d, "--no-raw", "sub.cir");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "sub.cir");
    result_free(&r);
    free(sub);
    free(d);
}

/* '-' reads the netlist from stdin; its messages say <stdin> */
static void test_stdin(void **state)
{
    (void)state;
    char *d = fresh_dir("stdin");
    char *good = put(d, "good.txt", "from stdin\nV1 a 0 2\nR1 a 0 1k\n.print op v(a)\n.op\n");
    Result r = run_in(d, good, 30, (const char *const[]){"--no-raw", "-", NULL});
    expect_clean_exit(&r, 0);
    expect_in("stdout", r.out, "2.0");
    result_free(&r);
    char *bad = put(d, "bad.txt", "from stdin\nV1 a 0 2\nR1 a 0 1k tc=1\n.op\n");
    r = run_in(d, bad, 30, (const char *const[]){"--no-raw", "-", NULL});
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "<stdin>:3:11: error: unknown parameter 'tc'");
    expect_in("stderr", r.err, "    3 | R1 a 0 1k tc=1\n");
    result_free(&r);
    /* the default raw file of stdin is stdin.raw in the cwd */
    r = run_in(d, good, 30, (const char *const[]){"-q", "-", NULL});
    expect_clean_exit(&r, 0);
    char *raw = xasprintf("%s/stdin.raw", d);
    assert_true(file_exists(raw));
    free(raw);
    result_free(&r);
    free(good);
    free(bad);
    free(d);
}

/* A NUL byte must not end the input silently (here the netlist after it
 * has an error): exit 1 with a located message. */
static void test_stdin_nul_byte(void **state)
{
    (void)state;
    char *d = fresh_dir("stdin_nul");
    char *p = xasprintf("%s/nul.txt", d);
    static const char text[] = "nul\nV1 a 0 1\nR1 a 0 1k\n\0\nR2 a 0 1k tc=1\n.op\n";
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fwrite(text, 1, sizeof text - 1, f);
    fclose(f);
    Result r = run_in(d, p, 30, (const char *const[]){"--no-raw", "-", NULL});
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "<stdin>:");
    result_free(&r);
    free(p);
    free(d);
}

static void test_raw_option(void **state)
{
    (void)state;
    char *d = fresh_dir("raw_option");
    char *net = put(d, "rc.cir", rc_netlist);
    char *raw = xasprintf("%s/out/given.raw", d);
    char *outdir = xasprintf("%s/out", d);
    assert_int_equal(mkdir(outdir, 0755), 0);
    Result r = RUN(d, "-r", "out/given.raw", "rc.cir");
    expect_clean_exit(&r, 0);
    expect_in("stderr", r.err, "memspice: waveforms in out/given.raw");
    assert_false(file_exists("rc.raw"));
    RawFile *rf = load_raw(raw);
    assert_int_equal(rf->nplots, 1);
    const MemPlot *p = &rf->plots[0];
    assert_string_equal(p->plotname, "Transient Analysis");
    assert_int_equal(memplot_var(p, "time"), 0);
    assert_true(memplot_var(p, "v(a)") > 0);
    int vb = memplot_var(p, "v(b)");
    assert_true(vb > 0);
    assert_true(memplot_var(p, "i(v1)") > 0);
    assert_true(p->npoints > 10);
    /* last point at 200 ns; tau = 10 ns: v(b) charges to 1 - e^-5 within
     * each 50 ns pulse and is back near 0 (e^-3.8) 38 ns after it */
    size_t last = (size_t)(p->npoints - 1) * (size_t)p->nvars;
    assert_true(fabs(p->data[last] - 200e-9) < 1e-15);
    assert_true(p->data[last + (size_t)vb] > 0 && p->data[last + (size_t)vb] < 0.05);
    double vmax = 0;
    for (int i = 0; i < p->npoints; i++) vmax = fmax(vmax, p->data[(size_t)i * (size_t)p->nvars + (size_t)vb]);
    assert_true(vmax > 0.99 && vmax < 1.0);
    raw_free(rf);
    result_free(&r);
    free(outdir);
    free(raw);
    free(net);
    free(d);
}

/* default: the netlist's stem + .raw, in the current directory (not next
 * to the netlist) */
static void test_default_raw_name(void **state)
{
    (void)state;
    char *d = fresh_dir("default_raw");
    char *sub = fresh_dir("default_raw/nets");
    char *net = put(sub, "my.circuit.cir", rc_netlist);
    Result r = RUN(d, "nets/my.circuit.cir");
    expect_clean_exit(&r, 0);
    char *want = xasprintf("%s/my.circuit.raw", d);
    char *wrong = xasprintf("%s/my.circuit.raw", sub);
    assert_true(file_exists(want));
    assert_false(file_exists(wrong));
    expect_in("stderr", r.err, "waveforms in my.circuit.raw");
    RawFile *rf = load_raw(want);
    assert_int_equal(rf->nplots, 1);
    raw_free(rf);
    result_free(&r);
    free(want);
    free(wrong);
    free(net);
    free(sub);
    free(d);
}

static int count_entries(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(dp);
    return n;
}

static void test_no_raw(void **state)
{
    (void)state;
    char *d = fresh_dir("no_raw");
    char *net = put(d, "rc.cir", rc_netlist);
    Result r = RUN(d, "--no-raw", "rc.cir");
    expect_clean_exit(&r, 0);
    assert_int_equal(count_entries(d), 1);  /* only the netlist */
    expect_not_in("stderr", r.err, "waveforms in");
    result_free(&r);
    /* --no-raw wins over -r, whatever the order */
    r = RUN(d, "-r", "x.raw", "--no-raw", "rc.cir");
    expect_clean_exit(&r, 0);
    assert_int_equal(count_entries(d), 1);
    result_free(&r);
    free(net);
    free(d);
}

static void test_ascii_raw(void **state)
{
    (void)state;
    char *d = fresh_dir("ascii");
    char *net = put(d, "rc.cir", rc_netlist);
    Result r = RUN(d, "-q", "--ascii", "-r", "a.raw", "rc.cir");
    expect_clean_exit(&r, 0);
    result_free(&r);
    r = RUN(d, "-q", "-r", "b.raw", "rc.cir");
    expect_clean_exit(&r, 0);
    result_free(&r);
    char *pa = xasprintf("%s/a.raw", d), *pb = xasprintf("%s/b.raw", d);
    char *ta = slurp(pa);
    assert_non_null(ta);
    expect_in("ascii raw", ta, "Values:\n");
    expect_not_in("ascii raw", ta, "Binary:");
    for (const char *c = ta; *c; c++)
        if ((unsigned char)*c >= 0x80 || ((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t'))
            fail_msg("ascii raw has a non-text byte 0x%02x at offset %ld", (unsigned char)*c, (long)(c - ta));
    RawFile *a = load_raw(pa), *b = load_raw(pb);
    assert_int_equal(a->nplots, 1);
    assert_int_equal(b->nplots, 1);
    assert_int_equal(a->plots[0].nvars, b->plots[0].nvars);
    assert_int_equal(a->plots[0].npoints, b->plots[0].npoints);
    size_t n = (size_t)a->plots[0].nvars * (size_t)a->plots[0].npoints;
    for (size_t i = 0; i < n; i++)
        if (rel_diff(a->plots[0].data[i], b->plots[0].data[i]) > 1e-15)
            fail_msg("ascii and binary raw differ at value %zu: %.17g vs %.17g", i, a->plots[0].data[i],
                     b->plots[0].data[i]);
    raw_free(a);
    raw_free(b);
    free(ta);
    free(pa);
    free(pb);
    free(net);
    free(d);
}

/* CSV: same names and the same numbers as the raw file of the same run */
static void test_csv_matches_raw(void **state)
{
    (void)state;
    char *d = fresh_dir("csv");
    char *net = put(d, "rc.cir", rc_netlist);
    Result r = RUN(d, "-q", "-r", "rc.raw", "--csv", "rc.csv", "rc.cir");
    expect_clean_exit(&r, 0);
    result_free(&r);
    char *praw = xasprintf("%s/rc.raw", d), *pcsv = xasprintf("%s/rc.csv", d);
    RawFile *rf = load_raw(praw);
    const MemPlot *p = &rf->plots[0];
    char *csv = slurp(pcsv);
    assert_non_null(csv);
    char *save = NULL;
    char *line = strtok_r(csv, "\n", &save);
    assert_non_null(line);
    /* header: the variable names in raw order */
    int k = 0;
    for (char *f = line, *next; f; f = next, k++) {
        next = strchr(f, ',');
        if (next) *next++ = '\0';
        assert_true(k < p->nvars);
        assert_string_equal(f, p->names[k]);
    }
    assert_int_equal(k, p->nvars);
    int row = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        assert_true(row < p->npoints);
        char *s = line;
        for (int j = 0; j < p->nvars; j++) {
            char *end;
            double v = strtod(s, &end);
            assert_true(end != s);
            double want = p->data[(size_t)row * (size_t)p->nvars + (size_t)j];
            if (rel_diff(v, want) > 1e-15) fail_msg("csv row %d column %d: %.17g, raw has %.17g", row, j, v, want);
            s = *end == ',' ? end + 1 : end;
        }
        row++;
    }
    assert_int_equal(row, p->npoints);
    raw_free(rf);
    free(csv);
    free(praw);
    free(pcsv);
    free(net);
    free(d);
}

static void test_quiet(void **state)
{
    (void)state;
    char *d = fresh_dir("quiet");
    char *net = put(d, "rc.cir", rc_netlist);
    Result r = RUN(d, "rc.cir");
    expect_clean_exit(&r, 0);
    expect_in("stderr", r.err, "memspice: tran:");
    result_free(&r);
    r = RUN(d, "-q", "rc.cir");
    expect_clean_exit(&r, 0);
    assert_string_equal(r.err, "");
    result_free(&r);
    r = RUN(d, "--quiet", "-b", "--no-raw", "rc.cir");
    expect_clean_exit(&r, 0);
    assert_string_equal(r.err, "");
    result_free(&r);
    /* -q does not hide errors */
    char *bad = put(d, "bad.cir", "bad\nV1 a 0 1\nR1 a 0 1k tc=1\n.op\n");
    r = RUN(d, "-q", "bad.cir");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "bad.cir:3:11: error: unknown parameter 'tc'");
    result_free(&r);
    free(bad);
    free(net);
    free(d);
}

/* .print tran: a table on stdout with the raw file's numbers */
static void test_print_table(void **state)
{
    (void)state;
    char *d = fresh_dir("print");
    char *text = xasprintf("%s.print tran v(b) i(v1)\n", rc_netlist);
    char *net = put(d, "rc.cir", text);
    Result r = RUN(d, "-q", "-r", "rc.raw", "rc.cir");
    expect_clean_exit(&r, 0);
    expect_in("stdout", r.out, "time");
    expect_in("stdout", r.out, "v(b)");
    expect_in("stdout", r.out, "i(v1)");
    char *praw = xasprintf("%s/rc.raw", d);
    RawFile *rf = load_raw(praw);
    const MemPlot *p = &rf->plots[0];
    int cb = memplot_var(p, "v(b)"), ci = memplot_var(p, "i(v1)");
    int rows = 0;
    char *save = NULL;
    for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *end;
        long idx = strtol(line, &end, 10);
        if (end == line || (*end != '\t' && *end != ' ')) continue;   /* headers, rules */
        double v[3];
        char *s = end;
        for (int j = 0; j < 3; j++) {
            v[j] = strtod(s, &end);
            assert_true(end != s);
            s = end;
        }
        assert_int_equal(idx, rows);
        assert_true(rows < p->npoints);
        const double *row = p->data + (size_t)rows * (size_t)p->nvars;
        double want[3] = {row[0], row[cb], row[ci]};
        for (int j = 0; j < 3; j++)
            if (fabs(v[j] - want[j]) > 1e-6 * fabs(want[j]) + 1e-30)
                fail_msg(".print row %d column %d: %g, raw has %.17g", rows, j, v[j], want[j]);
        rows++;
    }
    assert_int_equal(rows, p->npoints);
    raw_free(rf);
    result_free(&r);
    free(praw);
    free(net);
    free(text);
    free(d);
}

/* ------------------------------------------------------ interruption */

/* An RC ladder of n sections over a long time: runs for many seconds. */
static char *ladder_netlist(int n)
{
    VEC(char) b = {0};
    char line[128];
#define ADD(...)                                              \
    do {                                                      \
        int l_ = snprintf(line, sizeof line, __VA_ARGS__);    \
        VEC_RESERVE(b, b.n + l_ + 1);                         \
        memcpy(b.v + b.n, line, (size_t)l_ + 1);              \
        b.n += l_;                                            \
    } while (0)
    ADD("rc ladder, %d sections\n", n);
    ADD("V1 n0 0 PULSE(0 1 0 1n 1n 5u 10u)\n");
    for (int i = 1; i <= n; i++) {
        ADD("R%d n%d n%d 1k\n", i, i - 1, i);
        ADD("C%d n%d 0 1p\n", i, i);
    }
    ADD(".save v(n1) v(n%d) v(n%d)\n", n / 2, n);
    ADD(".tran 1n 10m\n");
#undef ADD
    return b.v;
}

/* "No. Points:" of the (single) plot of a raw file */
static long header_points(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char line[256];
    long n = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "No. Points:", 11)) {
            n = strtol(line + 11, NULL, 10);
            break;
        }
    fclose(f);
    return n;
}

static void interrupt_with(int sig, const char *dirname)
{
    char *d = fresh_dir(dirname);
    char *text = ladder_netlist(2000);
    char *net = put(d, "ladder.cir", text);
    Proc pr = spawn(d, NULL, (const char *const[]){"-r", "ladder.raw", "ladder.cir", NULL});
    sleep_s(0.5);
    kill(pr.pid, sig);
    Result r = finish(&pr, 20);
    expect_clean_exit(&r, 3);
    /* the warning names the .tran line (line 4004, after .save) and the time */
    expect_in("stderr", r.err, "ladder.cir:4004:");
    expect_in("stderr", r.err, "warning: interrupted at t=");
    char *praw = xasprintf("%s/ladder.raw", d);
    RawFile *rf = load_raw(praw);   /* no truncation warning: count patched */
    assert_int_equal(rf->nplots, 1);
    const MemPlot *p = &rf->plots[0];
    assert_true(p->npoints > 1);
    assert_int_equal(p->nvars, 4);
    assert_int_equal(header_points(praw), p->npoints);
    for (int i = 1; i < p->npoints; i++)
        if (!(p->data[(size_t)i * 4] > p->data[(size_t)(i - 1) * 4]))
            fail_msg("time not increasing at point %d: %g after %g", i, p->data[(size_t)i * 4],
                     p->data[(size_t)(i - 1) * 4]);
    /* the warning's time is the last point's */
    double tlast = p->data[(size_t)(p->npoints - 1) * 4];
    assert_true(tlast < 10e-3);
    char *want = xasprintf("interrupted at t=%g s", tlast);
    expect_in("stderr", r.err, want);
    free(want);
    raw_free(rf);
    result_free(&r);
    free(praw);
    free(net);
    free(text);
    free(d);
}

static void test_interrupt_sigint(void **state)
{
    (void)state;
    interrupt_with(SIGINT, "sigint");
}

static void test_interrupt_sigterm(void **state)
{
    (void)state;
    interrupt_with(SIGTERM, "sigterm");
}

/* A long .dc sweep must stop on SIGINT too (exit 3), not ignore it. */
static void test_interrupt_dc_sweep(void **state)
{
    (void)state;
    char *d = fresh_dir("sigint_dc");
    char *net = put(d, "dc.cir", "long dc sweep\nV1 a 0 1\nR1 a 0 1k\n.dc V1 0 1 2e-8\n");
    Proc pr = spawn(d, NULL, (const char *const[]){"--no-raw", "dc.cir", NULL});
    sleep_s(0.5);
    kill(pr.pid, SIGINT);
    Result r = finish(&pr, 5);
    if (r.timed_out) fail_msg("SIGINT did not stop a .dc sweep (still running %.1f s later)", r.seconds - 0.5);
    expect_clean_exit(&r, 3);
    expect_in("stderr", r.err, "dc.cir:4:");
    expect_in("stderr", r.err, "interrupted");
    result_free(&r);
    free(net);
    free(d);
}

/* ----------------------------------------------- output and failures */

static void test_unwritable_output(void **state)
{
    (void)state;
    char *d = fresh_dir("unwritable");
    char *net = put(d, "rc.cir", rc_netlist);
    char *plain = put(d, "plain.txt", "a file, not a directory\n");
    /* a path under a regular file cannot be created, even by root */
    Result r = RUN(d, "-r", "plain.txt/out.raw", "rc.cir");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "plain.txt/out.raw");
    expect_not_in("stderr", r.err, "waveforms in");
    result_free(&r);
    r = RUN(d, "--no-raw", "--csv", "plain.txt/out.csv", "rc.cir");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "plain.txt/out.csv");
    result_free(&r);
    r = RUN(d, "-r", ".", "rc.cir");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "'.'");
    result_free(&r);
    r = RUN(d, "-r", "no/such/dir/out.raw", "rc.cir");
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "no/such/dir/out.raw");
    result_free(&r);
    free(plain);
    free(net);
    free(d);
}

/* A write that fails mid-run (disk full): a non-zero exit naming the file,
 * and no "waveforms in ..." line claiming the output is there. */
static void test_output_disk_full(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0) skip();
    char *d = fresh_dir("disk_full");
    char *net = put(d, "rc.cir", rc_netlist);
    static const char *const opts[][4] = {{"-r", "/dev/full", "rc.cir", NULL},
                                          {"--no-raw", "--csv", "/dev/full", "rc.cir"}};
    for (int k = 0; k < 2; k++) {
        Result r = run_in(d, NULL, 60, (const char *const[]){opts[k][0], opts[k][1], opts[k][2], opts[k][3], NULL});
        char how[128];
        if (r.timed_out || r.signaled || (r.status != 1 && r.status != 2))
            fail_msg("memspice %s %s: expected exit 1 or 2, got %s\n%s", opts[k][0], opts[k][1],
                     describe(&r, how, sizeof how), r.err);
        expect_in("stderr", r.err, "/dev/full");
        expect_not_in("stderr", r.err, "waveforms in /dev/full");
        result_free(&r);
    }
    free(net);
    free(d);
}

/* The output must not replace the netlist it was computed from: the user
 * would lose the netlist silently (a typo like -r rc.cir rc.cir, or a
 * netlist named x.raw, whose default raw name is itself). */
static void test_output_is_the_netlist(void **state)
{
    (void)state;
    char *d = fresh_dir("overwrite");
    char *net = put(d, "rc.cir", rc_netlist);
    Result r = RUN(d, "-r", "rc.cir", "rc.cir");
    char *now_text = slurp(net);
    assert_non_null(now_text);
    if (strcmp(now_text, rc_netlist) != 0)
        fail_msg("memspice -r rc.cir rc.cir replaced the netlist with its output (exit %d)", r.status);
    expect_clean_exit(&r, 1);
    expect_in("stderr", r.err, "rc.cir");
    free(now_text);
    result_free(&r);
    r = RUN(d, "--no-raw", "--csv", "rc.cir", "rc.cir");
    now_text = slurp(net);
    if (strcmp(now_text, rc_netlist) != 0)
        fail_msg("memspice --csv rc.cir rc.cir replaced the netlist with its output (exit %d)", r.status);
    expect_clean_exit(&r, 1);
    free(now_text);
    result_free(&r);
    char *net2 = put(d, "odd.raw", rc_netlist);
    r = RUN(d, "odd.raw");
    now_text = slurp(net2);
    if (strcmp(now_text, rc_netlist) != 0)
        fail_msg("memspice odd.raw wrote its default raw file odd.raw over the netlist (exit %d)", r.status);
    expect_clean_exit(&r, 1);
    free(now_text);
    result_free(&r);
    free(net2);
    free(net);
    free(d);
}

/* Node b hangs from a current source only: with uic there is no
 * operating point (and no topology check), the transient matrix is
 * singular. Exit 2; the message names the node and its elements. */
static void test_simulation_failure(void **state)
{
    (void)state;
    char *d = fresh_dir("simfail");
    char *net = put(d, "singular.cir", "singular transient\nV1 a 0 1\nR1 a 0 1k\nI1 0 b 1m\n.tran 1u 10u uic\n");
    Result r = RUN(d, "-r", "singular.raw", "singular.cir");
    expect_clean_exit(&r, 2);
    expect_in("stderr", r.err, "error: singular matrix");
    expect_in("stderr", r.err, "node 'b'");
    expect_in("stderr", r.err, "i1 (singular.cir:4)");
    /* the raw file is valid and holds the points before the failure */
    char *praw = xasprintf("%s/singular.raw", d);
    RawFile *rf = load_raw(praw);
    assert_int_equal(rf->nplots, 1);
    assert_int_equal(header_points(praw), rf->plots[0].npoints);
    raw_free(rf);
    free(praw);
    result_free(&r);
    free(net);
    free(d);
}

/* ------------------------------------- robustness: deep, long, wide */

typedef char *(*GenFn)(int n);

static char *gen_param_chain(int n)
{
    VEC(char) b = {0};
    char line[96];
    int l = snprintf(line, sizeof line, "param chain\n.param p0=1\n");
    VEC_RESERVE(b, l + 1);
    memcpy(b.v, line, (size_t)l + 1);
    b.n = l;
    for (int i = 1; i <= n + 3; i++) {
        if (i <= n) l = snprintf(line, sizeof line, ".param p%d={p%d+1}\n", i, i - 1);
        else if (i == n + 1) l = snprintf(line, sizeof line, "V1 a 0 {p%d}\n", n);
        else if (i == n + 2) l = snprintf(line, sizeof line, "R1 a 0 1k\n");
        else l = snprintf(line, sizeof line, ".op\n");
        VEC_RESERVE(b, b.n + l + 1);
        memcpy(b.v + b.n, line, (size_t)l + 1);
        b.n += l;
    }
    return b.v;
}

static char *gen_subckt_chain(int n)
{
    VEC(char) b = {0};
    char line[128];
    for (int i = -1; i <= n + 1; i++) {
        int l;
        if (i < 0) l = snprintf(line, sizeof line, "subckt chain\n");
        else if (i < n) l = snprintf(line, sizeof line, ".subckt s%d a\nX1 a s%d\n.ends\n", i, i + 1);
        else if (i == n) l = snprintf(line, sizeof line, ".subckt s%d a\nR1 a 0 1k\n.ends\n", n);
        else l = snprintf(line, sizeof line, "X1 n s0\nV1 n 0 1\n.op\n");
        VEC_RESERVE(b, b.n + l + 1);
        memcpy(b.v + b.n, line, (size_t)l + 1);
        b.n += l;
    }
    return b.v;
}

static char *gen_func_chain(int n)
{
    VEC(char) b = {0};
    char line[128];
    for (int i = -1; i <= n + 1; i++) {
        int l;
        if (i < 0) l = snprintf(line, sizeof line, "func chain\n.func f0(x) {x}\n");
        else if (i < n) l = snprintf(line, sizeof line, ".func f%d(x) {f%d(x)+1}\n", i + 1, i);
        else if (i == n) l = snprintf(line, sizeof line, "V1 a 0 {f%d(1)}\n", n);
        else l = snprintf(line, sizeof line, "R1 a 0 1k\n.op\n");
        VEC_RESERVE(b, b.n + l + 1);
        memcpy(b.v + b.n, line, (size_t)l + 1);
        b.n += l;
    }
    return b.v;
}

static char *gen_long_sum(int n)
{
    size_t cap = (size_t)n * 2 + 64;
    char *s = xmalloc(cap);
    size_t k = (size_t)snprintf(s, cap, "long sum\nV1 a 0 {1");
    for (int i = 1; i < n; i++) {
        s[k++] = '+';
        s[k++] = '1';
    }
    snprintf(s + k, cap - k, "}\nR1 a 0 1k\n.op\n");
    return s;
}

static char *gen_wide_line(int n)
{
    size_t cap = (size_t)n * 4 + 64;
    char *s = xmalloc(cap);
    size_t k = (size_t)snprintf(s, cap, "wide line\nV1 a 0 1\nR1 a 0 1k");
    for (int i = 0; i < n; i++) k += (size_t)snprintf(s + k, cap - k, " a%d", i % 10);
    snprintf(s + k, cap - k, "\n.op\n");
    return s;
}

static char *gen_nested_parens(int n)
{
    size_t cap = (size_t)n * 2 + 64;
    char *s = xmalloc(cap);
    size_t k = (size_t)snprintf(s, cap, "nested parens\nV1 a 0 PULSE");
    for (int i = 0; i < n; i++) s[k++] = '(';
    s[k++] = '1';
    for (int i = 0; i < n; i++) s[k++] = ')';
    snprintf(s + k, cap - k, "\nR1 a 0 1k\n.op\n");
    return s;
}

/* Runs a generated netlist: it may be accepted (0) or refused with a
 * located error (1), but must not crash or hang. The sizes are far beyond
 * real netlists on purpose: each one is deeper than the recursion of the
 * code that reads it can go on an 8 MB stack (a limit with an error
 * message is a fine answer; a segfault is not). */
static void robust(const char *name, GenFn gen, int n)
{
    char *d = fresh_dir(name);
    char *text = gen(n);
    char *file = xasprintf("%s.cir", name);
    char *net = put(d, file, text);
    Result r = run_in(d, NULL, 60, (const char *const[]){"-q", "--no-raw", file, NULL});
    char how[128];
    describe(&r, how, sizeof how);
    if (r.timed_out || r.signaled || strstr(r.err, "AddressSanitizer") || strstr(r.err, "runtime error"))
        fail_msg("%s (n=%d): memspice crashed or hung: %s\n--- stderr (start):\n%.1500s", name, n, how, r.err);
    if (r.status != 0 && r.status != 1) fail_msg("%s (n=%d): %s\n%.1500s", name, n, how, r.err);
    if (r.status == 1) {
        char *loc = xasprintf("%s:", file);
        expect_in("stderr", r.err, loc);
        free(loc);
    }
    result_free(&r);
    free(net);
    free(file);
    free(text);
    free(d);
}

static void test_deep_param_chain(void **state)
{
    (void)state;
    robust("param_chain", gen_param_chain, 30000);
}

static void test_deep_subckt_chain(void **state)
{
    (void)state;
    robust("subckt_chain", gen_subckt_chain, 25000);
}

static void test_deep_func_chain(void **state)
{
    (void)state;
    robust("func_chain", gen_func_chain, 50000);
}

static void test_long_expression(void **state)
{
    (void)state;
    robust("long_sum", gen_long_sum, 200000);
}

static void test_wide_line(void **state)
{
    (void)state;
    robust("wide_line", gen_wide_line, 200000);
}

static void test_nested_parens(void **state)
{
    (void)state;
    robust("nested_parens", gen_nested_parens, 200000);
}

/* ---------------------------------------------------------------- main */

static int group_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ms_test_cli_XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    if (access(MEMSPICE, X_OK) != 0) {
        fprintf(stderr, "test_cli: %s is not built\n", MEMSPICE);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

int main(void)
{
    static const struct CMUnitTest cli[] = {
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_list_devices),
        cmocka_unit_test(test_unknown_option),
        cmocka_unit_test(test_no_netlist),
        cmocka_unit_test(test_option_missing_argument),
        cmocka_unit_test(test_two_netlists),
        cmocka_unit_test(test_missing_netlist_file),
        cmocka_unit_test(test_netlist_is_directory),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_stdin_nul_byte),
        cmocka_unit_test(test_raw_option),
        cmocka_unit_test(test_default_raw_name),
        cmocka_unit_test(test_no_raw),
        cmocka_unit_test(test_ascii_raw),
        cmocka_unit_test(test_csv_matches_raw),
        cmocka_unit_test(test_quiet),
        cmocka_unit_test(test_print_table),
        cmocka_unit_test(test_interrupt_sigint),
        cmocka_unit_test(test_interrupt_sigterm),
        cmocka_unit_test(test_interrupt_dc_sweep),
        cmocka_unit_test(test_unwritable_output),
        cmocka_unit_test(test_output_is_the_netlist),
        cmocka_unit_test(test_output_disk_full),
        cmocka_unit_test(test_simulation_failure),
        cmocka_unit_test(test_deep_param_chain),
        cmocka_unit_test(test_deep_subckt_chain),
        cmocka_unit_test(test_deep_func_chain),
        cmocka_unit_test(test_long_expression),
        cmocka_unit_test(test_wide_line),
        cmocka_unit_test(test_nested_parens),
    };
    /* one cmocka group (tests/run.sh reads one summary per program): a
     * test per tests/bad/NAME.cir, then the command line tests */
    VEC(BadCase) bad = {0};
    DIR *dp = opendir(BAD_DIR);
    if (!dp) {
        fprintf(stderr, "test_cli: cannot open %s: %s\n", BAD_DIR, strerror(errno));
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        if (l > 4 && !strcmp(e->d_name + l - 4, ".cir")) {
            BadCase bc = {0};
            bc.name = xstrdup(e->d_name);
            VEC_PUSH(bad, bc);
        }
    }
    closedir(dp);
    if (bad.n) qsort(bad.v, (size_t)bad.n, sizeof *bad.v, cmp_names);
    size_t ncli = sizeof cli / sizeof cli[0], ntests = (size_t)bad.n + ncli;
    struct CMUnitTest *tests = xcalloc(ntests, sizeof *tests);
    char **names = xcalloc((size_t)bad.n + 1, sizeof *names);
    for (int i = 0; i < bad.n; i++) {
        names[i] = xasprintf("bad/%s", bad.v[i].name);
        tests[i].name = names[i];
        tests[i].test_func = test_bad_netlist;
        tests[i].teardown_func = bad_teardown;
        tests[i].initial_state = &bad.v[i];
    }
    memcpy(tests + bad.n, cli, sizeof cli);
    int failed = _cmocka_run_group_tests("cli", tests, ntests, group_setup, group_teardown);
    for (int i = 0; i < bad.n; i++) {
        free(names[i]);
        free(bad.v[i].name);
    }
    free(names);
    free(tests);
    VEC_FREE(bad);
    return failed;
}
