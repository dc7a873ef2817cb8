/* ngspice-format raw file writer (see docs/output.md for the exact layout
 * and what a killed run leaves behind).
 *
 * Points are written as they arrive, and the file stays loadable by ngspice
 * after SIGKILL (ascii: at every instant; binary: except for a short window
 * per commit, below). ngspice's reader takes "No. Points:"
 * points after "Binary:"/"Values:" and then reads what follows as header
 * lines with fgets() into a 512-byte buffer: a line is up to and including
 * a newline, or 511 bytes. A line that starts with a NUL byte (binary) or
 * holds at most one word starting in its first column (ascii) is ignored;
 * anything else aborts the load ("strange line in rawfile"). A count larger
 * than the data aborts a binary load too. So the header's count only grows
 * over points that are complete on disk, and the points it does not count
 * yet are written in a form the reader ignores:
 *
 *  - ascii: the tabs of the uncounted points are written as newlines, so
 *    every line holds one number at its start. fscanf() reads both forms
 *    alike, so rewriting the count is the whole commit; the tabs are put
 *    back afterwards (the points are counted by then).
 *  - binary: the first byte of every line the reader would see in the
 *    uncounted points is written as 0 ("masked"); the true points are kept
 *    in memory. The commit writes them back over the masked ones (one
 *    write) and then rewrites the count. Between the two the file does not
 *    load in ngspice: binary data can neither sit uncounted in a loadable
 *    file nor be counted before it is there, so this window (the time to
 *    copy one commit's data into the page cache) cannot be closed.
 *
 * A plot's header is written with one write() (count 0), after the previous
 * plot's count is final. Commits happen at end(), at close() and while
 * running every PATCH_POINTS points, PATCH_SECONDS of wall time or
 * PATCH_BYTES of data. Every write is checked: the first error (a full disk:
 * ENOSPC) is reported with the path and the sink fails from then on. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "output/sink.h"
#include "util/xmem.h"

/* ngspice pads to 8 digits; 12 keeps room for runs beyond 10^8 points and
 * every reader we know of (ngspice included) parses the field with atoi-like
 * code that ignores trailing blanks. */
#define COUNT_WIDTH 12
#define PATCH_POINTS_DEFAULT 10000
#define PATCH_SECONDS_DEFAULT 0.5
#define PATCH_BYTES (16L << 20)   /* uncommitted data kept at most (it is also kept in memory) */
#define OUT_BYTES (64 << 10)      /* formatted points buffered before a write */
#define NG_LINE 512               /* ngspice's fgets buffer (BSIZE_SP): lines of at most 511 bytes */

typedef struct Bytes {
    unsigned char *p;
    size_t len, cap;
} Bytes;

typedef struct RawSink {
    Sink base;
    int fd;
    char *path;
    int ascii;
    int failed;           /* an error was reported; later calls fail quietly */
    int in_plot;
    int nvars;
    int cplx;
    off_t count_pos;      /* file offset of the padded point count */
    off_t end;            /* bytes in the file */
    off_t committed;      /* bytes the reader takes as data: the header and the counted points */
    off_t line_at;        /* binary: start of the reader's current line in the uncommitted bytes */
    int line_open;        /* its first byte has been masked */
    Bytes out;            /* formatted points not yet written */
    Bytes pending;        /* the uncommitted points as they must end up */
    long npoints;         /* points written in the current plot */
    long patched;         /* count last written into the header */
    long patch_points;
    double patch_seconds;
    struct timespec last_patch;
} RawSink;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double seconds_since(const struct timespec *t0)
{
    return now_seconds() - ((double)t0->tv_sec + 1e-9 * (double)t0->tv_nsec);
}

/* room for n more bytes; returns where they go */
static unsigned char *bytes_room(Bytes *b, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = b->cap ? b->cap : 4096;
        while (b->len + n > b->cap) b->cap *= 2;
        b->p = xrealloc(b->p, b->cap);
    }
    return b->p + b->len;
}

static void bytes_add(Bytes *b, const void *src, size_t n)
{
    memcpy(bytes_room(b, n), src, n);
    b->len += n;
}

static void bytes_printf(Bytes *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bytes_printf(Bytes *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    bytes_add(b, s, strlen(s));
    free(s);
}

/* Report the first I/O error once, naming the file; `err` is the errno of
 * the failing call (captured before anything else can clobber it). */
static int raw_fail(RawSink *r, Diag *d, int err, const char *what)
{
    if (!r->failed)
        diag_error(d, NULL, "%s raw file '%s': %s", what, r->path, err ? strerror(err) : "write error");
    r->failed = 1;
    return 1;
}

/* All n bytes at offset `at`; 0 or an errno value. */
static int write_at(int fd, const void *buf, size_t n, off_t at)
{
    const unsigned char *p = buf;
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, at);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return w < 0 ? errno : EIO;
        p += w;
        n -= (size_t)w;
        at += w;
    }
    return 0;
}

/* Binary: mask b[0..n), about to be written at offset `at`, so that the
 * reader's lines through the uncommitted bytes all start with 0. */
static void mask_lines(RawSink *r, unsigned char *b, size_t n, off_t at)
{
    off_t stop = at + (off_t)n;
    while (r->line_at < stop) {
        if (!r->line_open) {
            unsigned char *c = b + (r->line_at - at);
            *c = 0;
            r->line_open = 1;
        }
        off_t last = r->line_at + NG_LINE - 2;   /* the line's last possible byte */
        off_t from = r->line_at + 1 > at ? r->line_at + 1 : at;
        off_t to = last + 1 < stop ? last + 1 : stop;
        const unsigned char *nl = from < to ? memchr(b + (from - at), '\n', (size_t)(to - from)) : NULL;
        if (nl)
            r->line_at = at + (off_t)(nl - b) + 1;
        else if (to == last + 1)
            r->line_at = last + 1;
        else
            return;   /* the line goes on in the next write */
        r->line_open = 0;
    }
}

/* Write the buffered points behind the counted ones, in the form the
 * reader ignores; keep them as they must end up. */
static int flush_out(RawSink *r, Diag *d)
{
    if (r->out.len == 0) return 0;
    bytes_add(&r->pending, r->out.p, r->out.len);
    if (r->ascii) {
        for (size_t i = 0; i < r->out.len; i++)
            if (r->out.p[i] == '\t') r->out.p[i] = '\n';
    } else {
        mask_lines(r, r->out.p, r->out.len, r->end);
    }
    int err = write_at(r->fd, r->out.p, r->out.len, r->end);
    if (err) return raw_fail(r, d, err, "cannot write");
    r->end += (off_t)r->out.len;
    r->out.len = 0;
    return 0;
}

static int write_count(RawSink *r, Diag *d)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%-*ld", COUNT_WIDTH, r->npoints);
    int err = write_at(r->fd, buf, COUNT_WIDTH, r->count_pos);
    return err ? raw_fail(r, d, err, "cannot write") : 0;
}

/* Count every point written so far. Binary: the true bytes go back first
 * (one write), then the count; until the count is written the file does
 * not load. Ascii: the count alone commits, the tabs come back after. */
static int commit(RawSink *r, Diag *d)
{
    if (flush_out(r, d)) return 1;
    if (r->end > r->committed) {
        int err = r->ascii ? 0 : write_at(r->fd, r->pending.p, r->pending.len, r->committed);
        if (err) return raw_fail(r, d, err, "cannot write");
        if (write_count(r, d)) return 1;
        err = r->ascii ? write_at(r->fd, r->pending.p, r->pending.len, r->committed) : 0;
        if (err) return raw_fail(r, d, err, "cannot write");
    }
    r->committed = r->line_at = r->end;
    r->line_open = 0;
    r->pending.len = 0;
    r->patched = r->npoints;
    clock_gettime(CLOCK_MONOTONIC, &r->last_patch);
    return 0;
}

/* Header text fields must stay on one line. */
static void put_line_field(Bytes *b, const char *key, const char *val)
{
    bytes_add(b, key, strlen(key));
    for (const char *c = val ? val : ""; *c; c++) {
        char ch = (*c == '\n' || *c == '\r') ? ' ' : *c;
        bytes_add(b, &ch, 1);
    }
    bytes_add(b, "\n", 1);
}

/* "Mon Nov 23 18:19:24  2026": ngspice's date layout (note the two blanks).
 * SOURCE_DATE_EPOCH (seconds, the reproducible-builds convention) fixes the
 * date, in UTC, so two runs can write byte-identical files. */
static void put_date(Bytes *b)
{
    char buf[64] = "";
    time_t t = time(NULL);
    struct tm tm;
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long fixed = epoch ? strtoll(epoch, &end, 10) : -1;
    int fixed_ok = epoch && end != epoch && *end == '\0' && fixed >= 0;
    if (fixed_ok) t = (time_t)fixed;
    if (fixed_ok ? gmtime_r(&t, &tm) != NULL : localtime_r(&t, &tm) != NULL)
        strftime(buf, sizeof buf, "%a %b %e %H:%M:%S  %Y", &tm);
    put_line_field(b, "Date: ", buf);
}

static int write_header(RawSink *r, const PlotInfo *p, Diag *d)
{
    Bytes h = { 0 };
    put_line_field(&h, "Title: ", p->title);
    put_date(&h);
    put_line_field(&h, "Plotname: ", p->plotname);
    bytes_printf(&h, "Flags: %s\nNo. Variables: %d\nNo. Points: ", p->cplx ? "complex" : "real", p->nvars);
    r->count_pos = r->end + (off_t)h.len;
    bytes_printf(&h, "%-*ld\nVariables:\n", COUNT_WIDTH, 0L);
    for (int i = 0; i < p->nvars; i++)
        bytes_printf(&h, "\t%d\t%s\t%s\n", i, p->vars[i].name, vartype_name(p->vars[i].type));
    bytes_printf(&h, "%s", r->ascii ? "Values:\n" : "Binary:\n");
    int err = write_at(r->fd, h.p, h.len, r->end);
    free(h.p);
    if (err) return raw_fail(r, d, err, "cannot write");
    r->end += (off_t)h.len;
    r->committed = r->line_at = r->end;
    r->line_open = 0;
    return 0;
}

static int raw_end(Sink *s, Diag *d)
{
    RawSink *r = (RawSink *)s;
    if (r->failed) return 1;
    if (!r->in_plot) return 0;
    r->in_plot = 0;
    return commit(r, d);
}

static int raw_begin(Sink *s, const PlotInfo *p, Diag *d)
{
    RawSink *r = (RawSink *)s;
    if (r->failed) return 1;
    if (r->in_plot && raw_end(s, d)) return 1;
    if (p->nvars < 1) {
        diag_error(d, NULL, "raw file '%s': plot '%s' has no variables", r->path,
                   p->plotname ? p->plotname : "");
        return 1;
    }
    if (write_header(r, p, d)) return 1;
    r->nvars = p->nvars;
    r->cplx = p->cplx;
    r->npoints = r->patched = 0;
    clock_gettime(CLOCK_MONOTONIC, &r->last_patch);
    r->in_plot = 1;
    return 0;
}

/* little-endian whatever the host: the format says so */
static void put_le_double(unsigned char *b, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(u >> (8 * i));
}

static void format_point(RawSink *r, const double *vals)
{
    if (!r->ascii) {
        size_t nv = (size_t)r->nvars * (r->cplx ? 2 : 1);
        unsigned char *b = bytes_room(&r->out, 8 * nv);
        for (size_t i = 0; i < nv; i++) put_le_double(b + 8 * i, vals[i]);
        r->out.len += 8 * nv;
        return;
    }
    if (r->cplx) {   /* "re,im" per value, as ngspice */
        bytes_printf(&r->out, "%ld\t\t%.16e,%.16e\n", r->npoints, vals[0], vals[1]);
        for (int i = 1; i < r->nvars; i++) bytes_printf(&r->out, "\t%.16e,%.16e\n", vals[2 * i], vals[2 * i + 1]);
        return;
    }
    /* %.16e: 17 significant digits, enough for every double to read back
     * exactly (ngspice itself prints %.15e, which is not) */
    bytes_printf(&r->out, "%ld\t\t%.16e\n", r->npoints, vals[0]);
    for (int i = 1; i < r->nvars; i++) bytes_printf(&r->out, "\t%.16e\n", vals[i]);
}

static int raw_point(Sink *s, const double *vals, Diag *d)
{
    RawSink *r = (RawSink *)s;
    if (r->failed) return 1;
    if (!r->in_plot) {
        diag_error(d, NULL, "raw file '%s': point written outside a plot", r->path);
        return 1;
    }
    format_point(r, vals);
    r->npoints++;
    if (r->npoints - r->patched >= r->patch_points || seconds_since(&r->last_patch) >= r->patch_seconds ||
        r->end - r->committed + (off_t)r->out.len >= PATCH_BYTES)
        return commit(r, d);
    if (r->out.len >= OUT_BYTES) return flush_out(r, d);
    return 0;
}

/* close() has no Diag of its own: an error here (only possible when end()
 * was not called) goes to stderr rather than being lost. */
static void raw_close(Sink *s)
{
    RawSink *r = (RawSink *)s;
    if (!r) return;
    Diag d;
    diag_init(&d, stderr);
    if (r->in_plot && !r->failed) raw_end(s, &d);
    if (close(r->fd) && !r->failed) raw_fail(r, &d, errno, "cannot write");
    diag_free(&d);
    free(r->out.p);
    free(r->pending.p);
    free(r->path);
    free(r);
}

Sink *raw_sink_open(const char *path, int ascii, Diag *d)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        diag_error(d, NULL, "cannot open raw file '%s' for writing: %s", path, strerror(errno));
        return NULL;
    }
    if (lseek(fd, 0, SEEK_CUR) < 0) {   /* a pipe or terminal: the count could never be rewritten */
        diag_error(d, NULL, "raw file '%s' is not seekable (%s): raw output needs a regular file", path,
                   strerror(errno));
        close(fd);
        return NULL;
    }
    RawSink *r = xcalloc(1, sizeof *r);
    r->base = (Sink){ .begin = raw_begin, .point = raw_point, .end = raw_end, .close = raw_close };
    r->fd = fd;
    r->path = xstrdup(path);
    r->ascii = ascii;
    r->patch_points = PATCH_POINTS_DEFAULT;
    r->patch_seconds = PATCH_SECONDS_DEFAULT;
    return &r->base;
}

void raw_sink_set_patch_interval(Sink *s, long points, double seconds)
{
    RawSink *r = (RawSink *)s;
    r->patch_points = points > 0 ? points : 1;
    r->patch_seconds = seconds;
}
