/* Diagnostics: every message the user sees about their input or a failed
 * simulation goes through here, formatted like a compiler:
 *
 *   rc.cir:12:5: error: unknown parameter 'alphaof' ...
 *      12 | .model m memristor level=2 alphaof=3
 *         |     ^
 *
 * Messages are written to `out` as they come (if set) and kept in `buf`, so
 * tests and library callers can inspect them. Errors are values: code that
 * reports an error returns a failure status to its caller. */
#ifndef MS_DIAG_H
#define MS_DIAG_H

#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>

/* A place in the input. `file` and `text` point into storage owned by the
 * SourceSet (src/netlist/source.h) that outlives every use of the location.
 * line and col are 1-based; 0 means unknown. `text` is the physical line
 * (without newline) for quoting, or NULL. */
typedef struct SrcLoc {
    const char *file;
    int line;
    int col;
    const char *text;
} SrcLoc;

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

typedef struct Diag {
    FILE *out;            /* NULL: keep in buf only */
    int nerrors, nwarnings;
    int max_errors;       /* errors beyond this are counted, not printed */
    char *buf;            /* every printed message, NUL-terminated */
    size_t len, cap;
} Diag;

void diag_init(Diag *d, FILE *out);
void diag_free(Diag *d);
/* loc may be NULL (no location: "memspice: error: ...") */
void diag_error(Diag *d, const SrcLoc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(Diag *d, const SrcLoc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_note(Diag *d, const SrcLoc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_message(Diag *d, DiagLevel level, const SrcLoc *loc, const char *fmt, va_list ap);
/* plain text appended to the log (no prefix, no newline added) */
void diag_printf(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "file:line" as text into buf (for "defined at ..." lists) */
const char *srcloc_str(const SrcLoc *loc, char *buf, size_t n);

#endif
