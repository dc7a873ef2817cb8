/* CSV sink: per plot one header row of variable names, then one row per
 * point with %.17g (every double reads back exactly). Plots in the same file
 * are separated by one blank line. Names that contain a comma, a quote or
 * blanks (e.g. a differential "v(a,b)") are quoted as RFC 4180 says.
 * A stepped run (.step) has leading columns: the step index and the
 * stepped parameters; the plots of successive steps with the same columns
 * form one table (no blank line, no repeated header), so the file reads
 * as one table with a step column.
 * The path "-" means stdout (not closed by the sink). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/sink.h"
#include "util/xmem.h"

typedef struct CsvSink {
    Sink base;
    FILE *fp;
    char *path;
    int is_stdout;
    int nplots;
    int nvars;
    char *header;        /* the last header written (stepped runs continue a table) */
    int nstep;
    double lead[8];      /* step index and values of the current plot */
    int in_plot;
    int failed;
} CsvSink;

static int csv_fail(CsvSink *c, Diag *d, int err)
{
    if (!c->failed)
        diag_error(d, NULL, "cannot write csv file '%s': %s", c->path,
                   err ? strerror(err) : "write error");
    c->failed = 1;
    return 1;
}

static void put_name(FILE *fp, const char *name)
{
    if (!strpbrk(name, ",\" \t\r\n")) {
        fputs(name, fp);
        return;
    }
    fputc('"', fp);
    for (const char *c = name; *c; c++) {
        if (*c == '"') fputc('"', fp);
        fputc(*c, fp);
    }
    fputc('"', fp);
}

static int csv_begin(Sink *s, const PlotInfo *p, Diag *d)
{
    CsvSink *c = (CsvSink *)s;
    if (c->failed) return 1;
    errno = 0;
    c->nstep = p->nstep > 0 && p->nstep < 8 ? p->nstep : 0;
    if (c->nstep) {
        c->lead[0] = (double)p->step_index;
        for (int k = 0; k < c->nstep; k++) c->lead[k + 1] = p->step_values[k];
    }
    /* the header as text, to see whether a stepped plot continues the table */
    char *hdr = xstrdup(p->plotname ? p->plotname : "");
    for (int i = 0; i < p->nvars; i++) {
        char *t = xasprintf("%s\n%s", hdr, p->vars[i].name);
        free(hdr);
        hdr = t;
    }
    int cont = c->nstep && c->header && !strcmp(c->header, hdr);
    free(c->header);
    c->header = hdr;
    c->nvars = p->nvars * (p->cplx ? 2 : 1);
    c->in_plot = 1;
    if (cont) return 0;
    if (c->nplots++ > 0) fputc('\n', c->fp);
    if (c->nstep) {
        fputs("step", c->fp);
        for (int k = 0; k < c->nstep; k++) {
            fputc(',', c->fp);
            put_name(c->fp, p->step_names[k]);
        }
    }
    for (int i = 0; i < p->nvars; i++) {
        if (i || c->nstep) fputc(',', c->fp);
        if (p->cplx) {   /* re(x),im(x) */
            char *re = xasprintf("re(%s)", p->vars[i].name), *im = xasprintf("im(%s)", p->vars[i].name);
            put_name(c->fp, re);
            fputc(',', c->fp);
            put_name(c->fp, im);
            free(re);
            free(im);
        } else {
            put_name(c->fp, p->vars[i].name);
        }
    }
    fputc('\n', c->fp);
    return ferror(c->fp) ? csv_fail(c, d, errno) : 0;
}

static int csv_point(Sink *s, const double *vals, Diag *d)
{
    CsvSink *c = (CsvSink *)s;
    if (c->failed) return 1;
    if (!c->in_plot) {
        diag_error(d, NULL, "csv file '%s': point written outside a plot", c->path);
        return 1;
    }
    errno = 0;
    for (int k = 0; k <= c->nstep && c->nstep; k++)
        if (fprintf(c->fp, k ? ",%.17g" : "%.17g", c->lead[k]) < 0) return csv_fail(c, d, errno);
    if (c->nstep && c->nvars && fputc(',', c->fp) == EOF) return csv_fail(c, d, errno);
    for (int i = 0; i < c->nvars; i++)
        if (fprintf(c->fp, i ? ",%.17g" : "%.17g", vals[i]) < 0) return csv_fail(c, d, errno);
    if (fputc('\n', c->fp) == EOF) return csv_fail(c, d, errno);
    return 0;
}

static int csv_end(Sink *s, Diag *d)
{
    CsvSink *c = (CsvSink *)s;
    if (c->failed) return 1;
    c->in_plot = 0;
    errno = 0;
    if (fflush(c->fp) || ferror(c->fp)) return csv_fail(c, d, errno);
    return 0;
}

static void csv_close(Sink *s)
{
    CsvSink *c = (CsvSink *)s;
    if (!c) return;
    errno = 0;
    int bad = c->is_stdout ? fflush(c->fp) : fclose(c->fp);
    if (bad && !c->failed) {
        /* no Diag here (see raw_close): stderr rather than silence */
        Diag d;
        diag_init(&d, stderr);
        csv_fail(c, &d, errno);
        diag_free(&d);
    }
    free(c->path);
    free(c->header);
    free(c);
}

Sink *csv_sink_open(const char *path, Diag *d)
{
    int is_stdout = strcmp(path, "-") == 0;
    FILE *fp = is_stdout ? stdout : fopen(path, "w");
    if (!fp) {
        diag_error(d, NULL, "cannot open csv file '%s' for writing: %s", path, strerror(errno));
        return NULL;
    }
    CsvSink *c = xcalloc(1, sizeof *c);
    c->base = (Sink){ .begin = csv_begin, .point = csv_point, .end = csv_end, .close = csv_close };
    c->fp = fp;
    c->path = xstrdup(is_stdout ? "<stdout>" : path);
    c->is_stdout = is_stdout;
    return &c->base;
}
