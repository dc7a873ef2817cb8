/* The arithmetic of every operator and built-in function: value, partial
 * derivatives, and domain checks. The compiler's constant folder and both
 * interpreters call these, so a folded constant and an evaluated one can
 * never disagree. Semantics (and why) are in docs/expressions.md. */
#include "expr/expr_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LN10 2.302585092994045684    /* M_LN10 is not in strict C11 */

static const ExprBuiltin builtins[] = {
    {"abs", 1, FN_ABS},     {"sqrt", 1, FN_SQRT},   {"exp", 1, FN_EXP},
    {"ln", 1, FN_LN},       {"log", 1, FN_LN},      {"log10", 1, FN_LOG10},
    {"sin", 1, FN_SIN},     {"cos", 1, FN_COS},     {"tan", 1, FN_TAN},
    {"asin", 1, FN_ASIN},   {"acos", 1, FN_ACOS},   {"atan", 1, FN_ATAN},
    {"sinh", 1, FN_SINH},   {"cosh", 1, FN_COSH},   {"tanh", 1, FN_TANH},
    {"asinh", 1, FN_ASINH}, {"acosh", 1, FN_ACOSH}, {"atanh", 1, FN_ATANH},
    {"floor", 1, FN_FLOOR}, {"ceil", 1, FN_CEIL},   {"int", 1, FN_INT},
    {"nint", 1, FN_NINT},   {"sgn", 1, FN_SGN},     {"sign", 1, FN_SGN},
    {"u", 1, FN_U},         {"step", 1, FN_U},      {"uramp", 1, FN_URAMP},
    {"pow", 2, FN_POW},     {"pwr", 2, FN_PWR},     {"atan2", 2, FN_ATAN2},
    {"min", 2, FN_MIN},     {"max", 2, FN_MAX},     {"limit", 3, FN_LIMIT},
    {"if", 3, FN_IF},       {"rand", 1, FN_RAND},   {"random", 1, FN_RANDOM},
    {"white", 1, FN_WHITE},
};

const ExprBuiltin *expr_builtin_find(const char *lname)
{
    for (size_t k = 0; k < sizeof builtins / sizeof builtins[0]; k++)
        if (strcmp(builtins[k].name, lname) == 0) return &builtins[k];
    return NULL;
}

static const char *const fn_names[FN_COUNT] = {
    [FN_NEG] = "-", [FN_NOT] = "!", [FN_BOOL] = "bool", [FN_ABS] = "abs",
    [FN_SQRT] = "sqrt", [FN_EXP] = "exp", [FN_LN] = "ln", [FN_LOG10] = "log10",
    [FN_SIN] = "sin", [FN_COS] = "cos", [FN_TAN] = "tan", [FN_ASIN] = "asin",
    [FN_ACOS] = "acos", [FN_ATAN] = "atan", [FN_SINH] = "sinh", [FN_COSH] = "cosh",
    [FN_TANH] = "tanh", [FN_ASINH] = "asinh", [FN_ACOSH] = "acosh",
    [FN_ATANH] = "atanh", [FN_FLOOR] = "floor", [FN_CEIL] = "ceil", [FN_INT] = "int",
    [FN_NINT] = "nint", [FN_SGN] = "sgn", [FN_RAND] = "rand", [FN_RANDOM] = "random", [FN_WHITE] = "white",
    [FN_U] = "u", [FN_URAMP] = "uramp",
    [FN_ADD] = "+", [FN_SUB] = "-", [FN_MUL] = "*", [FN_DIV] = "/", [FN_MOD] = "%",
    [FN_POW] = "^", [FN_PWR] = "pwr", [FN_ATAN2] = "atan2", [FN_MIN] = "min",
    [FN_MAX] = "max", [FN_EQ] = "==", [FN_NE] = "!=", [FN_LT] = "<", [FN_LE] = "<=",
    [FN_GT] = ">", [FN_GE] = ">=", [FN_AND] = "&&", [FN_OR] = "||",
    [FN_LIMIT] = "limit", [FN_IF] = "if",
};

const char *expr_fn_name(int fn)
{
    return fn >= 0 && fn < FN_COUNT && fn_names[fn] ? fn_names[fn] : "?";
}

/* Cold path: formats only the first problem, so evaluation stays cheap
 * when the same error repeats every Newton iteration. */
__attribute__((cold, noinline)) void expr_dom_set(ExprDomErr *e, ExprDomain code, int off,
                                                  const char *fmt, ...)
{
    if (!e || e->code != EXPR_DOM_OK) return;
    e->code = code;
    e->off = off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

#define EXPR_EXP_CAP_ARG 227.95592420641052   /* ln(1e99) */

static double overflow_check(double y, double x, int fn, ExprDomErr *e, int off)
{
    if (isinf(y) && isfinite(x))
        expr_dom_set(e, EXPR_DOM_OVERFLOW, off, "overflow in %s(%g)", expr_fn_name(fn), x);
    return y;
}

/* Functions whose derivative is zero wherever it exists (steps, rounding).
 * At their jumps the true derivative is a Dirac pulse; 0 is documented. */
static double unop_flat(int fn, double x)
{
    switch (fn) {
    case FN_NOT: return x == 0.0 ? 1.0 : 0.0;
    case FN_BOOL: return x != 0.0 ? 1.0 : 0.0;
    case FN_FLOOR: return floor(x);
    case FN_CEIL: return ceil(x);
    case FN_INT: return trunc(x);
    case FN_NINT: return nearbyint(x);          /* ties to even, as ngspice */
    case FN_SGN: return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : 0.0;
    default: return x > 0.0 ? 1.0 : x < 0.0 ? 0.0 : 0.5;   /* FN_U: u(0) = 0.5 as ngspice */
    }
}

static double unop_log_sqrt(int fn, double x, double *d, ExprDomErr *e, int off)
{
    double y;
    if (fn == FN_SQRT) {
        if (x < 0.0)
            expr_dom_set(e, EXPR_DOM_SQRT, off, "sqrt of a negative number (%g)", x);
        y = sqrt(x);
        if (d) {
            if (x == 0.0) expr_dom_set(e, EXPR_DOM_DERIV, off, "infinite derivative of sqrt at 0");
            *d = 0.5 / y;
        }
        return y;
    }
    if (x <= 0.0)
        expr_dom_set(e, EXPR_DOM_LOG, off, "logarithm of a non-positive number (%g)", x);
    if (fn == FN_LN) {
        if (d) *d = 1.0 / x;
        return log(x);
    }
    if (d) *d = 1.0 / (x * LN10);
    return log10(x);
}

/* asin, acos, acosh, atanh: value outside the domain is a RANGE error;
 * at its edge the value is fine but the derivative is infinite. */
static double unop_arc(int fn, double x, double *d, ExprDomErr *e, int off)
{
    const char *name = expr_fn_name(fn);
    double q;
    switch (fn) {
    case FN_ASIN:
    case FN_ACOS:
        if (fabs(x) > 1.0)
            expr_dom_set(e, EXPR_DOM_RANGE, off, "%s argument outside [-1, 1] (%g)", name, x);
        q = sqrt(1.0 - x * x);
        if (d) *d = (fn == FN_ASIN ? 1.0 : -1.0) / q;
        if (d && q == 0.0)
            expr_dom_set(e, EXPR_DOM_DERIV, off, "infinite derivative of %s at %g", name, x);
        return fn == FN_ASIN ? asin(x) : acos(x);
    case FN_ACOSH:
        if (x < 1.0) expr_dom_set(e, EXPR_DOM_RANGE, off, "acosh argument below 1 (%g)", x);
        if (d) *d = 1.0 / sqrt(x * x - 1.0);
        if (d && x == 1.0) expr_dom_set(e, EXPR_DOM_DERIV, off, "infinite derivative of acosh at 1");
        return acosh(x);
    default: /* FN_ATANH */
        if (!(fabs(x) < 1.0))
            expr_dom_set(e, EXPR_DOM_RANGE, off, "atanh argument outside (-1, 1) (%g)", x);
        if (d) *d = 1.0 / (1.0 - x * x);
        return atanh(x);
    }
}

/* LTspice's noise functions, fixed functions of x (the same in every run):
 * u(k) uniform in [0, 1) from a hash of the integer k (splitmix64);
 *   rand(x)   = u(floor(x))                        (steps; derivative 0)
 *   random(x) = u(k) + (u(k+1) - u(k)) s(x - k)    k = floor(x), s = 3f^2 - 2f^3
 *   white(x)  = random(x) - 0.5
 * random and white are smooth (C1) however fast x moves, so a source of
 * white(time/tau) has a noise bandwidth of about 1/tau. |x| >= 2^62 uses
 * the value at the bound. */
static double hash_uniform(long long k)
{
    uint64_t z = (uint64_t)k + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) * (1.0 / 9007199254740992.0);
}

static double unop_noise(int fn, double x, double *d)
{
    const double lim = 4611686018427387904.0;   /* 2^62 */
    if (d) *d = 0.0;
    if (!(x > -lim)) x = -lim;                   /* also NaN */
    if (x > lim) x = lim;
    double fl = floor(x), f = x - fl;
    long long k = (long long)fl;
    double u0 = hash_uniform(k);
    if (fn == FN_RAND) return u0;
    double u1 = hash_uniform(k + 1), s = f * f * (3.0 - 2.0 * f);
    if (d) *d = (u1 - u0) * 6.0 * f * (1.0 - f);
    return u0 + (u1 - u0) * s - (fn == FN_WHITE ? 0.5 : 0.0);
}

double expr_unop(int fn, double x, double *d, ExprDomErr *e, int off)
{
    double y;
    switch (fn) {
    case FN_NEG: if (d) *d = -1.0; return -x;
    /* abs'(0) = 0 = sgn(0): ngspice's derivative (checked with an AC
     * analysis), and the mean of the one-sided slopes */
    case FN_ABS: if (d) *d = x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : 0.0; return fabs(x);
    case FN_SQRT: case FN_LN: case FN_LOG10: return unop_log_sqrt(fn, x, d, e, off);
    case FN_EXP:
        /* ngspice's guard (its B sources): exp(x) is 1e99 for x above
         * ln(1e99) = 227.955924, flat (derivative 0) there; so a large
         * argument gives a large finite value and the Newton iteration
         * goes on (docs/expressions.md) */
        if (x > EXPR_EXP_CAP_ARG) {
            if (d) *d = 0;
            return 1e99;
        }
        y = exp(x);
        if (d) *d = y;
        return y;
    case FN_SIN: if (d) *d = cos(x); return sin(x);
    case FN_COS: if (d) *d = -sin(x); return cos(x);
    case FN_TAN: y = tan(x); if (d) *d = 1.0 + y * y; return y;
    case FN_ATAN: if (d) *d = 1.0 / (1.0 + x * x); return atan(x);
    case FN_ASIN: case FN_ACOS: case FN_ACOSH: case FN_ATANH:
        return unop_arc(fn, x, d, e, off);
    case FN_SINH:
        y = overflow_check(sinh(x), x, fn, e, off);
        if (d) *d = cosh(x);
        return y;
    case FN_COSH:
        y = overflow_check(cosh(x), x, fn, e, off);
        if (d) *d = sinh(x);
        return y;
    case FN_TANH: y = tanh(x); if (d) *d = 1.0 - y * y; return y;
    case FN_ASINH: if (d) *d = 1.0 / sqrt(x * x + 1.0); return asinh(x);
    case FN_RAND: case FN_RANDOM: case FN_WHITE: return unop_noise(fn, x, d);
    /* uramp(x) = x*u(x): slope u(x), so 0.5 at 0 (as ngspice) */
    case FN_URAMP: if (d) *d = unop_flat(FN_U, x); return x > 0.0 ? x : 0.0;
    default:
        if (d) *d = 0.0;
        return unop_flat(fn, x);
    }
}

/* d/da of |a|^b (sgn_a = 1: pwr) at a = 0, where b*y/a is 0/0:
 * b > 1: 0; b == 1: 1 (as ngspice's b*pwr(a, b-1)); b == 0: 0 (constant 1);
 * 0 < b < 1: infinite. */
static double pow_da_at_zero(double b, ExprDomErr *e, int off)
{
    if (b > 1.0 || b == 0.0) return 0.0;
    if (b == 1.0) return 1.0;
    if (b > 0.0)
        expr_dom_set(e, EXPR_DOM_DERIV, off, "infinite derivative of x^%g at x = 0", b);
    return INFINITY;
}

/* pow(a,b) = a^b = a**b = |a|^b (ngspice's B-source rule: (-2)^3 = 8);
 * pwr(a,b) = sgn(a)*|a|^b (pwr(0,b) = 0^b, so pwr(0,0) = 1 as ngspice). */
static double binop_pow(int fn, double a, double b, double *d, int need_db, ExprDomErr *e,
                        int off)
{
    double ax = fabs(a);
    double y = pow(ax, b);
    if (fn == FN_PWR && a < 0.0) y = -y;
    if (ax == 0.0 && b < 0.0)
        expr_dom_set(e, EXPR_DOM_DIV_ZERO, off, "division by zero (0 raised to the power %g)", b);
    else if (isinf(y) && isfinite(a) && isfinite(b))
        expr_dom_set(e, EXPR_DOM_OVERFLOW, off, "overflow in pow(%g, %g)", a, b);
    if (!d) return y;
    if (a != 0.0) {
        d[0] = b * (y / a);              /* b*sgn(a)*|a|^(b-1), resp. b*|a|^(b-1) */
        d[1] = need_db ? y * log(ax) : 0.0;
    } else {
        d[0] = pow_da_at_zero(b, e, off);
        d[1] = 0.0;                      /* 0^b is identically 0 for b > 0 */
        if (need_db && b == 0.0)
            expr_dom_set(e, EXPR_DOM_DERIV, off, "derivative of 0^y with respect to y undefined at y = 0");
    }
    return y;
}

static double binop_other(int fn, double a, double b, double *d, ExprDomErr *e, int off)
{
    double y, r2;
    switch (fn) {
    case FN_MOD:
        /* fmod: the sign of a, as ngspice's .param (-7 % 3 = -1) */
        if (b == 0.0) expr_dom_set(e, EXPR_DOM_DIV_ZERO, off, "modulo by zero");
        if (d) d[0] = 1.0, d[1] = -trunc(a / b);
        return fmod(a, b);
    case FN_ATAN2:
        r2 = a * a + b * b;
        if (d) {
            d[0] = b / r2;
            d[1] = -a / r2;
            if (r2 == 0.0)
                expr_dom_set(e, EXPR_DOM_DERIV, off, "derivative of atan2 undefined at (0, 0)");
        }
        return atan2(a, b);
    default:
        break;
    }
    /* comparisons: 0/1, flat */
    switch (fn) {
    case FN_EQ: y = a == b; break;
    case FN_NE: y = a != b; break;
    case FN_LT: y = a < b; break;
    case FN_LE: y = a <= b; break;
    case FN_GT: y = a > b; break;
    default: y = a >= b; break;     /* FN_GE */
    }
    if (d) d[0] = d[1] = 0.0;
    return y;
}

double expr_binop(int fn, double a, double b, double *d, int need_db, ExprDomErr *e, int off)
{
    double y;
    switch (fn) {
    case FN_ADD: if (d) d[0] = 1.0, d[1] = 1.0; return a + b;
    case FN_SUB: if (d) d[0] = 1.0, d[1] = -1.0; return a - b;
    case FN_MUL: if (d) d[0] = b, d[1] = a; return a * b;
    case FN_DIV:
        if (b == 0.0) expr_dom_set(e, EXPR_DOM_DIV_ZERO, off, "division by zero");
        y = a / b;
        if (d) d[0] = 1.0 / b, d[1] = -y / b;
        return y;
    /* min/max: at a tie the second argument is the branch taken, as
     * ngspice (its AC small-signal derivative of min(v,0) at v=0 is 0) */
    case FN_MIN:
        if (a < b) {
            if (d) d[0] = 1.0, d[1] = 0.0;
            return a;
        }
        if (d) d[0] = 0.0, d[1] = 1.0;
        return b;
    case FN_MAX:
        if (a > b) {
            if (d) d[0] = 1.0, d[1] = 0.0;
            return a;
        }
        if (d) d[0] = 0.0, d[1] = 1.0;
        return b;
    case FN_POW: case FN_PWR: return binop_pow(fn, a, b, d, need_db, e, off);
    default: return binop_other(fn, a, b, d, e, off);
    }
}

/* limit(x, lo, hi): the middle value of the three (bounds in either order),
 * which is the clamp min(max(x, lo), hi) when lo <= hi. At x == bound the
 * bound is taken, matching the tie rule of min/max. */
int expr_limit_pick(double x, double lo, double hi)
{
    int ilo = 1, ihi = 2;
    if (lo > hi) {
        double t = lo;
        lo = hi, hi = t;
        ilo = 2, ihi = 1;
    }
    if (x > lo && x < hi) return 0;
    return x <= lo ? ilo : ihi;
}
