/* Lexer + parser: every item shape (word, string, expr, call, group,
 * assign), case folding, byte ranges and locations, and every syntax error
 * with its message and exact file:line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "netlist/syntax.h"

#define FRONT MS_SRCDIR "/tests/netlists/frontend"

typedef struct Fx {
    SourceSet src;
    Diag diag;
    Netlist *nl;
} Fx;

static int setup(void **state)
{
    Fx *fx = calloc(1, sizeof *fx);
    sourceset_init(&fx->src);
    diag_init(&fx->diag, NULL);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    Fx *fx = *state;
    netlist_free(fx->nl);
    sourceset_free(&fx->src);
    diag_free(&fx->diag);
    free(fx);
    return 0;
}

/* Parse "title\n<line>\n" and return its only card (fails the test on errors). */
static Card *card_of(Fx *fx, const char *line)
{
    char *text = malloc(strlen(line) + 8);
    sprintf(text, "title\n%s\n", line);
    fx->nl = netlist_read_string(text, "p.cir", &fx->src, &fx->diag);
    free(text);
    if (!fx->nl) fail_msg("'%s' did not parse:\n%s", line, fx->diag.buf);
    assert_int_equal(fx->nl->ncards, 1);
    return fx->nl->cards[0];
}

/* Parse text that must fail with exactly one error containing `want`. */
static void expect_error(Fx *fx, const char *line, const char *want)
{
    char *text = malloc(strlen(line) + 8);
    sprintf(text, "title\n%s\n", line);
    fx->nl = netlist_read_string(text, "p.cir", &fx->src, &fx->diag);
    free(text);
    if (fx->nl) fail_msg("'%s' parsed but should fail with: %s", line, want);
    const char *log = fx->diag.buf ? fx->diag.buf : "";
    if (!strstr(log, want)) fail_msg("'%s': expected\n%s\nin diagnostics:\n%s", line, want, log);
    if (fx->diag.nerrors != 1) fail_msg("'%s': %d errors:\n%s", line, fx->diag.nerrors, log);
    /* reuse the fixture for the next case */
    diag_free(&fx->diag);
    diag_init(&fx->diag, NULL);
}

static void expect_item(const Item *it, ItemKind kind, const char *text, int start, int end)
{
    assert_non_null(it);
    if (it->kind != kind)
        fail_msg("item '%s' is a %s, expected %s", it->text ? it->text : "", item_kind_name(it->kind),
                 item_kind_name(kind));
    if (text) assert_string_equal(it->text, text);
    else assert_null(it->text);
    assert_int_equal(it->start, start);
    assert_int_equal(it->end, end);
}

static void test_words(void **state)
{
    Fx *fx = *state;
    Card *c = card_of(fx, "R1 X1.N3 0 -2.5E-3 params: n$1? 1kOhm .TRAN \xC2\xB5x");
    assert_int_equal(c->nitems, 9);
    expect_item(c->items[0], ITEM_WORD, "r1", 0, 2);
    expect_item(c->items[1], ITEM_WORD, "x1.n3", 3, 8);
    expect_item(c->items[2], ITEM_WORD, "0", 9, 10);
    expect_item(c->items[3], ITEM_WORD, "-2.5e-3", 11, 18);
    expect_item(c->items[4], ITEM_WORD, "params:", 19, 26);
    expect_item(c->items[5], ITEM_WORD, "n$1?", 27, 31);
    expect_item(c->items[6], ITEM_WORD, "1kohm", 32, 37);
    expect_item(c->items[7], ITEM_WORD, ".tran", 38, 43);
    expect_item(c->items[8], ITEM_WORD, "\xC2\xB5x", 44, 47);
    assert_string_equal(c->text, "R1 X1.N3 0 -2.5E-3 params: n$1? 1kOhm .TRAN \xC2\xB5x");
    assert_string_equal(c->items[1]->loc.file, "p.cir");
    assert_int_equal(c->items[1]->loc.line, 2);
    assert_int_equal(c->items[1]->loc.col, 4);
    assert_string_equal(c->items[1]->loc.text, c->text);
}

static void test_string_keeps_case(void **state)
{
    Fx *fx = *state;
    Card *c = card_of(fx, ".foo \"Models/My File.LIB\" \"\"");
    expect_item(c->items[1], ITEM_STRING, "Models/My File.LIB", 5, 25);
    expect_item(c->items[2], ITEM_STRING, "", 26, 28);
    assert_int_equal(c->items[1]->loc.col, 6);
}

static void test_expressions(void **state)
{
    Fx *fx = *state;
    Card *c = card_of(fx, "B1 a 0 V={A*{B+1}} I='V(A)*2' {} {x} ' '");
    assert_int_equal(c->nitems, 8);
    const Item *v = c->items[3];
    expect_item(v, ITEM_ASSIGN, NULL, 7, 18);
    expect_item(v->key, ITEM_WORD, "v", 7, 8);
    expect_item(v->value, ITEM_EXPR, "a*{b+1}", 9, 18);
    expect_item(c->items[4]->value, ITEM_EXPR, "v(a)*2", 21, 29);
    expect_item(c->items[5], ITEM_EXPR, "", 30, 32);
    expect_item(c->items[6], ITEM_EXPR, "x", 33, 36);
    expect_item(c->items[7], ITEM_EXPR, " ", 37, 40);
}

static void test_calls(void **state)
{
    Fx *fx = *state;
    Card *c = card_of(fx, "V1 in 0 PULSE(0 1 1n) pulse (0 1 1n) v(a,b) sin(0, 1 ,1k)");
    const Item *p1 = c->items[3], *p2 = c->items[4], *v = c->items[5], *s = c->items[6];
    expect_item(p1, ITEM_CALL, "pulse", 8, 21);
    expect_item(p2, ITEM_CALL, "pulse", 22, 36);   /* blank before '(' : same call */
    assert_int_equal(p1->nargs, 3);
    assert_int_equal(p2->nargs, 3);
    for (int i = 0; i < 3; i++) assert_string_equal(p1->args[i]->text, p2->args[i]->text);
    expect_item(p2->args[0], ITEM_WORD, "0", 29, 30);
    expect_item(v, ITEM_CALL, "v", 37, 43);
    assert_int_equal(v->nargs, 2);                  /* commas dropped */
    expect_item(v->args[1], ITEM_WORD, "b", 41, 42);
    assert_int_equal(s->nargs, 3);
    expect_item(s->args[2], ITEM_WORD, "1k", 54, 56);
}

static void test_model_call_with_assigns(void **state)
{
    Fx *fx = *state;
    Card *c = card_of(fx, ".MODEL D1 D (IS=1E-14 N = {n0*2} RS=\"x\")");
    assert_int_equal(c->nitems, 3);
    const Item *d = c->items[2];
    expect_item(d, ITEM_CALL, "d", 10, 40);
    assert_int_equal(d->nargs, 3);
    expect_item(d->args[0], ITEM_ASSIGN, NULL, 13, 21);
    expect_item(d->args[0]->key, ITEM_WORD, "is", 13, 15);
    expect_item(d->args[0]->value, ITEM_WORD, "1e-14", 16, 21);
    expect_item(d->args[1], ITEM_ASSIGN, NULL, 22, 32);   /* blanks around '=' */
    expect_item(d->args[1]->value, ITEM_EXPR, "n0*2", 26, 32);
    expect_item(d->args[2]->value, ITEM_STRING, "x", 36, 39);
}

static void test_groups(void **state)
{
    Fx *fx = *state;
    Card *c = card_of(fx, "a1 \"s\" (0 1 2) x=((1 2) (3 (4)) ()) {e}(5)");
    assert_int_equal(c->nitems, 6);
    const Item *g = c->items[2];
    expect_item(g, ITEM_GROUP, NULL, 7, 14);
    assert_int_equal(g->nargs, 3);
    const Item *x = c->items[3];
    expect_item(x->value, ITEM_GROUP, NULL, 17, 35);
    assert_int_equal(x->value->nargs, 3);
    const Item *g2 = x->value->args[1];
    expect_item(g2, ITEM_GROUP, NULL, 24, 31);
    /* "3 (4)" is a call: a word, blanks, '(' always is (like "pulse (") */
    assert_int_equal(g2->nargs, 1);
    expect_item(g2->args[0], ITEM_CALL, "3", 25, 30);
    expect_item(g2->args[0]->args[0], ITEM_WORD, "4", 28, 29);
    assert_int_equal(x->value->args[2]->nargs, 0);
    expect_item(c->items[4], ITEM_EXPR, "e", 36, 39);
    expect_item(c->items[5], ITEM_GROUP, NULL, 39, 42);   /* after an expression: a group */
}

static void test_nested_groups(void **state)
{
    Fx *fx = *state;
    Card *c = card_of(fx, "a1 y=(((a)) ,(b))");
    const Item *g = c->items[1]->value;
    expect_item(g, ITEM_GROUP, NULL, 5, 17);
    assert_int_equal(g->nargs, 2);
    expect_item(g->args[0], ITEM_GROUP, NULL, 6, 11);
    expect_item(g->args[0]->args[0], ITEM_GROUP, NULL, 7, 10);
    expect_item(g->args[0]->args[0]->args[0], ITEM_WORD, "a", 8, 9);
    expect_item(g->args[1], ITEM_GROUP, NULL, 13, 16);
}

static void test_nested_calls(void **state)
{
    Fx *fx = *state;
    Card *c = card_of(fx, "e1 a 0 table(v(a, b), (0 0) (1 1)) f(g(h()))");
    const Item *t = c->items[3];
    expect_item(t, ITEM_CALL, "table", 7, 34);
    assert_int_equal(t->nargs, 3);
    expect_item(t->args[0], ITEM_CALL, "v", 13, 20);
    expect_item(t->args[1], ITEM_GROUP, NULL, 22, 27);
    const Item *f = c->items[4];
    expect_item(f->args[0]->args[0], ITEM_CALL, "h", 39, 42);
    assert_int_equal(f->args[0]->args[0]->nargs, 0);
}

static void test_assign_with_call_key(void **state)
{
    Fx *fx = *state;
    Card *c = card_of(fx, ".IC V(Out)=1 v(a,b) = 2 i(L1)={x}");
    assert_int_equal(c->nitems, 4);
    const Item *a = c->items[1];
    expect_item(a, ITEM_ASSIGN, NULL, 4, 12);
    expect_item(a->key, ITEM_CALL, "v", 4, 10);
    expect_item(a->key->args[0], ITEM_WORD, "out", 6, 9);
    expect_item(a->value, ITEM_WORD, "1", 11, 12);
    expect_item(c->items[2]->key, ITEM_CALL, "v", 13, 19);
    assert_int_equal(c->items[2]->key->nargs, 2);
    expect_item(c->items[3]->value, ITEM_EXPR, "x", 30, 33);
}

static void test_card_slice_and_case(void **state)
{
    Fx *fx = *state;
    Card *c = card_of(fx, "X1  A  B  MySub  Params: W={Len*2}");
    char *sl;
#define SLICE_IS(a, b, want) (sl = card_slice(c, (a), (b)), assert_string_equal(sl, (want)), free(sl))
    SLICE_IS(c->items[3]->start, c->items[3]->end, "MySub");
    assert_string_equal(c->items[3]->text, "mysub");
    SLICE_IS(c->items[5]->start, c->items[5]->end, "W={Len*2}");
    SLICE_IS(2, 8, "A  B");   /* trimmed */
    SLICE_IS(-3, 1000, c->text);
    SLICE_IS(5, 2, "");
#undef SLICE_IS
}

static void test_item_kind_names(void **state)
{
    (void)state;
    assert_string_equal(item_kind_name(ITEM_WORD), "word");
    assert_string_equal(item_kind_name(ITEM_STRING), "string");
    assert_string_equal(item_kind_name(ITEM_EXPR), "expression");
    assert_string_equal(item_kind_name(ITEM_CALL), "call");
    assert_string_equal(item_kind_name(ITEM_GROUP), "group");
    assert_string_equal(item_kind_name(ITEM_ASSIGN), "assignment");
}

static void test_error_parentheses(void **state)
{
    Fx *fx = *state;
    expect_error(fx, "r1 a b (1 2", "p.cir:2:8: error: unbalanced parenthesis: missing ')' for this '('\n"
                 "    2 | r1 a b (1 2\n      |        ^\n");
    expect_error(fx, "v1 a 0 pulse(0 (1 2) 3", "p.cir:2:13: error: unbalanced parenthesis: missing ')'");
    expect_error(fx, "v1 a 0 pwl(0 (1 2", "p.cir:2:14: error: unbalanced parenthesis: missing ')'");
    expect_error(fx, "r2 a b )", "p.cir:2:8: error: unexpected ')'\n");
    expect_error(fx, "r2 (a b)) c", "p.cir:2:9: error: unexpected ')'\n");
}

static void test_error_unterminated(void **state)
{
    Fx *fx = *state;
    expect_error(fx, "r3 \"abc", "p.cir:2:4: error: unterminated string: missing closing '\"'\n");
    expect_error(fx, "r4 a {x+{y}", "p.cir:2:6: error: unterminated '{' expression: missing '}'\n");
    expect_error(fx, "r4 a {x+{y} (1 2", "p.cir:2:6: error: unterminated '{' expression");
    expect_error(fx, "r5 a 'x+1", "p.cir:2:6: error: unterminated '...' expression: missing closing quote\n");
    expect_error(fx, "r6 a } b", "p.cir:2:6: error: unexpected '}' (no '{' before it)\n");
}

static void test_error_assign(void **state)
{
    Fx *fx = *state;
    expect_error(fx, "r5 x=", "p.cir:2:5: error: missing value after '='\n");
    expect_error(fx, "r5 f(x=)", "p.cir:2:7: error: missing value after '='\n");
    expect_error(fx, "r5 f(x=,1)", "p.cir:2:7: error: missing value after '='\n");
    expect_error(fx, "r5 x==1", "p.cir:2:5: error: missing value after '='\n");
    expect_error(fx, "= 3", "p.cir:2:1: error: '=' without a name before it\n");
    expect_error(fx, "r6 v(=1)", "p.cir:2:6: error: '=' without a name before it\n");
    expect_error(fx, "r6 v(a,=1)", "p.cir:2:8: error: '=' without a name before it\n");
    expect_error(fx, "r7 a=b=c", "p.cir:2:7: error: unexpected '=': name=value cannot be chained (a=b=c)\n");
    expect_error(fx, "r8 \"k\"=1", "p.cir:2:4: error: '=' after a string: the name in name=value "
                 "must be a word or a call such as v(a)\n");
    expect_error(fx, "r8 {k}=1", "p.cir:2:4: error: '=' after an expression: the name");
    expect_error(fx, "r8 'k'=1", "p.cir:2:4: error: '=' after an expression: the name");
    expect_error(fx, "r8 \"s\" (g)=1", "p.cir:2:8: error: '=' after a group: the name");
}

static void test_error_first_item(void **state)
{
    Fx *fx = *state;
    const char *msg = "error: a line must start with an element name or a dot command\n";
    char want[256];
    static const char *const lines[] = {"{x} a", "\"s\" a", "(a) b", "a=1", "v(1) x", "'e'"};
    for (int i = 0; i < 6; i++) {
        snprintf(want, sizeof want, "p.cir:2:1: %s", msg);
        expect_error(fx, lines[i], want);
    }
    expect_error(fx, "r9 a, b", "p.cir:2:5: error: unexpected ',': commas separate arguments only "
                 "inside parentheses\n");
}

static void test_error_after_continuation(void **state)
{
    Fx *fx = *state;
    expect_error(fx, "r13 a\n* c\n+ b (c", "p.cir:4:5: error: unbalanced parenthesis: missing ')'"
                 " for this '('\n    4 | + b (c\n      |     ^\n");
    expect_error(fx, "r13 a\n+\tb=", "p.cir:3:4: error: missing value after '='\n"
                 "    3 | +\tb=\n      |  \t ^\n");
}

/* several errors in one file, each at its line; the lexer recovers for the
 * next card (r14 parses) */
static void test_errors_file(void **state)
{
    Fx *fx = *state;
    fx->nl = netlist_read(FRONT "/errors.cir", &fx->src, &fx->diag);
    assert_null(fx->nl);
    static const char *const want[] = {
        "2:8: error: unbalanced parenthesis: missing ')'",
        "3:8: error: unexpected ')'",
        "4:4: error: unterminated string",
        "5:4: error: unterminated '{' expression",
        "6:5: error: missing value after '='",
        "7:1: error: '=' without a name before it",
        "8:7: error: unexpected '=': name=value cannot be chained",
        "9:1: error: a line must start with an element name or a dot command",
        "10:5: error: unexpected ','",
        "11:5: error: unexpected '}'",
        "12:5: error: unterminated '...' expression",
        "13:5: error: '=' after a string",
        "15:5: error: unbalanced parenthesis: missing ')'",
    };
    const char *p = fx->diag.buf;
    char full[256];
    for (int i = 0; i < 13; i++) {
        snprintf(full, sizeof full, "%s/errors.cir:%s", FRONT, want[i]);
        const char *q = strstr(p, full);
        if (!q) fail_msg("expected (in order)\n%s\nin\n%s", full, fx->diag.buf);
        p = q + 1;
    }
    assert_int_equal(fx->diag.nerrors, 13);
}

static void test_lexer_recovers_between_cards(void **state)
{
    Fx *fx = *state;
    /* each broken card leaves the scanner in a different state */
    fx->nl = netlist_read_string("t\nr1 {a\nr2 a {b} c\nr3 'x\nr4 \"y\nr5 (\nr6 {c}\n",
                                 "p.cir", &fx->src, &fx->diag);
    assert_null(fx->nl);
    assert_int_equal(fx->diag.nerrors, 4);
    if (strstr(fx->diag.buf, "p.cir:3:") || strstr(fx->diag.buf, "p.cir:7:"))
        fail_msg("good cards reported:\n%s", fx->diag.buf);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_words),
        T(test_string_keeps_case),
        T(test_expressions),
        T(test_calls),
        T(test_model_call_with_assigns),
        T(test_groups),
        T(test_nested_groups),
        T(test_nested_calls),
        T(test_assign_with_call_key),
        T(test_card_slice_and_case),
        T(test_item_kind_names),
        T(test_error_parentheses),
        T(test_error_unterminated),
        T(test_error_assign),
        T(test_error_first_item),
        T(test_error_after_continuation),
        T(test_errors_file),
        T(test_lexer_recovers_between_cards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
