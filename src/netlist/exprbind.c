/* Expressions on element lines (behavioural sources): bound at elaboration
 * against the element's scope. Parameters and .func calls become constants
 * and inlined code; v(node), v(n1,n2), i(element), time and temper become
 * variables, numbered through the instance's signal table (resolved to
 * matrix rows by the device at setup). */
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "util/xmem.h"

/* value text of assignment k: a {braced} value, or the source text up to
 * the next "name =" (so ".param x = 2 * y" and "B1 a 0 V=v(a)*2" work) */
char *elab_assign_text(const Card *c, int k)
{
    const Item *v = c->items[k]->value;
    int end = (int)strlen(c->text);
    for (int j = k + 1; j < c->nitems; j++)
        if (c->items[j]->kind == ITEM_ASSIGN) {
            end = c->items[j]->start;
            break;
        }
    /* a braced value that is the whole value: its text */
    if (v->kind == ITEM_EXPR && (k + 1 >= c->nitems || c->items[k + 1]->kind == ITEM_ASSIGN)) return xstrdup(v->text);
    char *text = card_slice(c, v->start, end);
    str_lower(text);
    /* I={g}*1m*v(b): a braced or quoted part inside a longer value is a
     * parenthesized subexpression (parameters are in scope either way) */
    int quote_open = 0;
    for (char *p = text; *p; p++) {
        if (*p == '{') *p = '(';
        else if (*p == '}') *p = ')';
        else if (*p == '\'') *p = (quote_open = !quote_open) ? '(' : ')';
    }
    return text;
}

typedef struct SigCtx {
    Elab *el;
    Scope *scope;
    InstExpr *ie;
    const SrcLoc *loc;
} SigCtx;

static int add_signal(InstExpr *ie, SigKind kind, int node, const char *inst)
{
    for (int k = 0; k < ie->nsig; k++) {
        const Signal *s = &ie->sig[k];
        if (s->kind == kind && s->node == node && (!inst || (s->inst && strcmp(s->inst, inst) == 0))) return k;
    }
    ie->sig = xrealloc(ie->sig, (size_t)(ie->nsig + 1) * sizeof *ie->sig);
    ie->sig[ie->nsig] = (Signal){kind, node, inst ? xstrdup(inst) : NULL};
    return ie->nsig++;
}

static ExprSymKind bind_ident(void *ctx, const char *name, ExprSym *out, char *err, size_t errn)
{
    SigCtx *x = ctx;
    ParamDef *p = scope_find_param(x->scope, name);
    if (p) {
        double v;
        if (p->state == 1) {
            snprintf(err, errn, "parameter '%s' depends on itself", name);
            return EXPR_SYM_UNDEF;
        }
        if (scope_param_value(x->el, p, &v)) {
            snprintf(err, errn, "parameter '%s' could not be evaluated (see above)", name);
            return EXPR_SYM_UNDEF;
        }
        out->kind = EXPR_SYM_CONST;
        out->value = v;
        return EXPR_SYM_CONST;
    }
    if (strcmp(name, "time") == 0 || strcmp(name, "temper") == 0) {
        out->kind = EXPR_SYM_VAR;
        out->slot = add_signal(x->ie, name[0] == 't' && name[1] == 'i' ? SIG_TIME : SIG_TEMPER, -1, NULL);
        return EXPR_SYM_VAR;
    }
    return EXPR_SYM_UNDEF;
}

static const ExprFunc *bind_func(void *ctx, const char *name)
{
    SigCtx *x = ctx;
    FuncDef *f = SCOPE_FIND(x->scope, funcs, name);
    return f ? &f->f : NULL;
}

static ExprSymKind bind_special(void *ctx, const char *name, int nargs, const char *const *args, ExprSym *out,
                                char *err, size_t errn)
{
    SigCtx *x = ctx;
    if (strcmp(name, "v") == 0) {
        if (nargs < 1 || nargs > 2) {
            snprintf(err, errn, "v() takes one or two node names, %d given", nargs);
            return EXPR_SYM_UNDEF;
        }
        out->kind = EXPR_SYM_LINEAR;
        out->nterms = 0;
        for (int k = 0; k < nargs; k++) {
            int node = elab_node(x->el, x->scope, args[k], x->loc);
            if (node == 0) continue;   /* ground contributes 0 */
            out->slots[out->nterms] = add_signal(x->ie, SIG_NODE, node, NULL);
            out->coefs[out->nterms] = k == 0 ? 1 : -1;
            out->nterms++;
        }
        return EXPR_SYM_LINEAR;
    }
    if (strcmp(name, "i") == 0) {
        if (nargs != 1) {
            snprintf(err, errn, "i() takes one element name, %d given", nargs);
            return EXPR_SYM_UNDEF;
        }
        char *flat = elab_flat_name(x->scope, args[0]);
        out->kind = EXPR_SYM_VAR;
        out->slot = add_signal(x->ie, SIG_BRANCH, -1, flat);
        free(flat);
        return EXPR_SYM_VAR;
    }
    return EXPR_SYM_UNDEF;
}

int elab_inst_expr(Elab *el, Scope *s, const Card *c, const Item *assign, Instance *in)
{
    int k = 0;
    while (c->items[k] != assign) k++;
    char *text = elab_assign_text(c, k);
    InstExpr *ie = xcalloc(1, sizeof *ie);
    in->expr = ie;
    ie->text = text;
    ie->loc = assign->value->loc;
    for (int i = 0; in->type->expr_keys[i]; i++)
        if (strcmp(in->type->expr_keys[i], assign->key->text) == 0) ie->key = i;
    ExprError err = {0};
    ExprNode *tree = expr_parse(text, &err);
    if (!tree) {
        elab_error(el, s, &assign->value->loc, "%s: %s", in->name, err.msg);
        return -1;
    }
    SigCtx x = {el, s, ie, &assign->value->loc};
    ExprBinder b = {&x, bind_ident, bind_func, bind_special, NULL};   /* no random functions: evaluated while simulating */
    ie->prog = expr_compile(tree, &b, &err);
    expr_free(tree);
    if (!ie->prog) {
        elab_error(el, s, &assign->value->loc, "%s: %s", in->name, err.msg);
        return -1;
    }
    return 0;
}

/* A {braced expression} in .print/.save (Xyce's habit): bound at the top
 * level like a behavioural source's expression; its signals are resolved
 * by the output layer (node voltages, branch currents, device outputs such
 * as i(ymemristor!m1), time, temper). NULL after reporting an error. */
InstExpr *elab_output_expr(Elab *el, const Item *it)
{
    InstExpr *ie = xcalloc(1, sizeof *ie);
    ie->text = xstrdup(it->text);
    ie->loc = it->loc;
    ExprError err = {0};
    ExprNode *tree = expr_parse(ie->text, &err);
    if (!tree) {
        elab_error(el, NULL, &it->loc, "output {%s}: %s", ie->text, err.msg);
        inst_expr_free(ie);
        return NULL;
    }
    SigCtx x = {el, el->top, ie, &it->loc};
    ExprBinder b = {&x, bind_ident, bind_func, bind_special, NULL};   /* no random functions: evaluated while simulating */
    ie->prog = expr_compile(tree, &b, &err);
    expr_free(tree);
    if (!ie->prog) {
        elab_error(el, NULL, &it->loc, "output {%s}: %s", ie->text, err.msg);
        inst_expr_free(ie);
        return NULL;
    }
    return ie;
}
