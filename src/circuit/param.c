#include "circuit/param.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/suggest.h"
#include "util/xmem.h"

int param_index(const ParamDesc *tab, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(tab[i].name, name) == 0) return i;
    return -1;
}

const char *param_suggest(const ParamDesc *tab, int n, const char *name)
{
    const char **names = xmalloc((size_t)(n ? n : 1) * sizeof *names);
    for (int i = 0; i < n; i++) names[i] = tab[i].name;
    const char *s = suggest_closest(name, names, n);
    free(names);
    return s;
}

void param_defaults(const ParamDesc *tab, int n, double *vals, unsigned char *given)
{
    for (int i = 0; i < n; i++) {
        vals[i] = tab[i].def;
        if (given) given[i] = 0;
    }
}

int param_validate(const ParamDesc *tab, int n, const double *vals, const unsigned char *given,
                   char *msg, int msglen)
{
    for (int i = 0; i < n; i++) {
        const ParamDesc *p = &tab[i];
        double v = vals[i];
        if ((p->flags & PF_REQUIRED) && !(given && given[i])) {
            snprintf(msg, (size_t)msglen, "missing value for parameter '%s' (%s)", p->name, p->help);
            return -1;
        }
        const char *need = NULL;
        if (!isfinite(v)) need = "finite";
        else if ((p->flags & PF_POSITIVE) && !(v > 0)) need = "positive";
        else if ((p->flags & PF_NONNEG) && !(v >= 0)) need = "non-negative";
        else if ((p->flags & PF_NONZERO) && v == 0) need = "non-zero";
        else if ((p->flags & PF_INTEGER) && v != floor(v)) need = "a whole number";
        if (need) {
            snprintf(msg, (size_t)msglen, "parameter '%s' must be %s, got %g", p->name, need, v);
            return -1;
        }
    }
    return 0;
}
