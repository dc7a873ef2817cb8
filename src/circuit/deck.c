#include "circuit/deck.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"

void simoptions_defaults(SimOptions *o)
{
    /* SPICE3 / ngspice defaults */
    o->reltol = 1e-3;
    o->abstol = 1e-12;
    o->vntol = 1e-6;
    o->chgtol = 1e-14;
    o->trtol = 7.0;
    o->gmin = 1e-12;
    o->method = METHOD_TRAP;
    o->maxord = 2;
    o->itl1 = 100;
    o->itl4 = 10;
    o->temp = 27.0;
    o->tnom = 27.0;
    o->gminsteps = 10;
    o->srcsteps = 10;
    o->chord = 1;
    o->predictor = 1;
    o->condense = 1;
    o->maxelements = DECK_MAX_ELEMENTS;
}

typedef struct OptDesc {
    const char *name;
    size_t off;
    int is_int;
} OptDesc;

#define OPT_D(n) {#n, offsetof(SimOptions, n), 0}
#define OPT_I(n) {#n, offsetof(SimOptions, n), 1}
static const OptDesc options[] = {
    OPT_D(reltol), OPT_D(abstol), OPT_D(vntol), OPT_D(chgtol), OPT_D(trtol), OPT_D(gmin), OPT_I(maxord),
    OPT_I(itl1), OPT_I(itl4), OPT_D(temp), OPT_D(tnom), OPT_I(gminsteps), OPT_I(srcsteps),
    OPT_I(chord), OPT_I(predictor), OPT_I(condense), OPT_D(maxelements), OPT_I(num_threads),
};

int simoptions_has(const char *name)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (strcmp(name, options[i].name) == 0) return 1;
    return 0;
}

int simoptions_set(SimOptions *o, const char *name, double v)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        if (strcmp(name, options[i].name) != 0) continue;
        char *field = (char *)o + options[i].off;
        if (options[i].is_int) {
            /* checked before the conversion: a value out of int's range is undefined behaviour */
            if (!(v == floor(v) && fabs(v) <= 1e9)) return -2;
            *(int *)field = (int)v;
        } else {
            *(double *)field = v;
        }
        return 0;
    }
    return -1;
}

const char *simoptions_check(const SimOptions *op)
{
    if (op->maxord < 1 || op->maxord > 2) return "maxord must be 1 or 2";
    if (!(op->reltol > 0 && op->abstol > 0 && op->vntol > 0 && op->chgtol > 0 && op->trtol > 0 && op->gmin >= 0))
        return "tolerances must be positive";
    if (!(op->maxelements >= 1)) return "maxelements must be at least 1";
    if (op->num_threads < 0) return "num_threads must be 0 (one per core) or more";
    if (!(op->temp >= -273.15) || !(op->tnom >= -273.15)) return "temp and tnom must not be below absolute zero (-273.15 C)";
    if (op->itl1 < 1 || op->itl4 < 1) return "iteration limits itl1 and itl4 must be at least 1";
    return NULL;
}

static void free_reqs(OutReq *r, int n)
{
    for (int i = 0; i < n; i++) {
        free(r[i].text);
        inst_expr_free(r[i].expr);
    }
}

void deck_free(Deck *d)
{
    if (!d) return;
    free(d->title);
    circuit_free(d->ckt);
    for (int i = 0; i < d->an.n; i++)
        for (int k = 0; k < d->an.v[i].nsweep; k++) free(d->an.v[i].sweep[k].source);
    VEC_FREE(d->an);
    free_reqs(d->save.v, d->save.n);
    VEC_FREE(d->save);
    free_reqs(d->print.v, d->print.n);
    VEC_FREE(d->print);
    for (int i = 0; i < d->meas.n; i++) {
        free(d->meas.v[i].name);
        expr_prog_free(d->meas.v[i].param);
    }
    VEC_FREE(d->meas);
    free_reqs(d->meas_sig.v, d->meas_sig.n);
    VEC_FREE(d->meas_sig);
    VEC_FREE(d->ic);
    VEC_FREE(d->nodeset);
    free(d);
}
