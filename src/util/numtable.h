/* Numeric tables read from files: a model's data table (Xyce's memristor
 * level 4 f(x) files) and, later, matrices of initial states.
 *
 * Format: one row per line, numbers (1e-3, -0.5, with SPICE suffixes: 1m) separated by
 * commas, semicolons, tabs or spaces; blank lines and lines whose first
 * non-blank character is '#' or '*' are skipped. Every row has the same
 * number of columns. */
#ifndef MS_NUMTABLE_H
#define MS_NUMTABLE_H

#include <stddef.h>

typedef struct NumTable {
    int rows, cols;
    double *v;           /* rows x cols, row-major */
} NumTable;

/* Read `path`. 0 on success; -1 with a message "path:line: ..." (or
 * "path: <strerror>") in err. An empty table is an error. */
int numtable_read(const char *path, NumTable *t, char *err, size_t nerr);
void numtable_free(NumTable *t);

static inline double numtable_at(const NumTable *t, int r, int c)
{
    return t->v[(size_t)r * (size_t)t->cols + (size_t)c];
}

#endif
