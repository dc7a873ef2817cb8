/* Private to src/expr: syntax tree, operator codes, compiled program.
 *
 * Pipeline: expr_parse.c (text -> ExprNode) -> expr_compile.c (ExprNode ->
 * Ir: names bound, .func inlined, constants folded) -> expr_emit.c (Ir ->
 * postfix Instr[]) -> expr_eval.c (stack interpreters, with and without
 * forward-mode derivatives). The arithmetic of every operator, with its
 * partial derivatives and domain checks, lives in one place: expr_ops.c. */
#ifndef MS_EXPR_IMPL_H
#define MS_EXPR_IMPL_H

#include "expr/expr.h"

#include "util/arena.h"

/* Operator / function codes, shared by the tree, the IR and the program. */
typedef enum {
    /* unary */
    FN_NEG, FN_NOT, FN_BOOL, FN_ABS, FN_SQRT, FN_EXP, FN_LN, FN_LOG10,
    FN_SIN, FN_COS, FN_TAN, FN_ASIN, FN_ACOS, FN_ATAN,
    FN_SINH, FN_COSH, FN_TANH, FN_ASINH, FN_ACOSH, FN_ATANH,
    FN_FLOOR, FN_CEIL, FN_INT, FN_NINT, FN_SGN, FN_RAND, FN_RANDOM, FN_WHITE, FN_U, FN_URAMP,
    /* binary */
    FN_ADD, FN_SUB, FN_MUL, FN_DIV, FN_MOD, FN_POW, FN_PWR, FN_ATAN2,
    FN_MIN, FN_MAX, FN_EQ, FN_NE, FN_LT, FN_LE, FN_GT, FN_GE,
    FN_AND, FN_OR,          /* tree only: compiled to conditionals (short-circuit) */
    /* ternary */
    FN_LIMIT, FN_IF,
    FN_COUNT
} ExprFn;

static inline int fn_is_unary(int fn) { return fn <= FN_URAMP; }
static inline int fn_is_binary(int fn) { return fn >= FN_ADD && fn <= FN_OR; }

/* ---- syntax tree (expr_parse.c, expr_tree.c) ---- */
/* N_CHAIN: a run of two or more left-associative operators of one level of
 * + - or * / % (a - b + c - d): evaluated left to right exactly like nested
 * N_BINs, but flat, so a generated sum of 10^5 terms needs no deep recursion
 * anywhere (parse, compile, emit, print, free). */
typedef enum { N_NUM, N_IDENT, N_CALL, N_UN, N_BIN, N_COND, N_RAW, N_CHAIN } ExprNodeKind;

/* operator between operand k and k+1 of a chain */
typedef struct ExprLink {
    int fn;
    int off;
} ExprLink;

struct ExprNode {
    ExprNodeKind kind;
    int fn;              /* N_UN, N_BIN: an ExprFn */
    int off;             /* byte offset of the token in the source text */
    int depth;           /* 1 + deepest operand: the parser bounds it */
    double num;          /* N_NUM */
    char *name;          /* N_IDENT, N_CALL: lower-cased; N_RAW: text as written */
    int nargs;           /* N_UN 1, N_BIN 2, N_COND 3, N_CHAIN >= 3, N_CALL any, else 0 */
    ExprNode **args;
    ExprLink *links;     /* N_CHAIN: nargs - 1 operators */
    char **raw;          /* N_CALL: each argument's text as written (trimmed) */
    /* N_RAW (a call argument that is not an expression, e.g. a node name
     * like out- in v(out-)): the syntax error it would have been, reported
     * if the call turns out not to be a special call */
    char *perr;
    int perr_off;
};

ExprNode *expr_node_new(ExprNodeKind kind, int off);

/* ---- built-in function table (expr_ops.c) ---- */
typedef struct ExprBuiltin {
    const char *name;
    int nargs;
    int fn;
} ExprBuiltin;

const ExprBuiltin *expr_builtin_find(const char *lname);
const char *expr_fn_name(int fn);    /* "sqrt", "/", ... for messages */

/* ---- sticky domain error ---- */
typedef struct ExprDomErr {
    ExprDomain code;     /* EXPR_DOM_OK when none */
    int off;             /* source offset of the operator, -1 if unknown */
    char msg[160];
} ExprDomErr;

void expr_dom_set(ExprDomErr *e, ExprDomain code, int off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One operator's value; with d != NULL also the partial derivatives
 * (d[0] w.r.t. a, d[1] w.r.t. b). need_db = 0 lets pow-like operators skip
 * the log needed only for the derivative w.r.t. their second operand
 * (and skip checks on it). Domain problems are recorded in e (first one
 * wins) and the IEEE result is returned. */
double expr_unop(int fn, double x, double *d, ExprDomErr *e, int off);
double expr_binop(int fn, double a, double b, double *d, int need_db, ExprDomErr *e, int off);
/* limit(x, lo, hi): returns which argument (0, 1, 2) is the result */
int expr_limit_pick(double x, double lo, double hi);

/* ---- intermediate representation (expr_compile.c -> expr_emit.c) ---- */
typedef enum { IR_CONST, IR_LIN, IR_UN, IR_BIN, IR_LIMIT, IR_IF, IR_CHAIN } IrKind;

typedef struct Ir {
    IrKind kind;
    int fn;
    int off;
    double c;                    /* IR_CONST */
    int nt;                      /* IR_LIN: 1 or 2 terms (a variable is 1 term, coef 1) */
    int slot[2];
    double coef[2];
    int depth;                   /* 1 + deepest operand: bounds emit's recursion */
    long size;                   /* instructions emit will produce for this node */
    struct Ir *a[3];
    struct Ir **items;           /* IR_CHAIN: n operands, n - 1 links */
    const ExprLink *links;
    int n;
} Ir;

/* ---- compiled program (expr_emit.c, expr_eval.c) ---- */
typedef enum {
    I_PUSHC,    /* push c */
    I_VAR,      /* push vals[i]; gradient index j */
    I_LIN,      /* push sum of lin[i] terms */
    I_UN,       /* top = fn(top) */
    I_BIN,      /* mode 0: a, b on stack; 1: b = c (immediate); 2: a = c */
    I_LIMIT,    /* three operands on the stack */
    I_JZ,       /* pop; jump to i if zero */
    I_JMP       /* jump to i */
} InstrKind;

typedef struct Instr {
    unsigned char kind, fn, mode;
    int i, j;
    int off;
    double c;
} Instr;

typedef struct LinTerm {
    int nt;
    int slot[2];
    int gi[2];           /* gradient index of each term */
    double coef[2];
} LinTerm;

struct ExprProg {
    Instr *code;
    int ncode;
    LinTerm *lin;
    int nlin;
    int *vars;           /* distinct slots read, ascending */
    int nvars;
    int maxdepth;
    double *stack;       /* scratch: maxdepth values */
    double *gstack;      /* scratch: maxdepth * nvars derivatives */
    int var_off;         /* source offset of the first variable read, -1 if none */
    double const_value;  /* when nvars == 0: the value, computed at compile */
    ExprDomErr err;
};

/* Flatten an IR tree (its size was bounded by the compiler). */
ExprProg *expr_emit(const Ir *root);

#endif
