/* Forward-mode derivatives of compiled expressions (expr_eval_grad).
 *
 * 1. Every operator and built-in function, at several points each, against
 *    central finite differences
 *        fd = (f(x + h) - f(x - h)) / 2h,  h = 1e-6 * max(1, |x|),
 *    accepted when |ad - fd| <= 1e-6 * max(1, |ad|, |f|). Why 1e-6: the
 *    truncation error of the central difference is h^2 |f'''| / 6 (~1e-12
 *    relative at the points used, which stay away from singularities) and
 *    its rounding error is about eps |f| / h ~ 2e-10 |f|; 1e-6 is well above
 *    both and far below any real mistake (a wrong factor or sign is O(1)).
 * 2. At branch points (if, ?:, min, max, abs, limit, u, uramp, sgn) the
 *    derivative just either side (where FD is valid) and exactly at the
 *    point, where it must be the documented branch (docs/expressions.md).
 *    Some of those are ngspice's: ngspice-39 small-signal (AC) derivative
 *    of "b1 a 0 i=<expr of v(a)>" driven by "v1 a 0 dc <x> ac 1",
 *    printed as -real(v1#branch) with 7 significant digits.
 * 3. Derivative domain errors, many variables, value == expr_eval value.
 * 4. Value domain errors at run time (the constant cases are in test_expr.c).
 * 5. Very long and very deep input: flat chains, limits instead of crashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "expr/expr.h"
#include "expr/expr_impl.h"      /* program size and stack depth */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FD_TOL 1e-6
#define NG_TOL 5e-7
#define NSLOTS 200

/* x, y, z are slots 0, 1, 2; w0..w19 are slots 100 + 3k (sparse, to check
 * the slot -> gradient index map); v(x), v(x, y): linear terms on them. */
static int name_slot(const char *name)
{
    if (strlen(name) == 1 && name[0] >= 'x' && name[0] <= 'z') return name[0] - 'x';
    if (name[0] == 'w') return 100 + 3 * atoi(name + 1);
    return -1;
}

static ExprSymKind ad_ident(void *ctx, const char *name, ExprSym *out, char *err, size_t errn)
{
    (void)ctx, (void)err, (void)errn;
    if (strcmp(name, "k") == 0) {
        out->value = 0.0258;
        return EXPR_SYM_CONST;
    }
    out->slot = name_slot(name);
    return out->slot >= 0 ? EXPR_SYM_VAR : EXPR_SYM_UNDEF;
}

static ExprSymKind ad_special(void *ctx, const char *name, int nargs, const char *const *args,
                              ExprSym *out, char *err, size_t errn)
{
    (void)ctx, (void)err, (void)errn;
    if (strcmp(name, "v") != 0) return EXPR_SYM_UNDEF;
    out->nterms = nargs;
    for (int k = 0; k < nargs; k++) {
        out->slots[k] = name_slot(args[k]);
        out->coefs[k] = k ? -1.0 : 1.0;
    }
    return EXPR_SYM_LINEAR;
}

static const ExprBinder binder = {NULL, ad_ident, NULL, ad_special, NULL};

static ExprProg *compile(const char *text)
{
    ExprError err;
    ExprNode *e = expr_parse(text, &err);
    ExprProg *p = e ? expr_compile(e, &binder, &err) : NULL;
    expr_free(e);
    if (!p) {
        print_error("'%s': error @%d: %s\n", text, err.offset, err.msg);
        fail();
    }
    return p;
}

static void fail_at(const char *text, const double *pt, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    print_error("'%s' at (%g, %g, %g): %s\n", text, pt[0], pt[1], pt[2], buf);
    fail();
}

/* AD gradient of text at (x, y, z) against central differences. */
static void check_fd(const char *text, const double pt[3])
{
    ExprProg *p = compile(text);
    double vals[NSLOTS] = {0}, grad[NSLOTS];
    memcpy(vals, pt, 3 * sizeof *pt);
    for (int k = 0; k < 20; k++) vals[100 + 3 * k] = 0.3 + 0.1 * k;
    double f = expr_eval_grad(p, vals, grad);
    if (expr_prog_domain_error(p))
        fail_at(text, pt, "unexpected domain error: %s", expr_prog_domain_msg(p));
    if (f != expr_eval(p, vals)) fail_at(text, pt, "expr_eval and expr_eval_grad disagree");
    for (int k = 0; k < expr_prog_nvars(p); k++) {
        int s = expr_prog_vars(p)[k];
        double x0 = vals[s], h = 1e-6 * fmax(1.0, fabs(x0));
        vals[s] = x0 + h;
        double fp = expr_eval(p, vals);
        vals[s] = x0 - h;
        double fm = expr_eval(p, vals);
        vals[s] = x0;
        double fd = (fp - fm) / (2 * h);
        double tol = FD_TOL * fmax(1.0, fmax(fabs(grad[k]), fabs(f)));
        if (!(fabs(grad[k] - fd) <= tol))
            fail_at(text, pt, "d/d(slot %d): ad %.12g, fd %.12g", s, grad[k], fd);
    }
    expr_prog_free(p);
}

typedef struct {
    const char *text;
    double pt[4][3];
    int n;
} FdCase;

static void run_fd(const FdCase *cs, size_t n)
{
    for (size_t k = 0; k < n; k++)
        for (int j = 0; j < cs[k].n; j++) check_fd(cs[k].text, cs[k].pt[j]);
}
#define RUN_FD(cs) run_fd(cs, sizeof cs / sizeof cs[0])

/* Generic points: negative, small, moderate, large-ish. */
#define P4 {{-1.3, 0.7, 2.1}, {0.35, -0.45, 0.8}, {2.2, 1.7, -0.6}, {7.3, -3.1, 0.15}}, 4
#define PPOS {{0.3, 0.7, 2.1}, {1.25, 2.5, 0.8}, {4.2, 1.7, 3.6}, {17, 0.31, 0.15}}, 4
#define PUNIT {{-0.8, 0.7, 0.1}, {-0.2, -0.45, 0.8}, {0.35, 1.7, -0.6}, {0.9, -3.1, 0.15}}, 4

static void test_fd_unary(void **state)
{
    (void)state;
    static const FdCase cs[] = {
        {"-x", P4}, {"+x", P4}, {"!x", P4}, {"abs(x)", P4}, {"sqrt(x)", PPOS},
        {"exp(x)", P4}, {"ln(x)", PPOS}, {"log(x)", PPOS}, {"log10(x)", PPOS},
        {"sin(x)", P4}, {"cos(x)", P4}, {"tan(x)", PUNIT}, {"asin(x)", PUNIT},
        {"acos(x)", PUNIT}, {"atan(x)", P4}, {"sinh(x)", P4}, {"cosh(x)", P4},
        {"tanh(x)", P4}, {"asinh(x)", P4}, {"acosh(1+x)", PPOS}, {"atanh(x)", PUNIT},
        {"floor(x)", P4}, {"ceil(x)", P4}, {"int(x)", P4}, {"nint(x)", P4},
        {"sgn(x)", P4}, {"sign(x)", P4}, {"u(x)", P4}, {"step(x)", P4}, {"uramp(x)", P4},
    };
    RUN_FD(cs);
}

static void test_fd_binary(void **state)
{
    (void)state;
    static const FdCase cs[] = {
        {"x+y", P4}, {"x-y", P4}, {"x*y", P4}, {"x/y", P4}, {"x%y", P4},
        {"x^y", PPOS}, {"x**y", PPOS}, {"pow(x,y)", PPOS}, {"pwr(x,y)", PPOS},
        {"x^y", P4},            /* negative bases: |x|^y, as ngspice */
        {"pwr(x,y)", P4}, {"x^3", P4}, {"pwr(x,3)", P4}, {"x^2.5", P4}, {"2^x", P4},
        {"(-2)^x", P4}, {"x^-2", P4}, {"atan2(x,y)", P4}, {"atan2(y,x)", P4},
        {"min(x,y)", P4}, {"max(x,y)", P4}, {"x==y", P4}, {"x!=y", P4}, {"x<y", P4},
        {"x<=y", P4}, {"x>y", P4}, {"x>=y", P4}, {"x&&y", P4}, {"x||y", P4},
        {"x - 2*y", P4}, {"3/x", P4}, {"x/3", P4}, {"2-x", P4}, {"x%0.4", P4},
        {"7.5%x", P4},
    };
    RUN_FD(cs);
}

static void test_fd_ternary_and_compound(void **state)
{
    (void)state;
    static const FdCase cs[] = {
        {"limit(x,y,z)", P4}, {"limit(x,-1,1)", P4}, {"limit(2*x,y,z)", P4},
        {"if(x>y, x*z, y^2)", P4}, {"x>y ? x*z : y^2", P4}, {"x ? y : z", P4},
        {"1e-14*(exp(v(x,y)/k)-1)", {{0.5, 0.1, 0}, {0.1, 0.6, 0}, {-1, 0, 0}, {0.7, 0, 0}}, 4},
        {"v(x)*v(y,z) + v(z,x)^2", P4},
        {"sin(x*y)+exp(-x^2)*cos(z)", P4},
        {"sqrt(x^2+y^2+z^2)", P4},
        {"x*y*z / (1 + x^2*y^2)", P4},
        {"tanh(x/y)*z - ln(1+x^2)", P4},
        {"w0*w1 + w5^2*x + sin(w19)", P4},
        {"max(min(x,y),z)*limit(x*y,-0.5,0.5)", P4},
        {"x >= 0 && y < 1 ? pwr(x,y) : -x^2", P4},
    };
    RUN_FD(cs);
}

/* Exact gradient at a point. NAN in want[] = do not check. */
typedef struct {
    const char *text;
    double pt[3];
    double value;
    double want[3];
} GradCase;

static void check_grad(const GradCase *c, double rtol)
{
    ExprProg *p = compile(c->text);
    double vals[NSLOTS] = {0}, grad[NSLOTS];
    memcpy(vals, c->pt, sizeof c->pt);
    double f = expr_eval_grad(p, vals, grad);
    if (!(fabs(f - c->value) <= rtol * fmax(1.0, fabs(c->value))))
        fail_at(c->text, c->pt, "value %.12g, want %.12g", f, c->value);
    if (expr_prog_domain_error(p))
        fail_at(c->text, c->pt, "domain error: %s", expr_prog_domain_msg(p));
    for (int k = 0; k < expr_prog_nvars(p); k++) {
        int s = expr_prog_vars(p)[k];
        double w = c->want[s];
        if (!isnan(w) && !(fabs(grad[k] - w) <= rtol * fmax(1.0, fabs(w))))
            fail_at(c->text, c->pt, "d/d(slot %d) = %.12g, want %.12g", s, grad[k], w);
    }
    expr_prog_free(p);
}

static void run_grad(const GradCase *cs, size_t n, double rtol)
{
    for (size_t k = 0; k < n; k++) check_grad(&cs[k], rtol);
}
#define RUN_GRAD(cs, tol) run_grad(cs, sizeof cs / sizeof cs[0], tol)

#define E 1e-3   /* "just either side" of a branch point */

static void test_branch_points(void **state)
{
    (void)state;
    static const GradCase cs[] = {
        /* abs: slopes -1 | 0 at the kink (= sgn(0), ngspice) | +1 */
        {"abs(x)", {-E, 0, 0}, E, {-1}}, {"abs(x)", {0, 0, 0}, 0, {0}}, {"abs(x)", {E, 0, 0}, E, {1}},
        /* min/max: at a tie the second argument */
        {"min(x,y)", {1 - E, 1, 0}, 1 - E, {1, 0}}, {"min(x,y)", {1, 1, 0}, 1, {0, 1}},
        {"min(x,y)", {1 + E, 1, 0}, 1, {0, 1}},
        {"max(x,y)", {1 - E, 1, 0}, 1, {0, 1}}, {"max(x,y)", {1, 1, 0}, 1, {0, 1}},
        {"max(x,y)", {1 + E, 1, 0}, 1 + E, {1, 0}},
        /* limit(x, lo, hi): at a bound, the bound */
        {"limit(x,y,z)", {-1 - E, -1, 1}, -1, {0, 1, 0}}, {"limit(x,y,z)", {-1, -1, 1}, -1, {0, 1, 0}},
        {"limit(x,y,z)", {-1 + E, -1, 1}, -1 + E, {1, 0, 0}},
        {"limit(x,y,z)", {1 - E, -1, 1}, 1 - E, {1, 0, 0}}, {"limit(x,y,z)", {1, -1, 1}, 1, {0, 0, 1}},
        {"limit(x,y,z)", {1 + E, -1, 1}, 1, {0, 0, 1}},
        {"limit(x,y,z)", {0.5, 1, -1}, 0.5, {1, 0, 0}},   /* bounds in either order */
        {"limit(x,y,z)", {2, 1, -1}, 1, {0, 1, 0}},
        /* if / ?: : the branch taken; the condition has no derivative */
        {"if(x, y*2, z*3)", {0, 1, 1}, 3, {0, 0, 3}}, {"if(x, y*2, z*3)", {E, 1, 1}, 2, {0, 2, 0}},
        {"x >= 0 ? x^2 : -x", {0, 0, 0}, 0, {0}}, {"x >= 0 ? x^2 : -x", {-E, 0, 0}, E, {-1}},
        {"x > 0 ? x^2 : -x", {0, 0, 0}, 0, {-1}},
        /* steps: flat everywhere; u(0) = 0.5 */
        {"u(x)", {-E, 0, 0}, 0, {0}}, {"u(x)", {0, 0, 0}, 0.5, {0}}, {"u(x)", {E, 0, 0}, 1, {0}},
        {"sgn(x)", {0, 0, 0}, 0, {0}}, {"floor(x)", {2, 0, 0}, 2, {0}}, {"x < y", {1, 1, 0}, 0, {0, 0}},
        /* uramp: 0 | 0.5 at 0 (u(0), ngspice) | 1 */
        {"uramp(x)", {-E, 0, 0}, 0, {0}}, {"uramp(x)", {0, 0, 0}, 0, {0.5}},
        {"uramp(x)", {E, 0, 0}, E, {1}},
        /* powers at a zero base */
        {"x^2", {0, 0, 0}, 0, {0}}, {"x^1", {0, 0, 0}, 0, {1}}, {"x^0", {0, 0, 0}, 1, {0}},
        {"pwr(x,1)", {0, 0, 0}, 0, {1}}, {"x^y", {0, 2, 0}, 0, {0, 0}},
        /* negative base, both arguments variable: |x|^y */
        {"x^y", {-2, 3, 0}, 8, {-12, 8 * 0.69314718055994531}},
        {"pwr(x,y)", {-2, 3, 0}, -8, {12, -8 * 0.69314718055994531}},
    };
    RUN_GRAD(cs, 1e-12);
}

/* ngspice-39 AC small-signal derivatives (see the file comment). */
static void test_ngspice_derivatives(void **state)
{
    (void)state;
    const double N = NAN;
    const GradCase cs[] = {
        {"abs(x)", {0, 0, 0}, 0, {0}},
        {"uramp(x)", {0, 0, 0}, 0, {0.5}},
        {"min(x,0)", {0, 0, 0}, 0, {0}},
        {"min(0,x)", {0, 0, 0}, 0, {1}},
        {"max(0,x)", {0, 0, 0}, 0, {1}},
        {"min(x,x*2)", {0, 0, 0}, 0, {2}},
        {"max(x,x*2)", {0, 0, 0}, 0, {2}},
        {"min(x*2,x)", {0, 0, 0}, 0, {1}},
        {"x>=0?x:2*x", {0, 0, 0}, 0, {1}},
        {"sgn(x)*x", {0, 0, 0}, 0, {0}},
        {"pwr(x,1)", {0, 0, 0}, 0, {1}},
        {"x^1", {0, 0, 0}, 0, {1}},
        {"x^3", {-2, 0, 0}, 8, {-12}},
        {"pwr(x,3)", {-2, 0, 0}, -8, {12}},
        {"pow(2,x)", {1, 0, 0}, 2, {1.386294}},
        {"pow(x,x)", {0.5, 0, 0}, N, {0.2169777}},
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        GradCase c = cs[k];
        if (isnan(c.value)) c.value = pow(c.pt[0], c.pt[0]);
        check_grad(&c, NG_TOL);
    }
}

typedef struct {
    const char *text;
    double pt[3];
    const char *msg;
} DerivErr;

static void test_derivative_errors(void **state)
{
    (void)state;
    static const DerivErr cs[] = {
        {"sqrt(x)", {0, 0, 0}, "infinite derivative of sqrt at 0"},
        {"asin(x)", {1, 0, 0}, "infinite derivative of asin at 1"},
        {"acos(x)", {-1, 0, 0}, "infinite derivative of acos at -1"},
        {"acosh(x)", {1, 0, 0}, "infinite derivative of acosh at 1"},
        {"x^0.5", {0, 0, 0}, "infinite derivative of x^0.5 at x = 0"},   /* ngspice: error too */
        {"atan2(x,y)", {0, 0, 0}, "derivative of atan2 undefined at (0, 0)"},
        {"x^y", {0, 0, 0}, "derivative of 0^y with respect to y undefined at y = 0"},
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        ExprProg *p = compile(cs[k].text);
        double vals[3], grad[3];
        memcpy(vals, cs[k].pt, sizeof vals);
        double f = expr_eval(p, vals);          /* the value alone is fine */
        assert_true(isfinite(f));
        assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_OK);
        assert_true(expr_eval_grad(p, vals, grad) == f);
        assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_DERIV);
        assert_string_equal(expr_prog_domain_msg(p), cs[k].msg);
        assert_int_equal(expr_prog_domain_offset(p), 0 + (cs[k].text[1] == '^'));
        expr_prog_free(p);
    }
}

/* No fixed limit on the number of variables; slots need not be dense. */
static void test_many_variables(void **state)
{
    (void)state;
    char text[1024] = "0";
    for (int k = 19; k >= 0; k--) {
        size_t n = strlen(text);
        snprintf(text + n, sizeof text - n, " + %d*w%d^2", k + 1, k);
    }
    ExprProg *p = compile(text);
    assert_int_equal(expr_prog_nvars(p), 20);
    double vals[NSLOTS] = {0}, grad[20], want = 0;
    for (int k = 0; k < 20; k++) {
        assert_int_equal(expr_prog_vars(p)[k], 100 + 3 * k);   /* ascending */
        vals[100 + 3 * k] = 0.1 * k - 0.7;
        want += (k + 1) * vals[100 + 3 * k] * vals[100 + 3 * k];
    }
    double f = expr_eval_grad(p, vals, grad);
    assert_true(fabs(f - want) <= 1e-14 * fabs(want));
    for (int k = 0; k < 20; k++) {
        double w = 2.0 * (k + 1) * vals[100 + 3 * k];
        assert_true(fabs(grad[k] - w) <= 1e-15 * fmax(1.0, fabs(w)));
    }
    expr_prog_free(p);
}

/* The gradient covers exactly the variables read, even through branches
 * that are not taken (their rows are 0). */
static void test_untaken_branch_variables(void **state)
{
    (void)state;
    ExprProg *p = compile("x > 0 ? y : z");
    assert_int_equal(expr_prog_nvars(p), 3);
    double vals[3] = {1, 2, 3}, grad[3];
    assert_true(expr_eval_grad(p, vals, grad) == 2);
    assert_true(grad[0] == 0 && grad[1] == 1 && grad[2] == 0);
    vals[0] = -1;
    assert_true(expr_eval_grad(p, vals, grad) == 3);
    assert_true(grad[0] == 0 && grad[1] == 0 && grad[2] == 1);
    expr_prog_free(p);
}

/* Value domain errors: IEEE result returned, first problem recorded. */
static void test_domain_errors_runtime(void **state)
{
    (void)state;
    ExprProg *p = compile("x > 0 ? ln(x) : 0");
    double vals[3] = {-1, 0, 0};
    assert_true(expr_eval(p, vals) == 0);
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_OK);
    assert_string_equal(expr_prog_domain_msg(p), "");
    assert_int_equal(expr_prog_domain_offset(p), -1);
    expr_prog_free(p);

    p = compile("ln(x) + sqrt(y)");
    vals[0] = -1, vals[1] = -4;
    assert_true(isnan(expr_eval(p, vals)));          /* IEEE result comes back ... */
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_LOG);   /* ... and the first error sticks */
    assert_string_equal(expr_prog_domain_msg(p), "logarithm of a non-positive number (-1)");
    assert_int_equal(expr_prog_domain_offset(p), 0);
    vals[0] = 1;
    expr_eval(p, vals);
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_LOG);   /* sticky */
    expr_prog_clear_error(p);
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_OK);
    double grad[2];
    assert_true(isnan(expr_eval_grad(p, vals, grad)));
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_SQRT);
    assert_int_equal(expr_prog_domain_offset(p), 8);
    expr_prog_free(p);

    p = compile("x != 0 && 1/x > 2");             /* short-circuit guard */
    vals[0] = 0;
    assert_true(expr_eval(p, vals) == 0);
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_OK);
    expr_prog_free(p);

    p = compile("x*1e300");                       /* overflow found at the end */
    vals[0] = 1e10;
    assert_true(isinf(expr_eval(p, vals)));
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_OVERFLOW);
    expr_prog_free(p);

    p = compile("x + 1");                         /* a NaN coming in */
    vals[0] = NAN;
    assert_true(isnan(expr_eval(p, vals)));
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_NONFINITE);
    expr_prog_free(p);
}

/* ---------------- very long and very deep input ---------------- */

/* n terms: a op1 b op2 b op1 a ... (term i is b unless i % 3 == 0,
 * operator i is op1 for odd i) */
static char *long_chain(int n, const char *a, const char *b, const char *op1, const char *op2)
{
    size_t cap = (size_t)n * 8 + 16, k = 0;
    char *s = malloc(cap);
    k += (size_t)snprintf(s, cap, "%s", a);
    for (int i = 1; i < n; i++)
        k += (size_t)snprintf(s + k, cap - k, "%s%s", i % 2 ? op1 : op2, i % 3 ? b : a);
    return s;
}

static void test_long_chains(void **state)
{
    (void)state;
    /* 3*10^4 terms: flat, no deep recursion, stack of two entries */
    char *text = long_chain(30000, "x", "y", "+", "-");
    ExprProg *p = compile(text);
    assert_int_equal(p->maxdepth, 2);
    double vals[3] = {0.25, 2, 0}, grad[2], want = 0.25, gx = 1, gy = 0;
    for (int i = 1; i < 30000; i++) {       /* the same left-to-right sum */
        double t = i % 3 ? 2 : 0.25, sg = i % 2 ? 1 : -1;
        want += sg * t;
        if (i % 3) gy += sg;
        else gx += sg;
    }
    assert_true(expr_eval_grad(p, vals, grad) == want);
    assert_true(grad[0] == gx && grad[1] == gy);
    expr_prog_free(p);
    free(text);

    text = long_chain(60000, "1", "1", "+", "+");     /* folds to one constant */
    p = compile(text);
    free(text);
    double v;
    assert_true(expr_prog_const(p, &v));
    assert_true(v == 60000);
    assert_int_equal(p->ncode, 1);
    expr_prog_free(p);

    /* only a constant prefix folds: 1 + x + 2 is (1 + x) + 2 */
    p = compile("1 + x + 2 - 0.5");
    assert_int_equal(p->ncode, 4);               /* x, 1+, +2, -0.5 */
    vals[0] = 1e16;
    assert_true(expr_eval(p, vals) == ((1 + 1e16) + 2) - 0.5);
    expr_prog_free(p);

    /* the operator at fault in a chain */
    p = compile("x/2/0*3");
    expr_eval(p, vals);
    assert_int_equal(expr_prog_domain_offset(p), 3);
    expr_prog_free(p);
    assert_int_equal(expr_eval_const("2 - 3 + 0.5 - 1", &binder, &v, NULL), 0);
    assert_true(v == -1.5);
    assert_int_equal(expr_eval_const("64/4/2*3%5", &binder, &v, NULL), 0);
    assert_true(v == 4);
}

static void test_deep_input(void **state)
{
    (void)state;
    /* 2000 comparisons nest 2000 deep: refused, not a stack overflow */
    char *text = long_chain(2000, "x", "x", "<", "<");
    ExprError err;
    assert_null(expr_parse(text, &err));
    assert_string_equal(err.msg, "expression nested too deeply");
    free(text);
    text = long_chain(500, "x", "x", "<", "<");
    expr_free(expr_parse(text, &err));      /* fine */
    free(text);
}

/* .func chain c0(x) = x, ck(x) = c{k-1}(x) + 1, made up on request */
typedef struct ChainCtx {
    ExprFunc f[5001];
    ExprNode *body[5001];
    char name[5001][8];
} ChainCtx;

static const ExprFunc *chain_func(void *ctx, const char *name)
{
    static const char *const px[] = {"x"};
    ChainCtx *cc = ctx;
    if (name[0] != 'c') return NULL;
    int k = atoi(name + 1);
    if (k < 0 || k > 5000) return NULL;
    if (!cc->body[k]) {
        char b[32];
        snprintf(b, sizeof b, k ? "c%d(x) + 1" : "x", k - 1);
        snprintf(cc->name[k], sizeof cc->name[k], "c%d", k);
        cc->body[k] = expr_parse(b, NULL);
        cc->f[k] = (ExprFunc){cc->name[k], px, 1, cc->body[k]};
    }
    return &cc->f[k];
}

static void test_deep_func_chain(void **state)
{
    (void)state;
    ChainCtx *cc = calloc(1, sizeof *cc);
    ExprBinder b = {cc, NULL, chain_func, NULL, NULL};
    double v;
    ExprError err;
    assert_int_equal(expr_eval_const("c300(1)", &b, &v, &err), 0);
    assert_true(v == 301);
    assert_int_not_equal(expr_eval_const("c5000(1)", &b, &v, &err), 0);
    assert_string_equal(err.msg, "expression too deeply nested after inlining .func calls");
    for (int k = 0; k <= 5000; k++) expr_free(cc->body[k]);
    free(cc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fd_unary),
        cmocka_unit_test(test_fd_binary),
        cmocka_unit_test(test_fd_ternary_and_compound),
        cmocka_unit_test(test_branch_points),
        cmocka_unit_test(test_ngspice_derivatives),
        cmocka_unit_test(test_derivative_errors),
        cmocka_unit_test(test_many_variables),
        cmocka_unit_test(test_untaken_branch_variables),
        cmocka_unit_test(test_domain_errors_runtime),
        cmocka_unit_test(test_long_chains),
        cmocka_unit_test(test_deep_input),
        cmocka_unit_test(test_deep_func_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
