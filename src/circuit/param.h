/* Parameter tables: every device and model parameter is described by data.
 * The netlist layer, error messages ("did you mean ...?"), --list-devices and
 * the docs tables are all driven by these descriptions. Values are doubles,
 * indexed by the parameter's position in its table. */
#ifndef MS_PARAM_H
#define MS_PARAM_H

enum {
    PF_REQUIRED = 1 << 0,   /* must be given */
    PF_POSITIVE = 1 << 1,   /* > 0 */
    PF_NONNEG   = 1 << 2,   /* >= 0 */
    PF_INTEGER  = 1 << 3,   /* whole number */
    PF_NONZERO  = 1 << 4,   /* != 0 */
    PF_FLAG     = 1 << 5,   /* may be written as a bare word ("off") meaning 1 */
    /* model parameters only: the value is a file name, read at elaboration
     * as a two-column table x, y with x strictly increasing (Model.tab[k]);
     * the numeric value is the number of rows */
    PF_TABLE    = 1 << 6,
};

typedef struct ParamDesc {
    const char *name;       /* lower-case */
    const char *unit;       /* "ohm", "F", "V", "" ... */
    double def;             /* default when not given */
    unsigned flags;         /* PF_* */
    const char *help;       /* one line */
} ParamDesc;

/* index of `name` in tab[0..n), -1 if absent (name lower-case) */
int param_index(const ParamDesc *tab, int n, const char *name);
/* closest name for a "did you mean" hint, or NULL */
const char *param_suggest(const ParamDesc *tab, int n, const char *name);
/* fill defaults into vals, clear given */
void param_defaults(const ParamDesc *tab, int n, double *vals, unsigned char *given);
/* check flags of given/required values; on failure writes a message
 * ("parameter 'r' must be positive, got -1") into msg and returns -1 */
int param_validate(const ParamDesc *tab, int n, const double *vals, const unsigned char *given,
                   char *msg, int msglen);

#endif
