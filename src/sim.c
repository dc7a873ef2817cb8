#include "sim.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "netlist/elaborate.h"
#include "netlist/syntax.h"
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

static Netlist *read_netlist(const SimConfig *cfg, SourceSet *src, Diag *d)
{
    if (cfg->text) return netlist_read_string(cfg->text, cfg->netlist ? cfg->netlist : "<string>", src, d);
    if (strcmp(cfg->netlist, "-") == 0) {
        size_t cap = 1 << 16, len = 0;
        char *buf = xmalloc(cap);
        size_t got;
        while ((got = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
            len += got;
            if (len + 1 == cap) buf = xrealloc(buf, cap *= 2);
        }
        buf[len] = '\0';
        Netlist *nl = netlist_read_string(buf, "<stdin>", src, d);
        free(buf);
        return nl;
    }
    return netlist_read(cfg->netlist, src, d);
}

static Sink *open_sinks(const SimConfig *cfg, Diag *d)
{
    Sink *list[3];
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
    if (cfg->extra) list[n++] = borrow(cfg->extra);
    return multi_sink_new(list, n);
}

int sim_run(const SimConfig *cfg, Diag *d)
{
    SourceSet src;
    sourceset_init(&src);
    int rc = RUN_INPUT_ERROR;
    Netlist *nl = read_netlist(cfg, &src, d);
    Deck *deck = nl ? elaborate(nl, d) : NULL;
    if (deck) {
        Sink *sink = open_sinks(cfg, d);
        if (!sink) {
            rc = RUN_INPUT_ERROR;
        } else {
            RunOpts ro = {cfg->quiet, cfg->progress, cfg->out};
            rc = analysis_run_deck(deck, sink, &ro, d);
            sink->close(sink);
        }
    }
    deck_free(deck);
    netlist_free(nl);
    sourceset_free(&src);
    return rc;
}
