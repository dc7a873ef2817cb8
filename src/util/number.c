#include "number.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Xyce: a trailing A is the unit ampere, not atto (spice_number_ampere).
 * Set once, before any netlist is read (threads only read it). */
static int ampere_unit;

void spice_number_ampere(int on)
{
    ampere_unit = on;
}

/* scale suffix at s: its length in *len and its power of ten in *exp10
 * (mil, the one that is not a power of ten, returns its factor in *mul) */
static void suffix_scale(const char *s, size_t *len, int *exp10, double *mul)
{
    char c0 = (char)tolower((unsigned char)s[0]);
    *len = 0;
    *exp10 = 0;
    *mul = 1;
    if (c0 == 'm' && tolower((unsigned char)s[1]) == 'e' && tolower((unsigned char)s[2]) == 'g') {
        *len = 3;
        *exp10 = 6;
        return;
    }
    if (c0 == 'm' && tolower((unsigned char)s[1]) == 'i' && tolower((unsigned char)s[2]) == 'l') {
        *len = 3;
        *mul = 25.4e-6;
        return;
    }
    if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xB5) { /* UTF-8 micro sign */
        *len = 2;
        *exp10 = -6;
        return;
    }
    if ((unsigned char)s[0] == 0xB5) {   /* Latin-1 / Windows-1252 micro sign (LTspice exports) */
        *len = 1;
        *exp10 = -6;
        return;
    }
    *len = 1;
    switch (c0) {
    case 't': *exp10 = 12; return;
    case 'g': *exp10 = 9; return;
    case 'k': *exp10 = 3; return;
    case 'm': *exp10 = -3; return;
    case 'u': *exp10 = -6; return;
    case 'n': *exp10 = -9; return;
    case 'p': *exp10 = -12; return;
    case 'f': *exp10 = -15; return;
    case 'a':   /* atto, except in Xyce's dialect, where A is amperes (a unit, ignored) */
        if (ampere_unit) {
            *len = 0;
            return;
        }
        *exp10 = -18;
        return;
    default: *len = 0; return;
    }
}

size_t spice_number_prefix(const char *s, double *v)
{
    const char *p = s;
    int digits = 0;
    while (isdigit((unsigned char)*p)) p++, digits++;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) p++, digits++;
    }
    if (!digits) return 0;
    const char *mant_end = p;
    long e10 = 0;
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        int neg = *q == '-';
        if (*q == '+' || *q == '-') q++;
        if (isdigit((unsigned char)*q)) {
            for (; isdigit((unsigned char)*q); q++)
                if (e10 < 100000) e10 = e10 * 10 + (*q - '0');
            if (neg) e10 = -e10;
            p = q;
        }
    }
    size_t sl;
    int sx;
    double mul;
    suffix_scale(p, &sl, &sx, &mul);
    /* strtod on a copy of exactly the mantissa we accepted (strtod alone
     * would also take hex and other forms SPICE does not have), with the
     * suffix folded into the exponent: "3n" is read as 3e-9, correctly
     * rounded, not 3 * 1e-9 (which is 3.0000000000000004e-9) */
    char tmp[160];
    size_t span = (size_t)(mant_end - s);
    if (span >= sizeof tmp - 16) return 0;
    memcpy(tmp, s, span);
    snprintf(tmp + span, sizeof tmp - span, "e%ld", e10 + sx);
    double x = strtod(tmp, NULL);
    p += sl;
    while (isalpha((unsigned char)*p)) p++;     /* units: 10kOhm, 1uF */
    if (v) *v = x * mul;
    return (size_t)(p - s);
}

int spice_number(const char *s, double *v)
{
    const char *p = s;
    int neg = 0;
    if (*p == '+' || *p == '-') neg = (*p++ == '-');
    double x;
    size_t n = spice_number_prefix(p, &x);
    if (!n || p[n] != '\0') return 0;
    if (!isfinite(x)) return 0;
    if (v) *v = neg ? -x : x;
    return 1;
}
