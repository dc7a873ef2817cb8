#include "circuit/deck.h"

#include <stdlib.h>

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
    o->maxelements = DECK_MAX_ELEMENTS;
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
