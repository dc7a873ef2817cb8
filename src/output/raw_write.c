/* ngspice-format raw file writer (see docs/output.md for the exact layout).
 *
 * Points are written as they arrive. The header's "No. Points:" field is a
 * fixed-width, blank-padded number so it can be rewritten in place: at end(),
 * at close(), and every few thousand points / half second while running. The
 * points are always flushed before the count is rewritten, so the count in
 * the file never exceeds the data on disk and a killed run leaves a file that
 * ngspice loads with nearly every point (and raw_read with every complete
 * point, see raw_read.c). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "output/sink.h"
#include "util/xmem.h"

/* ngspice pads to 8 digits; 12 keeps room for runs beyond 10^8 points and
 * every reader we know of (ngspice included) parses the field with atoi-like
 * code that ignores trailing blanks. */
#define COUNT_WIDTH 12
#define PATCH_POINTS_DEFAULT 10000
#define PATCH_SECONDS_DEFAULT 0.5

typedef struct RawSink {
    Sink base;
    FILE *fp;
    char *path;
    int ascii;
    int failed;           /* an error was reported; later calls fail quietly */
    int in_plot;
    int nvars;
    off_t count_pos;      /* file offset of the padded point count */
    long npoints;         /* points written in the current plot */
    long patched;         /* count last written into the header */
    long patch_points;
    double patch_seconds;
    struct timespec last_patch;
    unsigned char *pointbuf;   /* one point as little-endian bytes */
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

/* Report the first I/O error once, naming the file; `err` is the errno of
 * the failing call (captured before anything else can clobber it). */
static int raw_fail(RawSink *r, Diag *d, int err, const char *what)
{
    if (!r->failed)
        diag_error(d, NULL, "%s raw file '%s': %s", what, r->path,
                   err ? strerror(err) : "write error");
    r->failed = 1;
    return 1;
}

/* Header text fields must stay on one line. */
static void put_line_field(FILE *fp, const char *key, const char *val)
{
    fputs(key, fp);
    for (const char *c = val ? val : ""; *c; c++)
        fputc((*c == '\n' || *c == '\r') ? ' ' : *c, fp);
    fputc('\n', fp);
}

/* "Mon Nov 23 18:19:24  2026": ngspice's date layout (note the two blanks) */
static void put_date(FILE *fp)
{
    char buf[64] = "";
    time_t t = time(NULL);
    struct tm tm;
    if (localtime_r(&t, &tm)) strftime(buf, sizeof buf, "%a %b %e %H:%M:%S  %Y", &tm);
    put_line_field(fp, "Date: ", buf);
}

static int write_header(RawSink *r, const PlotInfo *p, Diag *d)
{
    FILE *fp = r->fp;
    errno = 0;
    put_line_field(fp, "Title: ", p->title);
    put_date(fp);
    put_line_field(fp, "Plotname: ", p->plotname);
    fputs("Flags: real\n", fp);
    fprintf(fp, "No. Variables: %d\n", p->nvars);
    fputs("No. Points: ", fp);
    r->count_pos = ftello(fp);
    if (r->count_pos < 0) return raw_fail(r, d, errno, "cannot seek in");
    fprintf(fp, "%-*ld\n", COUNT_WIDTH, 0L);
    fputs("Variables:\n", fp);
    for (int i = 0; i < p->nvars; i++)
        fprintf(fp, "\t%d\t%s\t%s\n", i, p->vars[i].name, vartype_name(p->vars[i].type));
    fputs(r->ascii ? "Values:\n" : "Binary:\n", fp);
    if (ferror(fp)) return raw_fail(r, d, errno, "cannot write");
    return 0;
}

/* Flush the points, then rewrite the count in place. */
static int patch_count(RawSink *r, Diag *d)
{
    errno = 0;
    if (fflush(r->fp)) return raw_fail(r, d, errno, "cannot write");
    off_t here = ftello(r->fp);
    if (here < 0 || fseeko(r->fp, r->count_pos, SEEK_SET))
        return raw_fail(r, d, errno, "cannot seek in");
    fprintf(r->fp, "%-*ld", COUNT_WIDTH, r->npoints);
    if (fseeko(r->fp, here, SEEK_SET)) return raw_fail(r, d, errno, "cannot seek in");
    if (fflush(r->fp) || ferror(r->fp)) return raw_fail(r, d, errno, "cannot write");
    r->patched = r->npoints;
    clock_gettime(CLOCK_MONOTONIC, &r->last_patch);
    return 0;
}

static int raw_end(Sink *s, Diag *d)
{
    RawSink *r = (RawSink *)s;
    if (r->failed) return 1;
    if (!r->in_plot) return 0;
    r->in_plot = 0;
    free(r->pointbuf);
    r->pointbuf = NULL;
    return patch_count(r, d);
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
    r->npoints = r->patched = 0;
    r->pointbuf = xmalloc((size_t)p->nvars * 8);
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

static int write_point(RawSink *r, const double *vals)
{
    if (!r->ascii) {
        for (int i = 0; i < r->nvars; i++) put_le_double(r->pointbuf + 8 * i, vals[i]);
        return fwrite(r->pointbuf, 8, (size_t)r->nvars, r->fp) == (size_t)r->nvars ? 0 : -1;
    }
    /* %.16e: 17 significant digits, enough for every double to read back
     * exactly (ngspice itself prints %.15e, which is not) */
    if (fprintf(r->fp, "%ld\t\t%.16e\n", r->npoints, vals[0]) < 0) return -1;
    for (int i = 1; i < r->nvars; i++)
        if (fprintf(r->fp, "\t%.16e\n", vals[i]) < 0) return -1;
    return 0;
}

static int raw_point(Sink *s, const double *vals, Diag *d)
{
    RawSink *r = (RawSink *)s;
    if (r->failed) return 1;
    if (!r->in_plot) {
        diag_error(d, NULL, "raw file '%s': point written outside a plot", r->path);
        return 1;
    }
    errno = 0;
    if (write_point(r, vals)) return raw_fail(r, d, errno, "cannot write");
    r->npoints++;
    if (r->npoints - r->patched >= r->patch_points ||
        seconds_since(&r->last_patch) >= r->patch_seconds)
        return patch_count(r, d);
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
    errno = 0;
    if (fclose(r->fp) && !r->failed) raw_fail(r, &d, errno, "cannot write");
    diag_free(&d);
    free(r->pointbuf);
    free(r->path);
    free(r);
}

Sink *raw_sink_open(const char *path, int ascii, Diag *d)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        diag_error(d, NULL, "cannot open raw file '%s' for writing: %s", path, strerror(errno));
        return NULL;
    }
    if (ftello(fp) < 0) {   /* a pipe or terminal: the count could never be patched */
        diag_error(d, NULL, "raw file '%s' is not seekable (%s): raw output needs a regular file", path,
                   strerror(errno));
        fclose(fp);
        return NULL;
    }
    setvbuf(fp, NULL, _IOFBF, 1 << 16);
    RawSink *r = xcalloc(1, sizeof *r);
    r->base = (Sink){ .begin = raw_begin, .point = raw_point, .end = raw_end, .close = raw_close };
    r->fp = fp;
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
