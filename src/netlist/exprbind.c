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
    InstExpr *ie;                /* NULL: only find out whether the circuit is read */
    const SrcLoc *loc;
    int allow_aux;               /* ddt()/sdt() may be used (element expressions) */
    int reads;                   /* a circuit quantity was met */
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
        x->reads = 1;
        out->slot = x->ie ? add_signal(x->ie, name[0] == 't' && name[1] == 'i' ? SIG_TIME : SIG_TEMPER, -1, NULL) : 0;
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

static ExprProg *compile_text(SigCtx *x, const char *text, ExprError *err);

/* ddt(x), sdt(x[, ic]), idt(x[, ic]): a new unknown of the element (SIG_AUX) */
static ExprSymKind bind_aux(SigCtx *x, const char *name, int nargs, const char *const *args, ExprSym *out,
                            char *err, size_t errn)
{
    int ddt = strcmp(name, "ddt") == 0;
    if (nargs < 1 || nargs > (ddt ? 1 : 2)) {
        snprintf(err, errn, "%s() takes %s, %d given", name, ddt ? "one argument" : "one or two arguments (x, ic)",
                 nargs);
        return EXPR_SYM_UNDEF;
    }
    if (!x->allow_aux) {
        snprintf(err, errn, "%s() is only available in an element's expression (it adds an unknown to the circuit)",
                 name);
        return EXPR_SYM_UNDEF;
    }
    x->reads = 1;
    out->kind = EXPR_SYM_VAR;
    out->slot = 0;
    if (!x->ie) return EXPR_SYM_VAR;
    double ic = 0;
    if (nargs == 2) {
        ExprError e2 = {0};
        ExprProg *p = compile_text(x, args[1], &e2);
        int isconst = p && expr_prog_const(p, &ic);
        expr_prog_free(p);
        if (!p || !isconst) {
            snprintf(err, errn, "%s(): the initial value '%s' %s", name, args[1], p ? "must be a constant" : e2.msg);
            return EXPR_SYM_UNDEF;
        }
    }
    ExprError e1 = {0};
    ExprProg *prog = compile_text(x, args[0], &e1);
    if (!prog) {
        snprintf(err, errn, "%s(%s): %s", name, args[0], e1.msg);
        return EXPR_SYM_UNDEF;
    }
    InstExpr *ie = x->ie;
    ie->aux = xrealloc(ie->aux, (size_t)(ie->naux + 1) * sizeof *ie->aux);
    ie->aux[ie->naux] = (ExprAux){ddt ? AUX_DDT : AUX_SDT, prog, ic};
    out->slot = add_signal(ie, SIG_AUX, ie->naux++, NULL);
    return EXPR_SYM_VAR;
}

static ExprSymKind bind_special(void *ctx, const char *name, int nargs, const char *const *args, ExprSym *out,
                                char *err, size_t errn)
{
    SigCtx *x = ctx;
    if (strcmp(name, "ddt") == 0 || strcmp(name, "sdt") == 0 || strcmp(name, "idt") == 0)
        return bind_aux(x, name, nargs, args, out, err, errn);
    if (strcmp(name, "v") == 0) {
        if (nargs < 1 || nargs > 2) {
            snprintf(err, errn, "v() takes one or two node names, %d given", nargs);
            return EXPR_SYM_UNDEF;
        }
        out->kind = EXPR_SYM_LINEAR;
        out->nterms = 0;
        x->reads = 1;
        for (int k = 0; k < nargs && x->ie; k++) {
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
        out->kind = EXPR_SYM_VAR;
        out->slot = 0;
        x->reads = 1;
        if (!x->ie) return EXPR_SYM_VAR;
        char *flat = elab_flat_name(x->scope, args[0]);
        out->slot = add_signal(x->ie, SIG_BRANCH, -1, flat);
        free(flat);
        return EXPR_SYM_VAR;
    }
    return EXPR_SYM_UNDEF;
}

static ExprProg *compile_text(SigCtx *x, const char *text, ExprError *err)
{
    ExprNode *tree = expr_parse(text, err);
    if (!tree) return NULL;
    ExprBinder b = {x, bind_ident, bind_func, bind_special, NULL};   /* no random functions: evaluated while simulating */
    ExprProg *p = expr_compile(tree, &b, err);
    expr_free(tree);
    return p;
}

/* the expression text of `it`: an assignment's value, or a bare {braced}
 * or 'quoted' value */
static char *item_expr_text(const Card *c, const Item *it)
{
    if (it->kind != ITEM_ASSIGN) return xstrdup(it->text);
    int k = 0;
    while (c->items[k] != it) k++;
    return elab_assign_text(c, k);
}

int elab_expr_reads_circuit(Elab *el, Scope *s, const Card *c, const Item *it)
{
    char *text = item_expr_text(c, it);
    SigCtx x = {el, s, NULL, &it->loc, 1, 0};
    ExprError err = {0};
    ExprProg *p = compile_text(&x, text, &err);
    expr_prog_free(p);
    free(text);
    return x.reads;
}

int elab_inst_expr_text(Elab *el, Scope *s, const char *text, const SrcLoc *loc, int key, Instance *in)
{
    InstExpr *ie = xcalloc(1, sizeof *ie);
    in->expr = ie;
    ie->text = xstrdup(text);
    ie->loc = *loc;
    ie->key = key;
    ExprError err = {0};
    SigCtx x = {el, s, ie, loc, 1, 0};
    ie->prog = compile_text(&x, ie->text, &err);
    if (!ie->prog) {
        elab_error(el, s, loc, "%s: %s", in->name, err.msg);
        return -1;
    }
    return 0;
}

int elab_inst_expr(Elab *el, Scope *s, const Card *c, const Item *it, Instance *in)
{
    char *text = item_expr_text(c, it);
    const Item *val = it->kind == ITEM_ASSIGN ? it->value : it;
    int key = 0;
    for (int i = 0; it->kind == ITEM_ASSIGN && in->type->expr_keys[i]; i++)
        if (strcmp(in->type->expr_keys[i], it->key->text) == 0) key = i;
    int rc = elab_inst_expr_text(el, s, text, &val->loc, key, in);
    free(text);
    return rc;
}

/* i(name) in an expression, of an element without a branch-current
 * unknown (a resistor, a memristor, a diode: any two-terminal element): a
 * 0 V source "<name>#i" in series at its n- terminal carries the current,
 * as ngspice does; the probe and its node are left out of the default
 * output. Runs before the circuit is finalized. */
void elab_current_probes(Elab *el)
{
    Circuit *ckt = el->deck->ckt;
    int n = ckt->pending.n;
    StrMap byname = {0};
    for (int i = 0; i < n; i++) strmap_put(&byname, ckt->pending.v[i]->name, ckt->pending.v[i]);
    const DeviceType *vt = device_find('V', NULL, 0);
    for (int i = 0; i < n; i++) {
        InstExpr *ie = ckt->pending.v[i]->expr;
        for (int k = 0; ie && k < ie->nsig; k++) {
            Signal *sg = &ie->sig[k];
            if (sg->kind != SIG_BRANCH) continue;
            Instance *ref = strmap_find(&byname, sg->inst);
            if (!ref || (ref->type->flags & DEV_BRANCH) || ref->type->nterm != 2 || ref->type->nrefs || !vt) continue;
            char *pname = xasprintf("%s#i", ref->name);
            if (!strmap_find(&byname, pname)) {
                int mid = circuit_internal_node(ckt, pname, &ref->loc);
                Instance *p = circuit_add_instance(ckt, vt, pname, &ref->loc);
                p->nodes[0] = mid;
                p->nodes[1] = ref->nodes[1];
                p->internal = 1;
                ref->nodes[1] = mid;
                strmap_put(&byname, pname, p);
            }
            free(sg->inst);
            sg->inst = pname;
        }
    }
    strmap_free(&byname);
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
    SigCtx x = {el, el->top, ie, &it->loc, 0, 0};
    ie->prog = compile_text(&x, ie->text, &err);
    if (!ie->prog) {
        elab_error(el, NULL, &it->loc, "output {%s}: %s", ie->text, err.msg);
        inst_expr_free(ie);
        return NULL;
    }
    return ie;
}
