#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"

void diag_init(Diag *d, FILE *out)
{
    memset(d, 0, sizeof *d);
    d->out = out;
    d->max_errors = 20;
}

void diag_free(Diag *d)
{
    free(d->buf);
    d->buf = NULL;
    d->len = d->cap = 0;
}

static void append(Diag *d, const char *s)
{
    size_t n = strlen(s);
    if (d->len + n + 1 > d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 256;
        while (nc < d->len + n + 1) nc *= 2;
        d->buf = xrealloc(d->buf, nc);
        d->cap = nc;
    }
    memcpy(d->buf + d->len, s, n + 1);
    d->len += n;
    if (d->out) fputs(s, d->out);
}

static const char *level_name(DiagLevel l)
{
    switch (l) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    default: return "note";
    }
}

/* quote the source line with a caret under the column */
static void append_quote(Diag *d, const SrcLoc *loc)
{
    if (!loc->text) return;
    char *q = xasprintf("%5d | %s\n", loc->line, loc->text);
    append(d, q);
    free(q);
    if (loc->col > 0) {
        size_t n = (size_t)loc->col - 1, tl = strlen(loc->text);
        char *pad = xmalloc(n + 1);
        for (size_t i = 0; i < n; i++) pad[i] = (i < tl && loc->text[i] == '\t') ? '\t' : ' ';
        pad[n] = '\0';
        q = xasprintf("      | %s^\n", pad);
        append(d, q);
        free(q);
        free(pad);
    }
}

void diag_message(Diag *d, DiagLevel level, const SrcLoc *loc, const char *fmt, va_list ap)
{
    if (level == DIAG_ERROR) {
        d->nerrors++;
        if (d->nerrors > d->max_errors) {
            if (d->nerrors == d->max_errors + 1) append(d, "memspice: too many errors, not listing more\n");
            return;
        }
    } else if (level == DIAG_WARNING) {
        d->nwarnings++;
    }
    char *msg = xvasprintf(fmt, ap);
    char *head;
    if (loc && loc->file && loc->line > 0 && loc->col > 0)
        head = xasprintf("%s:%d:%d: %s: %s\n", loc->file, loc->line, loc->col, level_name(level), msg);
    else if (loc && loc->file && loc->line > 0)
        head = xasprintf("%s:%d: %s: %s\n", loc->file, loc->line, level_name(level), msg);
    else if (loc && loc->file)
        head = xasprintf("%s: %s: %s\n", loc->file, level_name(level), msg);
    else
        head = xasprintf("memspice: %s: %s\n", level_name(level), msg);
    append(d, head);
    if (loc) append_quote(d, loc);
    free(head);
    free(msg);
}

#define DIAG_FN(fname, level)                                           \
    void fname(Diag *d, const SrcLoc *loc, const char *fmt, ...)         \
    {                                                                    \
        va_list ap;                                                      \
        va_start(ap, fmt);                                               \
        diag_message(d, level, loc, fmt, ap);                            \
        va_end(ap);                                                      \
    }
DIAG_FN(diag_error, DIAG_ERROR)
DIAG_FN(diag_warning, DIAG_WARNING)
DIAG_FN(diag_note, DIAG_NOTE)

void diag_printf(Diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    append(d, s);
    free(s);
}

const char *srcloc_str(const SrcLoc *loc, char *buf, size_t n)
{
    if (!loc || !loc->file)
        snprintf(buf, n, "<unknown>");
    else
        snprintf(buf, n, "%s:%d", loc->file, loc->line);
    return buf;
}
