/* Output files and the outside world: a raw file left by a run killed with
 * SIGKILL at random moments loads in ngspice (binary, ascii, .op + .tran in
 * one file) and in raw_read, with the same points; a full disk (/dev/full)
 * stops the run with exit 2 and a message naming the file, for raw binary,
 * raw ascii and CSV; -r/--csv never overwrite a file the netlist was read
 * from (.include, .lib, the netlist itself, under any name).
 *
 * ngspice is required here: without it these tests fail (they check a
 * promise made about ngspice). Each run prints the random seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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
#include "testutil.h"
#include "util/xmem.h"

#define MEMSPICE MS_BUILDDIR "/memspice"

static unsigned seed;

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void sleep_s(double s)
{
    struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
    while (nanosleep(&ts, &ts) != 0) {}
}

/* memspice with args in dir, stdout/stderr into dir/out.txt, dir/err.txt */
static pid_t spawn(const char *dir, const char *const *args)
{
    int nargs = 0;
    while (args[nargs]) nargs++;
    char **argv = xcalloc((size_t)nargs + 2, sizeof *argv);
    argv[0] = (char *)MEMSPICE;
    for (int i = 0; i < nargs; i++) argv[i + 1] = (char *)args[i];
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (chdir(dir) != 0) _exit(125);
        int out = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open("err.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0) _exit(125);
        dup2(out, 1);
        dup2(err, 2);
        execv(MEMSPICE, argv);
        _exit(126);
    }
    free(argv);
    return pid;
}

/* exit status of a finished run (fails on a crash or after `limit` s) */
static int wait_exit(pid_t pid, double limit)
{
    int st = 0;
    double waited = 0;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (waited > limit) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            fail_msg("memspice ran longer than %g s", limit);
        }
        sleep_s(0.01);
        waited += 0.01;
    }
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static char *dir_file(void **state, const char *name)
{
    char *p = tu_tmp_path(state, name);
    char *text = tu_read_file(p);
    free(p);
    return text;
}

/* ---- kill -9 ---------------------------------------------------------- */

/* v(in) is a 1 kHz sine of 1 V: every loaded point can be checked */
static const char long_tran[] = "long transient\n"
                                "V1 in 0 SIN(0 1 1k)\n"
                                "R1 in out 1k\n"
                                "C1 out 0 1u\n"
                                ".op\n"
                                ".tran 10n 0.9\n"
                                ".end\n";

typedef struct NgLoad {
    long npoints;      /* of the transient plot, -1 if not printed */
    double last_time;  /* time[npoints-1] */
    double last_vin;
    int op_points;     /* length of v(in) in the op plot */
    char *log;
} NgLoad;

static double find_value(const char *log, const char *key)
{
    const char *at = strstr(log, key);
    return at ? strtod(at + strlen(key), NULL) : NAN;
}

static NgLoad ngspice_load(void **state, const char *raw)
{
    char *sp = tu_tmp_path(state, "load.sp");
    char *text = xasprintf("* load a killed run's raw file\n"
                           ".control\n"
                           "set numdgt=15\n"
                           "load %s\n"
                           "let n = length(time)\n"
                           "echo \"npoints $&n\"\n"
                           "print time[n-1] v(in)[n-1]\n"
                           "setplot op1\n"
                           "let m = length(v(in))\n"
                           "echo \"oppoints $&m\"\n"
                           ".endc\n"
                           ".end\n",
                           raw);
    write_text(sp, text);
    free(text);
    char *cmd = xasprintf("ngspice -b '%s' 2>&1", sp);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0, got;
    char *log = xmalloc(cap);
    while ((got = fread(log + len, 1, cap - len - 1, p)) > 0)
        if ((len += got) + 1 == cap) log = xrealloc(log, cap *= 2);
    log[len] = '\0';
    pclose(p);
    free(cmd);
    free(sp);
    NgLoad r = { -1, NAN, NAN, -1, log };
    double n = find_value(log, "npoints ");
    if (isfinite(n)) r.npoints = (long)n;
    double m = find_value(log, "oppoints ");
    if (isfinite(m)) r.op_points = (int)m;
    r.last_time = find_value(log, "time[n-1] = ");
    r.last_vin = find_value(log, "v(in)[n-1] = ");
    return r;
}

/* Every point of the transient is a point of this circuit: times rise,
 * v(in) is the sine at that time, |v(out)| < 1. */
static void check_points(const MemPlot *p)
{
    int ct = memplot_var(p, "time"), ci = memplot_var(p, "v(in)"), co = memplot_var(p, "v(out)");
    assert_true(ct == 0 && ci > 0 && co > 0);
    for (int k = 0; k < p->npoints; k++) {
        const double *row = p->data + (size_t)k * (size_t)p->nvars;
        if (k > 0 && !(row[ct] > row[ct - p->nvars]))
            fail_msg("point %d: time %.17g after %.17g", k, row[ct], row[ct - p->nvars]);
        double want = sin(2 * 3.14159265358979323846 * 1e3 * row[ct]);
        if (!(fabs(row[ci] - want) < 1e-9) || !(fabs(row[co]) < 1))
            fail_msg("point %d: t=%.17g v(in)=%.17g (want %.17g) v(out)=%.17g", k, row[ct], row[ci], want,
                     row[co]);
    }
}

static void kill_case(void **state, int ascii, int trials)
{
    char *dir = tu_tmp_path(state, "");
    char *cir = tu_tmp_path(state, "long.cir");
    char *raw = tu_tmp_path(state, "killed.raw");
    write_text(cir, long_tran);
    assert_true(tu_have_program("ngspice"));   /* required, see the top of the file */
    /* binary: a kill inside a commit (the true bytes going back over the
     * masked ones, then the count) leaves a file ngspice cannot load; that
     * window cannot be closed (src/output/raw_write.c) and takes a few
     * percent of the run here. Such a kill is reported and the trial
     * repeated; two in a row, or more than two in all, fail. */
    int window = 0, in_a_row = 0;
    for (int t = 0; t < trials; t++) {
        /* after the first commit (0.5 s at the latest): ngspice then loads points */
        double delay = 0.55 + 0.6 * (double)rand() / RAND_MAX;
        const char *args[] = { "-q", "-r", "killed.raw", ascii ? "--ascii" : "-q", "long.cir", NULL };
        pid_t pid = spawn(dir, args);
        sleep_s(delay);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        if (!WIFSIGNALED(st)) fail_msg("memspice ended before the kill (after %g s): make the run longer", delay);

        NgLoad ng = ngspice_load(state, raw);
        int bad = strstr(ng.log, "rror") || ng.npoints <= 0 || ng.op_points != 1;
        if (bad && !ascii && in_a_row == 0 && window < 2) {
            print_message("binary, killed after %.3f s (seed %u): inside a commit window, the file does not load; "
                          "trying another moment\n", delay, seed);
            window++;
            in_a_row = 1;
            trials++;
            free(ng.log);
            continue;
        }
        in_a_row = 0;
        if (bad)
            fail_msg("%s raw file killed after %.3f s (seed %u) does not load in ngspice:\n%s",
                     ascii ? "ascii" : "binary", delay, seed, ng.log);

        Diag d;
        diag_init(&d, NULL);
        RawFile *rf = raw_read(raw, &d);
        assert_non_null(rf);
        assert_int_equal(rf->nplots, 2);
        assert_int_equal(rf->plots[0].npoints, 1);
        const MemPlot *tr = &rf->plots[1];
        /* binary: the uncounted tail is skipped, as ngspice does; ascii:
         * raw_read also keeps the complete points after the count */
        if (ascii)
            assert_true(tr->npoints >= ng.npoints);
        else
            assert_int_equal(tr->npoints, ng.npoints);
        check_points(tr);
        const double *last = tr->data + (size_t)(ng.npoints - 1) * (size_t)tr->nvars;
        tu_close(ng.last_time, last[0], 1e-12, 1e-20, "ngspice's last time");
        tu_close(ng.last_vin, last[memplot_var(tr, "v(in)")], 1e-12, 1e-15, "ngspice's last v(in)");
        print_message("%s, killed after %.3f s: ngspice loads %ld points, raw_read %d\n", ascii ? "ascii" : "binary",
                      delay, ng.npoints, tr->npoints);
        raw_free(rf);
        diag_free(&d);
        free(ng.log);
    }
    free(raw);
    free(cir);
    free(dir);
}

static void test_kill_binary(void **state)
{
    kill_case(state, 0, 5);
}

static void test_kill_ascii(void **state)
{
    kill_case(state, 1, 4);
}

/* ---- a full disk -------------------------------------------------------- */

static void full_case(void **state, const char *const *args, const char *msg)
{
    char *dir = tu_tmp_path(state, "");
    char *cir = tu_tmp_path(state, "full.cir");
    write_text(cir, "full disk\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.op\n.dc V1 0 1 0.1\n.tran 10n 0.5\n.end\n");
    pid_t pid = spawn(dir, args);
    assert_int_equal(wait_exit(pid, 20), 2);   /* stops at once: not after 5e7 points */
    char *err = dir_file(state, "err.txt");
    if (!strstr(err, msg)) fail_msg("expected '%s' in:\n%s", msg, err);
    assert_null(strstr(strstr(err, msg) + 1, msg));   /* said once */
    free(err);
    free(cir);
    free(dir);
}

static void test_full_disk(void **state)
{
    assert_int_equal(access("/dev/full", W_OK), 0);
    const char *bin[] = { "-q", "-r", "/dev/full", "full.cir", NULL };
    full_case(state, bin, "memspice: error: cannot write raw file '/dev/full': No space left on device");
    const char *asc[] = { "-q", "--ascii", "-r", "/dev/full", "full.cir", NULL };
    full_case(state, asc, "memspice: error: cannot write raw file '/dev/full': No space left on device");
    const char *csv[] = { "-q", "--no-raw", "--csv", "/dev/full", "full.cir", NULL };
    full_case(state, csv, "memspice: error: cannot write csv file '/dev/full': No space left on device");
}

/* ---- outputs never overwrite inputs ------------------------------------ */

static void test_no_overwrite_inputs(void **state)
{
    char *dir = tu_tmp_path(state, "");
    const char *names[] = { "top.cir", "part.inc", "my.lib" };
    const char *texts[] = { "top\nV1 a 0 1\n.include part.inc\n.lib my.lib fast\nR3 b 0 1k\n.op\n.end\n",
                            "R1 a 0 1k\n", ".lib fast\nR2 a b 1k\n.endl fast\n" };
    for (int i = 0; i < 3; i++) {
        char *p = tu_tmp_path(state, names[i]);
        write_text(p, texts[i]);
        free(p);
    }
    char *inc = tu_tmp_path(state, "part.inc"), *alias = tu_tmp_path(state, "alias.raw");
    assert_int_equal(link(inc, alias), 0);   /* another name for the same file */
    struct {
        const char *args[6];
        const char *msg;
    } cases[] = {
        { { "-r", "part.inc", "top.cir" }, "the output file 'part.inc' is the input file 'part.inc'" },
        { { "--ascii", "-r", "./part.inc", "top.cir" }, "the output file './part.inc' is the input file 'part.inc'" },
        { { "--no-raw", "--csv", "my.lib", "top.cir" }, "the output file 'my.lib' is the input file 'my.lib'" },
        { { "-r", "alias.raw", "top.cir" }, "the output file 'alias.raw' is the input file 'part.inc'" },
        { { "-r", "top.cir", "top.cir" }, "the output file 'top.cir' is the input file 'top.cir'" },
        { { "-r", "ok.raw", "--csv", "top.cir", "top.cir" }, "the output file 'top.cir' is the input file 'top.cir'" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        pid_t pid = spawn(dir, cases[k].args);
        assert_int_equal(wait_exit(pid, 20), 1);
        char *err = dir_file(state, "err.txt");
        if (!strstr(err, cases[k].msg)) fail_msg("case %zu: expected '%s' in:\n%s", k, cases[k].msg, err);
        free(err);
        for (int i = 0; i < 3; i++) {
            char *text = dir_file(state, names[i]);
            assert_string_equal(text, texts[i]);   /* untouched */
            free(text);
        }
        char *ok = tu_tmp_path(state, "ok.raw");
        assert_int_not_equal(access(ok, F_OK), 0);   /* and no other output written either */
        free(ok);
    }
    /* the same netlist with an output of its own runs */
    const char *good[] = { "-q", "-r", "ok.raw", "--csv", "ok.csv", "top.cir", NULL };
    assert_int_equal(wait_exit(spawn(dir, good), 20), 0);
    char *csv = dir_file(state, "ok.csv");
    assert_non_null(strstr(csv, "v(a),v(b)"));
    free(csv);
    free(inc);
    free(alias);
    free(dir);
}

int main(void)
{
    seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    srand(seed);
    print_message("test_rawsafe: random seed %u\n", seed);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_binary),
        cmocka_unit_test(test_kill_ascii),
        cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_no_overwrite_inputs),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
