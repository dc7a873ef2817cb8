/* Numeric table files (numtable.h). */
#include "util/numtable.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/number.h"
#include "util/xmem.h"

static int is_sep(int c)
{
    return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int numtable_read(const char *path, NumTable *t, char *err, size_t nerr)
{
    *t = (NumTable){0};
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, nerr, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 0, n = 0;
    char *line = NULL;
    size_t lcap = 0;
    int lineno = 0, rc = 0;
    while (getline(&line, &lcap, f) >= 0) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '#' || *p == '*' || *p == '\n' || *p == '\r' || *p == '\0') continue;
        int cols = 0;
        for (;;) {
            while (*p && is_sep((unsigned char)*p)) p++;
            if (!*p) break;
            size_t len = strcspn(p, ",; \t\r\n");
            char tok[64];
            double x;
            if (len >= sizeof tok || (memcpy(tok, p, len), tok[len] = '\0', !spice_number(tok, &x)) || !isfinite(x)) {
                snprintf(err, nerr, "%s:%d: expected a number, got '%.*s'", path, lineno, (int)(len > 40 ? 40 : len), p);
                rc = -1;
                goto done;
            }
            char *end = p + len;
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                t->v = xrealloc(t->v, cap * sizeof *t->v);
            }
            t->v[n++] = x;
            cols++;
            p = end;
        }
        if (t->rows > 0 && cols != t->cols) {
            snprintf(err, nerr, "%s:%d: %d column%s, the rows before have %d", path, lineno, cols, cols == 1 ? "" : "s",
                     t->cols);
            rc = -1;
            goto done;
        }
        t->cols = cols;
        t->rows++;
    }
    if (ferror(f)) {
        snprintf(err, nerr, "%s: %s", path, strerror(errno));
        rc = -1;
    } else if (t->rows == 0) {
        snprintf(err, nerr, "%s: no numbers in the file", path);
        rc = -1;
    }
done:
    free(line);
    fclose(f);
    if (rc) numtable_free(t);
    return rc;
}

void numtable_free(NumTable *t)
{
    free(t->v);
    *t = (NumTable){0};
}
