/* Syntax tree housekeeping: allocation, deep copy, free, and printing back
 * to text with the fewest parentheses that keep the meaning. */
#include "expr/expr_impl.h"

#include "util/xmem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ExprNode *expr_node_new(ExprNodeKind kind, int off)
{
    ExprNode *e = xcalloc(1, sizeof *e);
    e->kind = kind;
    e->off = off;
    e->perr_off = -1;
    return e;
}

void expr_free(ExprNode *e)
{
    if (!e) return;
    for (int k = 0; k < e->nargs; k++) {
        expr_free(e->args[k]);
        if (e->raw) free(e->raw[k]);
    }
    free(e->args);
    free(e->links);
    free(e->raw);
    free(e->name);
    free(e->perr);
    free(e);
}

ExprNode *expr_clone(const ExprNode *e)
{
    if (!e) return NULL;
    ExprNode *c = xmalloc(sizeof *c);
    *c = *e;
    c->name = e->name ? xstrdup(e->name) : NULL;
    c->perr = e->perr ? xstrdup(e->perr) : NULL;
    c->args = NULL;
    c->raw = NULL;
    c->links = NULL;
    if (e->links) {
        c->links = xmalloc((size_t)(e->nargs - 1) * sizeof *c->links);
        memcpy(c->links, e->links, (size_t)(e->nargs - 1) * sizeof *c->links);
    }
    if (e->nargs) {
        c->args = xcalloc((size_t)e->nargs, sizeof *c->args);
        for (int k = 0; k < e->nargs; k++) c->args[k] = expr_clone(e->args[k]);
    }
    if (e->raw) {
        c->raw = xcalloc((size_t)e->nargs, sizeof *c->raw);
        for (int k = 0; k < e->nargs; k++) c->raw[k] = xstrdup(e->raw[k]);
    }
    return c;
}

/* ---- printing ---- */

enum { P_COND = 1, P_OR, P_AND, P_CMP, P_ADD, P_MUL, P_UNARY, P_POW, P_PRIMARY };

typedef VEC(char) Buf;

static void put(Buf *b, const char *s)
{
    size_t n = strlen(s);
    VEC_RESERVE(*b, b->n + (int)n + 1);
    memcpy(b->v + b->n, s, n + 1);
    b->n += (int)n;
}

static int prec(const ExprNode *e)
{
    switch (e->kind) {
    case N_COND: return P_COND;
    case N_UN: return P_UNARY;
    case N_CHAIN:
    case N_BIN:
        switch (e->kind == N_CHAIN ? e->links[0].fn : e->fn) {
        case FN_OR: return P_OR;
        case FN_AND: return P_AND;
        case FN_ADD: case FN_SUB: return P_ADD;
        case FN_MUL: case FN_DIV: case FN_MOD: return P_MUL;
        case FN_POW: return P_POW;
        default: return P_CMP;
        }
    case N_NUM: return e->num < 0 ? P_UNARY : P_PRIMARY;
    default: return P_PRIMARY;
    }
}

/* Shortest decimal that reads back to the same double; whole numbers below
 * 1e15 without an exponent (2000, not 2e+03). */
static void put_num(Buf *b, double v)
{
    char s[40];
    int digits = 1;
    for (; digits < 17; digits++) {
        snprintf(s, sizeof s, "%.*g", digits, v);
        if (strtod(s, NULL) == v) break;
    }
    double m = fabs(v);
    if (m >= 1.0 && m < 1e15) {
        int mag = (int)floor(log10(m)) + 1;      /* digits before the point */
        if (mag > digits) digits = mag;
    }
    snprintf(s, sizeof s, "%.*g", digits, v);
    put(b, s);
}

static void print_node(Buf *b, const ExprNode *e, int min_prec);

static void print_call(Buf *b, const ExprNode *e)
{
    put(b, e->name);
    put(b, "(");
    for (int k = 0; k < e->nargs; k++) {
        if (k) put(b, ", ");
        print_node(b, e->args[k], P_COND);
    }
    put(b, ")");
}

static void print_inner(Buf *b, const ExprNode *e)
{
    int p = prec(e);
    switch (e->kind) {
    case N_NUM: put_num(b, e->num); break;
    case N_IDENT: case N_RAW: put(b, e->name); break;
    case N_CALL: print_call(b, e); break;
    case N_UN:
        put(b, e->fn == FN_NEG ? "-" : "!");
        print_node(b, e->args[0], P_UNARY);
        break;
    case N_BIN:
        if (e->fn == FN_POW) {          /* right-assoc; exponent is a unary expr */
            print_node(b, e->args[0], P_PRIMARY);
            put(b, "^");
            print_node(b, e->args[1], P_UNARY);
        } else {
            print_node(b, e->args[0], p);
            put(b, " ");
            put(b, expr_fn_name(e->fn));
            put(b, " ");
            print_node(b, e->args[1], p + 1);
        }
        break;
    case N_CHAIN:
        print_node(b, e->args[0], p);
        for (int k = 1; k < e->nargs; k++) {
            put(b, " ");
            put(b, expr_fn_name(e->links[k - 1].fn));
            put(b, " ");
            print_node(b, e->args[k], p + 1);
        }
        break;
    case N_COND:
        print_node(b, e->args[0], P_OR);
        put(b, " ? ");
        print_node(b, e->args[1], P_COND);
        put(b, " : ");
        print_node(b, e->args[2], P_COND);
        break;
    }
}

static void print_node(Buf *b, const ExprNode *e, int min_prec)
{
    int paren = prec(e) < min_prec;
    if (paren) put(b, "(");
    print_inner(b, e);
    if (paren) put(b, ")");
}

char *expr_to_string(const ExprNode *e)
{
    Buf b = {0};
    put(&b, "");
    if (e) print_node(&b, e, P_COND);
    return b.v;
}
