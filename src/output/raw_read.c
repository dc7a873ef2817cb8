/* Reader for ngspice raw files: binary and ascii, real data, several plots.
 *
 * Accepts the header variants ngspice writes (batch "-r" files and the
 * "write" command: Command:/Option:/Dimensions: lines, blank lines, a padded
 * point count, variable lines with extra "key=value" fields) and memspice's
 * own files.
 *
 * Damaged files are read as far as they make sense:
 *  - fewer points than the header says: the complete points are kept, a
 *    partial last point is dropped, with a warning;
 *  - more points than the header says (a killed run whose count was last
 *    patched a moment before the end): the extra complete points are kept,
 *    with a warning. This can only happen in the last plot of a file, since
 *    a new plot header is only written after the previous count is final.
 *    Binary data after the counted points that starts with a 0 byte is the
 *    masked, uncounted tail memspice's writer leaves (raw_write.c): its
 *    values are not all there, so it is ignored with a warning, as ngspice
 *    does. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "output/raw_read.h"
#include "util/xmem.h"

typedef struct Reader {
    FILE *fp;
    const char *path;
    Diag *d;
    off_t size;
    off_t off;            /* offset of the next unread byte */
    long line;            /* line number of the next unread byte */
    char *buf;            /* current header line */
    size_t cap;
} Reader;

typedef struct Header {
    long nvars, npoints;  /* -1 until seen */
    int binary;
    long data_line;       /* line of "Binary:" / "Values:" */
} Header;

static void rd_report(Reader *rd, DiagLevel level, long line, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void rd_report(Reader *rd, DiagLevel level, long line, const char *text, const char *fmt, ...)
{
    SrcLoc loc = { rd->path, (int)line, 0, text };
    va_list ap;
    va_start(ap, fmt);
    diag_message(rd->d, level, &loc, fmt, ap);
    va_end(ap);
}

static void rd_seek(Reader *rd, off_t off, long line)
{
    fseeko(rd->fp, off, SEEK_SET);
    rd->off = off;
    rd->line = line;
}

/* Next line with its line end removed, in rd->buf; returns the number of
 * bytes it had in the file (-1 at end of file) and its line number. */
static long rd_getline(Reader *rd, long *lineno, int *has_nul)
{
    ssize_t n = getline(&rd->buf, &rd->cap, rd->fp);
    if (n < 0) return -1;
    *lineno = rd->line;
    rd->off += n;
    *has_nul = strlen(rd->buf) != (size_t)n;
    if (n > 0 && rd->buf[n - 1] == '\n') rd->line++;
    size_t len = (size_t)n;
    while (len > 0 && (rd->buf[len - 1] == '\n' || rd->buf[len - 1] == '\r')) rd->buf[--len] = '\0';
    return (long)n;
}

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    return s;
}

static int is_blank(const char *s)
{
    return *skip_blanks(s) == '\0';
}

/* the header keyword `key` (length n, may have trailing blanks) is `name` */
static int key_is(const char *key, size_t n, const char *name)
{
    while (n > 0 && (key[n - 1] == ' ' || key[n - 1] == '\t')) n--;
    return n == strlen(name) && strncasecmp(key, name, n) == 0;
}

/* a whole-field integer >= 0 */
static int parse_count(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || errno || v < 0 || !is_blank(end)) return -1;
    *out = v;
    return 0;
}

static VarType parse_vartype(const char *w)
{
    static const VarType all[] = { VT_TIME, VT_FREQUENCY, VT_VOLTAGE, VT_CURRENT, VT_TEMPERATURE };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (str_ieq(w, vartype_name(all[i]))) return all[i];
    return VT_NOTYPE;   /* notype and every type we do not model (ngspice does the same) */
}

/* cut the next blank-separated word out of *s (NUL-terminates it in place) */
static char *cut_word(char **s)
{
    char *w = (char *)skip_blanks(*s);
    if (!*w) return NULL;
    char *e = w;
    while (*e && *e != ' ' && *e != '\t') e++;
    if (*e) *e++ = '\0';
    *s = e;
    return w;
}

/* "<index> <name> <type> [key=value...]", on the "Variables:" line itself
 * (old SPICE3 files) or on the lines after it */
static int read_variables(Reader *rd, MemPlot *p, long nvars, const char *rest, long line)
{
    p->names = xcalloc((size_t)nvars, sizeof *p->names);
    p->types = xcalloc((size_t)nvars, sizeof *p->types);
    p->nvars = (int)nvars;
    char *text = is_blank(rest) ? NULL : xstrdup(rest);
    for (long i = 0; i < nvars; i++) {
        int has_nul = 0;
        if (!text) {
            do {
                if (rd_getline(rd, &line, &has_nul) < 0) {
                    rd_report(rd, DIAG_ERROR, line, NULL, "end of file in the variable list (%ld of %ld read)", i, nvars);
                    return -1;
                }
            } while (is_blank(rd->buf) && !has_nul);
            text = xstrdup(rd->buf);
        }
        char *quote = xstrdup(text), *s = text;
        char *idx = cut_word(&s), *name = cut_word(&s), *type = cut_word(&s);
        long k = -1;
        int bad = has_nul || !type || parse_count(idx, &k) || k != i;
        if (bad)
            rd_report(rd, DIAG_ERROR, line, quote, "expected variable %ld as '<index> <name> <type>'", i);
        else {
            p->names[i] = xstrdup(name);
            p->types[i] = parse_vartype(type);
        }
        free(quote);
        free(text);
        text = NULL;
        if (bad) return -1;
    }
    return 0;
}

static int read_flags(Reader *rd, const char *val, long line, const char *quote, int *cplx)
{
    char *copy = xstrdup(val), *s = copy, *w;
    int bad = 0;
    while (!bad && (w = cut_word(&s))) {
        if (str_ieq(w, "complex")) {
            *cplx = 1;
        } else if (!str_ieq(w, "real") && !str_ieq(w, "padded") && !str_ieq(w, "double")) {
            rd_report(rd, DIAG_WARNING, line, quote, "unknown flag '%s' ignored", w);
        }
    }
    free(copy);
    return bad ? -1 : 0;
}

static int header_complete(Reader *rd, const MemPlot *p, const Header *h, long line, const char *quote)
{
    const char *missing = h->nvars < 0 ? "No. Variables:" : h->npoints < 0 ? "No. Points:"
                        : !p->names ? "Variables:" : NULL;
    if (!missing) return 0;
    rd_report(rd, DIAG_ERROR, line, quote, "raw file header has no '%s' line before the data", missing);
    return -1;
}

/* One "Keyword: value" line. Returns 1 when the data starts, 0 to go on,
 * -1 on error. The line is in rd->buf. */
static int header_line(Reader *rd, MemPlot *p, Header *h, long line)
{
    char *s = rd->buf, *quote = rd->buf;
    char *key = (char *)skip_blanks(s), *colon = strchr(key, ':');
    if (!colon) {
        rd_report(rd, DIAG_ERROR, line, quote, "expected 'Keyword: value' in the raw file header");
        return -1;
    }
    size_t klen = (size_t)(colon - key);
    const char *val = skip_blanks(colon + 1);
    if (key_is(key, klen, "Plotname")) {
        free(p->plotname);
        p->plotname = xstrdup(val);
    } else if (key_is(key, klen, "Flags")) {
        return read_flags(rd, val, line, quote, &p->cplx);
    } else if (key_is(key, klen, "No. Variables")) {
        if (parse_count(val, &h->nvars) || h->nvars < 1 || h->nvars > 1000000) {
            rd_report(rd, DIAG_ERROR, line, quote, "bad number of variables");
            return -1;
        }
    } else if (key_is(key, klen, "No. Points")) {
        if (parse_count(val, &h->npoints)) {
            rd_report(rd, DIAG_ERROR, line, quote, "bad number of points");
            return -1;
        }
    } else if (key_is(key, klen, "Variables")) {
        if (h->nvars < 0 || p->names) {
            rd_report(rd, DIAG_ERROR, line, quote, p->names ? "second variable list" : "'Variables:' before 'No. Variables:'");
            return -1;
        }
        return read_variables(rd, p, h->nvars, val, line);
    } else if (key_is(key, klen, "Binary") || key_is(key, klen, "Values")) {
        h->binary = key_is(key, klen, "Binary");
        h->data_line = line;
        return header_complete(rd, p, h, line, quote) ? -1 : 1;
    } else if (!key_is(key, klen, "Title") && !key_is(key, klen, "Date") && !key_is(key, klen, "Command") &&
               !key_is(key, klen, "Option") && !key_is(key, klen, "Options") && !key_is(key, klen, "Dimensions")) {
        rd_report(rd, DIAG_WARNING, line, quote, "unknown raw file header line ignored");
    }
    return 0;
}

/* 1: header read, up to and including "Binary:"/"Values:"; 0: clean end of
 * file before any header line; -1: error (reported). */
static int read_header(Reader *rd, MemPlot *p, Header *h)
{
    *h = (Header){ .nvars = -1, .npoints = -1 };
    int seen = 0;
    for (;;) {
        long line = rd->line;
        int has_nul = 0;
        if (rd_getline(rd, &line, &has_nul) < 0) {
            if (!seen) return 0;
            rd_report(rd, DIAG_ERROR, line, NULL, "end of file in the raw file header");
            return -1;
        }
        if (has_nul) {
            rd_report(rd, DIAG_ERROR, line, NULL,
                      "NUL byte in the header: not an ngspice raw file (UTF-16 LTspice files are not supported)");
            return -1;
        }
        if (is_blank(rd->buf)) continue;
        seen = 1;
        int r = header_line(rd, p, h, line);
        if (r) return r;
    }
}

static double get_le_double(const unsigned char *b)
{
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--) u = (u << 8) | b[i];
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* n binary points into dst; keeps the line count right for later messages */
static int read_binary_points(Reader *rd, double *dst, long n, int nvars)
{
    size_t bytes = (size_t)n * (size_t)nvars * 8;
    unsigned char *b = (unsigned char *)dst;
    if (fread(b, 1, bytes, rd->fp) != bytes) {
        rd_report(rd, DIAG_ERROR, 0, NULL, "read error: %s", strerror(errno));
        return -1;
    }
    rd->off += (off_t)bytes;
    for (const unsigned char *q = b; (q = memchr(q, '\n', bytes - (size_t)(q - b))); q++) rd->line++;
    for (size_t i = 0; i < (size_t)n * (size_t)nvars; i++) dst[i] = get_le_double(b + 8 * i);
    return 0;
}

static int starts_header(const char *s)
{
    static const char *const keys[] = { "Title:", "Date:", "Plotname:", "Flags:", "No. Variables:",
                                         "No. Points:", "Command:", "Option", "Dimensions:", "Variables:" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (str_iprefix(s, keys[i])) return 1;
    return 0;
}

/* After a plot's data: skip blanks; 1 if a header or the end of the file
 * follows (positioned there), 0 if something else does (position unknown). */
static int header_or_eof_follows(Reader *rd)
{
    int c;
    while ((c = getc(rd->fp)) != EOF && isspace(c)) {
        rd->off++;
        if (c == '\n') rd->line++;
    }
    if (c == EOF) return 1;
    off_t at = rd->off;
    long line = rd->line;
    char buf[16] = { (char)c };
    size_t n = 1 + fread(buf + 1, 1, sizeof buf - 2, rd->fp);
    buf[n] = '\0';
    rd_seek(rd, at, line);
    return starts_header(buf);
}

static void warn_truncated(Reader *rd, const MemPlot *p, long declared, const char *partial)
{
    rd_report(rd, DIAG_WARNING, 0, NULL,
              "plot '%s' is truncated: the header says %ld points, the file holds %d complete points%s",
              p->plotname, declared, p->npoints, partial);
}

static void warn_extra(Reader *rd, const MemPlot *p, long extra, const char *partial)
{
    rd_report(rd, DIAG_WARNING, 0, NULL,
              "plot '%s' holds %ld more point%s than its header says (interrupted run?); kept them%s",
              p->plotname, extra, extra == 1 ? "" : "s", partial);
}

static int read_binary(Reader *rd, MemPlot *p, long declared)
{
    int w = p->nvars * (p->cplx ? 2 : 1);   /* doubles per point */
    off_t pb = (off_t)w * 8;
    off_t avail = (rd->size - rd->off) / pb;
    long n = declared < avail ? declared : (long)avail;
    if (n > INT_MAX || (rd->size - rd->off) / pb > INT_MAX) {
        rd_report(rd, DIAG_ERROR, 0, NULL, "plot '%s' has more than %d points: too large to load", p->plotname, INT_MAX);
        return -1;
    }
    p->data = xmalloc((size_t)(n > 0 ? n : 1) * (size_t)pb);
    if (read_binary_points(rd, p->data, n, w)) return -1;
    p->npoints = (int)n;
    if (n < declared) {
        warn_truncated(rd, p, declared, "");
        rd_seek(rd, rd->size, rd->line);
        return 0;
    }
    off_t after = rd->off;
    long after_line = rd->line;
    if (header_or_eof_follows(rd)) return 0;
    rd_seek(rd, after, after_line);
    int c = getc(rd->fp);
    rd_seek(rd, after, after_line);
    if (c == 0) {   /* memspice's uncounted points (masked, see raw_write.c): ngspice skips them too */
        rd_report(rd, DIAG_WARNING, 0, NULL,
                  "plot '%s': %ld bytes of points the header does not count yet ignored (killed run?)",
                  p->plotname, (long)(rd->size - after));
        rd_seek(rd, rd->size, rd->line);
        return 0;
    }
    long extra = (long)((rd->size - after) / pb);
    if (extra == 0) {
        rd_report(rd, DIAG_WARNING, 0, NULL, "%ld stray bytes after the last point of plot '%s' ignored",
                  (long)(rd->size - after), p->plotname);
        rd_seek(rd, rd->size, rd->line);
        return 0;
    }
    p->data = xrealloc(p->data, (size_t)(n + extra > 0 ? n + extra : 1) * (size_t)pb);
    if (read_binary_points(rd, p->data + (size_t)n * (size_t)w, extra, w)) return -1;
    p->npoints = (int)(n + extra);
    warn_extra(rd, p, extra, "");
    rd_seek(rd, rd->size, rd->line);
    return 0;
}

/* Next blank-separated word of ascii data into tok (NUL-terminated);
 * returns its length, 0 at end of file, -1 if it does not fit. *cut says
 * the end of the file ended the word: our files and ngspice's end with a
 * newline, so such a word may be a number cut short by a killed writer. */
static int next_word(Reader *rd, char *tok, int cap, off_t *start, long *line, int *cut)
{
    int c;
    while ((c = getc_unlocked(rd->fp)) != EOF && isspace(c)) {
        rd->off++;
        if (c == '\n') rd->line++;
    }
    if (c == EOF) return 0;
    *start = rd->off;
    *line = rd->line;
    int n = 0;
    do {
        if (n < cap - 1) tok[n] = (char)c;
        n++;
        rd->off++;
    } while ((c = getc_unlocked(rd->fp)) != EOF && !isspace(c));
    if (c != EOF) ungetc(c, rd->fp);
    *cut = c == EOF;
    tok[n < cap ? n : cap - 1] = '\0';
    return n < cap ? n : -1;
}

static int parse_double(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && *end == '\0' ? 0 : -1;
}

/* One ascii point ("<index> v0 v1 ..."). Returns 1 point read, 0 data ended
 * before it (positioned at what follows), 2 data ended inside it, -1 error. */
static int read_ascii_point(Reader *rd, double *row, int nvars, int cplx)
{
    char tok[128];
    off_t start;
    long line = rd->line;
    for (int i = -1; i < nvars; i++) {
        int cut = 0;
        int len = next_word(rd, tok, sizeof tok, &start, &line, &cut);
        if (len == 0 || cut) return i < 0 && len == 0 ? 0 : 2;
        double v;
        long k;
        char *comma = cplx && i >= 0 ? strchr(tok, ',') : NULL;
        if (comma) {   /* "re,im" */
            *comma = '\0';
            double im;
            if (parse_double(tok, &v) == 0 && parse_double(comma + 1, &im) == 0) {
                row[2 * i] = v;
                row[2 * i + 1] = im;
                continue;
            }
            *comma = ',';
        } else if (len > 0 && (i < 0 ? parse_count(tok, &k) : parse_double(tok, &v)) == 0) {
            if (i >= 0 && cplx) row[2 * i] = v, row[2 * i + 1] = 0;
            else if (i >= 0) row[i] = v;
            continue;
        }
        if (len > 0 && isalpha((unsigned char)tok[0])) {   /* the next plot's header */
            rd_seek(rd, start, line);
            return i < 0 ? 0 : 2;
        }
        rd_report(rd, DIAG_ERROR, line, NULL, "%s '%s' in the raw data", i < 0 ? "bad point index" : "bad number", tok);
        return -1;
    }
    return 1;
}

static int read_ascii(Reader *rd, MemPlot *p, long declared)
{
    long cap = declared, n = 0;
    long most = (long)((rd->size - rd->off) / (2 * (p->nvars + 1))) + 1;  /* >= 2 bytes per word */
    if (cap > most) cap = most;
    if (cap < 16) cap = 16;
    size_t w = (size_t)p->nvars * (p->cplx ? 2 : 1);
    p->data = xmalloc((size_t)cap * w * sizeof(double));
    int r;
    for (;;) {
        if (n == cap) {
            cap *= 2;
            p->data = xrealloc(p->data, (size_t)cap * w * sizeof(double));
        }
        r = read_ascii_point(rd, p->data + (size_t)n * w, p->nvars, p->cplx);
        if (r != 1) break;
        n++;
    }
    p->npoints = (int)n;
    if (r < 0) return -1;
    const char *partial = r == 2 ? " (an incomplete last point was dropped)" : "";
    if (n < declared)
        warn_truncated(rd, p, declared, partial);
    else if (n > declared)
        warn_extra(rd, p, n - declared, partial);
    else if (r == 2)
        rd_report(rd, DIAG_WARNING, 0, NULL, "plot '%s': an incomplete point after the last one was dropped",
                  p->plotname);
    return 0;
}

static void free_plots(MemPlot *plots, int n)
{
    for (int i = 0; i < n; i++) memplot_clear(&plots[i]);
    free(plots);
}

static int read_plots(Reader *rd, RawFile *rf)
{
    VEC(MemPlot) plots = { 0 };
    int status = 0;
    for (;;) {
        MemPlot p = { 0 };
        Header h;
        int r = read_header(rd, &p, &h);
        if (r > 0) {
            if (!p.plotname) p.plotname = xstrdup("");
            r = h.binary ? read_binary(rd, &p, h.npoints) : read_ascii(rd, &p, h.npoints);
            if (r == 0) {
                VEC_PUSH(plots, p);
                continue;
            }
        }
        memplot_clear(&p);
        status = r;
        break;
    }
    if (status == 0 && plots.n == 0) {
        rd_report(rd, DIAG_ERROR, 0, NULL, "no plot in this file (empty, or not a raw file)");
        status = -1;
    }
    if (status) {
        free_plots(plots.v, plots.n);
        return -1;
    }
    rf->plots = plots.v;
    rf->nplots = plots.n;
    return 0;
}

RawFile *raw_read(const char *path, Diag *d)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diag_error(d, NULL, "cannot open raw file '%s': %s", path, strerror(errno));
        return NULL;
    }
    Reader rd = { .fp = fp, .path = path, .d = d, .line = 1 };
    if (fseeko(fp, 0, SEEK_END) || (rd.size = ftello(fp)) < 0 || fseeko(fp, 0, SEEK_SET)) {
        diag_error(d, NULL, "cannot read raw file '%s': %s (a regular file is needed)", path, strerror(errno));
        fclose(fp);
        return NULL;
    }
    RawFile *rf = xcalloc(1, sizeof *rf);
    int bad = read_plots(&rd, rf);
    free(rd.buf);
    fclose(fp);
    if (bad) {
        free(rf);
        return NULL;
    }
    return rf;
}

void raw_free(RawFile *r)
{
    if (!r) return;
    free_plots(r->plots, r->nplots);
    free(r);
}
