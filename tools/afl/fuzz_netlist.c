/* afl++ harness for the netlist front end: input bytes -> preprocessing,
 * parsing, elaboration (parameters, subcircuits, models, sources), the
 * topology check and the MNA setup. No analysis runs, so every input is
 * fast; crashes, sanitizer reports and hangs are what afl++ looks for.
 *
 * Built by tools/afl/build.sh with afl-clang-fast (persistent mode) or, for
 * replaying a crash, with any C compiler: ./fuzz_netlist < crash-file
 * (see tools/afl/README.md). Relative .include/.lib names resolve against
 * the current directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "circuit/circuit.h"
#include "engine/engine.h"
#include "netlist/elaborate.h"
#include "netlist/syntax.h"

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

static void run_text(const char *text)
{
    SourceSet src;
    sourceset_init(&src);
    Diag d;
    diag_init(&d, getenv("MS_AFL_VERBOSE") ? stderr : NULL);
    Netlist *nl = netlist_read_string(text, "fuzz.cir", &src, &d);
    Deck *deck = nl ? elaborate(nl, &d) : NULL;
    /* MS_AFL_NO_ENGINE=1: stop after the topology check, to fuzz past a
     * known finding in the engine setup */
    if (deck && circuit_check_topology(deck->ckt, &d) == 0 && !getenv("MS_AFL_NO_ENGINE")) {
        Engine *e = engine_new(deck->ckt, &deck->opt, &d);
        engine_free(e);
    }
    deck_free(deck);
    netlist_free(nl);
    sourceset_free(&src);
    diag_free(&d);
}

/* the input as a C string (a NUL inside ends it, as for sim_run's text) */
static void run_bytes(const unsigned char *buf, size_t len)
{
    char *text = malloc(len + 1);
    if (!text) abort();
    memcpy(text, buf, len);
    text[len] = '\0';
    run_text(text);
    free(text);
}

int main(void)
{
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
    return 0;
}
