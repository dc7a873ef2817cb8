/* Control-language vectors, plots and vector expressions (vec.h). The
 * expression is evaluated while it is parsed (recursive descent over the
 * text): every rule returns a fresh vector or NULL after an error. */
#include "control/vec.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/number.h"
#include "util/xmem.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

CVec *cvec_new(const char *name, VarType type, int n)
{
    CVec *v = xcalloc(1, sizeof *v);
    v->name = xstrdup(name);
    v->type = type;
    v->n = n;
    v->v = xcalloc((size_t)(n > 0 ? n : 1), sizeof *v->v);
    return v;
}

void cvec_make_complex(CVec *v)
{
    if (!v->im) v->im = xcalloc((size_t)(v->n > 0 ? v->n : 1), sizeof *v->im);
}

void cvec_free(CVec *v)
{
    if (!v) return;
    free(v->im);
    free(v->name);
    free(v->v);
    free(v);
}

CVec *cvec_copy(const CVec *v, const char *name)
{
    CVec *c = cvec_new(name ? name : v->name, v->type, v->n);
    memcpy(c->v, v->v, (size_t)v->n * sizeof *v->v);
    if (v->im) {
        cvec_make_complex(c);
        memcpy(c->im, v->im, (size_t)v->n * sizeof *v->im);
    }
    return c;
}

CPlot *cplot_new(const char *name, const char *title, const char *kind)
{
    CPlot *p = xcalloc(1, sizeof *p);
    p->name = xstrdup(name);
    p->title = xstrdup(title ? title : "");
    p->kind = xstrdup(kind ? kind : "");
    p->scale = -1;
    return p;
}

void cplot_free(CPlot *p)
{
    if (!p) return;
    for (int i = 0; i < p->nvec; i++) cvec_free(p->vec[i]);
    free(p->vec);
    free(p->name);
    free(p->title);
    free(p->kind);
    free(p);
}

static CVec *find_exact(const CPlot *p, const char *name)
{
    for (int i = 0; i < p->nvec; i++)
        if (strcmp(p->vec[i]->name, name) == 0) return p->vec[i];
    return NULL;
}

void cplot_add(CPlot *p, CVec *v)
{
    for (int i = 0; i < p->nvec; i++)
        if (strcmp(p->vec[i]->name, v->name) == 0) {
            cvec_free(p->vec[i]);
            p->vec[i] = v;
            return;
        }
    p->vec = xrealloc(p->vec, (size_t)(p->nvec + 1) * sizeof *p->vec);
    p->vec[p->nvec++] = v;
}

CVec *cplot_find(const CPlot *p, const char *name)
{
    if (!p) return NULL;
    CVec *v = find_exact(p, name);
    if (v) return v;
    size_t n = strlen(name);
    char *alt = NULL;
    if (n > 7 && strcmp(name + n - 7, "#branch") == 0) alt = xasprintf("i(%.*s)", (int)(n - 7), name);
    else if (!strchr(name, '(')) alt = xasprintf("v(%s)", name);
    if (alt) {
        v = find_exact(p, alt);
        free(alt);
    }
    return v;
}

const CVec *cplot_scale(const CPlot *p)
{
    return p && p->scale >= 0 && p->scale < p->nvec ? p->vec[p->scale] : NULL;
}

/* ------------------------------------------------------------ evaluation */

typedef struct Ev {
    const CEnv *env;
    const char *s;
    size_t pos;
    char *err;
    size_t errn;
    int failed;
} Ev;

static CVec *fail(Ev *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static CVec *fail(Ev *e, const char *fmt, ...)
{
    if (!e->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->err, e->errn, fmt, ap);
        va_end(ap);
    }
    e->failed = 1;
    return NULL;
}

static void skip(Ev *e)
{
    while (isspace((unsigned char)e->s[e->pos])) e->pos++;
}

static int peek(Ev *e, const char *op)
{
    skip(e);
    return strncmp(e->s + e->pos, op, strlen(op)) == 0;
}

static int eat(Ev *e, const char *op)
{
    if (!peek(e, op)) return 0;
    e->pos += strlen(op);
    return 1;
}

/* a word operator (and, or, not, eq, ...) standing alone */
static int eat_word(Ev *e, const char *w)
{
    skip(e);
    size_t n = strlen(w);
    if (strncasecmp(e->s + e->pos, w, n) != 0) return 0;
    char c = e->s[e->pos + n];
    if (isalnum((unsigned char)c) || c == '_' || c == '(' || c == '#' || c == '.') return 0;
    e->pos += n;
    return 1;
}

static CVec *scalar(double x)
{
    CVec *v = cvec_new("", VT_NOTYPE, 1);
    v->v[0] = x;
    return v;
}

typedef double (*BinFn)(double, double);
static double op_add(double a, double b) { return a + b; }
static double op_sub(double a, double b) { return a - b; }
static double op_mul(double a, double b) { return a * b; }
static double op_div(double a, double b) { return a / b; }
static double op_mod(double a, double b) { return fmod(a, b); }
static double op_pow(double a, double b) { return pow(a, b); }
static double op_eq(double a, double b) { return a == b; }
static double op_ne(double a, double b) { return a != b; }
static double op_lt(double a, double b) { return a < b; }
static double op_gt(double a, double b) { return a > b; }
static double op_le(double a, double b) { return a <= b; }
static double op_ge(double a, double b) { return a >= b; }
static double op_and(double a, double b) { return a != 0 && b != 0; }
static double op_or(double a, double b) { return a != 0 || b != 0; }
static double op_max(double a, double b) { return a > b ? a : b; }
static double op_min(double a, double b) { return a < b ? a : b; }

/* elementwise; a scalar broadcasts; otherwise the shorter length. Frees a, b. */
static CVec *binop(Ev *e, CVec *a, CVec *b, BinFn f, int keep_type)
{
    if (!a || !b) {
        cvec_free(a);
        cvec_free(b);
        return NULL;
    }
    if (a->im || b->im) {
        cvec_free(a);
        cvec_free(b);
        return fail(e, "this operation is not defined for complex vectors (take mag(), real() or db() first)");
    }
    int n = a->n == 1 ? b->n : b->n == 1 ? a->n : (a->n < b->n ? a->n : b->n);
    VarType t = keep_type ? (a->n >= b->n ? a->type : b->type) : VT_NOTYPE;
    if (keep_type && a->type != VT_NOTYPE && b->type != VT_NOTYPE && a->type != b->type) t = VT_NOTYPE;
    else if (keep_type && a->type == VT_NOTYPE) t = b->type;
    CVec *r = cvec_new("", t, n);
    for (int i = 0; i < n; i++) r->v[i] = f(a->v[a->n == 1 ? 0 : i], b->v[b->n == 1 ? 0 : i]);
    cvec_free(a);
    cvec_free(b);
    (void)e;
    return r;
}

static CVec *parse_cond(Ev *e);

/* + - * / ^ with complex operands (either one complex) */
static CVec *arith(Ev *e, CVec *a, CVec *b, char op)
{
    static const BinFn real_fn[] = {['+'] = op_add, ['-'] = op_sub, ['*'] = op_mul, ['/'] = op_div, ['^'] = op_pow};
    if (!a || !b || (!a->im && !b->im)) return binop(e, a, b, real_fn[(unsigned char)op], op == '+' || op == '-');
    int n = a->n == 1 ? b->n : b->n == 1 ? a->n : (a->n < b->n ? a->n : b->n);
    CVec *r = cvec_new("", a->type != VT_NOTYPE ? a->type : b->type, n);
    cvec_make_complex(r);
    for (int i = 0; i < n; i++) {
        int ia = a->n == 1 ? 0 : i, ib = b->n == 1 ? 0 : i;
        double ar = a->v[ia], ai = a->im ? a->im[ia] : 0, br = b->v[ib], bi = b->im ? b->im[ib] : 0, rr, ri;
        switch (op) {
        case '+': rr = ar + br, ri = ai + bi; break;
        case '-': rr = ar - br, ri = ai - bi; break;
        case '*': rr = ar * br - ai * bi, ri = ar * bi + ai * br; break;
        case '/': {
            double d = br * br + bi * bi;
            rr = (ar * br + ai * bi) / d, ri = (ai * br - ar * bi) / d;
            break;
        }
        default: {   /* ^: exp(b ln a) */
            double lr = log(hypot(ar, ai)), li = atan2(ai, ar);
            double er = br * lr - bi * li, ei = br * li + bi * lr;
            rr = exp(er) * cos(ei), ri = exp(er) * sin(ei);
        }
        }
        r->v[i] = rr;
        r->im[i] = ri;
    }
    if (op == '*' || op == '/' || op == '^') r->type = VT_NOTYPE;
    cvec_free(a);
    cvec_free(b);
    return r;
}

/* the plot whose name is the first len bytes of s (tran1 of tran1.v(out)), NULL if none */
static CPlot *plot_named(const CEnv *env, const char *s, size_t len)
{
    for (int k = 0; k < env->nplots; k++)
        if (strlen(env->plots[k]->name) == len && strncmp(env->plots[k]->name, s, len) == 0) return env->plots[k];
    return NULL;
}

/* a vector by name: current plot, then plot.name, then constants */
static CVec *lookup(Ev *e, const char *name)
{
    const CEnv *env = e->env;
    CVec *v = cplot_find(env->cur, name);
    const char *dot = strchr(name, '.');
    if (!v && dot) v = cplot_find(plot_named(env, name, (size_t)(dot - name)), dot + 1);
    if (!v) v = cplot_find(env->constants, name);
    if (!v) return fail(e, "no vector named '%s'", name);
    return cvec_copy(v, "");
}

/* raw text inside (...) from the position after '(' to the matching ')' */
static char *raw_args(Ev *e)
{
    int depth = 1;
    size_t start = e->pos;
    while (e->s[e->pos] && depth > 0) {
        if (e->s[e->pos] == '(') depth++;
        else if (e->s[e->pos] == ')') depth--;
        if (depth > 0) e->pos++;
    }
    if (depth) {
        fail(e, "missing ')'");
        return NULL;
    }
    char *r = xasprintf("%.*s", (int)(e->pos - start), e->s + start);
    e->pos++;
    /* trim blanks */
    char *p = r;
    while (isspace((unsigned char)*p)) p++;
    memmove(r, p, strlen(p) + 1);
    size_t n = strlen(r);
    while (n && isspace((unsigned char)r[n - 1])) r[--n] = '\0';
    return r;
}

static char *lower(char *s)
{
    for (char *p = s; *p; p++) *p = (char)tolower((unsigned char)*p);
    return s;
}

/* v(a), v(a,b), i(src) */
static CVec *node_call(Ev *e, char kind)
{
    char *args = raw_args(e);
    if (!args) return NULL;
    lower(args);
    char *comma = strchr(args, ',');
    CVec *r;
    if (kind == 'v' && comma) {
        *comma = '\0';
        char *b = comma + 1;
        while (isspace((unsigned char)*b)) b++;
        char *na = xasprintf("v(%s)", args), *nb = xasprintf("v(%s)", b);
        char *ta = args;
        size_t n = strlen(ta);
        while (n && isspace((unsigned char)ta[n - 1])) ta[--n] = '\0';
        free(na);
        na = xasprintf("v(%s)", ta);
        r = binop(e, lookup(e, na), lookup(e, nb), op_sub, 1);
        free(na);
        free(nb);
    } else {
        char *name = xasprintf("%c(%s)", kind, args);
        r = lookup(e, name);
        free(name);
    }
    free(args);
    return r;
}

/* the scale for a vector of length n: the current plot's, else the index */
static CVec *scale_for(const Ev *e, int n)
{
    const CVec *s = cplot_scale(e->env->cur);
    if (s && s->n == n) return cvec_copy(s, "");
    CVec *r = cvec_new("", VT_NOTYPE, n);
    for (int i = 0; i < n; i++) r->v[i] = i;
    return r;
}

typedef double (*UnFn)(double);
static double f_db(double x) { return 20 * log10(fabs(x)); }
static double f_sgn(double x) { return (x > 0) - (x < 0); }
static double f_pos(double x) { return x > 0; }
static double f_zero(double x) { (void)x; return 0; }
static double f_same(double x) { return x; }
static double f_int(double x) { return trunc(x); }

static const struct {
    const char *name;
    UnFn f;
    int keep;   /* keeps the vector's type */
} unary_fns[] = {
    {"abs", fabs, 1},  {"mag", fabs, 1},     {"sqrt", sqrt, 0},  {"exp", exp, 0},     {"ln", log, 0},
    {"log", log10, 0}, {"log10", log10, 0},  {"sin", sin, 0},    {"cos", cos, 0},     {"tan", tan, 0},
    {"atan", atan, 0}, {"asin", asin, 0},    {"acos", acos, 0},  {"sinh", sinh, 0},   {"cosh", cosh, 0},
    {"tanh", tanh, 0}, {"floor", floor, 1},  {"ceil", ceil, 1},  {"int", f_int, 1},   {"sgn", f_sgn, 0},
    {"db", f_db, 0},   {"pos", f_pos, 0},    {"ph", f_zero, 0},  {"phase", f_zero, 0}, {"cph", f_zero, 0},
    {"real", f_same, 1}, {"re", f_same, 1},  {"imag", f_zero, 1}, {"im", f_zero, 1},
};

static CVec *call(Ev *e, const char *name)
{
    /* arguments */
    CVec *arg[4] = {0};
    int na = 0;
    if (!eat(e, ")")) {
        do {
            if (na == 4) {
                for (int k = 0; k < na; k++) cvec_free(arg[k]);
                return fail(e, "%s(): too many arguments", name);
            }
            arg[na] = parse_cond(e);
            if (!arg[na]) {
                for (int k = 0; k < na; k++) cvec_free(arg[k]);
                return NULL;
            }
            na++;
        } while (eat(e, ","));
        if (!eat(e, ")")) {
            for (int k = 0; k < na; k++) cvec_free(arg[k]);
            return fail(e, "%s(: expected ')'", name);
        }
    }
    CVec *r = NULL;
    if (na == 1 && arg[0]->im) {   /* complex argument: the functions defined for it */
        CVec *a = arg[0];
        int n = a->n;
        if (!strcmp(name, "length")) {
            r = scalar(n);
            goto done;
        }
        static const char *const cfns[] = {"mag", "abs", "db", "ph", "phase", "cph", "real", "re", "imag", "im"};
        size_t k = 0;
        while (k < sizeof cfns / sizeof cfns[0] && strcmp(name, cfns[k])) k++;
        if (k == sizeof cfns / sizeof cfns[0]) {
            cvec_free(a);
            return fail(e, "%s() of a complex vector is not supported (take mag(), real() or db() first)", name);
        }
        r = cvec_new("", k >= 6 ? a->type : VT_NOTYPE, n);
        double prev = 0, turn = 0;
        for (int i = 0; i < n; i++) {
            double re = a->v[i], im = a->im[i];
            switch (k) {
            case 0: case 1: r->v[i] = hypot(re, im); break;
            case 2: r->v[i] = 20 * log10(hypot(re, im)); break;
            case 3: case 4: r->v[i] = atan2(im, re); break;
            case 5: {   /* continuous phase: no jumps of 2 pi between points */
                double p = atan2(im, re);
                if (i > 0) {
                    while (p + turn - prev > M_PI) turn -= 2 * M_PI;
                    while (p + turn - prev < -M_PI) turn += 2 * M_PI;
                }
                r->v[i] = prev = p + turn;
                break;
            }
            case 6: case 7: r->v[i] = re; break;
            default: r->v[i] = im; break;
            }
        }
        goto done;
    }
    for (int k = 0; k < na; k++)
        if (arg[k]->im) {
            for (int j = 0; j < na; j++) cvec_free(arg[j]);
            return fail(e, "%s() of a complex vector is not supported (take mag(), real() or db() first)", name);
        }
    for (size_t k = 0; k < sizeof unary_fns / sizeof unary_fns[0]; k++)
        if (strcmp(name, unary_fns[k].name) == 0) {
            if (na != 1) break;
            r = cvec_new("", unary_fns[k].keep ? arg[0]->type : VT_NOTYPE, arg[0]->n);
            for (int i = 0; i < arg[0]->n; i++) r->v[i] = unary_fns[k].f(arg[0]->v[i]);
            goto done;
        }
    if ((!strcmp(name, "max") || !strcmp(name, "min")) && na == 2) {
        r = binop(e, arg[0], arg[1], name[1] == 'a' ? op_max : op_min, 1);
        arg[0] = arg[1] = NULL;
        goto done;
    }
    if (na != 1) {
        for (int k = 0; k < na; k++) cvec_free(arg[k]);
        return fail(e, "unknown function '%s' with %d argument%s (docs/control.md lists them)", name, na,
                    na == 1 ? "" : "s");
    }
    CVec *a = arg[0];
    int n = a->n;
    if (!strcmp(name, "length")) {
        r = scalar(n);
    } else if (!strcmp(name, "mean")) {
        double s = 0;
        for (int i = 0; i < n; i++) s += a->v[i];
        r = scalar(n ? s / n : 0);
    } else if (!strcmp(name, "vecmax") || !strcmp(name, "max") || !strcmp(name, "maximum")) {
        double m = -INFINITY;
        for (int i = 0; i < n; i++) m = fmax(m, a->v[i]);
        r = scalar(m);
        r->type = a->type;
    } else if (!strcmp(name, "vecmin") || !strcmp(name, "min") || !strcmp(name, "minimum")) {
        double m = INFINITY;
        for (int i = 0; i < n; i++) m = fmin(m, a->v[i]);
        r = scalar(m);
        r->type = a->type;
    } else if (!strcmp(name, "sum")) {
        double s = 0;
        for (int i = 0; i < n; i++) s += a->v[i];
        r = scalar(s);
    } else if (!strcmp(name, "norm")) {
        double m = 0;
        for (int i = 0; i < n; i++) m = fmax(m, fabs(a->v[i]));
        r = cvec_new("", VT_NOTYPE, n);
        for (int i = 0; i < n; i++) r->v[i] = m > 0 ? a->v[i] / m : 0;
    } else if (!strcmp(name, "vector") || !strcmp(name, "unitvec")) {
        double want = fabs(a->v[0]);
        if (!(want >= 1 && want <= 100000000)) {
            double g = a->v[0];
            cvec_free(a);
            return fail(e, "%s(%g): length out of range (1 ... 1e8)", name, g);
        }
        int len = (int)want;
        r = cvec_new("", VT_NOTYPE, len);
        for (int i = 0; i < len; i++) r->v[i] = name[0] == 'v' ? i : 1;
    } else if (!strcmp(name, "deriv") || !strcmp(name, "integ") || !strcmp(name, "avg")) {
        /* against the scale: deriv by central differences (one-sided at
         * the ends), integ by the trapezoidal rule from the first point,
         * avg the running average (integ / elapsed scale) */
        CVec *x = scale_for(e, n);
        r = cvec_new("", VT_NOTYPE, n);
        if (name[0] == 'd') {
            for (int i = 0; i < n && n > 1; i++) {
                int lo = i > 0 ? i - 1 : 0, hi = i < n - 1 ? i + 1 : n - 1;
                r->v[i] = (a->v[hi] - a->v[lo]) / (x->v[hi] - x->v[lo]);
            }
        } else {
            double s = 0;
            for (int i = 1; i < n; i++) {
                s += 0.5 * (a->v[i] + a->v[i - 1]) * (x->v[i] - x->v[i - 1]);
                r->v[i] = s;
            }
            if (name[0] == 'a') {
                r->v[0] = n ? a->v[0] : 0;
                for (int i = 1; i < n; i++)
                    r->v[i] = x->v[i] != x->v[0] ? r->v[i] / (x->v[i] - x->v[0]) : a->v[0];
            }
        }
        cvec_free(x);
    } else {
        cvec_free(a);
        return fail(e, "unknown function '%s' (docs/control.md lists them)", name);
    }
done:
    for (int k = 0; k < na; k++) cvec_free(arg[k]);
    return r;
}

static CVec *parse_primary(Ev *e)
{
    skip(e);
    const char *s = e->s + e->pos;
    if (*s == '(') {
        e->pos++;
        CVec *r = parse_cond(e);
        if (r && !eat(e, ")")) {
            cvec_free(r);
            return fail(e, "expected ')'");
        }
        return r;
    }
    double x;
    size_t len = (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) ? spice_number_prefix(s, &x) : 0;
    if (len) {
        e->pos += len;
        return scalar(x);
    }
    if (*s == '@') {   /* @dev[param]: a device parameter is not a vector here */
        size_t n = strcspn(s, "] \t");
        char *nm = xasprintf("%.*s", (int)(s[n] == ']' ? n + 1 : n), s);
        e->pos += strlen(nm);
        CVec *r = lookup(e, lower(nm));
        free(nm);
        return r;
    }
    if (isalpha((unsigned char)*s) || *s == '_' || *s == '#') {
        size_t n = 0;
        while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '#' || s[n] == '.' || s[n] == ':') n++;
        char *nm = lower(xasprintf("%.*s", (int)n, s));
        e->pos += n;
        CVec *r;
        if (eat(e, "(")) {
            const char *fn = strrchr(nm, '.') ? strrchr(nm, '.') + 1 : nm;
            if (!strcmp(fn, "v") || !strcmp(fn, "i")) {
                /* plot.v(x): look in that plot */
                const CEnv *saved = e->env;
                CEnv tmp = *saved;
                if (fn != nm) {
                    tmp.cur = plot_named(saved, nm, (size_t)(fn - 1 - nm));
                    e->env = &tmp;
                }
                r = node_call(e, fn[0]);
                e->env = saved;
            } else {
                r = call(e, nm);
            }
        } else {
            r = lookup(e, nm);
        }
        free(nm);
        return r;
    }
    if (!*s) return fail(e, "expression ends too early");
    return fail(e, "unexpected '%c'", *s);
}

/* x[i] and x[lo,hi] (0-based, as ngspice) */
static CVec *parse_postfix(Ev *e)
{
    CVec *r = parse_primary(e);
    while (r && eat(e, "[")) {
        CVec *lo = parse_cond(e), *hi = NULL;
        if (lo && (eat(e, ",") || eat(e, ":"))) hi = parse_cond(e);
        if (!lo || (e->failed) || !eat(e, "]")) {
            cvec_free(r);
            cvec_free(lo);
            cvec_free(hi);
            return fail(e, "expected ']'");
        }
        /* range checked before the conversion (out of int's range is undefined) */
        double da = floor(lo->v[0]), db = hi ? floor(hi->v[0]) : da;
        int has_hi = hi != NULL;
        cvec_free(lo);
        cvec_free(hi);
        if (!(da >= 0 && db >= 0 && da < r->n && db < r->n)) {
            int n = r->n;
            cvec_free(r);
            if (has_hi) return fail(e, "index [%g,%g] outside the vector (length %d)", da, db, n);
            return fail(e, "index [%g] outside the vector (length %d)", da, n);
        }
        int a = (int)da, b = (int)db;
        int step = b >= a ? 1 : -1, m = abs(b - a) + 1;
        CVec *s = cvec_new("", r->type, m);
        if (r->im) cvec_make_complex(s);
        for (int i = 0; i < m; i++) {
            s->v[i] = r->v[a + i * step];
            if (r->im) s->im[i] = r->im[a + i * step];
        }
        cvec_free(r);
        r = s;
    }
    return r;
}

static CVec *parse_unary(Ev *e);

static CVec *parse_power(Ev *e)
{
    CVec *a = parse_postfix(e);
    if (a && eat(e, "^")) return arith(e, a, parse_unary(e), '^');
    return a;
}

static CVec *parse_unary(Ev *e)
{
    if (eat(e, "-")) {
        CVec *a = parse_unary(e);
        for (int i = 0; a && i < a->n; i++) {
            a->v[i] = -a->v[i];
            if (a->im) a->im[i] = -a->im[i];
        }
        return a;
    }
    if (eat(e, "+")) return parse_unary(e);
    if (eat(e, "~") || eat(e, "!") || eat_word(e, "not")) {
        CVec *a = parse_unary(e);
        for (int i = 0; a && i < a->n; i++) a->v[i] = a->v[i] == 0;
        if (a) a->type = VT_NOTYPE;
        return a;
    }
    return parse_power(e);
}

static CVec *parse_mul(Ev *e)
{
    CVec *a = parse_unary(e);
    while (a) {
        if (eat(e, "*")) a = arith(e, a, parse_unary(e), '*');
        else if (eat(e, "/")) a = arith(e, a, parse_unary(e), '/');
        else if (eat(e, "%")) a = binop(e, a, parse_unary(e), op_mod, 0);
        else break;
    }
    return a;
}

static CVec *parse_add(Ev *e)
{
    CVec *a = parse_mul(e);
    while (a) {
        if (eat(e, "+")) a = arith(e, a, parse_mul(e), '+');
        else if (eat(e, "-")) a = arith(e, a, parse_mul(e), '-');
        else break;
    }
    return a;
}

static CVec *parse_cmp(Ev *e)
{
    CVec *a = parse_add(e);
    while (a) {
        BinFn f = NULL;
        if (eat(e, "<>") || eat(e, "!=") || eat_word(e, "ne")) f = op_ne;
        else if (eat(e, "<=") || eat_word(e, "le")) f = op_le;
        else if (eat(e, ">=") || eat_word(e, "ge")) f = op_ge;
        else if (eat(e, "==") || eat(e, "=") || eat_word(e, "eq")) f = op_eq;
        else if (eat(e, "<") || eat_word(e, "lt")) f = op_lt;
        else if (eat(e, ">") || eat_word(e, "gt")) f = op_gt;
        if (!f) break;
        a = binop(e, a, parse_add(e), f, 0);
    }
    return a;
}

static CVec *parse_and(Ev *e)
{
    CVec *a = parse_cmp(e);
    while (a && (eat(e, "&&") || eat(e, "&") || eat_word(e, "and"))) a = binop(e, a, parse_cmp(e), op_and, 0);
    return a;
}

static CVec *parse_or(Ev *e)
{
    CVec *a = parse_and(e);
    while (a && (eat(e, "||") || eat(e, "|") || eat_word(e, "or"))) a = binop(e, a, parse_and(e), op_or, 0);
    return a;
}

static CVec *parse_cond(Ev *e)
{
    CVec *c = parse_or(e);
    if (!c || !eat(e, "?")) return c;
    CVec *a = parse_cond(e);
    if (!a || !eat(e, ":")) {
        cvec_free(c);
        cvec_free(a);
        return fail(e, "expected ':' after '?'");
    }
    CVec *b = parse_cond(e);
    if (!b) {
        cvec_free(c);
        cvec_free(a);
        return NULL;
    }
    CVec *r = cvec_copy(c->v[0] != 0 ? a : b, "");   /* the condition's real part decides */
    cvec_free(a);
    cvec_free(b);
    cvec_free(c);
    return r;
}

CVec *cvec_eval(const CEnv *env, const char *text, char *err, size_t errn)
{
    Ev e = {env, text, 0, err, errn, 0};
    err[0] = '\0';
    CVec *r = parse_cond(&e);
    if (r && (skip(&e), e.s[e.pos])) {
        cvec_free(r);
        r = fail(&e, "unexpected '%s'", e.s + e.pos);
    }
    if (!r && !err[0]) snprintf(err, errn, "cannot evaluate '%s'", text);
    if (r) {
        free(r->name);
        r->name = xstrdup(text);
    }
    return r;
}
