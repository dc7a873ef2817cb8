/* See testutil.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/raw_read.h"
#include "netlist/elaborate.h"
#include "sim.h"
#include "testutil.h"
#include "util/xmem.h"

TuRun *tu_run_any(const char *text)
{
    TuRun *r = xcalloc(1, sizeof *r);
    r->sink = mem_sink_new();
    Diag d;
    diag_init(&d, NULL);
    SimConfig cfg = {.netlist = "test.cir", .text = text, .quiet = 1, .extra = r->sink};
    r->rc = sim_run(&cfg, &d);
    r->log = xstrdup(d.buf ? d.buf : "");
    diag_free(&d);
    return r;
}

TuRun *tu_run_at(const char *text, const char *file, int line)
{
    TuRun *r = tu_run_any(text);
    if (r->rc != 0) {
        print_error("%s:%d: sim_run returned %d\n--- netlist ---\n%s\n--- diagnostics ---\n%s\n", file, line,
                    r->rc, text, r->log);
        tu_free(r);
        _fail(file, line);
    }
    return r;
}

void tu_free(TuRun *r)
{
    if (!r) return;
    r->sink->close(r->sink);
    free(r->log);
    free(r);
}

static void list_plots(const TuRun *r)
{
    int n = mem_sink_nplots(r->sink);
    print_error("the run has %d plot(s):", n);
    for (int i = 0; i < n; i++) print_error(" [%d] '%s'", i, mem_sink_plot(r->sink, i)->plotname);
    print_error("\n");
}

const MemPlot *tu_plot_at(const TuRun *r, int i, const char *file, int line)
{
    const MemPlot *p = mem_sink_plot(r->sink, i);
    if (!p) {
        print_error("%s:%d: no plot %d; ", file, line, i);
        list_plots(r);
        _fail(file, line);
    }
    return p;
}

const MemPlot *tu_plot_named_at(const TuRun *r, const char *prefix, const char *file, int line)
{
    for (int i = 0; i < mem_sink_nplots(r->sink); i++) {
        const MemPlot *p = mem_sink_plot(r->sink, i);
        if (str_iprefix(p->plotname, prefix)) return p;
    }
    print_error("%s:%d: no plot named '%s...'; ", file, line, prefix);
    list_plots(r);
    _fail(file, line);
    return NULL;
}

int tu_col_at(const MemPlot *p, const char *name, const char *file, int line)
{
    int c = memplot_var(p, name);
    if (c < 0) {
        print_error("%s:%d: plot '%s' has no variable '%s'; it has:", file, line, p->plotname, name);
        for (int i = 0; i < p->nvars; i++) print_error(" %s", p->names[i]);
        print_error("\n");
        _fail(file, line);
    }
    return c;
}

double tu_op_at(const TuRun *r, const char *name, const char *file, int line)
{
    const MemPlot *p = tu_plot_at(r, 0, file, line);
    int c = tu_col_at(p, name, file, line);
    if (p->npoints < 1) {
        print_error("%s:%d: plot '%s' has no points\n", file, line, p->plotname);
        _fail(file, line);
    }
    return tu_val(p, 0, c);
}

double tu_interp_at(const MemPlot *p, int col, double x, const char *file, int line)
{
    int n = p->npoints;
    if (n < 1 || x < tu_val(p, 0, 0) || x > tu_val(p, n - 1, 0)) {
        print_error("%s:%d: x=%.17g outside the scale of plot '%s' (%d points)\n", file, line, x, p->plotname,
                    n);
        _fail(file, line);
    }
    /* last point with scale <= x */
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (tu_val(p, mid, 0) <= x) lo = mid;
        else hi = mid - 1;
    }
    double x0 = tu_val(p, lo, 0);
    if (x0 == x || lo == n - 1) return tu_val(p, lo, col);
    double x1 = tu_val(p, lo + 1, 0), y0 = tu_val(p, lo, col), y1 = tu_val(p, lo + 1, col);
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
}

double tu_col_diff_at(const MemPlot *a, int ca, const MemPlot *b, int cb, double *range, const char *file,
                      int line)
{
    double lo = INFINITY, hi = -INFINITY, worst = 0;
    for (int k = 0; k < a->npoints; k++) {
        lo = fmin(lo, tu_val(a, k, ca));
        hi = fmax(hi, tu_val(a, k, ca));
    }
    for (int k = 0; k < a->npoints; k++) {
        double t = tu_val(a, k, 0);
        if (t < tu_val(b, 0, 0) || t > tu_val(b, b->npoints - 1, 0)) continue;
        worst = fmax(worst, fabs(tu_val(a, k, ca) - tu_interp_at(b, cb, t, file, line)));
    }
    if (range) *range = hi - lo;
    return worst;
}


static double max_err(const MemPlot *p, int col, TuFunc f, const void *ctx, double x0, double x1, int rel,
                      double floor, double *where)
{
    double worst = 0, at = NAN;
    for (int i = 0; i < p->npoints; i++) {
        double x = tu_val(p, i, 0);
        if (x < x0 || x > x1) continue;
        double want = f(x, ctx), e = fabs(tu_val(p, i, col) - want);
        if (rel) e /= fmax(fabs(want), floor);
        if (!(e <= worst)) {     /* NaN counts as the worst */
            worst = e;
            at = x;
        }
    }
    if (where) *where = at;
    return worst;
}

double tu_max_abs_err(const MemPlot *p, int col, TuFunc f, const void *ctx, double x0, double x1, double *where)
{
    return max_err(p, col, f, ctx, x0, x1, 0, 0, where);
}

double tu_max_rel_err(const MemPlot *p, int col, TuFunc f, const void *ctx, double x0, double x1, double floor,
                      double *where)
{
    return max_err(p, col, f, ctx, x0, x1, 1, floor, where);
}

void tu_close_at(double got, double want, double rtol, double atol, const char *what, const char *file, int line)
{
    double diff = fabs(got - want), bound = atol + rtol * fabs(want);
    if (getenv("TU_VERBOSE"))
        print_message("  check %s: difference %.3e (relative %.3e), allowed %.3e\n", what, diff,
                      want != 0 ? diff / fabs(want) : 0.0, bound);
    if (!(diff <= bound)) {
        print_error("%s:%d: %s: got %.17g, want %.17g (difference %.3e, allowed %.3e)\n", file, line, what, got,
                    want, diff, bound);
        _fail(file, line);
    }
}

void tu_le_at(double value, double bound, const char *what, const char *file, int line)
{
    if (getenv("TU_VERBOSE")) print_message("  check %s: %.3e, allowed %.3e\n", what, value, bound);
    if (!(value <= bound)) {
        print_error("%s:%d: %s: %.6e exceeds the bound %.6e\n", file, line, what, value, bound);
        _fail(file, line);
    }
}

void tu_ge_at(double value, double bound, const char *what, const char *file, int line)
{
    if (getenv("TU_VERBOSE")) print_message("  check %s: %.3e, required at least %.3e\n", what, value, bound);
    if (!(value >= bound)) {
        print_error("%s:%d: %s: %.6e is below the required %.6e\n", file, line, what, value, bound);
        _fail(file, line);
    }
}

int tu_have_program(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path) return 0;
    char *dirs = xstrdup(path);
    int found = 0;
    for (char *save = NULL, *dir = strtok_r(dirs, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char *full = xasprintf("%s/%s", *dir ? dir : ".", prog);
        found = access(full, X_OK) == 0;
        free(full);
    }
    free(dirs);
    return found;
}

typedef struct TuTmp {
    char dir[64];
} TuTmp;

int tu_tmpdir_setup(void **state)
{
    TuTmp *t = xcalloc(1, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/ms_test_XXXXXX");
    if (!mkdtemp(t->dir)) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

int tu_tmpdir_teardown(void **state)
{
    TuTmp *t = *state;
    char *cmd = xasprintf("rm -rf '%s'", t->dir);
    int rc = system(cmd);
    free(cmd);
    free(t);
    return rc == 0 ? 0 : -1;
}

char *tu_tmp_path(void **state, const char *name)
{
    return xasprintf("%s/%s", ((TuTmp *)*state)->dir, name);
}

struct RawFile *tu_ngspice_at(const char *netlist, const char *file, int line)
{
    /* a missing reference fails the test, it never skips it quietly
     * (make test installs ngspice: tools/deps.sh test) */
    if (!tu_have_program("ngspice"))
        fail_msg("%s:%d: ngspice is not on PATH: the comparison needs it (make test installs it)", file, line);
    char dir[] = "/tmp/ms_ngspice_XXXXXX";
    if (!mkdtemp(dir)) fail_msg("%s:%d: mkdtemp failed", file, line);
    char *cir = xasprintf("%s/n.cir", dir), *raw = xasprintf("%s/n.raw", dir), *log = xasprintf("%s/n.log", dir);
    FILE *f = fopen(cir, "w");
    if (!f) fail_msg("%s:%d: cannot write %s", file, line, cir);
    fputs(netlist, f);
    fclose(f);
    char *cmd = xasprintf("ngspice -b -r '%s' '%s' > '%s' 2>&1", raw, cir, log);
    int rc = system(cmd);
    Diag d;
    diag_init(&d, NULL);
    RawFile *rf = rc == 0 ? raw_read(raw, &d) : NULL;
    if (!rf) {
        print_error("%s:%d: ngspice (%s) exit %d; raw_read: %s\n", file, line, cmd, rc, d.buf ? d.buf : "");
        char *show = xasprintf("head -40 '%s' >&2", log);
        if (system(show) != 0) print_error("(no log)\n");
        free(show);
    }
    diag_free(&d);
    char *rm = xasprintf("rm -rf '%s'", dir);
    if (system(rm) != 0) print_error("could not remove %s\n", dir);
    free(rm);
    free(cmd);
    free(cir);
    free(raw);
    free(log);
    if (!rf) fail_msg("%s:%d: ngspice did not produce a raw file", file, line);
    return rf;
}

const MemPlot *tu_raw_plot(const struct RawFile *rf, const char *prefix)
{
    for (int i = 0; i < rf->nplots; i++)
        if (str_iprefix(rf->plots[i].plotname, prefix)) return &rf->plots[i];
    fail_msg("the raw file has no plot named '%s...'", prefix);
    return NULL;
}

void tu_expect_error_at(const char *net, const char *msg, const char *file, int line)
{
    TuRun *r = tu_run_any(net);
    if (r->rc == 0 || !strstr(r->log, msg))
        fail_msg("%s:%d: expected an error containing '%s', got rc=%d:\n%s", file, line, msg, r->rc, r->log);
    tu_free(r);
}

char *tu_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = xmalloc((size_t)(n > 0 ? n : 0) + 1);
    size_t got = n > 0 ? fread(s, 1, (size_t)n, f) : 0;
    fclose(f);
    if ((long)got != n) fail_msg("short read of %s", path);
    s[got] = '\0';
    return s;
}

/* run path (or text under that name) with parameter overrides; the text of
 * its .meas table */
static char *run_meas_table(const char *path, const char *text, const ParamOverride *po, int np, int jobs,
                            const char *file, int line)
{
    char tab[] = "/tmp/ms_meas_table_XXXXXX";
    int fd = mkstemp(tab);
    if (fd < 0) fail_msg("%s:%d: mkstemp failed", file, line);
    close(fd);
    Diag d;
    diag_init(&d, NULL);
    SimConfig cfg = {.netlist = path, .text = text, .quiet = 1, .meas = tab, .jobs = jobs, .params = po, .nparams = np};
    int rc = sim_run(&cfg, &d);
    if (rc) fail_msg("%s:%d: %s: exit %d\n%s", file, line, path, rc, d.buf ? d.buf : "");
    diag_free(&d);
    char *t = tu_read_file(tab);
    remove(tab);
    return t;
}

char *tu_meas_table_at(const char *path, const char *text, const char *file, int line)
{
    return run_meas_table(path, text, NULL, 0, 2, file, line);
}

double tu_meas_at(const char *path, const char *const *params, const char *name, const char *file, int line)
{
    int np = 0;
    while (params && params[np]) np++;
    ParamOverride *po = xcalloc((size_t)np + 1, sizeof *po);
    char **names = xcalloc((size_t)np + 1, sizeof *names);
    for (int k = 0; k < np; k++) {
        const char *eq = strchr(params[k], '=');
        if (!eq) fail_msg("%s:%d: parameter override '%s' has no '='", file, line, params[k]);
        names[k] = xstrndup(params[k], (size_t)(eq - params[k]));
        po[k].name = names[k];
        po[k].value = strtod(eq + 1, NULL);
        po[k].origin = "--param";
    }
    char *t = run_meas_table(path, NULL, po, np, 1, file, line);
    /* header line, then one row */
    char *nl = strchr(t, '\n');
    if (!nl) fail_msg("%s:%d: %s: empty .meas table", file, line, path);
    *nl = '\0';
    char *row = nl + 1;
    int col = -1, k = 0;
    for (char *h = t, *next; h; h = next, k++) {
        next = strchr(h, ',');
        if (next) *next++ = '\0';
        if (strcmp(h, name) == 0) col = k;
    }
    if (col < 0) fail_msg("%s:%d: %s: no measurement '%s' in its .meas table", file, line, path, name);
    const char *cell = row;
    for (k = 0; k < col && cell; k++) {
        cell = strchr(cell, ',');
        if (cell) cell++;
    }
    double v = cell && *cell && *cell != ',' && *cell != '\n' ? strtod(cell, NULL) : NAN;
    printf("  %s", path);
    for (k = 0; k < np; k++) printf(" %s", params[k]);
    printf(": %s = %.10g\n", name, v);
    free(t);
    for (k = 0; k < np; k++) free(names[k]);
    free(names);
    free(po);
    return v;
}
