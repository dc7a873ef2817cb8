/* Fan-out sink: every call goes to every member, even after one of them
 * failed (a full disk for the raw file should not silence the .print
 * table); the result is nonzero if any member failed. */
#include <stdlib.h>

#include "output/sink.h"
#include "util/xmem.h"

typedef struct MultiSink {
    Sink base;
    Sink **sinks;
    int n;
} MultiSink;

static int multi_begin(Sink *s, const PlotInfo *p, Diag *d)
{
    MultiSink *m = (MultiSink *)s;
    int bad = 0;
    for (int i = 0; i < m->n; i++) bad |= m->sinks[i]->begin(m->sinks[i], p, d) != 0;
    return bad;
}

static int multi_point(Sink *s, const double *vals, Diag *d)
{
    MultiSink *m = (MultiSink *)s;
    int bad = 0;
    for (int i = 0; i < m->n; i++) bad |= m->sinks[i]->point(m->sinks[i], vals, d) != 0;
    return bad;
}

static int multi_end(Sink *s, Diag *d)
{
    MultiSink *m = (MultiSink *)s;
    int bad = 0;
    for (int i = 0; i < m->n; i++) bad |= m->sinks[i]->end(m->sinks[i], d) != 0;
    return bad;
}

static void multi_close(Sink *s)
{
    MultiSink *m = (MultiSink *)s;
    if (!m) return;
    for (int i = 0; i < m->n; i++)
        if (m->sinks[i]) m->sinks[i]->close(m->sinks[i]);
    free(m->sinks);
    free(m);
}

Sink *multi_sink_new(Sink **sinks, int n)
{
    MultiSink *m = xcalloc(1, sizeof *m);
    m->base = (Sink){ .begin = multi_begin, .point = multi_point, .end = multi_end, .close = multi_close };
    m->sinks = xcalloc((size_t)(n > 0 ? n : 1), sizeof *m->sinks);
    for (int i = 0; i < n; i++)
        if (sinks[i]) m->sinks[m->n++] = sinks[i];   /* NULL members (failed opens) are skipped */
    return &m->base;
}
