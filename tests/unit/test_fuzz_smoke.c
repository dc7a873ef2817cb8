/* Fuzz smoke test: thousands of randomly mutated netlists (deterministic
 * seed) through sim_run(), with no output files. The only assertions: each
 * run returns 0, 1, 2 or 3, and nothing crashes, hangs or trips a
 * sanitizer.
 *
 * Seeds: the netlists embedded below (half the picks), tests/bad/NAME.cir,
 * tests/netlists and netlists/ (files up to 8 kB). Each run is interrupted
 * as a user would do it (SIGINT after 0.2 s: a long transient stops with
 * 3); a run still going 3 s later aborts the test as a hang. The input
 * being run is written to $TMPDIR/ms_fuzz_failures/last_input.cir first, so
 * a crash leaves its reproducer there (replay: memspice last_input.cir).
 * The whole run stops after a fixed budget of wall time.
 *
 * For a longer campaign: MS_FUZZ_SECONDS=600 MS_FUZZ_SEED=7 (the seed of
 * the random generator; the default run is always the same). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "sim.h"
#include "util/interrupt.h"
#include "util/xmem.h"

enum {
    ITERATIONS = 5000,
    MAX_SEED_BYTES = 8192,
    MAX_REPORTED = 10,
};
static const double BUDGET_S = 8.0;         /* wall time for the whole run (default) */
static const double SOFT_LIMIT_S = 0.2;     /* then SIGINT */
static const unsigned HARD_LIMIT_S = 3;     /* then the child is killed */

static const char *const embedded[] = {
    "rc\nV1 in 0 PULSE(0 1 1n 1n 1n 5n 10n)\nR1 in out 1k\nC1 out 0 1p ic=0\n.tran 0.1n 20n\n"
    ".print tran v(out) i(v1)\n.end\n",
    "rlc\nV1 a 0 SIN(0 1 10meg 0 0 0)\nR1 a b 10\nL1 b c 1u ic=0\nC1 c 0 1n\n.ic v(c)=0\n.tran 1n 200n uic\n",
    "divider sweep\n.param rtop=1k rbot={2*rtop}\nV1 a 0 DC 1\nR1 a b {rtop}\nR2 b 0 {rbot}\n"
    ".dc V1 0 5 0.5\n.save v(b) i(v1)\n",
    "subckt\n.subckt rdiv top mid bot params: r=1k\nR1 top mid {r}\nR2 mid bot {r}\n.ends rdiv\n"
    "V1 a 0 2\nX1 a m 0 rdiv r=2k\nX2 m n 0 rdiv\n.op\n",
    "controlled\nV1 a 0 1\nR1 a 0 1k\nE1 b 0 a 0 2\nR2 b 0 1k\nG1 0 c a 0 1m\nR3 c 0 1k\n"
    "F1 0 d V1 3\nR4 d 0 1k\nH1 e 0 V1 100\nR5 e 0 1k\n.op\n",
    "coupled\nV1 a 0 PWL(0 0 1n 1 10n 1 11n 0) r=0\nL1 a 0 1u\nL2 b 0 4u\nK1 L1 L2 0.9\nR1 b 0 50\n"
    ".tran 0.5n 40n\n",
    "funcs\n.func sq(x) {x*x}\n.param a={sq(3)} b='a+1'\n.options reltol=1e-4 method=gear\n"
    ".temp 50\nV1 a 0 {b}\nR1 a 0 1k tc1=1e-3 tc2=1e-6\nI1 0 a EXP(0 1m 1n 1n 5n 1n)\n"
    ".tran 1n 20n\n.op\n",
    "nested\n.subckt inner p q\nR1 p q 1k\nC1 q 0 1p\n.ends\n.subckt outer a b\nX1 a m inner\n"
    "X2 m b inner\n.ends\nV1 in 0 PULSE 0 1 0 1n 1n 10n 20n\nX1 in out outer\nR9 out 0 10k\n"
    ".nodeset v(out)=0\n.tran 1n 50n\n.print tran v(out) v(x1.m)\n",
};

/* words a mutation may insert */
static const char *const dict[] = {
    ".subckt s a b", ".ends", ".param p=", "{", "}", "(", ")", "'", "\"", "=", ",", "PULSE(", "PWL(",
    "SIN(", "EXP(", "SFFM(", "DC", "AC", ".include", ".lib", ".control", ".endc", ".end", ".endl", "\n+",
    "\n", "\n*", ";", "$", "x1", "v(", "i(", "uic", "1e308", "-1e308", "1e-308", "0", "-1", "1e999", "nan",
    "inf", "params:", ".func f(x) {x}", ".ic v(a)=1", ".nodeset v(b)=0", ".dc v1 0 1 0.1", ".tran 1n 10n",
    ".op", ".options", "reltol=", "method=gear", ".print tran", ".save", ".model m r", "m=", "ic=",
    "level=2", "K1 L1 L2 0.5", "E1 a 0 b 0", "F1 a 0", "X1 a b s", "r=", "td=", ".global", "gnd", "0", "1k",
    "1meg", "2.5u", "1mil", "{1/0}", "{sqrt(-1)}", "{p*p}", "\t",
};

static const char *const numbers[] = {"0", "-0", "1", "-1", "1e-300", "1e300", "1e-15", "1e15",
                                      "2147483648", "1e9", "3.3", "1t", "1f", "-1e-9", "1e-30"};

typedef struct Seed {
    char *text;
    char *dir;      /* directory to run in (relative .include) */
} Seed;

typedef VEC(char) Buf;
typedef VEC(Seed) SeedVec;

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
    /* xorshift64*: deterministic across platforms */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ull;
}

static int rnd(int n)
{
    return n > 0 ? (int)(next_rand() % (uint64_t)n) : 0;
}

static void buf_insert(Buf *b, int at, const char *s, int n)
{
    VEC_RESERVE(*b, b->n + n + 1);
    memmove(b->v + at + n, b->v + at, (size_t)(b->n - at));
    memcpy(b->v + at, s, (size_t)n);
    b->n += n;
}

static void buf_delete(Buf *b, int at, int n)
{
    if (at + n > b->n) n = b->n - at;
    memmove(b->v + at, b->v + at + n, (size_t)(b->n - at - n));
    b->n -= n;
}

/* start of the line holding offset i, and of the line after it */
static int line_start(const Buf *b, int i)
{
    while (i > 0 && b->v[i - 1] != '\n') i--;
    return i;
}

static int line_end(const Buf *b, int i)
{
    while (i < b->n && b->v[i] != '\n') i++;
    return i < b->n ? i + 1 : i;
}

/* a number in the text: [start, end) */
static int find_number(const Buf *b, int from, int *end)
{
    for (int i = from; i < b->n; i++)
        if (b->v[i] >= '0' && b->v[i] <= '9' && (i == 0 || b->v[i - 1] == ' ' || b->v[i - 1] == '(' ||
                                                 b->v[i - 1] == '=' || b->v[i - 1] == '{')) {
            int e = i;
            while (e < b->n && b->v[e] != ' ' && b->v[e] != ')' && b->v[e] != '\n' && b->v[e] != '}') e++;
            *end = e;
            return i;
        }
    return -1;
}

static void mutate_once(Buf *b, const Seed *seeds, int nseeds)
{
    static const char chars[] = "(){}'\"=,+-*/.;$ \t\n0123456789eEkKmMuUnNpPvVrRcCiIxXlL_:^!<>&|?";
    int pos = rnd(b->n + 1);
    switch (rnd(9)) {
    case 0: { /* replace a byte */
        if (!b->n) break;
        int c = rnd(8) ? chars[rnd((int)sizeof chars - 1)] : 1 + rnd(255);
        b->v[rnd(b->n)] = (char)c;
        break;
    }
    case 1: /* delete a few bytes */
        if (b->n) buf_delete(b, rnd(b->n), 1 + rnd(8));
        break;
    case 2: { /* duplicate a line */
        if (!b->n) break;
        int s = line_start(b, rnd(b->n)), e = line_end(b, s);
        char *copy = xstrndup(b->v + s, (size_t)(e - s));
        buf_insert(b, line_end(b, rnd(b->n)), copy, e - s);
        free(copy);
        break;
    }
    case 3: { /* delete a line */
        if (!b->n) break;
        int s = line_start(b, rnd(b->n));
        buf_delete(b, s, line_end(b, s) - s);
        break;
    }
    case 4: { /* swap a line to another place */
        if (!b->n) break;
        int s = line_start(b, rnd(b->n)), e = line_end(b, s);
        char *copy = xstrndup(b->v + s, (size_t)(e - s));
        int n = e - s;
        buf_delete(b, s, n);
        buf_insert(b, line_start(b, rnd(b->n + 1)), copy, (int)strlen(copy));
        free(copy);
        break;
    }
    case 5: case 6: { /* insert a dictionary word */
        const char *w = dict[rnd((int)(sizeof dict / sizeof dict[0]))];
        buf_insert(b, pos, " ", 1);
        buf_insert(b, pos + 1, w, (int)strlen(w));
        break;
    }
    case 7: { /* replace a number */
        int end, s = find_number(b, rnd(b->n + 1), &end);
        if (s < 0) s = find_number(b, 0, &end);
        if (s < 0) break;
        const char *w = numbers[rnd((int)(sizeof numbers / sizeof numbers[0]))];
        buf_delete(b, s, end - s);
        buf_insert(b, s, w, (int)strlen(w));
        break;
    }
    default: { /* splice a line of another seed */
        const char *t = seeds[rnd(nseeds)].text;
        int len = (int)strlen(t);
        if (!len) break;
        Buf o = {(char *)t, len, len};
        int s = line_start(&o, rnd(len)), e = line_end(&o, s);
        buf_insert(b, line_end(b, pos > 0 ? pos - 1 : 0), t + s, e - s);
        break;
    }
    }
}

/* ---------------------------------------------------------------- seeds */

static void add_file(SeedVec *seeds, const char *path, const char *dir)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_SEED_BYTES) return;
    FILE *f = fopen(path, "rb");
    if (!f) return;
    char *t = xcalloc((size_t)st.st_size + 1, 1);
    size_t got = fread(t, 1, (size_t)st.st_size, f);
    fclose(f);
    t[got] = '\0';   /* a NUL inside ends the text: fine for a seed */
    Seed s = {t, xstrdup(dir)};
    VEC_PUSH(*seeds, s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* *.cir under dir (recursively), in sorted order so the run is repeatable */
static void add_dir(SeedVec *seeds, const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) return;
    VEC(char *) names = {0};
    struct dirent *e;
    while ((e = readdir(dp)))
        if (e->d_name[0] != '.') VEC_PUSH(names, xstrdup(e->d_name));
    closedir(dp);
    if (names.n) qsort(names.v, (size_t)names.n, sizeof *names.v, cmp_str);
    for (int i = 0; i < names.n; i++) {
        char *p = xasprintf("%s/%s", dir, names.v[i]);
        struct stat st;
        size_t l = strlen(names.v[i]);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) add_dir(seeds, p);
        else if (l > 4 && !strcmp(names.v[i] + l - 4, ".cir")) add_file(seeds, p, dir);
        free(p);
        free(names.v[i]);
    }
    VEC_FREE(names);
}

/* ---------------------------------------------------------------- runs */

static volatile sig_atomic_t alarms;
static char last_input[256];   /* the input being run, for a crash */

static void on_alarm(int sig)
{
    (void)sig;
    if (alarms++ == 0) {
        raise(SIGINT);        /* as a user would: memspice's handler sets its flag */
        alarm(HARD_LIMIT_S);
        return;
    }
    static const char msg[] = "test_fuzz_smoke: a run is still going after SIGINT (hang); its input is in ";
    ssize_t w = write(2, msg, sizeof msg - 1);
    w += write(2, last_input, strlen(last_input));
    w += write(2, "\n", 1);
    (void)w;
    abort();
}

static void arm(double seconds)
{
    struct itimerval it = {{0, 0}, {(time_t)seconds, (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6)}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void save_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static int run_one(const char *text, const char *dir)
{
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd) || chdir(dir) != 0) fail_msg("cannot enter %s", dir);
    SimConfig cfg = {0};
    cfg.netlist = "fuzz.cir";
    cfg.text = text;
    cfg.quiet = 1;
    Diag d;
    diag_init(&d, NULL);
    interrupt_clear();
    alarms = 0;
    arm(SOFT_LIMIT_S);
    int rc = sim_run(&cfg, &d);
    arm(0);
    alarm(0);
    diag_free(&d);
    if (chdir(cwd) != 0) fail_msg("cannot return to %s", cwd);
    return rc;
}

static void test_fuzz(void **state)
{
    (void)state;
    SeedVec seeds = {0};
    for (size_t i = 0; i < sizeof embedded / sizeof embedded[0]; i++) {
        Seed s = {xstrdup(embedded[i]), xstrdup(MS_SRCDIR)};
        VEC_PUSH(seeds, s);
    }
    int nembedded = seeds.n;
    add_dir(&seeds, MS_SRCDIR "/tests/bad");
    add_dir(&seeds, MS_SRCDIR "/tests/netlists");
    add_dir(&seeds, MS_SRCDIR "/netlists");
    const char *tmp = getenv("TMPDIR");
    char *faildir = xasprintf("%s/ms_fuzz_failures", tmp && *tmp ? tmp : "/tmp");
    mkdir(faildir, 0755);
    snprintf(last_input, sizeof last_input, "%s/last_input.cir", faildir);
    printf("fuzz: if this test crashes, the input is in %s\n", last_input);
    fflush(stdout);
    interrupt_install();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    long counts[4] = {0};
    long runs = 0;
    int failures = 0;
    VEC(char) report = {0};
    double budget = BUDGET_S;
    long iterations = ITERATIONS;
    const char *env = getenv("MS_FUZZ_SECONDS");
    if (env && atof(env) > 0) {
        budget = atof(env);
        iterations = 1L << 40;
    }
    env = getenv("MS_FUZZ_SEED");
    if (env && *env) rng ^= strtoull(env, NULL, 0) * 0xD1B54A32D192ED03ull;
    double t0 = now();
    Buf b = {0};
    for (long iter = 0; iter < iterations && now() - t0 < budget; iter++) {
        const Seed *sd = &seeds.v[rnd(2) ? rnd(nembedded) : rnd(seeds.n)];
        b.n = 0;
        buf_insert(&b, 0, sd->text, (int)strlen(sd->text));
        int nmut = 1 + rnd(4);
        for (int m = 0; m < nmut; m++) mutate_once(&b, seeds.v, seeds.n);
        VEC_RESERVE(b, b.n + 1);
        b.v[b.n] = '\0';
        save_text(last_input, b.v);
        int rc = run_one(b.v, sd->dir);
        runs++;
        if (rc >= 0 && rc <= 3) {
            counts[rc]++;
            continue;
        }
        if (++failures > MAX_REPORTED) continue;
        char *path = xasprintf("%s/case_%ld.cir", faildir, iter);
        save_text(path, b.v);
        char *line = xasprintf("iteration %ld: sim_run returned %d; input in %s\n", iter, rc, path);
        int l = (int)strlen(line);
        VEC_RESERVE(report, report.n + l + 1);
        memcpy(report.v + report.n, line, (size_t)l + 1);
        report.n += l;
        free(line);
        free(path);
    }
    signal(SIGALRM, SIG_DFL);
    unlink(last_input);
    printf("fuzz: %ld runs in %.1f s from %d seeds: %ld ok, %ld netlist errors, %ld simulation failures, "
           "%ld interrupted\n",
           runs, now() - t0, seeds.n, counts[0], counts[1], counts[2], counts[3]);
    for (int i = 0; i < seeds.n; i++) {
        free(seeds.v[i].text);
        free(seeds.v[i].dir);
    }
    VEC_FREE(seeds);
    VEC_FREE(b);
    free(faildir);
    if (failures) {
        char *msg = xasprintf("%d of %ld mutated netlists gave a bad exit code:\n%s", failures, runs, report.v);
        VEC_FREE(report);
        fail_msg("%s", msg);
    }
    /* the mutations must reach past the parser, or this test proves little */
    assert_true(counts[0] + counts[2] + counts[3] > runs / 20);
    assert_true(runs >= 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
