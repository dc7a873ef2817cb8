/* In-memory sink: keeps every plot as a MemPlot (tests, library callers),
 * and the small MemPlot / variable-type helpers shared by the output code. */
#include <stdlib.h>
#include <string.h>

#include "output/sink.h"
#include "util/xmem.h"

const char *vartype_name(VarType t)
{
    switch (t) {
    case VT_TIME: return "time";
    case VT_FREQUENCY: return "frequency";
    case VT_VOLTAGE: return "voltage";
    case VT_CURRENT: return "current";
    case VT_TEMPERATURE: return "temperature";
    case VT_NOTYPE: break;
    }
    return "notype";
}

int plot_has_scale(const char *plotname)
{
    return !(plotname && str_iprefix(plotname, "Operating Point"));
}

int memplot_var(const MemPlot *p, const char *name)
{
    for (int i = 0; i < p->nvars; i++)
        if (strcmp(p->names[i], name) == 0) return i;
    return -1;
}

void memplot_clear(MemPlot *p)
{
    if (!p) return;
    for (int i = 0; i < p->nvars; i++) free(p->names[i]);
    free(p->names);
    free(p->types);
    free(p->data);
    free(p->plotname);
    free(p->title);
    memset(p, 0, sizeof *p);
}

typedef struct MemSink {
    Sink base;
    VEC(MemPlot) plots;
    long cap;            /* allocated points of the last plot */
    int in_plot;
} MemSink;

static int mem_begin(Sink *s, const PlotInfo *p, Diag *d)
{
    MemSink *m = (MemSink *)s;
    (void)d;
    MemPlot mp = { 0 };
    mp.plotname = xstrdup(p->plotname ? p->plotname : "");
    mp.title = xstrdup(p->title ? p->title : "");
    mp.nvars = p->nvars;
    mp.cplx = p->cplx;
    mp.names = xcalloc((size_t)(p->nvars ? p->nvars : 1), sizeof *mp.names);
    mp.types = xcalloc((size_t)(p->nvars ? p->nvars : 1), sizeof *mp.types);
    for (int i = 0; i < p->nvars; i++) {
        mp.names[i] = xstrdup(p->vars[i].name);
        mp.types[i] = p->vars[i].type;
    }
    VEC_PUSH(m->plots, mp);
    m->cap = 0;
    m->in_plot = 1;
    return 0;
}

static int mem_point(Sink *s, const double *vals, Diag *d)
{
    MemSink *m = (MemSink *)s;
    if (!m->in_plot) {
        diag_error(d, NULL, "memory sink: point written outside a plot");
        return 1;
    }
    MemPlot *p = &m->plots.v[m->plots.n - 1];
    if (p->npoints == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 64;
        p->data = xrealloc(p->data, (size_t)m->cap * (size_t)p->nvars * (p->cplx ? 2 : 1) * sizeof(double));
    }
    size_t w = (size_t)p->nvars * (p->cplx ? 2 : 1);
    memcpy(p->data + (size_t)p->npoints * w, vals, w * sizeof(double));
    p->npoints++;
    return 0;
}

static int mem_end(Sink *s, Diag *d)
{
    (void)d;
    ((MemSink *)s)->in_plot = 0;
    return 0;
}

static void mem_close(Sink *s)
{
    MemSink *m = (MemSink *)s;
    if (!m) return;
    for (int i = 0; i < m->plots.n; i++) memplot_clear(&m->plots.v[i]);
    VEC_FREE(m->plots);
    free(m);
}

Sink *mem_sink_new(void)
{
    MemSink *m = xcalloc(1, sizeof *m);
    m->base = (Sink){ .begin = mem_begin, .point = mem_point, .end = mem_end, .close = mem_close };
    return &m->base;
}

int mem_sink_nplots(const Sink *s)
{
    return ((const MemSink *)s)->plots.n;
}

/* valid until the next begin() or close() */
const MemPlot *mem_sink_plot(const Sink *s, int i)
{
    const MemSink *m = (const MemSink *)s;
    return (i >= 0 && i < m->plots.n) ? &m->plots.v[i] : NULL;
}

int mem_sink_replay(const Sink *mem, Sink *to, const PlotInfo *step, Diag *d)
{
    const MemSink *m = (const MemSink *)mem;
    for (int i = 0; i < m->plots.n; i++) {
        const MemPlot *p = &m->plots.v[i];
        OutVar *vars = xcalloc((size_t)(p->nvars ? p->nvars : 1), sizeof *vars);
        for (int k = 0; k < p->nvars; k++) vars[k] = (OutVar){p->names[k], p->types[k]};
        PlotInfo info = step ? *step : (PlotInfo){0};
        info.title = p->title;
        info.plotname = p->plotname;
        info.vars = vars;
        info.nvars = p->nvars;
        info.cplx = p->cplx;
        int rc = to->begin(to, &info, d);
        for (long k = 0; rc == 0 && k < p->npoints; k++) rc = to->point(to, p->data + (size_t)k * (size_t)p->nvars * (p->cplx ? 2 : 1), d);
        if (rc == 0) rc = to->end(to, d);
        free(vars);
        if (rc) return rc;
    }
    return 0;
}
