/* Syntax tree -> IR: bind names through the ExprBinder, inline .func calls,
 * fold constants. The IR lives in an arena that dies with the compile.
 *
 * Folding evaluates an operator with constant operands through the same
 * expr_unop/expr_binop the interpreters use. An operation that would raise
 * a domain error (1/0, ln(-1)) is NOT folded: it may sit in a branch that is
 * never taken (x > 0 ? ln(x) : 0 with x a constant is fine either way, but
 * v(a) > 0 ? 1/0 : 1 must only fail when the branch runs), so it stays in
 * the program and reports when, and if, it is evaluated. */
#include "expr/expr_impl.h"

#include "util/xmem.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PI 3.14159265358979323846
/* Limits that turn pathological input into an error before memory or the
 * stack run out. .func inlining can blow up exponentially, in size
 * (f(x) = g(x) + g(x)) and in depth (f(x) = g(g(x))); a chain of 10^5
 * nested .func calls would otherwise recurse 10^5 levels deep here. */
#define MAX_IR_NODES (1L << 20)     /* IR nodes allocated (compile work) */
#define MAX_CODE (1L << 21)         /* instructions emitted (shared operands re-emitted) */
#define MAX_IR_DEPTH 3000           /* expr_emit recurses once per level */
#define MAX_CC_DEPTH 3000           /* cc_node recursion, through inlined bodies */

/* One level of .func inlining: the function, and its actual arguments
 * compiled in the caller's scope. */
typedef struct Env {
    const struct Env *up;
    const ExprFunc *f;
    Ir **args;           /* NULL: not an expression, see argerr / argnodes */
    ExprError **argerr;  /* why args[k] failed to compile (NULL for raw text) */
    const ExprNode *const *argnodes;
    const char **raws;   /* argument texts, for special calls in the body */
    int top_off;         /* offset of the outermost call in the compiled text */
} Env;

typedef struct Cc {
    const ExprBinder *b;
    ExprError *err;
    int failed;
    int fatal;           /* a limit or recursion: never deferred by cc_arg */
    Arena ar;
    long nodes;
    int depth;           /* current cc_node recursion depth */
} Cc;

static void cerr(Cc *c, const Env *env, int off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void cerr(Cc *c, const Env *env, int off, const char *fmt, ...)
{
    if (c->failed) return;
    c->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
    va_end(ap);
    c->err->offset = env ? env->top_off : off;
    if (env) {     /* offsets inside a .func body are not offsets in this text */
        size_t n = strlen(c->err->msg);
        snprintf(c->err->msg + n, sizeof c->err->msg - n, " (in .func '%s')", env->f->name);
    }
}

static void limit_error(Cc *c, const char *what)
{
    c->fatal = 1;
    cerr(c, NULL, -1, "expression too %s after inlining .func calls", what);
}

/* A node over nk operands; extra = instructions it adds itself. Depth and
 * emitted size are tracked here so that the limits hold for the DAG that
 * inlining builds (an argument used twice is emitted twice). */
static Ir *ir_new(Cc *c, IrKind kind, int fn, int off, Ir *const *kids, int nk, long extra)
{
    int depth = 0;
    long size = extra;
    for (int k = 0; k < nk; k++) {
        if (kids[k]->depth > depth) depth = kids[k]->depth;
        size += kids[k]->size;
        if (size > MAX_CODE) size = MAX_CODE + 1;     /* saturate: sizes can be 2^2^k */
    }
    if (++c->nodes > MAX_IR_NODES || size > MAX_CODE) {
        limit_error(c, "large");
        return NULL;
    }
    if (depth >= MAX_IR_DEPTH) {
        limit_error(c, "deeply nested");
        return NULL;
    }
    Ir *n = arena_alloc(&c->ar, sizeof *n);
    n->kind = kind, n->fn = fn, n->off = off, n->depth = depth + 1, n->size = size;
    for (int k = 0; k < nk && k < 3; k++) n->a[k] = kids[k];
    return n;
}

static Ir *ir_const(Cc *c, double v, int off)
{
    Ir *n = ir_new(c, IR_CONST, 0, off, NULL, 0, 1);
    if (n) n->c = v;
    return n;
}

/* A folded value is kept only when it is clean (see the file comment). */
static int fold_ok(const ExprDomErr *de, double y)
{
    return de->code == EXPR_DOM_OK && isfinite(y);
}

static Ir *ir_un(Cc *c, int fn, Ir *a, int off)
{
    if (!a) return NULL;
    if (a->kind == IR_CONST) {
        ExprDomErr de = {0};
        double y = expr_unop(fn, a->c, NULL, &de, off);
        if (fold_ok(&de, y)) return ir_const(c, y, off);
    }
    return ir_new(c, IR_UN, fn, off, &a, 1, 1);
}

static Ir *ir_bin(Cc *c, int fn, Ir *a, Ir *b, int off)
{
    if (!a || !b) return NULL;
    if (a->kind == IR_CONST && b->kind == IR_CONST) {
        ExprDomErr de = {0};
        double y = expr_binop(fn, a->c, b->c, NULL, 0, &de, off);
        if (fold_ok(&de, y)) return ir_const(c, y, off);
    }
    Ir *kids[2] = {a, b};
    return ir_new(c, IR_BIN, fn, off, kids, 2, 1);
}

static Ir *ir_if(Cc *c, Ir *cond, Ir *a, Ir *b, int off)
{
    if (!cond || !a || !b) return NULL;
    if (cond->kind == IR_CONST) return cond->c != 0.0 ? a : b;
    Ir *kids[3] = {cond, a, b};
    return ir_new(c, IR_IF, FN_IF, off, kids, 3, 2);    /* JZ, JMP */
}

static Ir *ir_limit(Cc *c, Ir *x, Ir *lo, Ir *hi, int off)
{
    if (!x || !lo || !hi) return NULL;
    if (x->kind == IR_CONST && lo->kind == IR_CONST && hi->kind == IR_CONST) {
        Ir *pick[3] = {x, lo, hi};
        return pick[expr_limit_pick(x->c, lo->c, hi->c)];
    }
    Ir *kids[3] = {x, lo, hi};
    return ir_new(c, IR_LIMIT, FN_LIMIT, off, kids, 3, 1);
}

/* a && b = a ? (b != 0) : 0 and a || b = a ? 1 : (b != 0): short-circuit,
 * so x != 0 && 1/x > 2 never divides by zero. */
static Ir *ir_logic(Cc *c, int fn, Ir *a, Ir *b, int off)
{
    Ir *bb = ir_un(c, FN_BOOL, b, off);
    if (fn == FN_AND) return ir_if(c, a, bb, ir_const(c, 0.0, off), off);
    return ir_if(c, a, ir_const(c, 1.0, off), bb, off);
}

static Ir *sym_to_ir(Cc *c, const Env *env, ExprSymKind kind, const ExprSym *s, int off,
                     const char *name)
{
    if (kind == EXPR_SYM_CONST) return ir_const(c, s->value, off);
    int nt = kind == EXPR_SYM_VAR ? 1 : s->nterms;
    if ((kind != EXPR_SYM_VAR && kind != EXPR_SYM_LINEAR) || nt < 0 || nt > 2 ||
        (kind == EXPR_SYM_VAR && s->slot < 0) ||
        (kind == EXPR_SYM_LINEAR && ((nt > 0 && s->slots[0] < 0) || (nt > 1 && s->slots[1] < 0)))) {
        cerr(c, env, off, "internal error: invalid binding for '%s'", name);
        return NULL;
    }
    if (nt == 0) return ir_const(c, 0.0, off);
    Ir *n = ir_new(c, IR_LIN, 0, off, NULL, 0, 1);
    if (!n) return NULL;
    n->nt = nt;
    if (kind == EXPR_SYM_VAR) {
        n->slot[0] = s->slot, n->coef[0] = 1.0;
    } else {
        for (int k = 0; k < nt; k++) n->slot[k] = s->slots[k], n->coef[k] = s->coefs[k];
    }
    return n;
}

static Ir *cc_node(Cc *c, const ExprNode *n, const Env *env);

/* Source offset for messages: inside an inlined body, the outermost call. */
static int noff(const ExprNode *n, const Env *env)
{
    return env ? env->top_off : n->off;
}

static int param_index(const Env *env, const char *name)
{
    if (!env) return -1;
    for (int k = 0; k < env->f->nparams; k++)
        if (str_ieq(env->f->params[k], name)) return k;
    return -1;
}

static Ir *cc_ident(Cc *c, const ExprNode *n, const Env *env)
{
    int k = param_index(env, n->name);
    if (k >= 0) {
        if (env->args[k]) return env->args[k];
        /* the argument was not an expression: only now is that an error */
        const ExprNode *arg = env->argnodes[k];
        if (env->argerr[k]) {
            *c->err = *env->argerr[k];
            c->failed = 1;
        } else {
            cerr(c, env->up, arg->perr_off, "argument %d of '%s' is not an expression: %s", k + 1,
                 env->f->name, arg->perr ? arg->perr : "");
        }
        return NULL;
    }
    char ebuf[256] = "";
    ExprSym sym = {0};
    ExprSymKind kind = c->b->ident ? c->b->ident(c->b->ctx, n->name, &sym, ebuf, sizeof ebuf)
                                   : EXPR_SYM_UNDEF;
    if (kind != EXPR_SYM_UNDEF) return sym_to_ir(c, env, kind, &sym, noff(n, env), n->name);
    if (ebuf[0]) {
        cerr(c, env, noff(n, env), "%s", ebuf);
        return NULL;
    }
    if (strcmp(n->name, "pi") == 0) return ir_const(c, PI, noff(n, env));
    cerr(c, env, noff(n, env), "undefined parameter '%s'", n->name);
    return NULL;
}

static const char *plural(int n) { return n == 1 ? "" : "s"; }

static Ir *cc_builtin(Cc *c, const ExprNode *n, const Env *env, const ExprBuiltin *bi)
{
    if (n->nargs != bi->nargs) {
        cerr(c, env, noff(n, env), "function '%s' takes %d argument%s, %d given", n->name, bi->nargs,
             plural(bi->nargs), n->nargs);
        return NULL;
    }
    Ir *a[3] = {NULL, NULL, NULL};
    for (int k = 0; k < n->nargs; k++)
        if (!(a[k] = cc_node(c, n->args[k], env))) return NULL;
    if (bi->fn == FN_IF) return ir_if(c, a[0], a[1], a[2], noff(n, env));
    if (bi->fn == FN_LIMIT) return ir_limit(c, a[0], a[1], a[2], noff(n, env));
    if (fn_is_unary(bi->fn)) return ir_un(c, bi->fn, a[0], noff(n, env));
    return ir_bin(c, bi->fn, a[0], a[1], noff(n, env));
}

/* A raw argument that names a parameter of the enclosing .func is replaced
 * by that parameter's actual text: .func vd(p, q) v(p) - v(q) works. */
static const char *raw_subst(const Env *env, const char *raw)
{
    int k = param_index(env, raw);
    return k >= 0 ? env->raws[k] : raw;
}

/* A .func argument, compiled once in the caller's scope before the body.
 * Failure is kept, not raised: the body may use the argument only as a node
 * name (v(p) with p = out), and it is an error only if used as a value.
 * (Compiling arguments lazily instead would nest the compiler's recursion
 * as deep as the fully inlined expression is large.) */
static Ir *cc_arg(Cc *c, const ExprNode *arg, const Env *env, ExprError **why)
{
    Ir *r = cc_node(c, arg, env);
    if (r || c->fatal) return r;
    *why = arena_alloc(&c->ar, sizeof **why);
    **why = *c->err;
    *c->err = (ExprError){.offset = -1};
    c->failed = 0;
    return NULL;
}

static int is_recursive(const Env *env, const ExprFunc *f)
{
    for (; env; env = env->up)
        if (env->f == f || str_ieq(env->f->name, f->name)) return 1;
    return 0;
}

static Ir *cc_user(Cc *c, const ExprNode *n, const Env *env, const ExprFunc *f)
{
    if (n->nargs != f->nparams) {
        cerr(c, env, noff(n, env), "function '%s' takes %d argument%s, %d given", f->name, f->nparams,
             plural(f->nparams), n->nargs);
        return NULL;
    }
    if (is_recursive(env, f) || !f->body) {
        c->fatal = 1;
        cerr(c, NULL, noff(n, env),
             f->body ? "recursive .func '%s'" : ".func '%s' has no body", f->name);
        return NULL;
    }
    size_t na = (size_t)(n->nargs ? n->nargs : 1);
    Env in = {.up = env, .f = f, .argnodes = (const ExprNode *const *)n->args,
              .top_off = noff(n, env)};
    in.args = arena_alloc(&c->ar, na * sizeof *in.args);
    in.argerr = arena_alloc(&c->ar, na * sizeof *in.argerr);
    in.raws = arena_alloc(&c->ar, na * sizeof *in.raws);
    for (int k = 0; k < n->nargs; k++) {
        in.raws[k] = raw_subst(env, n->raw[k]);
        if (n->args[k]->kind != N_RAW) in.args[k] = cc_arg(c, n->args[k], env, &in.argerr[k]);
    }
    return c->failed ? NULL : cc_node(c, f->body, &in);
}

static Ir *cc_special(Cc *c, const ExprNode *n, const Env *env)
{
    const char *raws[16];
    const char **rv = n->nargs <= 16 ? raws : arena_alloc(&c->ar, (size_t)n->nargs * sizeof *rv);
    for (int k = 0; k < n->nargs; k++) rv[k] = raw_subst(env, n->raw[k]);
    char ebuf[256] = "";
    ExprSym sym = {0};
    ExprSymKind kind = c->b->special(c->b->ctx, n->name, n->nargs, rv, &sym, ebuf, sizeof ebuf);
    if (kind != EXPR_SYM_UNDEF) return sym_to_ir(c, env, kind, &sym, noff(n, env), n->name);
    if (ebuf[0]) cerr(c, env, noff(n, env), "%s", ebuf);
    return NULL;
}

/* gauss agauss unif aunif limit(nom, abs): the kind, or -1 (limit with
 * three arguments is the clamp, a built-in) */
static int random_kind(const ExprNode *n)
{
    static const struct { const char *name; int nargs, kind; } tab[] = {
        {"gauss", 3, EXPR_RAND_GAUSS}, {"agauss", 3, EXPR_RAND_AGAUSS}, {"unif", 2, EXPR_RAND_UNIF},
        {"aunif", 2, EXPR_RAND_AUNIF}, {"limit", 2, EXPR_RAND_LIMIT},
    };
    for (size_t k = 0; k < sizeof tab / sizeof tab[0]; k++)
        if (strcmp(n->name, tab[k].name) == 0 && (tab[k].kind != EXPR_RAND_LIMIT || n->nargs == 2))
            return tab[k].kind;
    return -1;
}

/* A random function: drawn now, by the binder, from constant arguments. */
static Ir *cc_random(Cc *c, const ExprNode *n, const Env *env, int k)
{
    static const int nargs[] = {3, 3, 2, 2, 2};
    if (!c->b->random) {
        cerr(c, env, noff(n, env),
             "random function '%s'%s is drawn once when the netlist is read and cannot be used in an expression "
             "evaluated during the simulation (draw it in a .param or an instance parameter)", n->name,
             k == EXPR_RAND_LIMIT ? " (with two arguments; limit(x, lo, hi) clamps)" : "");
        return NULL;
    }
    if (n->nargs != nargs[k]) {
        cerr(c, env, noff(n, env), "function '%s' takes %d arguments, %d given", n->name, nargs[k], n->nargs);
        return NULL;
    }
    double v[3];
    for (int j = 0; j < n->nargs; j++) {
        Ir *a = cc_node(c, n->args[j], env);
        if (!a) return NULL;
        if (a->kind != IR_CONST) {
            cerr(c, env, noff(n, env), "argument %d of random function '%s' must be a constant", j + 1, n->name);
            return NULL;
        }
        v[j] = a->c;
    }
    char ebuf[256] = "";
    double out = 0;
    if (c->b->random(c->b->ctx, (ExprRandKind)k, v, &out, ebuf, sizeof ebuf)) {
        cerr(c, env, noff(n, env), "%s", ebuf[0] ? ebuf : "random function failed");
        return NULL;
    }
    return ir_const(c, out, noff(n, env));
}

/* Functions of time defined in the expression language itself and inlined
 * like a .func: Xyce's SPICE-compatibility functions (Xyce Reference
 * Guide, "SPICE Compatibility Functions"), with the semantics of the
 * SPICE source waveforms of the same names (docs/expressions.md). A .func
 * of the same name wins, as for built-ins. Parsed once, on first use. */
static const struct {
    const char *name;
    const char *params[7];
    int nparams;
    const char *body;
} lib_src[] = {
    {"spice_pulse", {"v1", "v2", "td", "tr", "tf", "pw", "per"}, 7,
     "time < td ? v1 : spice_pulse_phase(v1, v2, tr, tf, pw, "
     "per > 0 ? (time - td) - per * floor((time - td) / per) : time - td)"},
    /* one period of the pulse at phase x >= 0 */
    {"spice_pulse_phase", {"v1", "v2", "tr", "tf", "pw", "x"}, 6,
     "x < tr ? v1 + (v2 - v1) * x / tr : x < tr + pw ? v2 : "
     "x < tr + pw + tf ? v2 + (v1 - v2) * (x - tr - pw) / tf : v1"},
    {"spice_sin", {"v0", "va", "freq", "td", "theta"}, 5,
     "time < td ? v0 : v0 + va * exp(-(time - td) * theta) * sin(2 * pi * freq * (time - td))"},
    {"spice_exp", {"v1", "v2", "td1", "tau1", "td2", "tau2"}, 6,
     "time < td1 ? v1 : time < td2 ? v1 + (v2 - v1) * (1 - exp(-(time - td1) / tau1)) : "
     "v1 + (v2 - v1) * (1 - exp(-(time - td1) / tau1)) + (v1 - v2) * (1 - exp(-(time - td2) / tau2))"},
    {"spice_sffm", {"v0", "va", "fc", "mdi", "fs"}, 5,
     "v0 + va * sin(2 * pi * fc * time + mdi * sin(2 * pi * fs * time))"},
};
#define NLIB (sizeof lib_src / sizeof lib_src[0])
static ExprFunc lib_funcs[NLIB];
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_init(void)
{
    for (size_t k = 0; k < NLIB; k++) {
        ExprError e = {0};
        lib_funcs[k] = (ExprFunc){lib_src[k].name, lib_src[k].params, lib_src[k].nparams, expr_parse(lib_src[k].body, &e)};
        /* a parse failure leaves body NULL: cc_user reports it */
    }
}

static const ExprFunc *lib_find(const char *name)
{
    if (strncmp(name, "spice_", 6) != 0) return NULL;
    pthread_once(&lib_once, lib_init);
    for (size_t k = 0; k < NLIB; k++)
        if (strcmp(lib_funcs[k].name, name) == 0) return &lib_funcs[k];
    return NULL;
}

/* table(x, x1, y1, ..., xn, yn) (LTspice, PSpice, HSPICE: the end values
 * beyond the ends) and pwl(x, x1, y1, ...) (ngspice's B-source pwl: the end
 * segments continued): linear interpolation in constant points, abscissae
 * strictly increasing or strictly decreasing. Compiled to a balanced tree
 * of comparisons (depth log2 n) over the segments' linear pieces; at a
 * point the segment that starts there is used, as in ngspice. */
static Ir *cc_table(Cc *c, const ExprNode *n, const Env *env, int clamp)
{
    int off = noff(n, env);
    if (n->nargs < 3 || n->nargs % 2 == 0) {
        cerr(c, env, off, "function '%s' takes x and pairs of points (x1, y1, x2, y2, ...), %d argument%s given",
             n->name, n->nargs, plural(n->nargs));
        return NULL;
    }
    int np = (n->nargs - 1) / 2;
    Ir *x = cc_node(c, n->args[0], env);
    if (!x) return NULL;
    double *px = arena_alloc(&c->ar, (size_t)np * sizeof *px), *py = arena_alloc(&c->ar, (size_t)np * sizeof *py);
    for (int k = 0; k < 2 * np; k++) {
        Ir *a = cc_node(c, n->args[k + 1], env);
        if (!a) return NULL;
        if (a->kind != IR_CONST) {
            cerr(c, env, off, "point %d of '%s' must be a constant (%s of the pair)", k / 2 + 1, n->name,
                 k % 2 ? "y" : "x");
            return NULL;
        }
        (k % 2 ? py : px)[k / 2] = a->c;
    }
    if (np == 1) return ir_const(c, py[0], off);   /* one point: its value (ngspice) */
    if (px[1] < px[0]) {                             /* decreasing: the same function, points reversed */
        for (int i = 0, j = np - 1; i < j; i++, j--) {
            double t = px[i];
            px[i] = px[j], px[j] = t;
            t = py[i];
            py[i] = py[j], py[j] = t;
        }
    }
    for (int k = 1; k < np; k++)
        if (!(px[k] > px[k - 1])) {
            cerr(c, env, off, "the x values of '%s' must be strictly increasing or strictly decreasing (%g then %g)",
                 n->name, px[k - 1], px[k]);
            return NULL;
        }
    /* segments lo..hi-1 of the np - 1; a stack instead of recursion */
    Ir *r = NULL;
    {
        /* build bottom-up: level 0 are the pieces, then pairs joined on
         * the x of the right one's start */
        int ns = np - 1;
        Ir **lvl = arena_alloc(&c->ar, (size_t)ns * sizeof *lvl);
        int *start = arena_alloc(&c->ar, (size_t)ns * sizeof *start);
        for (int k = 0; k < ns; k++) {
            double slope = (py[k + 1] - py[k]) / (px[k + 1] - px[k]);
            Ir *d = ir_bin(c, FN_SUB, x, ir_const(c, px[k], off), off);
            lvl[k] = ir_bin(c, FN_ADD, ir_const(c, py[k], off), ir_bin(c, FN_MUL, d, ir_const(c, slope, off), off), off);
            if (!lvl[k]) return NULL;
            start[k] = k;
        }
        while (ns > 1) {
            int m = 0;
            for (int k = 0; k < ns; k += 2) {
                if (k + 1 == ns) {
                    lvl[m] = lvl[k], start[m++] = start[k];
                    continue;
                }
                Ir *cond = ir_bin(c, FN_LT, x, ir_const(c, px[start[k + 1]], off), off);
                lvl[m] = ir_if(c, cond, lvl[k], lvl[k + 1], off);
                if (!lvl[m]) return NULL;
                start[m++] = start[k];
            }
            ns = m;
        }
        r = lvl[0];
    }
    if (!clamp) return r;
    Ir *hi = ir_if(c, ir_bin(c, FN_GE, x, ir_const(c, px[np - 1], off), off), ir_const(c, py[np - 1], off), r, off);
    return ir_if(c, ir_bin(c, FN_LE, x, ir_const(c, px[0], off), off), ir_const(c, py[0], off), hi, off);
}

static Ir *cc_call(Cc *c, const ExprNode *n, const Env *env)
{
    /* a .func wins over a built-in of the same name, as in ngspice */
    const ExprFunc *f = c->b->func ? c->b->func(c->b->ctx, n->name) : NULL;
    if (f) return cc_user(c, n, env, f);
    if ((f = lib_find(n->name))) return cc_user(c, n, env, f);
    if (!strcmp(n->name, "table") || !strcmp(n->name, "pwl")) return cc_table(c, n, env, n->name[0] == 't');
    int rk = random_kind(n);
    if (rk >= 0) return cc_random(c, n, env, rk);
    const ExprBuiltin *bi = expr_builtin_find(n->name);
    if (bi) return cc_builtin(c, n, env, bi);
    if (c->b->special) {
        Ir *r = cc_special(c, n, env);
        if (r || c->failed) return r;
    }
    for (int k = 0; k < n->nargs; k++)
        if (n->args[k]->kind == N_RAW) {     /* the syntax error it really was */
            cerr(c, env, n->args[k]->perr_off, "%s", n->args[k]->perr);
            return NULL;
        }
    cerr(c, env, noff(n, env), "unknown function '%s'", n->name);
    return NULL;
}

/* An N_CHAIN, left to right. A constant prefix is folded (only a prefix:
 * the chain is ((a op b) op c) ..., so 1 + x + 2 must stay as written);
 * later constants become immediates in expr_emit. */
static Ir *cc_chain(Cc *c, const ExprNode *n, const Env *env)
{
    Ir **items = arena_alloc(&c->ar, (size_t)n->nargs * sizeof *items);
    ExprLink *links = arena_alloc(&c->ar, (size_t)n->nargs * sizeof *links);
    int m = 0;
    for (int k = 0; k < n->nargs; k++) {
        Ir *x = cc_node(c, n->args[k], env);
        if (!x) return NULL;
        if (k > 0) {
            ExprLink l = {n->links[k - 1].fn, env ? env->top_off : n->links[k - 1].off};
            if (m == 1 && items[0]->kind == IR_CONST && x->kind == IR_CONST) {
                ExprDomErr de = {0};
                double y = expr_binop(l.fn, items[0]->c, x->c, NULL, 0, &de, l.off);
                if (fold_ok(&de, y)) {
                    if (!(items[0] = ir_const(c, y, l.off))) return NULL;
                    continue;
                }
            }
            links[m - 1] = l;
        }
        items[m++] = x;
    }
    if (m == 1) return items[0];
    if (m == 2) return ir_bin(c, links[0].fn, items[0], items[1], links[0].off);
    Ir *r = ir_new(c, IR_CHAIN, 0, links[0].off, items, m, m - 1);
    if (r) r->items = items, r->links = links, r->n = m;
    return r;
}

static Ir *cc_node_inner(Cc *c, const ExprNode *n, const Env *env);

/* Bounded recursion: a deep body inlined into a deep chain of .func calls
 * nests as deep as both together. */
static Ir *cc_node(Cc *c, const ExprNode *n, const Env *env)
{
    if (c->failed) return NULL;
    if (++c->depth > MAX_CC_DEPTH) {
        limit_error(c, "deeply nested");
        c->depth--;
        return NULL;
    }
    Ir *r = cc_node_inner(c, n, env);
    c->depth--;
    return r;
}

static Ir *cc_node_inner(Cc *c, const ExprNode *n, const Env *env)
{
    Ir *a, *b;
    switch (n->kind) {
    case N_CHAIN: return cc_chain(c, n, env);
    case N_NUM: return ir_const(c, n->num, noff(n, env));
    case N_IDENT: return cc_ident(c, n, env);
    case N_CALL: return cc_call(c, n, env);
    case N_UN: return ir_un(c, n->fn, cc_node(c, n->args[0], env), noff(n, env));
    case N_BIN:
        a = cc_node(c, n->args[0], env);
        b = a ? cc_node(c, n->args[1], env) : NULL;
        if (n->fn == FN_AND || n->fn == FN_OR) return a && b ? ir_logic(c, n->fn, a, b, noff(n, env)) : NULL;
        return ir_bin(c, n->fn, a, b, noff(n, env));
    case N_COND: {
        Ir *cond = cc_node(c, n->args[0], env);
        a = cond ? cc_node(c, n->args[1], env) : NULL;
        b = a ? cc_node(c, n->args[2], env) : NULL;
        return ir_if(c, cond, a, b, noff(n, env));
    }
    case N_RAW:
        cerr(c, env, n->perr_off, "%s", n->perr ? n->perr : "syntax error");
        return NULL;
    }
    return NULL;
}

ExprProg *expr_compile(const ExprNode *e, const ExprBinder *b, ExprError *err)
{
    ExprError dummy;
    if (!err) err = &dummy;
    *err = (ExprError){.offset = -1};
    static const ExprBinder none = {0};
    Cc c = {.b = b ? b : &none, .err = err};
    Ir *root = NULL;
    if (e) root = cc_node(&c, e, NULL);
    else cerr(&c, NULL, -1, "no expression");
    ExprProg *p = root && !c.failed ? expr_emit(root) : NULL;
    arena_free(&c.ar);
    if (p && p->nvars == 0) p->const_value = expr_eval(p, NULL);
    return p;
}
