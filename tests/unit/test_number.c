/* SPICE number syntax (src/util/number.c): every accepted form and the
 * words that must not be numbers. Expected values are written out by hand
 * from the suffix table (t g meg k m mil u n p f a). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "util/number.h"

typedef struct Case {
    const char *s;
    double v;
} Case;

static void check_ok(const Case *c, int n)
{
    for (int i = 0; i < n; i++) {
        double v = -12345.0;
        if (!spice_number(c[i].s, &v)) fail_msg("'%s' should be a number", c[i].s);
        double tol = 1e-12 * fabs(c[i].v);
        if (!(fabs(v - c[i].v) <= tol))
            fail_msg("'%s' = %.17g, expected %.17g", c[i].s, v, c[i].v);
    }
}

static void check_bad(const char *const *s, int n)
{
    for (int i = 0; i < n; i++) {
        double v = -12345.0;
        if (spice_number(s[i], &v)) fail_msg("'%s' should not be a number (got %g)", s[i], v);
        assert_true(v == -12345.0);  /* untouched on failure */
    }
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void test_plain(void **state)
{
    (void)state;
    static const Case c[] = {
        {"0", 0}, {"1", 1}, {"42", 42}, {"007", 7}, {"1.5", 1.5}, {".5", 0.5},
        {"5.", 5}, {"0.000125", 0.000125}, {"123456789", 123456789},
    };
    check_ok(c, N(c));
}

static void test_signs(void **state)
{
    (void)state;
    static const Case c[] = {
        {"-1", -1}, {"+1", 1}, {"-2.5e-3", -2.5e-3}, {"+.5", 0.5}, {"-.5k", -500},
        {"-0", 0}, {"-1meg", -1e6},
    };
    check_ok(c, N(c));
}

static void test_exponents(void **state)
{
    (void)state;
    static const Case c[] = {
        {"1e-3", 1e-3}, {"1E+3", 1e3}, {"1e3", 1e3}, {"2.5E-12", 2.5e-12}, {".5e1", 5},
        {"5.e2", 500}, {"1e0", 1}, {"1e+0", 1}, {"1.5e3k", 1.5e6}, {"3e-3meg", 3e3},
    };
    check_ok(c, N(c));
}

static void test_suffixes_lower(void **state)
{
    (void)state;
    static const Case c[] = {
        {"1t", 1e12}, {"1g", 1e9}, {"1meg", 1e6}, {"1k", 1e3}, {"1m", 1e-3},
        {"1mil", 25.4e-6}, {"1u", 1e-6}, {"1n", 1e-9}, {"1p", 1e-12}, {"1f", 1e-15},
        {"1a", 1e-18}, {"2.2k", 2200}, {"4.7u", 4.7e-6}, {"10mil", 254e-6},
    };
    check_ok(c, N(c));
}

static void test_suffixes_case(void **state)
{
    (void)state;
    static const Case c[] = {
        {"1T", 1e12}, {"1G", 1e9}, {"1MEG", 1e6}, {"1Meg", 1e6}, {"1mEg", 1e6},
        {"1K", 1e3}, {"1M", 1e-3},   /* M is milli, as in every SPICE: MEG is mega */
        {"1MIL", 25.4e-6}, {"1Mil", 25.4e-6}, {"1U", 1e-6}, {"1N", 1e-9}, {"1P", 1e-12},
        {"1F", 1e-15}, {"1A", 1e-18},
    };
    check_ok(c, N(c));
}

static void test_micro_sign(void **state)
{
    (void)state;
    static const Case c[] = {
        {"1\xC2\xB5", 1e-6}, {"4.7\xC2\xB5" "F", 4.7e-6}, {"-2\xC2\xB5s", -2e-6},
    };
    check_ok(c, N(c));
}

/* letters after the number and its scale are units and ignored */
static void test_units(void **state)
{
    (void)state;
    static const Case c[] = {
        {"10kOhm", 1e4}, {"1uF", 1e-6}, {"5ns", 5e-9}, {"3V", 3}, {"2A", 2e-18},
        {"1F", 1e-15},       /* femto, not farad */
        {"1MOhm", 1e-3},     /* milli-ohm: the classic SPICE trap */
        {"1MegOhm", 1e6}, {"100pF", 100e-12}, {"1Hz", 1}, {"1e3Hz", 1e3},
        {"1e", 1},           /* 'e' with no exponent digits is a unit letter */
        {"1mils", 25.4e-6}, {"1meter", 1e-3},
    };
    check_ok(c, N(c));
}

static void test_not_numbers(void **state)
{
    (void)state;
    static const char *const s[] = {
        "", "-", "+", ".", "-.", "abc", "k", "e3", "E3", "1.2.3", "2n5", "0x10", "1e-",
        "1e+", "1k2", "1 k", " 1", "1 ", "--1", "+-1", "1..", "1_000", "1,5", "n$1",
        "1kΩ", "inf", "nan", "x1",
    };
    check_bad(s, N(s));
}

static void test_range(void **state)
{
    (void)state;
    static const Case c[] = {
        {"1e308", 1e308}, {"1.7e308", 1.7e308}, {"1e-300", 1e-300},
        {"1e-400", 0},       /* underflow: too small to represent is zero */
        {"1e-310meg", 1e-304},
    };
    check_ok(c, N(c));
    static const char *const s[] = {"1e309", "-1e309", "1e308k", "1e300t", "1e99999", "2e308"};
    check_bad(s, N(s));
}

static void test_prefix(void **state)
{
    (void)state;
    double v = 0;
    assert_int_equal(spice_number_prefix("1k+2", &v), 2);
    assert_true(v == 1e3);
    assert_int_equal(spice_number_prefix("2.5megohm*x", &v), 9);
    assert_true(v == 2.5e6);
    assert_int_equal(spice_number_prefix("1e-3)", &v), 4);
    assert_true(v == 1e-3);
    assert_int_equal(spice_number_prefix("1e)", &v), 2);
    assert_true(v == 1);
    assert_int_equal(spice_number_prefix("-1", &v), 0);   /* sign is the caller's */
    assert_int_equal(spice_number_prefix("abc", &v), 0);
    assert_int_equal(spice_number_prefix(".", &v), 0);
    assert_int_equal(spice_number_prefix("3", NULL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_signs),
        cmocka_unit_test(test_exponents),
        cmocka_unit_test(test_suffixes_lower),
        cmocka_unit_test(test_suffixes_case),
        cmocka_unit_test(test_micro_sign),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_not_numbers),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
