/* One-line progress display:
 *   tran  12.3% t=1.23us  4567 steps  89.0k steps/s  ETA 3s
 * redrawn in place with \r at most every 0.1 s of wall time, cleared by
 * progress_done. A disabled Progress is a valid object that prints nothing,
 * so callers never branch on whether it is shown. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/progress.h"
#include "util/xmem.h"

#define REDRAW_SECONDS 0.1

struct Progress {
    FILE *out;
    int enabled;
    char *what;
    double t0;          /* wall clock at creation */
    double last_draw;   /* wall clock of the last redraw, < 0 before the first */
    int width;          /* length of the line on screen, to blank it out */
};

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

Progress *progress_new(FILE *out, int enabled, const char *what)
{
    Progress *p = xcalloc(1, sizeof *p);
    p->out = out;
    p->enabled = enabled && out;
    p->what = xstrdup(what ? what : "");
    p->t0 = wall_now();
    p->last_draw = -1;
    return p;
}

/* 1.23u, 45.6m, 500k: three significant digits and an SI prefix */
static void fmt_eng(char *buf, size_t n, double v)
{
    static const char *const pre[] = { "f", "p", "n", "u", "m", "", "k", "M", "G" };
    double a = fabs(v);
    int k = 5;
    if (a > 0 && isfinite(a)) {
        k = (int)floor(log10(a) / 3) + 5;
        if (k < 0) k = 0;
        if (k > 8) k = 8;
    }
    double scaled = v / pow(1000.0, k - 5);
    if (fabs(scaled) >= 999.5 && k < 8) scaled = v / pow(1000.0, ++k - 5);   /* 999.7 -> 1.00k */
    double m = fabs(scaled);
    snprintf(buf, n, "%.*f%s", m >= 99.95 ? 0 : m >= 9.995 ? 1 : 2, scaled, pre[k]);
}

static void fmt_duration(char *buf, size_t n, double s)
{
    if (!isfinite(s) || s < 0 || s > 1e9) snprintf(buf, n, "?");
    else if (s < 60) snprintf(buf, n, "%.0fs", s);
    else if (s < 3600) snprintf(buf, n, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
    else snprintf(buf, n, "%dh%02dm", (int)(s / 3600), (int)fmod(s / 60, 60));
}

static void draw(Progress *p, double now, double t, double tstart, double tstop, long steps)
{
    double span = tstop - tstart;
    double frac = span != 0 ? (t - tstart) / span : 0;
    if (!(frac >= 0)) frac = 0;
    if (frac > 1) frac = 1;
    double elapsed = now - p->t0;
    double rate = elapsed > 0 ? (double)steps / elapsed : 0;
    char tb[32], rb[32], eb[32], line[200];
    fmt_eng(tb, sizeof tb, t);
    fmt_eng(rb, sizeof rb, rate);
    fmt_duration(eb, sizeof eb, frac > 0 ? elapsed * (1 - frac) / frac : -1);
    int len = snprintf(line, sizeof line, "%s %5.1f%% t=%ss  %ld steps  %s steps/s  ETA %s", p->what,
                       100 * frac, tb, steps, rb, eb);
    if (len < 0) return;
    if (len >= (int)sizeof line) len = (int)sizeof line - 1;
    /* pad with blanks so a shorter line fully covers the previous one */
    fprintf(p->out, "\r%s%*s", line, p->width > len ? p->width - len : 0, "");
    fflush(p->out);
    p->width = len;
}

void progress_update(Progress *p, double t, double tstart, double tstop, long steps)
{
    if (!p || !p->enabled) return;
    double now = wall_now();
    if (p->last_draw >= 0 && now - p->last_draw < REDRAW_SECONDS) return;
    p->last_draw = now;
    draw(p, now, t, tstart, tstop, steps);
}

void progress_done(Progress *p)
{
    if (!p) return;
    if (p->enabled && p->width > 0) {
        fprintf(p->out, "\r%*s\r", p->width, "");
        fflush(p->out);
    }
    free(p->what);
    free(p);
}
