/* Stack-machine interpreters for a compiled ExprProg: value only, and value
 * plus dense gradient by forward-mode automatic differentiation (every
 * stack entry carries d/d var for each of the program's nvars variables).
 * No allocation here: the stacks were sized by expr_emit. */
#include "expr/expr_impl.h"

#include "util/xmem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Overflow in +, -, *, / is not checked per operation (that would tax the
 * common case); an infinite or NaN result is caught here instead. */
__attribute__((cold, noinline)) static void final_value_error(ExprProg *p, double y)
{
    if (isinf(y))
        expr_dom_set(&p->err, EXPR_DOM_OVERFLOW, -1, "overflow (result is %s)", y > 0 ? "+inf" : "-inf");
    else
        expr_dom_set(&p->err, EXPR_DOM_NONFINITE, -1, "result is not a number (NaN)");
}

/* Binary operator on values. +, -, * are open-coded (they are most of
 * every program and need no checks); everything else, including /, goes
 * through expr_binop, the one definition of the arithmetic. */
static inline double bin_value(ExprProg *p, const Instr *in, double a, double b)
{
    switch (in->fn) {
    case FN_ADD: return a + b;
    case FN_SUB: return a - b;
    case FN_MUL: return a * b;
    default: return expr_binop(in->fn, a, b, NULL, 0, &p->err, in->off);
    }
}

/* The top of the stack lives in a local (a register), st[] holds the
 * entries below it: saves a store/load round trip per instruction. */
double expr_eval(ExprProg *p, const double *vals)
{
    double *st = p->stack, top = 0.0;
    int sp = -1;                          /* st[0..sp] are the entries below top */
    const Instr *code = p->code;
    for (int pc = 0, n = p->ncode; pc < n; pc++) {
        const Instr *in = &code[pc];
        switch ((InstrKind)in->kind) {
        case I_PUSHC:
            st[++sp] = top;
            top = in->c;
            break;
        case I_VAR:
            st[++sp] = top;
            top = vals[in->i];
            break;
        case I_LIN: {
            const LinTerm *l = &p->lin[in->i];
            st[++sp] = top;
            top = l->coef[0] * vals[l->slot[0]];
            if (l->nt > 1) top += l->coef[1] * vals[l->slot[1]];
            break;
        }
        case I_UN: top = expr_unop(in->fn, top, NULL, &p->err, in->off); break;
        case I_BIN:
            if (in->mode == 1) top = bin_value(p, in, top, in->c);
            else if (in->mode == 2) top = bin_value(p, in, in->c, top);
            else top = bin_value(p, in, st[sp--], top);
            break;
        case I_LIMIT: {
            double lo = st[sp--], x = st[sp--];
            double a3[3] = {x, lo, top};
            top = a3[expr_limit_pick(x, lo, top)];
            break;
        }
        case I_JZ: {
            double c = top;
            top = st[sp--];
            if (c == 0.0) pc = in->i - 1;
            break;
        }
        case I_JMP: pc = in->i - 1; break;
        }
    }
    if (!isfinite(top)) final_value_error(p, top);
    return top;
}

/* ---- forward mode: each stack entry k has a gradient row gs[k*nv ..] ---- */

/* A fresh row: unit vector e_j (j < 0: zero row). Written as one select
 * loop on purpose: a plain zeroing loop becomes a memset call, whose masked
 * vector stores then stall the scalar loads that follow (store forwarding);
 * that alone tripled the cost of small programs. */
static inline void g_unit(double *g, int nv, int j)
{
    for (int k = 0; k < nv; k++) g[k] = k == j ? 1.0 : 0.0;
}

static inline void g_scale(double *g, int nv, double d)
{
    for (int k = 0; k < nv; k++) g[k] *= d;
}

/* Both operands on the stack: ga (below) becomes the result's row. */
static inline double grad_bin2(ExprProg *p, const Instr *in, double a, double b, double *ga,
                               const double *gb, int nv)
{
    double d[2], y;
    switch (in->fn) {
    case FN_ADD:
        for (int k = 0; k < nv; k++) ga[k] += gb[k];
        return a + b;
    case FN_SUB:
        for (int k = 0; k < nv; k++) ga[k] -= gb[k];
        return a - b;
    case FN_MUL:
        for (int k = 0; k < nv; k++) ga[k] = b * ga[k] + a * gb[k];
        return a * b;
    default:
        y = expr_binop(in->fn, a, b, d, 1, &p->err, in->off);
        for (int k = 0; k < nv; k++) ga[k] = d[0] * ga[k] + d[1] * gb[k];
        return y;
    }
}

/* One operand is the immediate in->c: the row g of the other is scaled. */
static inline double grad_bin_imm(ExprProg *p, const Instr *in, double x, double *g, int nv)
{
    double d[2], y;
    int right = in->mode == 1;           /* x op c, else c op x */
    if (in->fn == FN_ADD || (in->fn == FN_SUB && right))
        return right && in->fn == FN_SUB ? x - in->c : x + in->c;
    if (in->fn == FN_MUL) {
        g_scale(g, nv, in->c);
        return x * in->c;
    }
    if (right) {
        y = expr_binop(in->fn, x, in->c, d, 0, &p->err, in->off);
        g_scale(g, nv, d[0]);
    } else {
        y = expr_binop(in->fn, in->c, x, d, 1, &p->err, in->off);
        g_scale(g, nv, d[1]);
    }
    return y;
}

static inline void grad_push_lin(const ExprProg *p, const Instr *in, const double *vals, double *v,
                                 double *g, int nv)
{
    const LinTerm *l = &p->lin[in->i];
    double s = l->coef[0] * vals[l->slot[0]];
    if (l->nt > 1) s += l->coef[1] * vals[l->slot[1]];
    *v = s;
    int j0 = l->gi[0], j1 = l->nt > 1 ? l->gi[1] : -1;
    double c0 = l->coef[0], c1 = l->coef[1];
    for (int k = 0; k < nv; k++) g[k] = (k == j0 ? c0 : 0.0) + (k == j1 ? c1 : 0.0);
}

/* Copy the result row out and catch a non-finite value or derivative not
 * blamed on an operator yet. v - v is NaN exactly when v is Inf or NaN, so
 * one branch checks the whole row (and the fused loop is no memcpy call:
 * see g_unit). */
static void final_grad_check(ExprProg *p, double y, const double *row, double *grad, int nv)
{
    double z = 0.0;
    for (int k = 0; k < nv; k++) {
        double v = row[k];
        grad[k] = v;
        z += v - v;
    }
    if (isfinite(y) && z == 0.0) return;
    if (!isfinite(y)) final_value_error(p, y);
    for (int k = 0; k < nv; k++)
        if (!isfinite(grad[k])) {
            expr_dom_set(&p->err, EXPR_DOM_DERIV, -1,
                         "derivative with respect to variable %d is not finite", p->vars[k]);
            return;
        }
}

double expr_eval_grad(ExprProg *p, const double *vals, double *grad)
{
    const int nv = p->nvars;
    double *st = p->stack, *gs = p->gstack, d;
    int sp = -1;
    size_t go = 0;                        /* row offset of the top entry (valid when sp >= 0) */
    const Instr *code = p->code;
    for (int pc = 0, n = p->ncode; pc < n; pc++) {
        const Instr *in = &code[pc];
        switch ((InstrKind)in->kind) {
        case I_PUSHC:
            go = (size_t)++sp * (size_t)nv;
            st[sp] = in->c;
            g_unit(gs + go, nv, -1);
            break;
        case I_VAR:
            go = (size_t)++sp * (size_t)nv;
            st[sp] = vals[in->i];
            g_unit(gs + go, nv, in->j);
            break;
        case I_LIN:
            go = (size_t)++sp * (size_t)nv;
            grad_push_lin(p, in, vals, &st[sp], gs + go, nv);
            break;
        case I_UN:
            st[sp] = expr_unop(in->fn, st[sp], &d, &p->err, in->off);
            g_scale(gs + go, nv, d);
            break;
        case I_BIN:
            if (in->mode) {
                st[sp] = grad_bin_imm(p, in, st[sp], gs + go, nv);
            } else {
                go -= (size_t)nv;
                sp--;
                st[sp] = grad_bin2(p, in, st[sp], st[sp + 1], gs + go, gs + go + nv, nv);
            }
            break;
        case I_LIMIT: {
            sp -= 2;
            go -= 2 * (size_t)nv;
            int k = expr_limit_pick(st[sp], st[sp + 1], st[sp + 2]);
            st[sp] = st[sp + k];
            for (int j = 0; k && j < nv; j++) gs[go + j] = gs[go + (size_t)k * (size_t)nv + j];
            break;
        }
        case I_JZ:
            if (st[sp--] == 0.0) pc = in->i - 1;
            go = sp > 0 ? (size_t)sp * (size_t)nv : 0;
            break;
        case I_JMP: pc = in->i - 1; break;
        }
    }
    double y = st[0];
    final_grad_check(p, y, gs, grad, nv);
    return y;
}

/* ---- program queries and the domain-error record ---- */

void expr_prog_free(ExprProg *p)
{
    if (!p) return;
    free(p->code);
    free(p->lin);
    free(p->vars);
    free(p->stack);
    free(p->gstack);
    free(p);
}

int expr_prog_const(const ExprProg *p, double *value)
{
    if (!p || p->nvars) return 0;
    if (value) *value = p->const_value;
    return 1;
}

int expr_prog_nvars(const ExprProg *p) { return p ? p->nvars : 0; }
const int *expr_prog_vars(const ExprProg *p) { return p ? p->vars : NULL; }
ExprDomain expr_prog_domain_error(const ExprProg *p) { return p->err.code; }
const char *expr_prog_domain_msg(const ExprProg *p) { return p->err.code ? p->err.msg : ""; }
int expr_prog_domain_offset(const ExprProg *p) { return p->err.code ? p->err.off : -1; }

void expr_prog_clear_error(ExprProg *p)
{
    p->err = (ExprDomErr){.code = EXPR_DOM_OK, .off = -1};
}

static void set_err(ExprError *err, int off, const char *what, const char *text)
{
    if (!err) return;
    err->offset = off;
    snprintf(err->msg, sizeof err->msg, "%.120s in expression '%.100s%s'", what, text,
             strlen(text) > 100 ? "..." : "");
}

int expr_eval_const(const char *text, const ExprBinder *b, double *value, ExprError *err)
{
    ExprNode *e = expr_parse(text, err);
    if (!e) return -1;
    ExprProg *p = expr_compile(e, b, err);
    expr_free(e);
    if (!p) return -1;
    int rc = -1;
    if (p->nvars) {
        set_err(err, p->var_off, "circuit variable (not a constant)", text);
    } else if (p->err.code) {
        set_err(err, p->err.off, p->err.msg, text);
    } else {
        if (value) *value = p->const_value;
        if (err) *err = (ExprError){.offset = -1};
        rc = 0;
    }
    expr_prog_free(p);
    return rc;
}
