/* IR -> flat postfix program for a stack machine. The compiler has bounded
 * the program's size and the IR's depth (the recursion here).
 *
 * Constant operands of binary operators become immediates (mode 1: right,
 * mode 2: left), so v(a)/0.0258 is two instructions and no constant ever
 * carries a zero gradient row. Conditionals compile to jumps: only the
 * branch taken is evaluated, so an untaken branch can neither cost time nor
 * raise a domain error. Scratch stacks are sized here, once. */
#include "expr/expr_impl.h"

#include "util/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Em {
    VEC(Instr) code;
    VEC(LinTerm) lin;
    VEC(int) slots;       /* every slot read, with repeats */
    int depth, maxdepth;
    int var_off;
} Em;

static void push(Em *m, Instr in, int ddepth)
{
    VEC_PUSH(m->code, in);
    m->depth += ddepth;
    if (m->depth > m->maxdepth) m->maxdepth = m->depth;
}

static void emit_lin(Em *m, const Ir *n)
{
    if (m->var_off < 0) m->var_off = n->off;
    for (int k = 0; k < n->nt; k++) VEC_PUSH(m->slots, n->slot[k]);
    if (n->nt == 1 && n->coef[0] == 1.0) {
        push(m, (Instr){.kind = I_VAR, .i = n->slot[0], .off = n->off}, 1);
        return;
    }
    LinTerm t = {.nt = n->nt};
    for (int k = 0; k < n->nt; k++) t.slot[k] = n->slot[k], t.coef[k] = n->coef[k];
    VEC_PUSH(m->lin, t);
    push(m, (Instr){.kind = I_LIN, .i = m->lin.n - 1, .off = n->off}, 1);
}

static void emit(Em *m, const Ir *n);

static void emit_bin(Em *m, const Ir *n)
{
    Instr in = {.kind = I_BIN, .fn = (unsigned char)n->fn, .off = n->off};
    if (n->a[1]->kind == IR_CONST) {
        emit(m, n->a[0]);
        in.mode = 1, in.c = n->a[1]->c;
        push(m, in, 0);
    } else if (n->a[0]->kind == IR_CONST) {
        emit(m, n->a[1]);
        in.mode = 2, in.c = n->a[0]->c;
        push(m, in, 0);
    } else {
        emit(m, n->a[0]);
        emit(m, n->a[1]);
        push(m, in, -1);
    }
}

/* cond; JZ else; a; JMP end; else: b; end: */
static void emit_if(Em *m, const Ir *n)
{
    emit(m, n->a[0]);
    int jz = m->code.n;
    push(m, (Instr){.kind = I_JZ, .off = n->off}, -1);
    int depth = m->depth;
    emit(m, n->a[1]);
    int jmp = m->code.n;
    push(m, (Instr){.kind = I_JMP, .off = n->off}, 0);
    m->depth = depth;
    emit(m, n->a[2]);
    m->code.v[jz].i = jmp + 1;
    m->code.v[jmp].i = m->code.n;
}

/* a op1 b op2 c ...: one operand on the stack at a time (constants as
 * immediates), so a sum of 10^5 terms needs a stack of two. */
static void emit_chain(Em *m, const Ir *n)
{
    int k = 1;
    if (n->items[0]->kind == IR_CONST && n->items[1]->kind != IR_CONST) {
        emit(m, n->items[1]);
        push(m, (Instr){.kind = I_BIN, .fn = (unsigned char)n->links[0].fn, .mode = 2,
                        .c = n->items[0]->c, .off = n->links[0].off}, 0);
        k = 2;
    } else {
        emit(m, n->items[0]);
    }
    for (; k < n->n; k++) {
        const Ir *x = n->items[k];
        Instr in = {.kind = I_BIN, .fn = (unsigned char)n->links[k - 1].fn, .off = n->links[k - 1].off};
        if (x->kind == IR_CONST) {
            in.mode = 1, in.c = x->c;
            push(m, in, 0);
        } else {
            emit(m, x);
            push(m, in, -1);
        }
    }
}

static void emit(Em *m, const Ir *n)
{
    switch (n->kind) {
    case IR_CONST: push(m, (Instr){.kind = I_PUSHC, .c = n->c, .off = n->off}, 1); break;
    case IR_LIN: emit_lin(m, n); break;
    case IR_UN:
        emit(m, n->a[0]);
        push(m, (Instr){.kind = I_UN, .fn = (unsigned char)n->fn, .off = n->off}, 0);
        break;
    case IR_BIN: emit_bin(m, n); break;
    case IR_LIMIT:
        for (int k = 0; k < 3; k++) emit(m, n->a[k]);
        push(m, (Instr){.kind = I_LIMIT, .off = n->off}, -2);
        break;
    case IR_IF: emit_if(m, n); break;
    case IR_CHAIN: emit_chain(m, n); break;
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int var_index(const ExprProg *p, int slot)
{
    const int *hit = bsearch(&slot, p->vars, (size_t)p->nvars, sizeof *p->vars, cmp_int);
    return (int)(hit - p->vars);
}

/* Distinct slots, ascending; then point every read at its gradient row. */
static void index_vars(ExprProg *p, Em *m)
{
    if (m->slots.n) qsort(m->slots.v, (size_t)m->slots.n, sizeof *m->slots.v, cmp_int);
    int n = 0;
    for (int k = 0; k < m->slots.n; k++)
        if (n == 0 || m->slots.v[k] != m->slots.v[n - 1]) m->slots.v[n++] = m->slots.v[k];
    p->nvars = n;
    p->vars = xmalloc((size_t)(n ? n : 1) * sizeof *p->vars);
    if (n) memcpy(p->vars, m->slots.v, (size_t)n * sizeof *p->vars);
    for (int k = 0; k < p->ncode; k++)
        if (p->code[k].kind == I_VAR) p->code[k].j = var_index(p, p->code[k].i);
    for (int k = 0; k < p->nlin; k++)
        for (int t = 0; t < p->lin[k].nt; t++) p->lin[k].gi[t] = var_index(p, p->lin[k].slot[t]);
}

ExprProg *expr_emit(const Ir *root)
{
    Em m = {.var_off = -1};
    VEC_RESERVE(m.code, (int)root->size);
    emit(&m, root);
    ExprProg *p = xcalloc(1, sizeof *p);
    p->code = m.code.v, p->ncode = m.code.n;
    p->lin = m.lin.v, p->nlin = m.lin.n;
    p->maxdepth = m.maxdepth;
    p->var_off = m.var_off;
    p->err.off = -1;
    index_vars(p, &m);
    VEC_FREE(m.slots);
    p->stack = xmalloc((size_t)p->maxdepth * sizeof *p->stack);
    p->gstack = xmalloc((size_t)p->maxdepth * (size_t)(p->nvars ? p->nvars : 1) * sizeof *p->gstack);
    return p;
}
