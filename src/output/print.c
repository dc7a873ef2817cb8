/* .print tables, laid out like ngspice's batch-mode .print:
 *
 *                                    <title, centred in 80 columns>
 *                                    <plotname>
 *   --------------------------------------------------------------------------------
 *   Index   time            v(out)
 *   --------------------------------------------------------------------------------
 *   0<TAB>0.000000e+00<TAB>1.000000e+00<TAB>
 *
 * Differences from ngspice, on purpose: no date after the plot name (so the
 * output of a run is reproducible) and no page breaks (form feed + repeated
 * header every 55 rows). An operating-point plot has no scale and one point,
 * so it is printed as "name = value" lines instead of a table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/sink.h"
#include "util/xmem.h"

typedef struct PrintSink {
    Sink base;
    FILE *out;
    int *want;           /* requested columns (indices into the plot's vars) */
    int nwant;
    int *cols;           /* columns of the current plot, scale first */
    int ncols;
    char **names;        /* names of the current plot's columns */
    int table;           /* 0: operating point, name = value lines */
    long index;
} PrintSink;

static void print_forget_plot(PrintSink *p)
{
    for (int i = 0; i < p->ncols; i++) free(p->names[i]);
    free(p->names);
    free(p->cols);
    p->names = NULL;
    p->cols = NULL;
    p->ncols = 0;
}

/* the scale first (if any), then the requested columns; nothing requested
 * means every column */
static int choose_columns(PrintSink *p, const PlotInfo *pi, Diag *d)
{
    int n = p->nwant ? p->nwant : pi->nvars;
    p->cols = xmalloc((size_t)(n + 1) * sizeof *p->cols);
    p->ncols = 0;
    if (p->table) p->cols[p->ncols++] = 0;
    for (int i = 0; i < n; i++) {
        int c = p->nwant ? p->want[i] : i;
        if (c < 0 || c >= pi->nvars) {
            diag_error(d, NULL, ".print: column %d out of range for plot '%s' (%d variables)", c,
                       pi->plotname ? pi->plotname : "", pi->nvars);
            return 1;
        }
        if (!(p->table && c == 0)) p->cols[p->ncols++] = c;
    }
    p->names = xcalloc((size_t)p->ncols + 1, sizeof *p->names);
    for (int i = 0; i < p->ncols; i++) p->names[i] = xstrdup(pi->vars[p->cols[i]].name);
    return 0;
}

static void put_rule(FILE *out)
{
    for (int i = 0; i < 80; i++) fputc('-', out);
    fputc('\n', out);
}

static void put_table_header(PrintSink *p, const PlotInfo *pi)
{
    const char *title = pi->title ? pi->title : "";
    int len = (int)strlen(title);
    int indent = len < 80 ? (80 - len) / 2 : 0;
    fprintf(p->out, "%*s%s\n", indent, "", title);
    fprintf(p->out, "%*s%s\n", indent, "", pi->plotname ? pi->plotname : "");
    put_rule(p->out);
    fputs("Index   ", p->out);
    for (int i = 0; i < p->ncols; i++) fprintf(p->out, "%-15s ", p->names[i]);
    fputc('\n', p->out);
    put_rule(p->out);
}

static int print_begin(Sink *s, const PlotInfo *pi, Diag *d)
{
    PrintSink *p = (PrintSink *)s;
    print_forget_plot(p);
    p->table = plot_has_scale(pi->plotname) && pi->nvars > 0;
    p->index = 0;
    if (choose_columns(p, pi, d)) {
        print_forget_plot(p);
        return 1;
    }
    if (p->table) put_table_header(p, pi);
    return 0;
}

static int print_point(Sink *s, const double *vals, Diag *d)
{
    PrintSink *p = (PrintSink *)s;
    (void)d;
    if (!p->table) {
        for (int i = 0; i < p->ncols; i++) fprintf(p->out, "%s = %e\n", p->names[i], vals[p->cols[i]]);
        return 0;
    }
    fprintf(p->out, "%ld\t", p->index++);
    for (int i = 0; i < p->ncols; i++) fprintf(p->out, "%e\t", vals[p->cols[i]]);
    fputc('\n', p->out);
    return 0;
}

static int print_end(Sink *s, Diag *d)
{
    PrintSink *p = (PrintSink *)s;
    if (p->table && p->cols) fputc('\n', p->out);
    print_forget_plot(p);
    errno = 0;
    if (fflush(p->out) || ferror(p->out)) {
        diag_error(d, NULL, "cannot write .print output: %s", errno ? strerror(errno) : "write error");
        return 1;
    }
    return 0;
}

static void print_close(Sink *s)
{
    PrintSink *p = (PrintSink *)s;
    if (!p) return;
    print_forget_plot(p);
    fflush(p->out);
    free(p->want);
    free(p);
}

Sink *print_sink_new(FILE *out, const int *cols, int ncols)
{
    PrintSink *p = xcalloc(1, sizeof *p);
    p->base = (Sink){ .begin = print_begin, .point = print_point, .end = print_end, .close = print_close };
    p->out = out;
    p->nwant = ncols > 0 && cols ? ncols : 0;
    p->want = xmalloc((size_t)(p->nwant + 1) * sizeof *p->want);
    for (int i = 0; i < p->nwant; i++) p->want[i] = cols[i];
    return &p->base;
}
