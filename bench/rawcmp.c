/* rawcmp: compare two raw files (e.g. memspice against ngspice).
 *
 *   rawcmp a.raw b.raw [--vars v(out),i(v1)] [--alias A=B,...] [--plot N] [--cubic]
 *
 * For every variable present in both plots (names compared without regard
 * to case; or only the --vars ones), b is interpolated onto a's scale
 * points and the largest differences are printed: absolute, and
 * relative to the variable's range in a. The range has a floor so constant
 * signals do not divide by zero: max(max-min, 1e-3*max|a|, 1uV for voltages,
 * 1pA for currents, 1e-12 otherwise) -- SPICE's default vntol and abstol.
 * The last line is
 *   max_rel_diff <value> (<var> at <scale value>)
 * Interpolation is linear unless --cubic: then a cubic through the four
 * nearest points of b (linear where neighbouring steps differ by more than
 * 4x, which marks a breakpoint: a cubic must not bend across a corner).
 * --alias A=B pairs a's variable A with b's variable B when the two
 * simulators name the same quantity differently (a native device state
 * x(ymemristor!m1) against the state capacitor's node v(xm1.s) of a
 * behavioural subcircuit); the line printed is named after A.
 * Two simulators with different time grids differ by their linear
 * interpolation error (O(h^2 v'')) long before they differ in the solution;
 * --cubic makes the comparison measure the solutions.
 * Exit status: 0 when the comparison was made, 1 on usage or read errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/raw_read.h"
#include "util/xmem.h"

typedef struct Cmp {
    const MemPlot *a, *b;
    int scaled;          /* both plots have a scale in column 0 */
    int same_scale;      /* identical scale points: compare index by index */
    double dir;          /* +1 increasing scales, -1 decreasing */
    int cubic;           /* --cubic */
} Cmp;

typedef struct Worst {
    double rel, abs, at;
    const char *var;
} Worst;

static double val(const MemPlot *p, int k, int var)
{
    return p->data[(size_t)k * (size_t)p->nvars + (size_t)var];
}

static int usage(void)
{
    fprintf(stderr, "usage: rawcmp a.raw b.raw [--vars v(out),i(v1)] [--alias A=B,...] [--plot N] [--cubic]\n");
    return 1;
}

static int find_var(const MemPlot *p, const char *name)
{
    for (int i = 0; i < p->nvars; i++)
        if (str_ieq(p->names[i], name)) return i;
    return -1;
}

/* direction of a monotonic scale: +1, -1, or 0 if not monotonic */
static double scale_direction(const MemPlot *p)
{
    if (p->npoints < 2) return 1;
    double dir = val(p, p->npoints - 1, 0) >= val(p, 0, 0) ? 1 : -1;
    for (int k = 1; k < p->npoints; k++)
        if (dir * (val(p, k, 0) - val(p, k - 1, 0)) < 0) return 0;
    return dir;
}

static int setup(Cmp *c, const MemPlot *a, const MemPlot *b)
{
    c->a = a;
    c->b = b;
    c->scaled = plot_has_scale(a->plotname) && plot_has_scale(b->plotname);
    if (a->npoints == 0 || b->npoints == 0) {
        fprintf(stderr, "rawcmp: a plot has no points\n");
        return -1;
    }
    if (!c->scaled) {
        if (a->npoints != b->npoints)
            fprintf(stderr, "rawcmp: warning: %d vs %d points; comparing the first %d\n", a->npoints,
                    b->npoints, a->npoints < b->npoints ? a->npoints : b->npoints);
        return 0;
    }
    double da = scale_direction(a), db = scale_direction(b);
    if (da == 0 || db == 0 || da != db) {
        fprintf(stderr, "rawcmp: the scales (%s, %s) must be monotonic in the same direction\n", a->names[0],
                b->names[0]);
        return -1;
    }
    c->dir = da;
    c->same_scale = a->npoints == b->npoints;
    for (int k = 0; c->same_scale && k < a->npoints; k++) c->same_scale = val(a, k, 0) == val(b, k, 0);
    return 0;
}

/* b's variable `vb` at a's scale value x; *j is a moving segment index */
static double interp_b(const Cmp *c, int vb, double x, int *j)
{
    const MemPlot *b = c->b;
    int nb = b->npoints;
    double xs = c->dir * x;
    if (nb == 1 || xs <= c->dir * val(b, 0, 0)) return val(b, 0, vb);
    if (xs >= c->dir * val(b, nb - 1, 0)) return val(b, nb - 1, vb);
    while (*j > 0 && c->dir * val(b, *j, 0) > xs) (*j)--;
    while (*j + 2 < nb && c->dir * val(b, *j + 1, 0) <= xs) (*j)++;
    double x0 = val(b, *j, 0), x1 = val(b, *j + 1, 0);
    if (x1 == x0) return val(b, *j + 1, vb);
    if (c->cubic && *j > 0 && *j + 2 < nb) {
        double xm = val(b, *j - 1, 0), x2 = val(b, *j + 2, 0);
        double h = x1 - x0, hm = x0 - xm, h2 = x2 - x1;
        if (hm != 0 && h2 != 0 && hm / h < 4 && h / hm < 4 && h2 / h < 4 && h / h2 < 4) {
            double xs4[4] = {xm, x0, x1, x2}, y = 0;
            for (int i = 0; i < 4; i++) {
                double l = 1;
                for (int k = 0; k < 4; k++)
                    if (k != i) l *= (x - xs4[k]) / (xs4[i] - xs4[k]);
                y += l * val(b, *j - 1 + i, vb);
            }
            return y;
        }
    }
    double t = (x - x0) / (x1 - x0);
    return val(b, *j, vb) + t * (val(b, *j + 1, vb) - val(b, *j, vb));
}

static double diff(double x, double y)
{
    if (isnan(x) || isnan(y)) return isnan(x) && isnan(y) ? 0 : INFINITY;
    return fabs(x - y);
}

static double range_floor(VarType t)
{
    return t == VT_VOLTAGE ? 1e-6 : 1e-12;
}

/* compare one variable; prints its line and updates the overall worst */
static void compare_var(const Cmp *c, int va, int vb, Worst *w)
{
    const MemPlot *a = c->a;
    int n = c->scaled ? a->npoints : (a->npoints < c->b->npoints ? a->npoints : c->b->npoints);
    double lo = INFINITY, hi = -INFINITY, big = 0, worst = -1, at = 0;
    int j = 0;
    for (int k = 0; k < n; k++) {
        double ya = val(a, k, va);
        double yb = !c->scaled || c->same_scale ? val(c->b, k, vb) : interp_b(c, vb, val(a, k, 0), &j);
        double e = diff(ya, yb);
        if (isfinite(ya)) {
            lo = fmin(lo, ya);
            hi = fmax(hi, ya);
            big = fmax(big, fabs(ya));
        }
        if (e > worst) {
            worst = e;
            at = c->scaled ? val(a, k, 0) : k;
        }
    }
    double span = hi > lo ? hi - lo : 0;
    double denom = fmax(fmax(span, 1e-3 * big), range_floor(a->types[va]));
    double rel = worst / denom;
    printf("%-24s %-14.3e %-14.3e %.6g\n", a->names[va], worst, rel, at);
    if (rel > w->rel || !w->var) *w = (Worst){ rel, worst, at, a->names[va] };
}

/* a's scale points that fall outside b's scale (b is clamped there) */
static void warn_outside(const Cmp *c)
{
    const MemPlot *a = c->a, *b = c->b;
    if (!c->scaled || c->same_scale) return;
    double b0 = c->dir * val(b, 0, 0), b1 = c->dir * val(b, b->npoints - 1, 0);
    double tol = 1e-9 * fmax(fabs(b1 - b0), fmax(fabs(b0), fabs(b1)));
    int out = 0;
    for (int k = 0; k < a->npoints; k++) {
        double x = c->dir * val(a, k, 0);
        out += x < b0 - tol || x > b1 + tol;
    }
    if (out) fprintf(stderr, "rawcmp: warning: %d points of a lie outside b's scale range; b held constant there\n", out);
}

/* split "v(a,b),i(v1)" at the commas outside parentheses */
static int split_vars(char *s, char **out, int max)
{
    int n = 0, depth = 0;
    char *start = s;
    for (char *p = s;; p++) {
        if (*p == '(') depth++;
        if (*p == ')' && depth > 0) depth--;
        if (*p == '\0' || (*p == ',' && depth == 0)) {
            int end = *p == '\0';
            *p = '\0';
            if (*start && n < max) out[n++] = start;
            if (end) break;
            start = p + 1;
        }
    }
    return n;
}

/* --alias pairs "A=B": the name in b of a's variable `name` */
typedef struct Alias {
    char **from, **to;
    int n;
} Alias;

static const char *b_name(const Alias *al, const char *name)
{
    for (int i = 0; i < al->n; i++)
        if (str_ieq(al->from[i], name)) return al->to[i];
    return name;
}

/* pairs of columns (a, b) to compare; -1 after reporting a listed name that
 * is missing. The scales themselves are not compared. */
static int match_vars(const Cmp *c, char **vars, int nvars, const Alias *al, int *ia, int *ib)
{
    const MemPlot *a = c->a, *b = c->b;
    int n = 0;
    for (int i = 0; i < (nvars ? nvars : a->nvars); i++) {
        int va = nvars ? find_var(a, vars[i]) : i;
        int vb = va >= 0 ? find_var(b, b_name(al, a->names[va])) : -1;
        if (nvars && (va < 0 || vb < 0)) {
            fprintf(stderr, "rawcmp: variable '%s' is not in the %s file\n", va < 0 ? vars[i] : b_name(al, vars[i]),
                    va < 0 ? "first" : "second");
            return -1;
        }
        if (vb < 0 || (c->scaled && (va == 0 || vb == 0))) continue;
        ia[n] = va;
        ib[n++] = vb;
    }
    if (n == 0) fprintf(stderr, "rawcmp: the plots have no variable in common\n");
    return n ? n : -1;
}

static int run(const MemPlot *a, const MemPlot *b, char **vars, int nvars, const Alias *al, int cubic)
{
    Cmp c = { 0 };
    if (setup(&c, a, b)) return 1;
    c.cubic = cubic;
    int *ia = xmalloc((size_t)a->nvars * sizeof *ia), *ib = xmalloc((size_t)a->nvars * sizeof *ib);
    int n = match_vars(&c, vars, nvars, al, ia, ib);
    if (n > 0) {
        warn_outside(&c);
        printf("%-24s %-14s %-14s %s\n", "variable", "max_abs_diff", "max_rel_diff", c.scaled ? "at" : "at point");
        Worst w = { 0 };
        for (int i = 0; i < n; i++) compare_var(&c, ia[i], ib[i], &w);
        if (c.scaled) printf("max_rel_diff %.6e (%s at %.9g)\n", w.rel, w.var, w.at);
        else printf("max_rel_diff %.6e (%s at point %.0f)\n", w.rel, w.var, w.at);
    }
    free(ia);
    free(ib);
    return n > 0 ? 0 : 1;
}

static int pick_plot(const RawFile *r, const char *path, int n, const MemPlot **out)
{
    if (n < 0 || n >= r->nplots) {
        fprintf(stderr, "rawcmp: %s has %d plot(s); no plot %d\n", path, r->nplots, n);
        return 1;
    }
    *out = &r->plots[n];
    return 0;
}

int main(int argc, char **argv)
{
    const char *files[2] = { 0 };
    char *vars[256], *varlist = NULL, *aliaslist = NULL;
    char *afrom[256], *ato[256];
    int nfiles = 0, plot = 0, nvars = 0, cubic = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--cubic")) cubic = 1;
        else if (!strcmp(argv[i], "--vars") && i + 1 < argc) varlist = argv[++i];
        else if (!strncmp(argv[i], "--vars=", 7)) varlist = argv[i] + 7;
        else if (!strcmp(argv[i], "--alias") && i + 1 < argc) aliaslist = argv[++i];
        else if (!strncmp(argv[i], "--alias=", 8)) aliaslist = argv[i] + 8;
        else if (!strcmp(argv[i], "--plot") && i + 1 < argc) {
            plot = (int)strtol(argv[++i], &end, 10);
            if (*end || end == argv[i]) return usage();
        } else if (argv[i][0] == '-' && argv[i][1]) return usage();
        else if (nfiles < 2) files[nfiles++] = argv[i];
        else return usage();
    }
    if (nfiles != 2) return usage();
    char *vcopy = varlist ? xstrdup(varlist) : NULL;
    if (vcopy) nvars = split_vars(vcopy, vars, 256);
    char *acopy = aliaslist ? xstrdup(aliaslist) : NULL;
    Alias al = { afrom, ato, acopy ? split_vars(acopy, afrom, 256) : 0 };
    for (int i = 0; i < al.n; i++) {
        char *eq = strchr(afrom[i], '=');
        if (!eq || eq == afrom[i] || !eq[1]) {
            fprintf(stderr, "rawcmp: --alias expects A=B pairs, got '%s'\n", afrom[i]);
            free(vcopy);
            free(acopy);
            return usage();
        }
        *eq = '\0';
        ato[i] = eq + 1;
    }
    Diag d;
    diag_init(&d, stderr);
    RawFile *ra = raw_read(files[0], &d);
    RawFile *rb = ra ? raw_read(files[1], &d) : NULL;
    const MemPlot *a = NULL, *b = NULL;
    int rc = 1;
    if (ra && rb && !pick_plot(ra, files[0], plot, &a) && !pick_plot(rb, files[1], plot, &b))
        rc = run(a, b, vars, nvars, &al, cubic);
    raw_free(ra);
    raw_free(rb);
    diag_free(&d);
    free(vcopy);
    free(acopy);
    return rc;
}
