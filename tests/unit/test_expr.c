/* Expression module: parser (precedence, associativity, numbers, errors with
 * offsets), built-in function values (libm, hand-computed and ngspice
 * references), binding (.param constants, variable slots, linear terms),
 * .func inlining, constant folding, domain errors.
 *
 * Derivatives, domain errors of programs with variables, and very long or
 * deep input are tested in test_expr_ad.c.
 *
 * Values marked "ngspice" were obtained with ngspice-39 in batch mode
 * (ngspice -b) from a one-line netlist "b1 out 0 v=<expr>" with r1 out 0 1,
 * .control op; print v(out), which prints 7 significant digits; hence the
 * relative tolerance NG_TOL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "expr/expr.h"
#include "expr/expr_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NG_TOL 5e-7      /* ngspice prints 7 significant digits */
#define EXACT 1e-15      /* libm / hand values: a couple of ulps */

/* ---- a test binder ----
 * params a=2 b=3 c=0.5 (CONST); x, y, z = variable slots 0, 1, 2; time = 5;
 * v(node) / v(n1, n2) with nodes "0" (ground), "1" = 10, "2" = 11,
 * "out" = 12, "x1.n3" = 13, "out-" = 14; i(vx) = slot 7;
 * "cyc" is rejected with a message (as the .param evaluator does for cycles). */
typedef struct TB {
    ExprFunc funcs[48];
    ExprNode *bodies[48];
    int nfuncs;
} TB;

static const struct { const char *name; int slot; } nodes[] = {
    {"1", 10}, {"2", 11}, {"out", 12}, {"x1.n3", 13}, {"out-", 14},
};

static ExprSymKind tb_ident(void *ctx, const char *name, ExprSym *out, char *err, size_t errn)
{
    (void)ctx;
    static const struct { const char *n; double v; } params[] = {{"a", 2}, {"b", 3}, {"c", 0.5}};
    for (size_t k = 0; k < 3; k++)
        if (strcmp(name, params[k].n) == 0) {
            out->value = params[k].v;
            return EXPR_SYM_CONST;
        }
    const char *vars[] = {"x", "y", "z"};
    for (int k = 0; k < 3; k++)
        if (strcmp(name, vars[k]) == 0) {
            out->slot = k;
            return EXPR_SYM_VAR;
        }
    if (strcmp(name, "time") == 0) {
        out->slot = 5;
        return EXPR_SYM_VAR;
    }
    if (strcmp(name, "cyc") == 0) snprintf(err, errn, "parameter 'cyc' depends on itself");
    return EXPR_SYM_UNDEF;
}

static int node_slot(const char *name)
{
    if (strcmp(name, "0") == 0) return -1;
    for (size_t k = 0; k < sizeof nodes / sizeof nodes[0]; k++)
        if (strcmp(nodes[k].name, name) == 0) return nodes[k].slot;
    return -2;
}

static ExprSymKind tb_special(void *ctx, const char *name, int nargs, const char *const *args,
                              ExprSym *out, char *err, size_t errn)
{
    (void)ctx;
    if (strcmp(name, "i") == 0 && nargs == 1 && strcmp(args[0], "vx") == 0) {
        out->slot = 7;
        return EXPR_SYM_VAR;
    }
    if (strcmp(name, "v") != 0) return EXPR_SYM_UNDEF;
    if (nargs < 1 || nargs > 2) {
        snprintf(err, errn, "v() takes 1 or 2 nodes");
        return EXPR_SYM_UNDEF;
    }
    out->nterms = 0;
    for (int k = 0; k < nargs; k++) {
        int s = node_slot(args[k]);
        if (s == -2) {
            snprintf(err, errn, "unknown node '%s'", args[k]);
            return EXPR_SYM_UNDEF;
        }
        if (s < 0) continue;
        out->slots[out->nterms] = s;
        out->coefs[out->nterms++] = k == 0 ? 1.0 : -1.0;
    }
    return EXPR_SYM_LINEAR;
}

static const ExprFunc *tb_func(void *ctx, const char *name)
{
    TB *tb = ctx;
    for (int k = 0; k < tb->nfuncs; k++)
        if (strcmp(tb->funcs[k].name, name) == 0) return &tb->funcs[k];
    return NULL;
}

static void tb_add(TB *tb, const char *name, const char *const *params, int np, const char *body)
{
    ExprError err;
    ExprNode *e = expr_parse(body, &err);
    assert_non_null(e);
    tb->bodies[tb->nfuncs] = e;
    tb->funcs[tb->nfuncs++] = (ExprFunc){name, params, np, e};
}

static TB the_tb;
static ExprBinder binder = {&the_tb, tb_ident, tb_func, tb_special, NULL};

static int setup(void **state)
{
    (void)state;
    static const char *const p_u[] = {"u"}, *const p_xy[] = {"x", "y"}, *const p_x[] = {"x"};
    static const char *const p_a[] = {"a"}, *const p_pq[] = {"p", "q"}, *const p_n[] = {"n"};
    memset(&the_tb, 0, sizeof the_tb);
    tb_add(&the_tb, "sq", p_u, 1, "U*u");
    tb_add(&the_tb, "f", p_xy, 2, "x*y+1");
    tb_add(&the_tb, "g", p_x, 1, "f(x,x+1)*2");
    tb_add(&the_tb, "h", p_a, 1, "a*10");          /* parameter shadows global a */
    tb_add(&the_tb, "k", p_x, 1, "x+b");           /* body reads global b */
    tb_add(&the_tb, "rec", p_x, 1, "x + rec(x-1)");
    tb_add(&the_tb, "ping", p_x, 1, "pong(x)+1");
    tb_add(&the_tb, "pong", p_x, 1, "2*ping(x)");
    tb_add(&the_tb, "badf", p_x, 1, "x + zz");
    tb_add(&the_tb, "vd", p_pq, 2, "v(p) - v(q)");
    tb_add(&the_tb, "vn", p_n, 1, "vd(n, 0) * 2");
    tb_add(&the_tb, "zero", NULL, 0, "42");
    tb_add(&the_tb, "inv", p_x, 1, "1/x");
    tb_add(&the_tb, "first", p_xy, 2, "x");
    /* e1(x) = x + x, ek(x) = e{k-1}(e{k-1}(x)): e24 would be 2^24 additions */
    static char names[24][8], bodies[24][40];
    for (int k = 1; k <= 24; k++) {
        snprintf(names[k - 1], sizeof names[0], "e%d", k);
        if (k == 1) snprintf(bodies[0], sizeof bodies[0], "x + x");
        else snprintf(bodies[k - 1], sizeof bodies[0], "e%d(e%d(x))", k - 1, k - 1);
        tb_add(&the_tb, names[k - 1], p_x, 1, bodies[k - 1]);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int k = 0; k < the_tb.nfuncs; k++) expr_free(the_tb.bodies[k]);
    return 0;
}

static void check_close(double got, double want, double rtol, const char *what)
{
    double tol = rtol * fmax(1.0, fabs(want));
    if (!(fabs(got - want) <= tol) && !(got == want)) {
        print_error("%s: got %.17g, want %.17g (tol %g)\n", what, got, want, tol);
        fail();
    }
}

static double cval(const char *text)
{
    double v = NAN;
    ExprError err;
    if (expr_eval_const(text, &binder, &v, &err) != 0) {
        print_error("'%s': unexpected error @%d: %s\n", text, err.offset, err.msg);
        fail();
    }
    return v;
}

typedef struct { const char *text; double want; } Case;

static void run_cases(const Case *cs, size_t n, double rtol)
{
    for (size_t k = 0; k < n; k++) check_close(cval(cs[k].text), cs[k].want, rtol, cs[k].text);
}
#define RUN(cs, tol) run_cases(cs, sizeof cs / sizeof cs[0], tol)

/* ---------------- parser ---------------- */

static void test_precedence(void **state)
{
    (void)state;
    static const Case cs[] = {
        {"-2^2", -4},              /* ^ binds tighter than unary minus (ngspice: -4) */
        {"-2**2", -4},
        {"(-2)^2", 4},
        {"2^3^2", 512},            /* right-assoc per expr.h; ngspice-39 gives 64 */
        {"2**3**2", 512},
        {"(2^3)^2", 64},
        {"{1+2}*3", 9},            /* braces group like parentheses (ngspice, Xyce {{...}}) */
        {"{{2}}+({3})", 5},
        {"2^-1", 0.5},             /* exponent may carry a sign */
        {"2^-1^2", 0.5},           /* 2^(-(1^2)) */
        {"1+2*3-4/2", 5},          /* ngspice: 5 */
        {"10-2-3", 5},             /* left-assoc (ngspice: 5) */
        {"64/4/2", 8},
        {"7-2*3^2", -11},
        {"2*-3", -6},              /* ngspice: -6 */
        {"!0+1", 2},               /* ngspice: 2 */
        {"!3", 0},
        {"!!3", 1},
        {"--2", 2},
        {"+2", 2},
        {"1<2==1", 1},             /* same level, left-assoc (ngspice: 1) */
        {"5-3>1", 1},              /* + binds tighter than > */
        {"1+1==2?10:20", 10},      /* ngspice: 10 */
        {"1?2:0?4:5", 2},          /* a?b:(c?d:e) (ngspice: 2) */
        {"0?2:0?4:5", 5},          /* ngspice (0?1:0?2:3 = 3 there) */
        {"0?2:1?4:5", 4},
        {"1 ? 0 ? 7 : 8 : 9", 8},  /* nested in the middle */
        {"0 || 1 && 0", 0},        /* && binds tighter than || */
        {"1 || 0 && 0", 1},
        {"2>1&&3>4||1", 1},        /* ngspice: 1 */
        {"1 < 2 && 2 < 3", 1},
        {"2*3 % 4", 2},            /* * and % left-assoc: (2*3)%4 */
        {"a*b^2", 18},
    };
    RUN(cs, EXACT);
}

static void test_operators(void **state)
{
    (void)state;
    static const Case cs[] = {
        {"1+2", 3}, {"5-7", -2}, {"3*4", 12}, {"1/4", 0.25},
        {"7%3", 1}, {"(-7)%3", -1}, {"7.5%2", 1.5}, {"5%-3", 2},      /* ngspice .param */
        {"2^10", 1024}, {"2**10", 1024}, {"(-2)^3", 8}, {"(-2)**0.5", 1.4142135623730951},
        {"0^0", 1},
        {"1==1", 1}, {"1==2", 0}, {"2!=1", 1}, {"2!=2", 0},
        {"1<2", 1}, {"2<2", 0}, {"2<=2", 1}, {"3<=2", 0},
        {"3>2", 1}, {"2>2", 0}, {"2>=2", 1}, {"1>=2", 0},
        {"1&&2", 1}, {"1&&0", 0}, {"0&&1", 0}, {"0||2", 1}, {"0||0", 0},
        {"-a", -2}, {"!a", 0}, {"a?b:c", 3}, {"0?b:c", 0.5},
        {"0 && 1/0", 0},           /* short-circuit: no division (ngspice: 0) */
        {"1 || ln(-1)", 1},
        {"1 ? 2 : 1/0", 2},        /* untaken branch is not evaluated */
    };
    RUN(cs, EXACT);
}

static void test_numbers(void **state)
{
    (void)state;
    static const Case cs[] = {
        {"2k", 2e3}, {"1.5meg", 1.5e6}, {"3n", 3e-9}, {"10kohm", 1e4}, {"2.2uF", 2.2e-6},
        {"1e3", 1e3}, {"1.5e-3", 1.5e-3}, {".5", 0.5}, {"5.", 5}, {"1T", 1e12}, {"1G", 1e9},
        {"1f", 1e-15}, {"2p", 2e-12}, {"3m", 3e-3}, {"1MEG", 1e6}, {"2mil", 50.8e-6},
        {"2k*3", 6e3}, {"1e3k", 1e6}, {"1.5meg/1k", 1.5e3},
    };
    RUN(cs, EXACT);
}

static void test_whitespace_and_case(void **state)
{
    (void)state;
    static const Case cs[] = {
        {"  1 +\t2 *\n3  ", 7}, {"sin ( 0 )", 0}, {"max( 1 , 2 )", 2}, {"A*B", 6},
        {"SQRT(4)", 2}, {"Pi", 3.14159265358979323846}, {"1**  2", 1},
    };
    RUN(cs, EXACT);
}

typedef struct { const char *text; int off; const char *msg; } ErrCase;

static void check_error(const ErrCase *c)
{
    double v;
    ExprError err = {.offset = -7};
    int rc = expr_eval_const(c->text, &binder, &v, &err);
    if (rc == 0 || err.offset != c->off || strcmp(err.msg, c->msg) != 0) {
        print_error("'%s': rc %d, got @%d '%s', want @%d '%s'\n", c->text, rc, err.offset,
                    err.msg, c->off, c->msg);
        fail();
    }
}

static void test_syntax_errors(void **state)
{
    (void)state;
    static const ErrCase cs[] = {
        {"1+", 2, "missing operand after '+'"},
        {"1+*2", 2, "missing operand after '+'"},
        {"2^", 2, "missing operand after '^'"},
        {"-", 1, "missing operand after '-'"},
        {"*3", 0, "unexpected token '*'"},
        {"(1+2", 4, "expected ')'"},
        {"{1+2", 4, "expected '}'"},
        {"{1+2)", 4, "expected '}'"},
        {"sin(1", 5, "expected ')'"},
        {"sin(1 2)", 6, "expected ',' or ')'"},
        {"1 2", 2, "unexpected token '2' (missing operator?)"},
        {"1)", 1, "unexpected token ')'"},
        {"", 0, "empty expression"},
        {"   ", 3, "empty expression"},
        {"a ? b", 5, "expected ':'"},
        {"a = b", 2, "unexpected '=' (use '==' to compare)"},
        {"a & b", 2, "invalid character '&' (use '&&')"},
        {"a | b", 2, "invalid character '|' (use '||')"},
        {"2 @ 3", 2, "invalid character '@'"},
        {"max(1,)", 6, "missing operand after ','"},
        {"()", 1, "missing operand after '('"},
        {"1 + (2 * )", 9, "missing operand after '*'"},
        {"foo(out-)", 8, "missing operand after '-'"},  /* not special: syntax error */
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) check_error(&cs[k]);
}

static void test_nesting_limit(void **state)
{
    (void)state;
    char deep[2100];
    int n = 1000;
    memset(deep, '(', (size_t)n);
    deep[n] = '1';
    memset(deep + n + 1, ')', (size_t)n);
    deep[2 * n + 1] = '\0';
    ExprError err;
    assert_null(expr_parse(deep, &err));
    assert_string_equal(err.msg, "expression nested too deeply");
    /* 100 levels are fine */
    deep[100] = '1';
    memset(deep + 101, ')', 100);
    deep[201] = '\0';
    check_close(cval(deep), 1, 0, "100 parens");
}

static void test_compile_errors(void **state)
{
    (void)state;
    static const ErrCase cs[] = {
        {"foo(1)", 0, "unknown function 'foo'"},
        {"1 + q", 4, "undefined parameter 'q'"},
        {"sin(1,2,3)", 0, "function 'sin' takes 1 argument, 3 given"},
        {"pow(1)", 0, "function 'pow' takes 2 arguments, 1 given"},
        {"2*limit(1,2)", 2,
         "random function 'limit' (with two arguments; limit(x, lo, hi) clamps) is drawn once when the netlist is "
         "read and cannot be used in an expression evaluated during the simulation (draw it in a .param or an "
         "instance parameter)"},
        {"f(1)", 0, "function 'f' takes 2 arguments, 1 given"},
        {"1+zero(2)", 2, "function 'zero' takes 0 arguments, 1 given"},
        {"rec(3)", 0, "recursive .func 'rec'"},
        {"1 + ping(1)", 4, "recursive .func 'ping'"},       /* ping -> pong -> ping */
        {"2*badf(1)", 2, "undefined parameter 'zz' (in .func 'badf')"},
        {"cyc + 1", 0, "parameter 'cyc' depends on itself"},
        {"v(nowhere)", 0, "unknown node 'nowhere'"},
        {"v(1,2,3)", 0, "v() takes 1 or 2 nodes"},
        {"sq(qq)", 3, "undefined parameter 'qq'"},         /* in the argument */
        {"sq(out-)", 7, "argument 1 of 'sq' is not an expression: missing operand after '-'"},
        {"e9(x)", -1, "expression too large after inlining .func calls"},   /* 2^2^8 terms */
        {"e24(x)", -1, "expression too large after inlining .func calls"},
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) check_error(&cs[k]);
}

/* ---------------- built-in functions ---------------- */

static void test_functions_libm(void **state)
{
    (void)state;
    const Case cs[] = {
        {"abs(-3)", 3}, {"abs(2.5)", 2.5}, {"sqrt(2)", sqrt(2)}, {"exp(1.5)", exp(1.5)},
        {"ln(10)", log(10)}, {"log(10)", log(10)}, {"log10(2)", log10(2)},
        {"sin(0.7)", sin(0.7)}, {"cos(0.7)", cos(0.7)}, {"tan(0.7)", tan(0.7)},
        {"asin(0.3)", asin(0.3)}, {"acos(0.3)", acos(0.3)}, {"atan(2)", atan(2)},
        {"atan2(1,2)", atan2(1, 2)}, {"atan2(-1,-2)", atan2(-1, -2)},
        {"sinh(1.2)", sinh(1.2)}, {"cosh(1.2)", cosh(1.2)}, {"tanh(0.4)", tanh(0.4)},
        {"asinh(1)", asinh(1)}, {"acosh(2)", acosh(2)}, {"atanh(0.5)", atanh(0.5)},
        {"floor(2.7)", 2}, {"ceil(2.1)", 3}, {"int(2.7)", 2}, {"nint(2.4)", 2},
        {"min(1,2)", 1}, {"max(3,4)", 4}, {"pow(2,0.5)", sqrt(2)}, {"pwr(2,3)", 8},
        {"limit(2,0,3)", 2}, {"limit(5,0,3)", 3}, {"limit(-1,0,3)", 0},
        {"limit(1,5,3)", 3}, {"limit(4,5,3)", 4}, {"limit(6,5,3)", 5},   /* bounds swapped */
        {"if(1,2,3)", 2}, {"if(0,2,3)", 3}, {"if(a>b,a,b)", 3},
        {"sgn(2)", 1}, {"sign(-2)", -1}, {"step(1)", 1}, {"step(-1)", 0}, {"step(0)", 0.5},
        {"pi", 3.14159265358979323846}, {"2*pi", 6.28318530717958647692},
    };
    RUN(cs, EXACT);
}

/* Semantics that are ngspice's own; values from ngspice-39 (see file head). */
static void test_functions_ngspice(void **state)
{
    (void)state;
    static const Case cs[] = {
        {"u(0)", 0.5}, {"u(1)", 1}, {"u(-1)", 0},
        {"uramp(-1)", 0}, {"uramp(2)", 2}, {"uramp(0.5)", 0.5}, {"uramp(0)", 0},
        {"sgn(0)", 0}, {"sgn(-3)", -1}, {"sgn(2)", 1},
        {"int(-1.5)", -1}, {"int(1.7)", 1},                 /* ngspice .param */
        {"nint(2.5)", 2}, {"nint(3.5)", 4}, {"nint(-2.5)", -2}, {"nint(-1.4)", -1},
        {"floor(-1.5)", -2}, {"ceil(-1.5)", -1},
        {"pow(-2,3)", 8}, {"pow(-2,0.5)", 1.414214}, {"pow(-2,2)", 4}, {"pow(-8,1/3)", 2},
        {"pwr(-2,3)", -8}, {"pwr(-2,2)", -4}, {"pwr(-2,0.5)", -1.414214}, {"pwr(-8,1/3)", -2},
        {"pow(0,0)", 1}, {"pwr(0,0)", 1}, {"pwr(0,2)", 0},
        /* ngspice's exp guard: 1e99 above ln(1e99) = 227.955924 */
        {"exp(1000)", 1e99}, {"exp(228)", 1e99}, {"exp(227)/1e98", 3.844567},
        {"(-2)^3", 8}, {"(-2)^0.5", 1.414214}, {"(-2)**3", 8},
        {"log(10)", 2.302585}, {"ln(10)", 2.302585}, {"log10(100)", 2},
        {"min(2,-3)", -3}, {"max(-2,-3)", -2}, {"abs(0)", 0},
        {"exp(2)", 7.389056}, {"log10(2)", 0.3010300},
        {"asinh(1)", 0.8813736}, {"atanh(0.5)", 0.5493061}, {"acosh(2)", 1.316958},
        {"tan(pi/2)", 1.633124e16},
    };
    RUN(cs, NG_TOL);
}

/* ---------------- binding, .func, folding ---------------- */

static ExprProg *compile_ok(const char *text)
{
    ExprError err;
    ExprNode *e = expr_parse(text, &err);
    if (!e) {
        print_error("'%s': parse error @%d: %s\n", text, err.offset, err.msg);
        fail();
    }
    ExprProg *p = expr_compile(e, &binder, &err);
    expr_free(e);
    if (!p) {
        print_error("'%s': compile error @%d: %s\n", text, err.offset, err.msg);
        fail();
    }
    return p;
}

static void test_func_inlining(void **state)
{
    (void)state;
    static const Case cs[] = {
        {"sq(3)", 9}, {"sq(a+1)", 9}, {"SQ(2)", 4},
        {"g(3)", 26},              /* f(3,4)*2; ngspice (.func f/g, .param p={g(3)}): 26 */
        {"f(g(1), sq(2))", 25},    /* g(1) = 6 -> 6*4+1 */
        {"h(5)", 50}, {"h(a)", 20}, {"k(1)", 4}, {"zero()", 42},
        {"first(1, qq)", 1},       /* an argument never used as a value is not an error */
        {"e10(1)", 0x1p512},       /* e_k(x) = 2^(2^(k-1)) x: 512 additions, fine */
    };
    RUN(cs, EXACT);
    /* a .func applied to a variable: value and exact slope, d/dx g(x) = 4x+2 */
    ExprProg *p = compile_ok("g(x)");
    double vals[1] = {1.5}, grad[1];
    check_close(expr_eval_grad(p, vals, grad), 2 * (1.5 * 2.5 + 1), EXACT, "g(1.5)");
    check_close(grad[0], 4 * 1.5 + 2, EXACT, "g'(1.5)");
    expr_prog_free(p);
}

static void test_special_binding(void **state)
{
    (void)state;
    double vals[16] = {0};
    vals[10] = 1.25, vals[11] = 0.5, vals[12] = 3, vals[13] = -2, vals[14] = 7, vals[7] = 1e-3;
    vals[0] = 0.3, vals[5] = 1e-6;
    static const struct { const char *t; double want; int nv; int vars[3]; double g[3]; } cs[] = {
        {"v(1)", 1.25, 1, {10}, {1}},
        {"v(1,2)", 0.75, 2, {10, 11}, {1, -1}},
        {"v(2, 1)*2", -1.5, 2, {10, 11}, {-2, 2}},
        {"v(x1.n3)", -2, 1, {13}, {1}},
        {"v(out-)", 7, 1, {14}, {1}},          /* not an expression: passed as text */
        {"v(out,out)", 0, 1, {12}, {0}},
        {"i(vx)*1k", 1, 1, {7}, {1000}},
        {"time*1e6 + x", 1.3, 2, {0, 5}, {1, 1e6}},
        {"vd(out, 2)", 2.5, 2, {11, 12}, {-1, 1}},   /* node names through .func */
        {"vn(1)", 2.5, 1, {10}, {2}},                /* ... through two levels */
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        ExprProg *p = compile_ok(cs[k].t);
        double grad[3] = {0};
        check_close(expr_eval_grad(p, vals, grad), cs[k].want, EXACT, cs[k].t);
        check_close(expr_eval(p, vals), cs[k].want, EXACT, cs[k].t);
        assert_int_equal(expr_prog_nvars(p), cs[k].nv);
        for (int j = 0; j < cs[k].nv; j++) {
            assert_int_equal(expr_prog_vars(p)[j], cs[k].vars[j]);
            check_close(grad[j], cs[k].g[j], EXACT, cs[k].t);
        }
        expr_prog_free(p);
    }
}

static void test_constant_folding(void **state)
{
    (void)state;
    double v;
    ExprProg *p = compile_ok("2*a + sin(b)^2 + max(c, 1) + v(0) + (a > 1 ? 1 : x)");
    assert_true(expr_prog_const(p, &v));
    check_close(v, 4 + pow(sin(3), 2) + 1 + 0 + 1, EXACT, "folded");
    assert_int_equal(p->ncode, 1);                  /* one PUSHC */
    assert_int_equal(expr_prog_nvars(p), 0);
    expr_prog_free(p);

    p = compile_ok("1e-14*(exp(v(1,2)/0.0258)-1)");  /* constants become immediates */
    assert_false(expr_prog_const(p, &v));
    assert_int_equal(p->ncode, 5);                  /* LIN, /c, exp, -c, *c */
    expr_prog_free(p);

    p = compile_ok("(a + b) * x");                  /* the constant sub-tree is folded */
    assert_int_equal(p->ncode, 2);
    expr_prog_free(p);

    /* a domain error is not folded away: it fails only if evaluated */
    p = compile_ok("x > 0 ? 1 : 1/0");
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_OK);
    double vals[1] = {1};
    check_close(expr_eval(p, vals), 1, 0, "taken branch");
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_OK);
    vals[0] = -1;
    assert_true(isinf(expr_eval(p, vals)));
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_DIV_ZERO);
    expr_prog_free(p);

    /* a constant program that fails is evaluated at compile time */
    p = compile_ok("2/(b-3)");
    assert_true(expr_prog_const(p, &v));
    assert_true(isinf(v));
    assert_int_equal(expr_prog_domain_error(p), EXPR_DOM_DIV_ZERO);
    assert_int_equal(expr_prog_domain_offset(p), 1);
    expr_prog_free(p);
}

static void test_eval_const_not_constant(void **state)
{
    (void)state;
    ErrCase c = {"1 + v(out)", 4, "circuit variable (not a constant) in expression '1 + v(out)'"};
    check_error(&c);
}

/* ---------------- domain errors ---------------- */

static void test_domain_errors_const(void **state)
{
    (void)state;
    static const ErrCase cs[] = {
        {"a/(b-3)", 1, "division by zero in expression 'a/(b-3)'"},
        {"7%0", 1, "modulo by zero in expression '7%0'"},
        {"0^-1", 1, "division by zero (0 raised to the power -1) in expression '0^-1'"},
        {"ln(-2)", 0, "logarithm of a non-positive number (-2) in expression 'ln(-2)'"},
        {"1+log(0)", 2, "logarithm of a non-positive number (0) in expression '1+log(0)'"},
        {"log10(-1)", 0, "logarithm of a non-positive number (-1) in expression 'log10(-1)'"},
        {"sqrt(-4)", 0, "sqrt of a negative number (-4) in expression 'sqrt(-4)'"},
        {"asin(2)", 0, "asin argument outside [-1, 1] (2) in expression 'asin(2)'"},
        {"acos(-1.5)", 0, "acos argument outside [-1, 1] (-1.5) in expression 'acos(-1.5)'"},
        {"acosh(0.5)", 0, "acosh argument below 1 (0.5) in expression 'acosh(0.5)'"},
        {"atanh(1)", 0, "atanh argument outside (-1, 1) (1) in expression 'atanh(1)'"},
        {"cosh(-800)", 0, "overflow in cosh(-800) in expression 'cosh(-800)'"},
        {"10^400", 2, "overflow in pow(10, 400) in expression '10^400'"},
        {"1e200*1e200", -1, "overflow (result is +inf) in expression '1e200*1e200'"},
        {"sq(1/0)", 4, "division by zero in expression 'sq(1/0)'"},  /* in the argument */
        {"2+inv(0)", 2, "division by zero in expression '2+inv(0)'"}, /* in a body: the call */
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) check_error(&cs[k]);
}

/* ---------------- tree utilities ---------------- */

static void test_to_string(void **state)
{
    (void)state;
    static const char *const cs[][2] = {
        {"-2^2", "-2^2"}, {"(-2)^2", "(-2)^2"}, {"(2^3)^2", "(2^3)^2"}, {"2^(3^2)", "2^3^2"},
        {"2^(-1)", "2^-1"}, {"2^(a*b)", "2^(a * b)"}, {"a-(b-c)", "a - (b - c)"},
        {"(a-b)-c", "a - b - c"}, {"a?b:(c?x:y)", "a ? b : c ? x : y"},
        {"(a?b:c)?x:y", "(a ? b : c) ? x : y"}, {"(a||b)&&c", "(a || b) && c"},
        {"2k*1.5meg", "2000 * 1500000"}, {"1e-14", "1e-14"}, {"0.0258", "0.0258"},
        {"v(out-)", "v(out-)"}, {"MAX(A, -b)", "max(a, -b)"}, {"!(a<b)", "!(a < b)"},
        {"-(a+b)", "-(a + b)"}, {"(a*b)%c", "a * b % c"}, {"a*(b%c)", "a * (b % c)"},
        {"f()", "f()"}, {"+a", "a"}, {"a-b+c-d", "a - b + c - d"},
        {"a-(b+c)-d", "a - (b + c) - d"}, {"(a-b)-(c-d)-a", "a - b - (c - d) - a"},
        {"a*b/c%d", "a * b / c % d"}, {"a/(b*c)/d", "a / (b * c) / d"},
        {"-a*b+c^2*-d", "-a * b + c^2 * -d"},
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        ExprError err;
        ExprNode *e = expr_parse(cs[k][0], &err);
        assert_non_null(e);
        char *s = expr_to_string(e);
        if (strcmp(s, cs[k][1]) != 0) {
            print_error("'%s' printed as '%s', want '%s'\n", cs[k][0], s, cs[k][1]);
            fail();
        }
        ExprNode *c = expr_clone(e);                 /* a clone prints the same */
        char *s2 = expr_to_string(c);
        assert_string_equal(s, s2);
        free(s2);
        expr_free(c);
        free(s);
        expr_free(e);
    }
}

/* parse(print(e)) computes what e computes */
static void test_print_roundtrip(void **state)
{
    (void)state;
    static const char *const cs[] = {
        "-2^2+3*(a-b)/c", "2^3^2", "a?b:c?0.25:2", "(1-2)-(3-4)*5%3", "!a||b&&c<=2",
        "pwr(-a, 1/3) + limit(b, 0, 1) * 1e-14", "1/3", "sq(sq(a)) - g(b)",
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        ExprError err;
        ExprNode *e = expr_parse(cs[k], &err);
        char *s = expr_to_string(e);
        check_close(cval(s), cval(cs[k]), 0, s);
        free(s);
        expr_free(e);
    }
}

static void test_null_binder(void **state)
{
    (void)state;
    double v;
    ExprError err;
    assert_int_equal(expr_eval_const("2*pi", NULL, &v, &err), 0);
    check_close(v, 2 * 3.14159265358979323846, EXACT, "2*pi");
    assert_int_not_equal(expr_eval_const("v(1)", NULL, &v, &err), 0);
    assert_string_equal(err.msg, "unknown function 'v'");
    assert_null(expr_compile(NULL, NULL, &err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_whitespace_and_case),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_functions_libm),
        cmocka_unit_test(test_functions_ngspice),
        cmocka_unit_test(test_func_inlining),
        cmocka_unit_test(test_special_binding),
        cmocka_unit_test(test_constant_folding),
        cmocka_unit_test(test_eval_const_not_constant),
        cmocka_unit_test(test_domain_errors_const),
        cmocka_unit_test(test_to_string),
        cmocka_unit_test(test_print_roundtrip),
        cmocka_unit_test(test_null_binder),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
