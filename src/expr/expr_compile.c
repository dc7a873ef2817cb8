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
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PI 3.14159265358979323846
#define MAX_IR_NODES 1000000L    /* .func inlining can blow up exponentially */

/* One level of .func inlining: the function, and its actual arguments
 * compiled in the caller's scope. */
typedef struct Env {
    const struct Env *up;
    const ExprFunc *f;
    Ir **args;           /* compiled on first use; NULL until then */
    const ExprNode *const *argnodes;
    const char **raws;   /* argument texts, for special calls in the body */
    int top_off;         /* offset of the outermost call in the compiled text */
} Env;

typedef struct Cc {
    const ExprBinder *b;
    ExprError *err;
    int failed;
    Arena ar;
    long nodes;
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

static Ir *ir_new(Cc *c, IrKind kind, int fn, int off)
{
    if (++c->nodes > MAX_IR_NODES) {
        cerr(c, NULL, -1, "expression too large after inlining .func calls");
        return NULL;
    }
    Ir *n = arena_alloc(&c->ar, sizeof *n);
    n->kind = kind, n->fn = fn, n->off = off;
    return n;
}

static Ir *ir_const(Cc *c, double v, int off)
{
    Ir *n = ir_new(c, IR_CONST, 0, off);
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
    Ir *n = ir_new(c, IR_UN, fn, off);
    if (n) n->a[0] = a;
    return n;
}

static Ir *ir_bin(Cc *c, int fn, Ir *a, Ir *b, int off)
{
    if (!a || !b) return NULL;
    if (a->kind == IR_CONST && b->kind == IR_CONST) {
        ExprDomErr de = {0};
        double y = expr_binop(fn, a->c, b->c, NULL, 0, &de, off);
        if (fold_ok(&de, y)) return ir_const(c, y, off);
    }
    Ir *n = ir_new(c, IR_BIN, fn, off);
    if (n) n->a[0] = a, n->a[1] = b;
    return n;
}

static Ir *ir_if(Cc *c, Ir *cond, Ir *a, Ir *b, int off)
{
    if (!cond || !a || !b) return NULL;
    if (cond->kind == IR_CONST) return cond->c != 0.0 ? a : b;
    Ir *n = ir_new(c, IR_IF, FN_IF, off);
    if (n) n->a[0] = cond, n->a[1] = a, n->a[2] = b;
    return n;
}

static Ir *ir_limit(Cc *c, Ir *x, Ir *lo, Ir *hi, int off)
{
    if (!x || !lo || !hi) return NULL;
    if (x->kind == IR_CONST && lo->kind == IR_CONST && hi->kind == IR_CONST) {
        Ir *pick[3] = {x, lo, hi};
        return pick[expr_limit_pick(x->c, lo->c, hi->c)];
    }
    Ir *n = ir_new(c, IR_LIMIT, FN_LIMIT, off);
    if (n) n->a[0] = x, n->a[1] = lo, n->a[2] = hi;
    return n;
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
    Ir *n = ir_new(c, IR_LIN, 0, off);
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
        /* arguments are compiled on first use, in the caller's scope: one
         * used only as a node name (v(p)) need not be an expression */
        const ExprNode *arg = env->argnodes[k];
        if (!env->args[k] && arg->kind == N_RAW) {
            cerr(c, env->up, arg->perr_off, "argument %d of '%s' is not an expression: %s", k + 1,
                 env->f->name, arg->perr ? arg->perr : "");
            return NULL;
        }
        if (!env->args[k]) env->args[k] = cc_node(c, arg, env->up);
        return env->args[k];
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
        cerr(c, NULL, noff(n, env),
             f->body ? "recursive .func '%s'" : ".func '%s' has no body", f->name);
        return NULL;
    }
    size_t na = (size_t)(n->nargs ? n->nargs : 1);
    Env in = {.up = env, .f = f, .argnodes = (const ExprNode *const *)n->args,
              .top_off = noff(n, env)};
    in.args = arena_alloc(&c->ar, na * sizeof *in.args);
    in.raws = arena_alloc(&c->ar, na * sizeof *in.raws);
    for (int k = 0; k < n->nargs; k++) in.raws[k] = raw_subst(env, n->raw[k]);
    return cc_node(c, f->body, &in);
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

static Ir *cc_call(Cc *c, const ExprNode *n, const Env *env)
{
    const ExprBuiltin *bi = expr_builtin_find(n->name);
    if (bi) return cc_builtin(c, n, env, bi);
    const ExprFunc *f = c->b->func ? c->b->func(c->b->ctx, n->name) : NULL;
    if (f) return cc_user(c, n, env, f);
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

static Ir *cc_node(Cc *c, const ExprNode *n, const Env *env)
{
    if (c->failed) return NULL;
    Ir *a, *b;
    switch (n->kind) {
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
    ExprProg *p = root && !c.failed ? expr_emit(root, err) : NULL;
    arena_free(&c.ar);
    if (p && p->nvars == 0) p->const_value = expr_eval(p, NULL);
    return p;
}
