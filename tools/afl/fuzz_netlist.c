/* afl++ harness for memspice, two modes:
 *
 * - front end (fuzz_netlist): input bytes -> preprocessing, parsing,
 *   elaboration (parameters, subcircuits, models, sources), the topology
 *   check and the MNA setup. No analysis runs, so every input is fast.
 * - simulating (fuzz_sim, or MS_AFL_SIM=1 at run time): the same, then the
 *   deck's analyses run (.op, .dc, .tran) with every sweep and transient
 *   shortened to a few points (AFL_SIM_POINTS) and a wall-time limit per
 *   input (AFL_SIM_MS, delivered as SIGINT, which the analyses honour), so
 *   fuzzing reaches the engine (Newton, time stepping, device loads) while
 *   each input stays short.
 *
 * Crashes, sanitizer reports and hangs are what afl++ looks for; a netlist
 * error or a failed simulation is a normal outcome.
 *
 * Built by tools/afl/build.sh with afl-clang-fast (persistent mode) or, for
 * replaying a crash, with any C compiler: ./replay < crash-file
 * (see tools/afl/README.md). Relative .include/.lib names resolve against
 * the current directory. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "control/control.h"
#include "circuit/circuit.h"
#include "engine/engine.h"
#include "netlist/elaborate.h"
#include "netlist/syntax.h"
#include "util/interrupt.h"

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

#ifndef AFL_SIM_POINTS
#define AFL_SIM_POINTS 40       /* points per .dc sweep, tstop/tstep of a .tran */
#endif
#ifndef AFL_SIM_MS
#define AFL_SIM_MS 200          /* wall time per simulated input */
#endif

static int sim_mode;

/* a sink that reads every value (so a sanitizer sees each one) and keeps none */
static double checksum;
static int d_begin(Sink *s, const PlotInfo *p, Diag *d) { (void)s, (void)d; checksum += p->nvars; return 0; }
static int d_point(Sink *s, const double *v, Diag *d)
{
    (void)s, (void)d;
    (void)v;
    checksum += v[0];
    return 0;
}
static int d_end(Sink *s, Diag *d) { (void)s, (void)d; return 0; }
static void d_close(Sink *s) { (void)s; }
static Sink discard = {d_begin, d_point, d_end, d_close};

static void on_alarm(int sig)
{
    (void)sig;
    raise(SIGINT);      /* the interrupt handler sets the flag the analyses poll */
}

static void timer_set(long ms)
{
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = ms / 1000;
    it.it_value.tv_usec = (ms % 1000) * 1000;
    setitimer(ITIMER_REAL, &it, NULL);
}

/* shorten every analysis to a few points */
static void cap_deck(Deck *deck)
{
    for (int i = 0; i < deck->an.n; i++) {
        AnalysisReq *a = &deck->an.v[i];
        if (a->kind == AN_TRAN) {
            /* simulated from 0 to tstop whatever tstart is */
            if (a->tstop / a->tstep > AFL_SIM_POINTS) {
                a->tstop = AFL_SIM_POINTS * a->tstep;
                if (a->tstart >= a->tstop) a->tstart = 0;
            }
            if (a->tmax > 0 && a->tstop / a->tmax > AFL_SIM_POINTS) a->tmax = a->tstop / AFL_SIM_POINTS;
        } else if (a->kind == AN_DC) {
            for (int k = 0; k < a->nsweep; k++) {
                DcSweep *s = &a->sweep[k];
                double span = s->stop - s->start;
                if (span / s->step > AFL_SIM_POINTS) s->step = span / AFL_SIM_POINTS;
            }
        }
    }
}

static void run_text(const char *text)
{
    SourceSet src;
    sourceset_init(&src);
    Diag d;
    diag_init(&d, getenv("MS_AFL_VERBOSE") ? stderr : NULL);
    Netlist *nl = netlist_read_string(text, "fuzz.cir", &src, &d);
    Deck *deck = nl ? elaborate(nl, NULL, &d) : NULL;
    if (deck && sim_mode) {
        cap_deck(deck);
        interrupt_clear();
        timer_set(AFL_SIM_MS);
        MeasResults *mr = meas_results_new(deck);   /* .meas computed, printed nowhere */
        RunOpts ro = {.quiet = 1, .meas = mr};
        analysis_run_deck(deck, &discard, &ro, &d);
        meas_results_free(mr);
        timer_set(0);
        interrupt_clear();
    }
    if (nl && sim_mode && nl->nctl > 0) {   /* the control script too, writing nothing */
        FILE *null = fopen("/dev/null", "w");
        SimConfig cfg = {.netlist = "fuzz.cir", .quiet = 1, .out = null, .no_files = 1};
        interrupt_clear();
        timer_set(AFL_SIM_MS);
        control_run(&cfg, nl, &src, &d);
        timer_set(0);
        interrupt_clear();
        if (null) fclose(null);
    } else if (deck && !sim_mode && circuit_check_topology(deck->ckt, &d) == 0 && !getenv("MS_AFL_NO_ENGINE")) {
        /* MS_AFL_NO_ENGINE=1: stop after the topology check */
        Engine *e = engine_new(deck->ckt, &deck->opt, &d);
        engine_free(e);
    }
    deck_free(deck);
    netlist_free(nl);
    sourceset_free(&src);
    diag_free(&d);
}

#ifndef AFL_MAX_ELEMENTS
#define AFL_MAX_ELEMENTS "20000"   /* .options maxelements for every input */
#endif

/* The input as a C string (a NUL inside ends it, as for sim_run's text).
 * A circuit just under the default expansion limit (5e6 instances) takes
 * seconds to build, which afl++ would report as a hang: the input's own
 * "maxelements" words are defused and a small limit is set after the title
 * line. */
static void run_bytes(const unsigned char *buf, size_t len)
{
    static const char opt[] = "\n.options maxelements=" AFL_MAX_ELEMENTS "\n";
    char *text = malloc(len + sizeof opt);
    if (!text) abort();
    len = strnlen((const char *)buf, len);
    size_t title = 0;
    while (title < len && buf[title] != '\n') title++;
    memcpy(text, buf, title);
    memcpy(text + title, opt, sizeof opt - 1);
    size_t n = title + sizeof opt - 1;
    size_t rest = title < len ? len - title - 1 : 0;   /* after the title's newline */
    memcpy(text + n, buf + len - rest, rest);
    n += rest;
    text[n] = '\0';
    for (size_t i = 0; i + 11 <= n; i++)
        if (i != title + 10 && strncasecmp(text + i, "maxelements", 11) == 0)
            text[i + 10] = 'z';   /* "maxelementz": an unknown option, ignored */
    run_text(text);
    free(text);
}

int main(void)
{
#ifdef AFL_SIM_DEFAULT
    sim_mode = 1;
#endif
    if (getenv("MS_AFL_SIM")) sim_mode = atoi(getenv("MS_AFL_SIM")) != 0;
    if (sim_mode) {
        interrupt_install();
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGALRM, &sa, NULL);
    }
#ifdef __AFL_FUZZ_TESTCASE_LEN
#ifdef __AFL_HAVE_MANUAL_CONTROL
    __AFL_INIT();
#endif
    unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(10000)) {
        size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        run_bytes(buf, len);
    }
#else
    size_t cap = 1 << 16, len = 0, got;
    unsigned char *buf = malloc(cap);
    if (!buf) abort();
    while ((got = fread(buf + len, 1, cap - len, stdin)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *nb = realloc(buf, cap *= 2);
            if (!nb) abort();
            buf = nb;
        }
    }
    run_bytes(buf, len);
    free(buf);
#endif
    return checksum == 12345.678 ? 1 : 0;
}
