/* Parameter scopes and expression evaluation for elaboration. Parameters
 * are evaluated lazily, on first use, so they may be written in any order;
 * a parameter that needs itself is reported with the chain. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "util/number.h"
#include "util/xmem.h"

Scope *scope_new(Elab *el, Scope *parent, const char *prefix, const char *inst_name, const SrcLoc *loc)
{
    Scope *s = xcalloc(1, sizeof *s);
    s->parent = parent;
    s->prefix = xstrdup(prefix);
    s->inst_name = inst_name ? xstrdup(inst_name) : NULL;
    if (loc) s->inst_loc = *loc;
    VEC_PUSH(el->scopes, s);
    return s;
}

void *scope_lookup(Scope *s, size_t map_offset, const char *name)
{
    for (; s; s = s->parent) {
        void *v;
        if (strmap_get((StrMap *)((char *)s + map_offset), name, &v)) return v;
    }
    return NULL;
}

ParamDef *scope_find_param(Scope *s, const char *name)
{
    return SCOPE_FIND(s, params, name);
}

void elab_error(Elab *el, const Scope *s, const SrcLoc *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    if (s && s->inst_name) {
        char where[512];
        diag_error(el->d, loc, "%s (in subcircuit instance %s, %s)", msg, s->inst_name,
                   srcloc_str(&s->inst_loc, where, sizeof where));
    } else {
        diag_error(el->d, loc, "%s", msg);
    }
    free(msg);
    el->errors++;
}

void scope_add_param(Elab *el, Scope *s, const char *name, const char *text, const SrcLoc *loc)
{
    ParamDef *p = xcalloc(1, sizeof *p);
    p->name = xstrdup(name);
    p->text = str_lower_dup(text);
    p->loc = loc ? *loc : (SrcLoc){0};
    p->scope = s;
    VEC_PUSH(el->params, p);
    strmap_put(&s->params, name, p);
}

void scope_set_value(Elab *el, Scope *s, const char *name, double value, const SrcLoc *loc)
{
    ParamDef *p = xcalloc(1, sizeof *p);
    p->name = xstrdup(name);
    p->text = xstrdup("");
    p->loc = loc ? *loc : (SrcLoc){0};
    p->scope = s;
    p->state = 2;
    p->value = value;
    VEC_PUSH(el->params, p);
    strmap_put(&s->params, name, p);
}

typedef struct BindCtx {
    Elab *el;
    Scope *scope;
    int failed;              /* an error was already reported (e.g. in a nested parameter) */
} BindCtx;


static ExprSymKind bind_ident(void *ctx, const char *name, ExprSym *out, char *err, size_t errn)
{
    BindCtx *b = ctx;
    ParamDef *p = scope_find_param(b->scope, name);
    if (!p) return EXPR_SYM_UNDEF;
    if (p->state == 1) {   /* a cycle: name it from where it starts */
        ParamDef *const *ev = b->el->evaluating.v;
        int n = b->el->evaluating.n, start = n - 1;
        while (start > 0 && ev[start] != p) start--;
        int len = snprintf(err, errn, "parameter '%s' depends on itself: ", name);
        for (int k = start; k < n && len > 0 && (size_t)len < errn; k++)
            len += snprintf(err + len, errn - (size_t)len, "%s -> ", ev[k]->name);
        if (len > 0 && (size_t)len < errn) snprintf(err + len, errn - (size_t)len, "%s", name);
        return EXPR_SYM_UNDEF;
    }
    if (p->state == 0 && scope_param_value(b->el, p, NULL)) {
        snprintf(err, errn, "parameter '%s' could not be evaluated (see above)", name);
        b->failed = 1;
        return EXPR_SYM_UNDEF;
    }
    out->kind = EXPR_SYM_CONST;
    out->value = p->value;
    return EXPR_SYM_CONST;
}

static const ExprFunc *bind_func(void *ctx, const char *name)
{
    BindCtx *b = ctx;
    FuncDef *f = SCOPE_FIND(b->scope, funcs, name);
    return f ? &f->f : NULL;
}

static ExprSymKind bind_special(void *ctx, const char *name, int nargs, const char *const *args, ExprSym *out,
                                char *err, size_t errn)
{
    (void)ctx, (void)nargs, (void)args, (void)out;
    if (strcmp(name, "v") == 0 || strcmp(name, "i") == 0)
        snprintf(err, errn, "%s() is a circuit quantity and cannot be used in a parameter expression", name);
    return EXPR_SYM_UNDEF;
}

static int bind_random(void *ctx, ExprRandKind kind, const double *args, double *out, char *err, size_t errn)
{
    BindCtx *b = ctx;
    return elab_rnd_draw(b->el, kind, args, out, err, errn);
}

static SrcLoc offset_loc(const SrcLoc *loc, int offset)
{
    SrcLoc l = *loc;
    if (l.col > 0 && offset > 0 && l.text && (size_t)(l.col - 1 + offset) <= strlen(l.text)) l.col += offset;
    return l;
}

int scope_eval_text(Elab *el, Scope *s, const char *text, const SrcLoc *loc, double *out)
{
    BindCtx b = {el, s, 0};
    ExprBinder binder = {&b, bind_ident, bind_func, bind_special, bind_random};
    ExprError err = {0};
    if (expr_eval_const(text, &binder, out, &err) == 0) return 0;
    SrcLoc l = offset_loc(loc, err.offset);
    if (b.failed)
        el->errors++;
    else
        elab_error(el, s, &l, "%s", err.msg);
    return -1;
}

typedef struct PreBind {
    BindCtx b;
    ExprSymKind (*pre)(void *ctx, const char *name, ExprSym *out);
    void *pre_ctx;
} PreBind;

static ExprSymKind pre_ident(void *ctx, const char *name, ExprSym *out, char *err, size_t errn)
{
    PreBind *p = ctx;
    ExprSymKind k = p->pre(p->pre_ctx, name, out);
    return k != EXPR_SYM_UNDEF ? k : bind_ident(&p->b, name, out, err, errn);
}

static const ExprFunc *pre_func(void *ctx, const char *name)
{
    return bind_func(&((PreBind *)ctx)->b, name);
}

ExprProg *scope_compile_text(Elab *el, Scope *s, const char *text, const SrcLoc *loc,
                             ExprSymKind (*pre)(void *ctx, const char *name, ExprSym *out), void *pre_ctx)
{
    PreBind p = {{el, s, 0}, pre, pre_ctx};
    ExprBinder binder = {&p, pre_ident, pre_func, bind_special, NULL};
    ExprError err = {0};
    ExprNode *tree = expr_parse(text, &err);
    ExprProg *prog = tree ? expr_compile(tree, &binder, &err) : NULL;
    expr_free(tree);
    if (prog) return prog;
    SrcLoc l = offset_loc(loc, err.offset);
    if (p.b.failed)
        el->errors++;
    else
        elab_error(el, s, &l, "%s", err.msg);
    return NULL;
}

int scope_param_value(Elab *el, ParamDef *p, double *out)
{
    if (p->state == 2) {
        if (out) *out = p->value;
        return 0;
    }
    if (el->evaluating.n >= ELAB_MAX_PARAM_DEPTH) {
        elab_error(el, p->scope, &p->loc,
                   "parameter '%s': chain of parameters defined through each other is deeper than %d", p->name,
                   ELAB_MAX_PARAM_DEPTH);
        p->state = 2;
        p->value = 0;
        return -1;
    }
    VEC_PUSH(el->evaluating, p);
    p->state = 1;
    double v = 0;
    /* random functions: drawn once per scope (run, or subcircuit instance) */
    ElabRnd prev = elab_rnd_enter(el, RND_SCOPE_PARAM, p->scope->prefix, p->name);
    int rc = scope_eval_text(el, p->scope, p->text, &p->loc, &v);
    elab_rnd_leave(el, prev);
    /* evaluated, or its error reported once: later uses see 0 and the
     * elaboration fails on the error count */
    p->state = 2;
    p->value = rc ? 0 : v;
    el->evaluating.n--;
    if (out) *out = p->value;
    return rc;
}

int scope_eval_item(Elab *el, Scope *s, const Card *c, const Item *it, int bare_expr, double *out)
{
    (void)c;
    if (it->kind == ITEM_EXPR) {
        SrcLoc l = offset_loc(&it->loc, 1);   /* after the opening brace or quote */
        return scope_eval_text(el, s, it->text, &l, out);
    }
    if (it->kind == ITEM_WORD) {
        if (spice_number(it->text, out)) return 0;
        if (bare_expr) return scope_eval_text(el, s, it->text, &it->loc, out);
        if (scope_find_param(s, it->text))
            elab_error(el, s, &it->loc, "expected a number, got '%s'; write {%s} to use the parameter", it->text,
                       it->text);
        else
            elab_error(el, s, &it->loc, "expected a number, got '%s'", it->text);
        return -1;
    }
    elab_error(el, s, &it->loc, "expected a value (number or {expression}), got %s %s",
               it->kind == ITEM_EXPR || it->kind == ITEM_ASSIGN ? "an" : "a", item_kind_name(it->kind));
    return -1;
}

void elab_free(Elab *el)
{
    for (int i = 0; i < el->scopes.n; i++) {
        Scope *s = el->scopes.v[i];
        free(s->prefix);
        free(s->inst_name);
        strmap_free(&s->params);
        strmap_free(&s->funcs);
        strmap_free(&s->subckts);
        strmap_free(&s->models);
        strmap_free(&s->ports);
        free(s);
    }
    VEC_FREE(el->scopes);
    for (int i = 0; i < el->params.n; i++) {
        free(el->params.v[i]->name);
        free(el->params.v[i]->text);
        free(el->params.v[i]);
    }
    VEC_FREE(el->params);
    for (int i = 0; i < el->funcs.n; i++) {
        FuncDef *f = el->funcs.v[i];
        free((char *)f->f.name);
        for (int k = 0; k < f->f.nparams; k++) free(f->params[k]);
        free(f->params);
        expr_free(f->body);
        free(f);
    }
    VEC_FREE(el->funcs);
    for (int i = 0; i < el->subckts.n; i++) {
        SubcktDef *sd = el->subckts.v[i];
        free(sd->name);
        free(sd->ports);
        free(sd->body);
        free(sd->defaults);
        free(sd);
    }
    VEC_FREE(el->subckts);
    for (int i = 0; i < el->models.n; i++) {
        free(el->models.v[i]->name);
        free(el->models.v[i]);
    }
    VEC_FREE(el->models);
    strmap_free(&el->globals);
    VEC_FREE(el->stack);
    VEC_FREE(el->deferred);
    VEC_FREE(el->evaluating);
    strmap_free(&el->expansion);
    strmap_free(&el->warned);
    VEC_FREE(el->expcount);
}
