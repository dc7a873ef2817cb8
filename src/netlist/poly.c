/* SPICE2's polynomial controlled sources, as PSpice, HSPICE and Xyce decks
 * write them (ngspice reads them through XSPICE):
 *   E/G<name> n+ n- POLY(nd) nc1+ nc1- ... ncnd+ ncnd- c0 c1 c2 ...
 *   F/H<name> n+ n- POLY(nd) vctl1 ... vctlnd c0 c1 c2 ...
 * The value is c0 + sum of ck times the k-th product of the controls x1..xnd,
 * the products in SPICE2's order: by degree, and within a degree the
 * exponent tuples in lexicographic order of nondecreasing indices
 * (x1, x2, ..., x1^2, x1 x2, ..., x2^2, ..., x1^3, x1^2 x2, ...), as many as
 * there are coefficients. A single coefficient is c0, as ngspice reads it
 * (SPICE2 took it as the gain c1). The element becomes the behavioural E/G value= source
 * (a voltage for E and H, a current for G and F) with that expression, so
 * its Jacobian is exact like any behavioural source's. */
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "util/xmem.h"

typedef struct Buf {
    char *s;
    size_t n, cap;
} Buf;

static void put(Buf *b, const char *t)
{
    size_t l = strlen(t);
    if (b->n + l + 1 > b->cap) {
        b->cap = (b->n + l + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, t, l + 1);
    b->n += l;
}

/* the next nondecreasing index tuple of the same length (0-based, dims nd);
 * 0 when the degree is exhausted */
static int next_tuple(int *idx, int deg, int nd)
{
    int k = deg - 1;
    while (k >= 0 && idx[k] == nd - 1) k--;
    if (k < 0) return 0;
    idx[k]++;
    for (int j = k + 1; j < deg; j++) idx[j] = idx[k];
    return 1;
}

/* the element as the behavioural E (voltage) or G (current) source of
 * value `expr` between its first two nodes */
static int behavioural_element(Elab *el, Scope *s, const Card *c, const char *name, int pos, char letter,
                               const char *expr, const SrcLoc *at)
{
    const DeviceType *t = NULL;
    for (int i = 0; i < device_count(); i++) {
        const DeviceType *d = device_at(i);
        if (d->letter == letter && d->expr_keys && !d->expr_if_varying) t = d;
    }
    if (!t) {
        elab_error(el, s, &c->loc, "%s: no behavioural source type", name);
        return -1;
    }
    for (int k = 0; k < 2; k++)
        if (c->items[pos + k]->kind != ITEM_WORD) {
            elab_error(el, s, &c->items[pos + k]->loc, "%s: expected the %s node", name, k ? "n-" : "n+");
            return -1;
        }
    char *flat = elab_flat_name(s, name);
    Instance *in = circuit_add_instance(el->deck->ckt, t, flat, &c->loc);
    free(flat);
    for (int k = 0; k < 2; k++) in->nodes[k] = elab_node(el, s, c->items[pos + k]->text, &c->items[pos + k]->loc);
    return elab_inst_expr_text(el, s, expr, at, 0, in);
}

int elab_poly(Elab *el, Scope *s, const Card *c, const char *name, int pos)
{
    char letter = (char)(name[0] & ~0x20);
    const Item *call = c->items[pos + 2];
    double ndv = 0;
    if (call->nargs != 1 || scope_eval_item(el, s, c, call->args[0], 0, &ndv)) {
        elab_error(el, s, &call->loc, "%s: POLY takes the number of controls: POLY(n)", name);
        return -1;
    }
    int nd = (int)ndv, current_ctl = letter == 'F' || letter == 'H';
    if (!(ndv == nd && nd >= 1 && nd <= 20)) {
        elab_error(el, s, &call->loc, "%s: POLY(%g): the number of controls must be a whole number 1 ... 20", name, ndv);
        return -1;
    }
    int nctl_items = current_ctl ? nd : 2 * nd, first = pos + 3;
    if (first + nctl_items > c->nitems) {
        elab_error(el, s, &c->loc, "%s: POLY(%d) needs %d %s after it", name, nd, nctl_items,
                   current_ctl ? "controlling source names" : "controlling nodes");
        return -1;
    }
    char **x = xcalloc((size_t)nd, sizeof *x);
    for (int k = 0; k < nd; k++) {
        const Item *a = c->items[first + (current_ctl ? k : 2 * k)];
        const Item *b = current_ctl ? NULL : c->items[first + 2 * k + 1];
        if (a->kind != ITEM_WORD || (b && b->kind != ITEM_WORD)) {
            elab_error(el, s, &(a->kind != ITEM_WORD ? a : b)->loc, "%s: expected a %s", name,
                       current_ctl ? "controlling source name" : "controlling node");
            for (int j = 0; j < k; j++) free(x[j]);
            free(x);
            return -1;
        }
        x[k] = current_ctl ? xasprintf("i(%s)", a->text) : xasprintf("v(%s,%s)", a->text, b->text);
    }
    int ncoef = c->nitems - (first + nctl_items), rc = 0;
    double *cf = xcalloc((size_t)(ncoef + 2), sizeof *cf);
    for (int k = 0; k < ncoef; k++) {
        const Item *it = c->items[first + nctl_items + k];
        if (it->kind == ITEM_ASSIGN) {
            elab_error(el, s, &it->loc, "%s: unexpected '%s=' after the POLY coefficients", name,
                       it->key->text ? it->key->text : "?");
            rc = -1;
        } else if (scope_eval_item(el, s, c, it, 0, &cf[k])) {
            rc = -1;
        }
    }
    if (ncoef == 0 && rc == 0) {
        elab_error(el, s, &c->loc, "%s: POLY(%d) has no coefficients", name, nd);
        rc = -1;
    }
    Buf b = {0};
    char num[64];
    snprintf(num, sizeof num, "%.17g", cf[0]);
    put(&b, num);
    int used = 1;
    int idx[64];
    for (int deg = 1; used < ncoef && deg < 64; deg++) {
        for (int j = 0; j < deg; j++) idx[j] = 0;
        do {
            if (used >= ncoef) break;
            double ck = cf[used++];
            if (ck == 0) continue;
            snprintf(num, sizeof num, "+(%.17g)", ck);
            put(&b, num);
            for (int j = 0; j < deg; j++) {
                put(&b, "*");
                put(&b, x[idx[j]]);
            }
        } while (next_tuple(idx, deg, nd));
    }
    if (rc == 0) rc = behavioural_element(el, s, c, name, pos, letter == 'E' || letter == 'H' ? 'E' : 'G', b.s, &call->loc);
    free(b.s);
    free(cf);
    for (int k = 0; k < nd; k++) free(x[k]);
    free(x);
    return rc;
}

/* PSpice's (and ngspice's) table sources:
 *   E/G<name> n+ n- TABLE {expr} [=] (x1, y1) (x2, y2) ...
 *   E/G<name> n+ n- nc+ nc- TABLE [=] (x1, y1, x2, y2, ...)
 * become the behavioural source of value table(expr, x1, y1, ...): linear
 * interpolation, the end values beyond the ends (PSpice's rule). `kw` is
 * the index of the TABLE item. */
int elab_table(Elab *el, Scope *s, const Card *c, const char *name, int pos, int kw)
{
    char letter = (char)(name[0] & ~0x20);
    const Item *t = c->items[kw];
    const char *p = c->text + t->start + 5;   /* after the word TABLE (a call when '(' follows) */
    Buf b = {0};
    put(&b, "table(");
    if (kw == pos + 2) {           /* the expression in braces: the item after TABLE */
        const Item *ex = kw + 1 < c->nitems ? c->items[kw + 1] : NULL;
        if (!ex || ex->kind != ITEM_EXPR || t->kind != ITEM_WORD) {
            elab_error(el, s, &t->loc, "%s: TABLE needs its input as {expression}", name);
            free(b.s);
            return -1;
        }
        char *inner = xasprintf("(%s)", ex->text);
        put(&b, inner);
        free(inner);
        p = c->text + ex->end;
    } else {                       /* the voltage between the control nodes */
        for (int k = 2; k < 4; k++)
            if (c->items[pos + k]->kind != ITEM_WORD) {
                elab_error(el, s, &c->items[pos + k]->loc, "%s: expected a controlling node", name);
                free(b.s);
                return -1;
            }
        char *v = xasprintf("v(%s,%s)", c->items[pos + 2]->text, c->items[pos + 3]->text);
        put(&b, v);
        free(v);
    }
    /* the points: parentheses, commas and '=' separate them */
    char *rest = xstrdup(p);
    for (char *r = rest; *r; r++)
        if (*r == '(' || *r == ')' || *r == ',' || *r == '=') *r = ' ';
    int npts = 0;
    for (char *save = NULL, *tok = strtok_r(rest, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        put(&b, ", ");
        put(&b, tok);
        npts++;
    }
    free(rest);
    put(&b, ")");
    int rc;
    if (npts == 0 || npts % 2) {
        elab_error(el, s, &t->loc, "%s: TABLE needs pairs of points (x, y), got %d number%s", name, npts,
                   npts == 1 ? "" : "s");
        rc = -1;
    } else {
        rc = behavioural_element(el, s, c, name, pos, letter, b.s, &t->loc);
    }
    free(b.s);
    return rc;
}
