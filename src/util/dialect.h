/* The netlist dialects memspice reads (--dialect, docs/dialects.md). The
 * differences that depend on it are few and listed there; everything the
 * dialects do not disagree on is accepted in all of them. */
#ifndef MS_DIALECT_H
#define MS_DIALECT_H

typedef enum { DIALECT_NGSPICE = 0, DIALECT_XYCE, DIALECT_LTSPICE, DIALECT_HSPICE, DIALECT_COUNT } Dialect;

static inline const char *dialect_name(Dialect d)
{
    static const char *const names[] = {"ngspice", "xyce", "ltspice", "hspice"};
    return d >= 0 && d < DIALECT_COUNT ? names[d] : "?";
}

/* -1 if `name` is none of them */
static inline int dialect_parse(const char *name)
{
    for (int d = 0; d < DIALECT_COUNT; d++) {
        const char *a = dialect_name((Dialect)d), *b = name;
        while (*a && (*b | 0x20) == *a) a++, b++;
        if (!*a && !*b) return d;
    }
    return -1;
}

#endif
