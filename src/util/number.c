#include "number.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double suffix_scale(const char *s, size_t *len)
{
    char c0 = (char)tolower((unsigned char)s[0]);
    *len = 0;
    if (c0 == 'm' && tolower((unsigned char)s[1]) == 'e' && tolower((unsigned char)s[2]) == 'g') {
        *len = 3;
        return 1e6;
    }
    if (c0 == 'm' && tolower((unsigned char)s[1]) == 'i' && tolower((unsigned char)s[2]) == 'l') {
        *len = 3;
        return 25.4e-6;
    }
    if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xB5) { /* UTF-8 micro sign */
        *len = 2;
        return 1e-6;
    }
    *len = 1;
    switch (c0) {
    case 't': return 1e12;
    case 'g': return 1e9;
    case 'k': return 1e3;
    case 'm': return 1e-3;
    case 'u': return 1e-6;
    case 'n': return 1e-9;
    case 'p': return 1e-12;
    case 'f': return 1e-15;
    case 'a': return 1e-18;
    default: *len = 0; return 1.0;
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
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        if (*q == '+' || *q == '-') q++;
        if (isdigit((unsigned char)*q)) {
            while (isdigit((unsigned char)*q)) q++;
            p = q;
        }
    }
    /* strtod on a copy of exactly the span we accepted (strtod alone would
     * also take hex and other forms SPICE does not have) */
    char tmp[128];
    size_t span = (size_t)(p - s);
    if (span >= sizeof tmp) return 0;
    memcpy(tmp, s, span);
    tmp[span] = '\0';
    double x = strtod(tmp, NULL);
    size_t sl;
    double scale = suffix_scale(p, &sl);
    p += sl;
    while (isalpha((unsigned char)*p)) p++;     /* units: 10kOhm, 1uF */
    if (v) *v = x * scale;
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
