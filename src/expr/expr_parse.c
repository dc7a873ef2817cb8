/* Expression text -> syntax tree. Hand-written lexer and recursive-descent
 * parser, one function per precedence level (see the grammar in expr.h).
 * Errors carry the byte offset of the offending token. */
#include "expr/expr_impl.h"

#include "util/number.h"
#include "util/xmem.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 400         /* parser recursion (parentheses, unary operators) */
#define MAX_TREE_DEPTH 1000   /* tree depth: bounds every recursive walk of the tree */

typedef enum { T_END, T_NUM, T_IDENT, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_QUEST, T_COLON, T_OP } TokKind;

typedef struct Tok {
    TokKind kind;
    int fn;              /* T_OP: FN_ADD ... FN_OR (FN_NOT for '!') */
    int start, len;
    double num;
} Tok;

typedef struct Parser {
    const char *s;
    int pos;             /* next character to lex */
    Tok tok;             /* current token */
    Tok prev;            /* last consumed token (prev.len == 0: none) */
    int depth;
    int failed;
    ExprError err;
} Parser;

static void perr(Parser *P, int off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perr(Parser *P, int off, const char *fmt, ...)
{
    if (P->failed) return;
    P->failed = 1;
    P->err.offset = off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(P->err.msg, sizeof P->err.msg, fmt, ap);
    va_end(ap);
}

static int is_ident_start(int c) { return isalpha(c) || c == '_'; }
static int is_ident_char(int c) { return isalnum(c) || c == '_' || c == '.'; }

/* Two-character operators first, so "**" is not read as "*" "*". */
static int lex_op(const char *p, int *len)
{
    static const struct { const char *text; int fn; } ops[] = {
        {"**", FN_POW}, {"==", FN_EQ}, {"!=", FN_NE}, {"<=", FN_LE}, {">=", FN_GE},
        {"&&", FN_AND}, {"||", FN_OR}, {"+", FN_ADD}, {"-", FN_SUB}, {"*", FN_MUL},
        {"/", FN_DIV},  {"%", FN_MOD}, {"^", FN_POW}, {"<", FN_LT},  {">", FN_GT},
        {"!", FN_NOT},
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k].text);
        if (strncmp(p, ops[k].text, n) == 0) {
            *len = (int)n;
            return ops[k].fn;
        }
    }
    return -1;
}

static void lex_bad_char(Parser *P, int at)
{
    unsigned char c = (unsigned char)P->s[at];
    if (c == '=')
        perr(P, at, "unexpected '=' (use '==' to compare)");
    else if (c == '&' || c == '|')
        perr(P, at, "invalid character '%c' (use '%c%c')", c, c, c);
    else if (isprint(c))
        perr(P, at, "invalid character '%c'", c);
    else
        perr(P, at, "invalid character (byte 0x%02x)", c);
}

static void next(Parser *P)
{
    if (P->tok.len > 0 || P->tok.kind != T_END) P->prev = P->tok;
    const char *s = P->s;
    int i = P->pos;
    while (isspace((unsigned char)s[i])) i++;
    Tok t = {.kind = T_END, .start = i, .len = 0};
    unsigned char c = (unsigned char)s[i];
    size_t n;
    if (c == '\0') {
        t.kind = T_END;
    } else if ((n = spice_number_prefix(s + i, &t.num)) > 0) {
        t.kind = T_NUM, t.len = (int)n;
    } else if (is_ident_start(c)) {
        int j = i;
        while (is_ident_char((unsigned char)s[j])) j++;
        t.kind = T_IDENT, t.len = j - i;
    } else if (c == '(' || c == ')' || c == ',' || c == '?' || c == ':') {
        t.kind = c == '(' ? T_LP : c == ')' ? T_RP : c == ',' ? T_COMMA : c == '?' ? T_QUEST : T_COLON;
        t.len = 1;
    } else if (c == '{' || c == '}') {
        /* braces inside an expression group like parentheses: ngspice's
         * V=(v(a) >= {VTH} ? {VDD} : {VSS}), Xyce's {{...}} */
        t.kind = c == '{' ? T_LB : T_RB;
        t.len = 1;
    } else if ((t.fn = lex_op(s + i, &t.len)) >= 0) {
        t.kind = T_OP;
    } else {
        lex_bad_char(P, i);
        t.kind = T_END;
    }
    P->tok = t;
    P->pos = i + t.len;
}

static int tok_is(const Parser *P, TokKind k) { return P->tok.kind == k; }
static int tok_is_op(const Parser *P, int fn) { return P->tok.kind == T_OP && P->tok.fn == fn; }

/* "'*'" or "end of expression", for messages */
static const char *tok_desc(const Tok *t, const char *s, char *buf, size_t n)
{
    if (t->kind == T_END) return "end of expression";
    snprintf(buf, n, "'%.*s'", t->len > 40 ? 40 : t->len, s + t->start);
    return buf;
}

/* depth = 1 + deepest operand; too deep is a syntax error at the operator */
static void set_depth(Parser *P, ExprNode *e)
{
    int d = 0;
    for (int k = 0; k < e->nargs; k++)
        if (e->args[k]->depth > d) d = e->args[k]->depth;
    e->depth = d + 1;
    if (e->depth > MAX_TREE_DEPTH) perr(P, e->off, "expression nested too deeply");
}

static ExprNode *mk_op(Parser *P, ExprNodeKind kind, int fn, int off, ExprNode *a, ExprNode *b,
                       ExprNode *c)
{
    ExprNode *e = expr_node_new(kind, off);
    e->nargs = kind == N_UN ? 1 : kind == N_BIN ? 2 : 3;
    e->args = xcalloc((size_t)e->nargs, sizeof *e->args);
    e->fn = fn;
    e->args[0] = a;
    if (b) e->args[1] = b;
    if (c) e->args[2] = c;
    set_depth(P, e);
    return e;
}

static ExprNode *parse_cond(Parser *P);
static ExprNode *parse_unary(Parser *P);

/* A primary was expected but the current token cannot start one. */
static void missing_operand(Parser *P)
{
    char b1[64], b2[64];
    const Tok *pv = &P->prev;
    int after_op = pv->len > 0 && (pv->kind == T_OP || pv->kind == T_QUEST ||
                                   pv->kind == T_COLON || pv->kind == T_LP || pv->kind == T_LB ||
                                   pv->kind == T_COMMA);
    if (after_op)
        perr(P, P->tok.start, "missing operand after %s", tok_desc(pv, P->s, b1, sizeof b1));
    else if (tok_is(P, T_END))
        perr(P, P->tok.start, "empty expression");
    else
        perr(P, P->tok.start, "unexpected token %s", tok_desc(&P->tok, P->s, b2, sizeof b2));
}

/* Copy of s[a, b) without surrounding blanks. */
static char *trimmed(const char *s, int a, int b)
{
    while (a < b && isspace((unsigned char)s[a])) a++;
    while (b > a && isspace((unsigned char)s[b - 1])) b--;
    return xstrndup(s + a, (size_t)(b - a));
}

/* A call argument that does not parse as an expression (a node name such
 * as out- in v(out-)): take the text up to the next ',' or ')' at paren
 * depth 0. Returns 0 if there is no such delimiter. */
static int scan_raw_arg(Parser *P, int start, int *end)
{
    int depth = 0, i = start;
    for (; P->s[i]; i++) {
        char c = P->s[i];
        if (c == '(') depth++;
        else if (c == ')' && depth-- == 0) break;
        else if (c == ',' && depth == 0) break;
    }
    *end = i;
    return P->s[i] != '\0';
}

static ExprNode *parse_raw_arg(Parser *P, int start, const ExprError *why)
{
    int end;
    if (!scan_raw_arg(P, start, &end)) return NULL;
    char *text = trimmed(P->s, start, end);
    if (!*text) {
        free(text);
        return NULL;
    }
    ExprNode *r = expr_node_new(N_RAW, start);
    r->name = text;
    r->perr = xstrdup(why->msg);
    r->perr_off = why->offset;
    P->pos = end;
    P->failed = 0;
    next(P);
    return r;
}

/* One argument. For calls that are not built-ins, an argument that is not
 * an expression is kept as raw text (special calls get node names). */
static ExprNode *parse_arg(Parser *P, int builtin, char **raw)
{
    Parser save = *P;
    int start = P->tok.start;
    ExprNode *a = parse_cond(P);
    if (a && !tok_is(P, T_COMMA) && !tok_is(P, T_RP))
        perr(P, P->tok.start, tok_is(P, T_END) ? "expected ')'" : "expected ',' or ')'");
    if (!P->failed) {
        *raw = trimmed(P->s, start, P->prev.start + P->prev.len);
        return a;
    }
    expr_free(a);
    if (builtin) return NULL;
    ExprError why = P->err;
    *P = save;
    ExprNode *r = parse_raw_arg(P, start, &why);
    if (!r) {
        P->err = why;
        P->failed = 1;
        return NULL;
    }
    *raw = xstrdup(r->name);
    return r;
}

static ExprNode *parse_call(Parser *P, ExprNode *call)
{
    int builtin = expr_builtin_find(call->name) != NULL;
    VEC(ExprNode *) args = {0};
    VEC(char *) raws = {0};
    next(P);                                    /* '(' */
    if (tok_is(P, T_RP)) {
        next(P);
        return call;
    }
    for (;;) {
        char *raw = NULL;
        ExprNode *a = parse_arg(P, builtin, &raw);
        if (!a) break;
        VEC_PUSH(args, a);
        VEC_PUSH(raws, raw);
        if (tok_is(P, T_RP)) {
            next(P);
            break;
        }
        next(P);                                /* ',' */
    }
    call->args = args.v, call->raw = raws.v, call->nargs = args.n;
    set_depth(P, call);
    if (P->failed) {
        expr_free(call);
        return NULL;
    }
    return call;
}

/* Xyce's (and PSpice's) table form inside an expression:
 *   table {x} = (x1, y1) (x2, y2) ...
 * read as the call table(x, x1, y1, x2, y2, ...) (the '=' optional) */
static ExprNode *parse_table_form(Parser *P, ExprNode *call)
{
    VEC(ExprNode *) args = {0};
    VEC(char *) raws = {0};
    int start = P->tok.start;
    next(P);                                    /* '{' */
    ExprNode *x = parse_cond(P);
    if (x && !tok_is(P, T_RB)) perr(P, P->tok.start, "expected '}'");
    if (x) {
        VEC_PUSH(args, x);
        VEC_PUSH(raws, xstrndup(P->s + start + 1, (size_t)(P->tok.start - start - 1)));
    }
    if (!P->failed) {                           /* '}', and a single '=' after it */
        int i = P->pos;
        while (isspace((unsigned char)P->s[i])) i++;
        if (P->s[i] == '=' && P->s[i + 1] != '=') P->pos = i + 1;
        next(P);
    }
    while (!P->failed && tok_is(P, T_LP)) {
        next(P);
        for (int k = 0; k < 2 && !P->failed; k++) {
            int a0 = P->tok.start;
            ExprNode *v = parse_cond(P);
            if (!v) break;
            VEC_PUSH(args, v);
            VEC_PUSH(raws, xstrndup(P->s + a0, (size_t)(P->tok.start - a0)));
            if (k == 0 && !tok_is(P, T_COMMA)) perr(P, P->tok.start, "expected ',' between the x and y of a table point");
            else if (k == 1 && !tok_is(P, T_RP)) perr(P, P->tok.start, "expected ')' after a table point");
            if (!P->failed) next(P);
        }
    }
    call->kind = N_CALL;
    call->args = args.v, call->raw = raws.v, call->nargs = args.n;
    set_depth(P, call);
    if (P->failed) {
        expr_free(call);
        return NULL;
    }
    return call;
}

static ExprNode *parse_primary(Parser *P)
{
    Tok t = P->tok;
    if (t.kind == T_NUM) {
        ExprNode *e = expr_node_new(N_NUM, t.start);
        e->num = t.num;
        next(P);
        return e;
    }
    if (t.kind == T_IDENT) {
        ExprNode *e = expr_node_new(N_IDENT, t.start);
        e->name = xstrndup(P->s + t.start, (size_t)t.len);
        str_lower(e->name);
        next(P);
        if (tok_is(P, T_LB) && !strcmp(e->name, "table")) return parse_table_form(P, e);
        if (!tok_is(P, T_LP)) return e;
        e->kind = N_CALL;
        return parse_call(P, e);
    }
    if (t.kind == T_LP || t.kind == T_LB) {
        TokKind close = t.kind == T_LP ? T_RP : T_RB;
        next(P);
        ExprNode *e = parse_cond(P);
        if (!e) return NULL;
        if (!tok_is(P, close)) {
            perr(P, P->tok.start, close == T_RP ? "expected ')'" : "expected '}'");
            expr_free(e);
            return NULL;
        }
        next(P);
        return e;
    }
    missing_operand(P);
    return NULL;
}

/* power: primary [('^' | '**') unary]; right-associative because the
 * exponent is a unary expression, which may itself be a power: 2^3^2 =
 * 2^9, 2^-1 = 0.5, and -2^2 = -(2^2) since unary minus is parsed above. */
static ExprNode *parse_pow(Parser *P)
{
    ExprNode *base = parse_primary(P);
    if (!base || !tok_is_op(P, FN_POW)) return base;
    int off = P->tok.start;
    next(P);
    ExprNode *ex = parse_unary(P);
    if (!ex) {
        expr_free(base);
        return NULL;
    }
    return mk_op(P, N_BIN, FN_POW, off, base, ex, NULL);
}

static ExprNode *parse_unary(Parser *P)
{
    ExprNode *e = NULL;
    if (++P->depth > MAX_DEPTH) {
        perr(P, P->tok.start, "expression nested too deeply");
    } else if (tok_is_op(P, FN_SUB) || tok_is_op(P, FN_ADD) || tok_is_op(P, FN_NOT)) {
        int fn = P->tok.fn, off = P->tok.start;
        next(P);
        e = parse_unary(P);
        if (e && fn != FN_ADD)                 /* unary plus is the identity */
            e = mk_op(P, N_UN, fn == FN_SUB ? FN_NEG : FN_NOT, off, e, NULL, NULL);
    } else {
        e = parse_pow(P);
    }
    P->depth--;
    return e;
}

/* Left-associative binary levels, from tightest to loosest. */
static const int level_ops[][7] = {
    {FN_MUL, FN_DIV, FN_MOD, -1},
    {FN_ADD, FN_SUB, -1},
    {FN_EQ, FN_NE, FN_LT, FN_LE, FN_GT, FN_GE, -1},
    {FN_AND, -1},
    {FN_OR, -1},
};

static int level_has(int level, const Tok *t)
{
    if (t->kind != T_OP) return 0;
    for (const int *f = level_ops[level]; *f >= 0; f++)
        if (*f == t->fn) return 1;
    return 0;
}

static ExprNode *parse_level(Parser *P, int level);

/* Levels * / % and + -: a run of operators becomes one flat N_CHAIN (an
 * N_BIN when there is just one operator). */
static ExprNode *parse_chain(Parser *P, int level)
{
    ExprNode *first = level == 0 ? parse_unary(P) : parse_level(P, level - 1);
    if (!first || !level_has(level, &P->tok)) return first;
    VEC(ExprNode *) items = {0};
    VEC(ExprLink) links = {0};
    VEC_PUSH(items, first);
    while (!P->failed && level_has(level, &P->tok)) {
        ExprLink l = {P->tok.fn, P->tok.start};
        next(P);
        ExprNode *right = level == 0 ? parse_unary(P) : parse_level(P, level - 1);
        if (!right) break;
        VEC_PUSH(items, right);
        VEC_PUSH(links, l);
    }
    if (P->failed) {
        for (int k = 0; k < items.n; k++) expr_free(items.v[k]);
        VEC_FREE(items);
        VEC_FREE(links);
        return NULL;
    }
    ExprNode *e;
    if (items.n == 2) {
        e = mk_op(P, N_BIN, links.v[0].fn, links.v[0].off, items.v[0], items.v[1], NULL);
        VEC_FREE(items);
        VEC_FREE(links);
    } else {
        e = expr_node_new(N_CHAIN, links.v[0].off);
        e->args = items.v, e->nargs = items.n, e->links = links.v;
        set_depth(P, e);
    }
    if (P->failed) {
        expr_free(e);
        return NULL;
    }
    return e;
}

/* comparisons, &&, ||: nested binary nodes, left-associative */
static ExprNode *parse_level(Parser *P, int level)
{
    if (level <= 1) return parse_chain(P, level);
    ExprNode *left = parse_level(P, level - 1);
    while (left && !P->failed && level_has(level, &P->tok)) {
        int fn = P->tok.fn, off = P->tok.start;
        next(P);
        ExprNode *right = parse_level(P, level - 1);
        if (!right) {
            expr_free(left);
            return NULL;
        }
        left = mk_op(P, N_BIN, fn, off, left, right, NULL);
    }
    if (left && P->failed) {
        expr_free(left);
        return NULL;
    }
    return left;
}

/* c ? a : b, right-associative: a ? b : c ? d : e = a ? b : (c ? d : e) */
static ExprNode *parse_cond(Parser *P)
{
    if (++P->depth > MAX_DEPTH) {
        perr(P, P->tok.start, "expression nested too deeply");
        return NULL;
    }
    ExprNode *c = parse_level(P, 4), *a = NULL, *b = NULL;
    if (c && tok_is(P, T_QUEST)) {
        int off = P->tok.start;
        next(P);
        a = parse_cond(P);
        if (a && !tok_is(P, T_COLON)) perr(P, P->tok.start, "expected ':'");
        if (a && !P->failed) {
            next(P);
            b = parse_cond(P);
        }
        if (!b) {
            expr_free(c);
            expr_free(a);
            c = NULL;
        } else {
            c = mk_op(P, N_COND, FN_IF, off, c, a, b);
        }
    }
    P->depth--;
    return c;
}

static void trailing_token(Parser *P)
{
    char buf[64];
    TokKind k = P->tok.kind;
    const char *d = tok_desc(&P->tok, P->s, buf, sizeof buf);
    if (k == T_NUM || k == T_IDENT || k == T_LP || k == T_LB)
        perr(P, P->tok.start, "unexpected token %s (missing operator?)", d);
    else
        perr(P, P->tok.start, "unexpected token %s", d);
}

ExprNode *expr_parse(const char *text, ExprError *err)
{
    Parser P = {.s = text ? text : "", .err = {.offset = -1}};
    next(&P);
    ExprNode *e = P.failed ? NULL : parse_cond(&P);
    if (e && !tok_is(&P, T_END)) trailing_token(&P);
    if (P.failed) {
        expr_free(e);
        e = NULL;
    }
    if (err) *err = e ? (ExprError){.offset = -1} : P.err;
    return e;
}
