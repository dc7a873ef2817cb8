/* Expressions: one language for .param, .func, device values in {...} and
 * (later) behavioural sources.
 *
 *   text --expr_parse--> ExprNode (tree, identifiers unresolved)
 *        --expr_compile(binder)--> ExprProg (identifiers bound to constants or
 *          variable slots, user .func calls inlined, constants folded,
 *          flattened to a compact postfix program)
 *        --expr_eval / expr_eval_grad--> value [and exact derivatives by
 *          forward-mode automatic differentiation]
 *
 * Grammar (lowest to highest precedence):
 *   c ? a : b          (right assoc)
 *   ||   &&            logical, result 0/1
 *   == != < <= > >=    result 0/1
 *   + -
 *   * / %
 *   unary - + !
 *   ^ **               power (right assoc, binds tighter than unary minus: -2^2 = -4)
 *   primary: number (SPICE suffixes: 2k, 1.5meg, 3n), identifier, f(args), (e)
 * Numbers use util/number.h (spice_number_prefix).
 *
 * Built-in functions: abs sqrt exp ln log (natural, as ngspice) log10 pow pwr
 * sin cos tan asin acos atan atan2 sinh cosh tanh floor ceil int min max
 * limit sgn sign u step uramp if, and the constant pi. Also (as ngspice):
 * asinh acosh atanh nint; at elaboration only, the random functions gauss
 * agauss unif aunif and limit(nom, abs) (ExprBinder.random). Their exact semantics,
 * including behaviour at discontinuities and outside their domain, are
 * documented in docs/expressions.md.
 *
 * Not thread-safe per ExprProg: evaluation uses scratch space inside it. */
#ifndef MS_EXPR_H
#define MS_EXPR_H

#include <stddef.h>

typedef struct ExprNode ExprNode;
typedef struct ExprProg ExprProg;

typedef struct ExprError {
    int offset;          /* byte offset in the text where the problem is, -1 if unknown */
    char msg[256];
} ExprError;

ExprNode *expr_parse(const char *text, ExprError *err);   /* NULL on syntax error */
ExprNode *expr_clone(const ExprNode *e);
void expr_free(ExprNode *e);
char *expr_to_string(const ExprNode *e);                  /* malloc'd, for messages */

/* A user function: .func name(p1, p2) body */
typedef struct ExprFunc {
    const char *name;
    const char *const *params;
    int nparams;
    const ExprNode *body;
} ExprFunc;

/* Result of resolving a name or a special call. */
typedef enum { EXPR_SYM_UNDEF = 0, EXPR_SYM_CONST, EXPR_SYM_VAR, EXPR_SYM_LINEAR } ExprSymKind;
typedef struct ExprSym {
    ExprSymKind kind;
    double value;        /* CONST */
    int slot;            /* VAR: variable slot (>= 0) */
    /* LINEAR: value = sum coef[k] * var(slot[k]), k < nterms (e.g. V(a,b) = y[a] - y[b]);
     * nterms may be 0 (e.g. V(0)) */
    int nterms;
    int slots[2];
    double coefs[2];
} ExprSym;

/* The random functions (docs/variability.md); args[] as written. */
typedef enum { EXPR_RAND_GAUSS, EXPR_RAND_AGAUSS, EXPR_RAND_UNIF, EXPR_RAND_AUNIF, EXPR_RAND_LIMIT } ExprRandKind;

/* How identifiers and calls are resolved at compile time. Any callback may be
 * NULL. Order: a call to a built-in function; else func(); else special();
 * a plain identifier: ident(), then built-in constants (pi).
 * Callbacks write a message into err (size errn) when they reject a name for
 * a reason other than "unknown"; returning UNDEF with err empty gives the
 * standard "undefined parameter 'x'" / "unknown function 'f'" message. */
typedef struct ExprBinder {
    void *ctx;
    ExprSymKind (*ident)(void *ctx, const char *name, ExprSym *out, char *err, size_t errn);
    const ExprFunc *(*func)(void *ctx, const char *name);
    /* calls like v(a), v(a,b), i(vx): args are the argument texts as written
     * (identifiers / node names, not evaluated) */
    ExprSymKind (*special)(void *ctx, const char *name, int nargs, const char *const *args,
                           ExprSym *out, char *err, size_t errn);
    /* the random functions gauss(nom, rel, n), agauss(nom, abs, n),
     * unif(nom, rel), aunif(nom, abs), limit(nom, abs) (two arguments; with
     * three, limit is the clamp): drawn once, when the expression is compiled,
     * from constant arguments (docs/variability.md). Writes the value and
     * returns 0, or -1 with a message in err. NULL: such a call is an error
     * (an expression evaluated during the simulation). */
    int (*random)(void *ctx, ExprRandKind kind, const double *args, double *out, char *err, size_t errn);
} ExprBinder;

/* Bind, inline .func calls (recursion is an error naming the function),
 * fold constants, flatten. NULL on error (err->msg says what). */
ExprProg *expr_compile(const ExprNode *e, const ExprBinder *b, ExprError *err);
void expr_prog_free(ExprProg *p);

/* 1 and *value if the program does not depend on any variable (the value
 * was computed by expr_compile; if it is not finite, expr_prog_domain_error
 * says why) */
int expr_prog_const(const ExprProg *p, double *value);
/* distinct variable slots the program reads, ascending */
int expr_prog_nvars(const ExprProg *p);
const int *expr_prog_vars(const ExprProg *p);

/* vals is indexed by slot number. */
double expr_eval(ExprProg *p, const double *vals);
/* Also grad[k] = d value / d var(expr_prog_vars(p)[k]), exact (forward-mode
 * AD); at a branch point the derivative of the branch taken. */
double expr_eval_grad(ExprProg *p, const double *vals, double *grad);

/* Domain problems met while evaluating. expr_eval/expr_eval_grad return the
 * IEEE result (Inf, NaN) and record the FIRST problem in the program (sticky
 * until expr_prog_clear_error), so a device can report e.g.
 * "B1: division by zero at t=1e-9" instead of passing NaN to the solver.
 * EXPR_DOM_DERIV is raised only by expr_eval_grad (the value itself is
 * fine; its derivative is infinite or undefined, e.g. sqrt at 0).
 * A program without variables is evaluated once by expr_compile, so its
 * domain error (if any) is already recorded when expr_compile returns.
 * See docs/expressions.md for which operation raises which code. */
typedef enum {
    EXPR_DOM_OK = 0,
    EXPR_DOM_DIV_ZERO,   /* a/0, a%0, 0^negative */
    EXPR_DOM_LOG,        /* ln, log, log10 of a number <= 0 */
    EXPR_DOM_SQRT,       /* sqrt of a negative number */
    EXPR_DOM_RANGE,      /* asin/acos outside [-1,1], acosh < 1, atanh outside (-1,1) */
    EXPR_DOM_OVERFLOW,   /* finite operands, infinite result (exp(1000), 1e200*1e200) */
    EXPR_DOM_NONFINITE,  /* the result is Inf/NaN for another reason (a variable was) */
    EXPR_DOM_DERIV       /* derivative infinite or undefined (expr_eval_grad only) */
} ExprDomain;

ExprDomain expr_prog_domain_error(const ExprProg *p);
/* "division by zero", "sqrt of a negative number (-4)", ...; "" when none */
const char *expr_prog_domain_msg(const ExprProg *p);
/* byte offset of the offending operator in the compiled text (for an
 * operator inside an inlined .func body: the offset of the call), -1 if none */
int expr_prog_domain_offset(const ExprProg *p);
void expr_prog_clear_error(ExprProg *p);

/* Parse + compile + evaluate a constant expression in one call.
 * Returns 0 on success; on failure fills err (including when the expression
 * depends on a variable or its value is not finite: "division by zero",
 * "log of a non-positive number", ...). */
int expr_eval_const(const char *text, const ExprBinder *b, double *value, ExprError *err);

#endif
