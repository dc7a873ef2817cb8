#include "sim.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "netlist/elaborate.h"
#include "netlist/source.h"
#include "netlist/syntax.h"
#include "util/interrupt.h"
#include "util/xmem.h"

/* Sinks that only forward to a caller-owned sink without closing it. */
typedef struct Borrowed {
    Sink base;
    Sink *to;
} Borrowed;

static int b_begin(Sink *s, const PlotInfo *p, Diag *d) { return ((Borrowed *)s)->to->begin(((Borrowed *)s)->to, p, d); }
static int b_point(Sink *s, const double *v, Diag *d) { return ((Borrowed *)s)->to->point(((Borrowed *)s)->to, v, d); }
static int b_end(Sink *s, Diag *d) { return ((Borrowed *)s)->to->end(((Borrowed *)s)->to, d); }
static void b_close(Sink *s) { free(s); }

static Sink *borrow(Sink *to)
{
    Borrowed *b = xcalloc(1, sizeof *b);
    b->base = (Sink){b_begin, b_point, b_end, b_close};
    b->to = to;
    return &b->base;
}

/* Output files are opened when the first plot begins, so a netlist that
 * fails before simulating leaves existing files untouched and a run with
 * nothing to write creates none. */
typedef struct Lazy {
    Sink base;
    Sink *to;
    const SimConfig *cfg;
    int plots;
    int open_failed;
} Lazy;

static Sink *open_files(const SimConfig *cfg, Diag *d)
{
    Sink *list[2];
    int n = 0;
    if (cfg->raw) {
        Sink *r = raw_sink_open(cfg->raw, cfg->ascii, d);
        if (!r) return NULL;
        list[n++] = r;
    }
    if (cfg->csv) {
        Sink *c = csv_sink_open(cfg->csv, d);
        if (!c) {
            for (int i = 0; i < n; i++) list[i]->close(list[i]);
            return NULL;
        }
        list[n++] = c;
    }
    return multi_sink_new(list, n);
}

static int l_begin(Sink *s, const PlotInfo *p, Diag *d)
{
    Lazy *l = (Lazy *)s;
    if (!l->to && !(l->to = open_files(l->cfg, d))) {
        l->open_failed = 1;
        return -1;
    }
    l->plots++;
    return l->to->begin(l->to, p, d);
}
static int l_point(Sink *s, const double *v, Diag *d)
{
    Lazy *l = (Lazy *)s;
    return l->to ? l->to->point(l->to, v, d) : -1;
}

static int l_end(Sink *s, Diag *d)
{
    Lazy *l = (Lazy *)s;
    return l->to ? l->to->end(l->to, d) : -1;
}
static void l_close(Sink *s)
{
    Lazy *l = (Lazy *)s;
    if (l->to) l->to->close(l->to);
    free(l);
}

static Netlist *read_netlist(const SimConfig *cfg, SourceSet *src, Diag *d)
{
    if (cfg->text) return netlist_read_string(cfg->text, cfg->netlist ? cfg->netlist : "<string>", src, d);
    if (strcmp(cfg->netlist, "-") == 0) {
        size_t cap = 1 << 16, len = 0;
        char *buf = xmalloc(cap);
        size_t got;
        while ((got = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
            len += got;
            if (len > SOURCE_MAX_BYTES) {   /* e.g. memspice - < /dev/zero */
                diag_error(d, NULL, "standard input holds more than the limit of 1 GiB for a netlist");
                free(buf);
                return NULL;
            }
            if (len + 1 == cap) buf = xrealloc(buf, cap = cap > SOURCE_MAX_BYTES / 2 ? SOURCE_MAX_BYTES + 2 : cap * 2);
        }
        buf[len] = '\0';
        Netlist *nl = netlist_read_bytes(buf, len, "<stdin>", src, d);
        free(buf);
        return nl;
    }
    return netlist_read(cfg->netlist, src, d);
}

static Sink *open_sinks(const SimConfig *cfg, Lazy **lazy)
{
    Sink *list[2];
    int n = 0;
    *lazy = NULL;
    if (cfg->raw || cfg->csv) {
        Lazy *l = xcalloc(1, sizeof *l);
        l->base = (Sink){l_begin, l_point, l_end, l_close};
        l->cfg = cfg;
        *lazy = l;
        list[n++] = &l->base;
    }
    if (cfg->extra) list[n++] = borrow(cfg->extra);
    return multi_sink_new(list, n);
}

/* -r/--csv must not name any file the netlist was read from (the top
 * netlist, an .include, a .lib): opening it would destroy the input. */
static int outputs_spare_inputs(const SimConfig *cfg, const SourceSet *src, Diag *d)
{
    const char *outs[2] = { cfg->raw, cfg->csv && strcmp(cfg->csv, "-") ? cfg->csv : NULL };
    int ok = 1;
    for (int k = 0; k < 2; k++) {
        const SourceFile *f = outs[k] ? sourceset_find_file(src, outs[k]) : NULL;
        if (!f) continue;
        diag_error(d, NULL, "the output file '%s' is the input file '%s' of this netlist; refusing to overwrite it",
                   outs[k], f->path);
        ok = 0;
    }
    return ok;
}

int sim_run(SimConfig *cfg, Diag *d)
{
    SourceSet src;
    sourceset_init(&src);
    int rc = RUN_INPUT_ERROR;
    Netlist *nl = read_netlist(cfg, &src, d);
    Deck *deck = nl ? elaborate(nl, NULL, d) : NULL;
    if (nl && !deck && interrupt_requested()) rc = RUN_INTERRUPTED;   /* SIGINT/SIGTERM while elaborating */
    cfg->plots_written = 0;
    if (deck && !outputs_spare_inputs(cfg, &src, d)) {
        deck_free(deck);
        deck = NULL;
    }
    if (deck) {
        Lazy *lazy;
        Sink *sink = open_sinks(cfg, &lazy);
        RunOpts ro = {.quiet = cfg->quiet, .progress = cfg->progress, .out = cfg->out};
        rc = analysis_run_deck(deck, sink, &ro, d);
        if (lazy) cfg->plots_written = lazy->plots;
        if (lazy && lazy->open_failed) rc = RUN_INPUT_ERROR;   /* an unwritable output path is a usage error */
        sink->close(sink);
    }
    deck_free(deck);
    netlist_free(nl);
    sourceset_free(&src);
    return rc;
}
