/* The .meas table beside the raw file (<raw without .raw>.meas.csv): a
 * header of the stepped parameters then the measurements in netlist order,
 * one row per .step point (one row without .step); values with %.17g,
 * a failed measurement an empty cell. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/sink.h"
#include "util/xmem.h"

struct MeasTable {
    FILE *fp;
    char *path;
    int ncols;      /* measurements */
    int failed;
};

static int fail(MeasTable *t, Diag *d, int err)
{
    if (!t->failed) diag_error(d, NULL, "cannot write the .meas table '%s': %s", t->path, err ? strerror(err) : "write error");
    t->failed = 1;
    return -1;
}

MeasTable *meas_table_open(const char *path, const char *const *step_names, int nstep, char *const *names, int n,
                           Diag *d)
{
    FILE *fp = fopen(path, "w");
    if (!fp) {
        diag_error(d, NULL, "cannot create the .meas table '%s': %s", path, strerror(errno));
        return NULL;
    }
    MeasTable *t = xcalloc(1, sizeof *t);
    t->fp = fp;
    t->path = xstrdup(path);
    t->ncols = n;
    for (int k = 0; k < nstep; k++) fprintf(fp, "%s%s", k ? "," : "", step_names[k]);
    for (int k = 0; k < n; k++) fprintf(fp, "%s%s", k || nstep ? "," : "", names[k]);
    if (fputc('\n', fp) == EOF) fail(t, d, errno);
    return t;
}

int meas_table_row(MeasTable *t, const double *step_vals, int nstep, const double *vals, const char *ok, int n,
                   Diag *d)
{
    if (t->failed) return -1;
    for (int k = 0; k < nstep; k++) fprintf(t->fp, k ? ",%.17g" : "%.17g", step_vals[k]);
    for (int k = 0; k < t->ncols; k++) {
        if (k || nstep) fputc(',', t->fp);
        if (k < n && ok[k]) fprintf(t->fp, "%.17g", vals[k]);
    }
    if (fputc('\n', t->fp) == EOF || fflush(t->fp)) return fail(t, d, errno);
    return 0;
}

int meas_table_close(MeasTable *t, Diag *d)
{
    if (!t) return 0;
    int rc = t->failed ? -1 : 0;
    if (fclose(t->fp) && !t->failed) rc = fail(t, d, errno);
    free(t->path);
    free(t);
    return rc;
}
