/* Mutual inductance K between two inductors: M = k sqrt(L1 L2) adds the
 * coupled flux to each inductor's branch equation:
 *   Q(L1) -= M i2,   Q(L2) -= M i1      (same sign convention as L's Q = -L i) */
#include <math.h>
#include <stdio.h>

#include "engine/mna.h"

typedef struct Mutual {
    Instance in;
    int k1, k2;
    int h12, h21;
    double m;
} Mutual;

enum { P_K, NP };
static const ParamDesc mut_params[NP] = {
    [P_K] = {"k", "", 0, PF_REQUIRED, "coupling coefficient, -1 <= k <= 1"},
};

static double ind_value(const Instance *l)
{
    /* the referenced instance is an inductor (ref_flags): its "l" over "m" */
    int il = param_index(l->type->inst_params, l->type->n_inst_params, "l");
    int im = param_index(l->type->inst_params, l->type->n_inst_params, "m");
    return l->p[il] / (im >= 0 ? l->p[im] : 1);
}

static int mut_check(Instance *in, const Circuit *ckt, Diag *d)
{
    (void)ckt;
    double k = in->p[P_K];
    if (fabs(k) > 1) {
        diag_error(d, &in->loc, "%s: coupling coefficient must be between -1 and 1, got %g", in->name, k);
        return -1;
    }
    if (in->refs[0] == in->refs[1]) {
        diag_error(d, &in->loc, "%s: couples %s with itself", in->name, in->refs[0]->name);
        return -1;
    }
    return 0;
}

static void mut_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Mutual *m = (Mutual *)group_inst(g, i);
        m->k1 = m->in.refs[0]->branch;
        m->k2 = m->in.refs[1]->branch;
        m->m = m->in.p[P_K] * sqrt(ind_value(m->in.refs[0]) * ind_value(m->in.refs[1]));
        m->h12 = mna_reserve_dyn(s, m->k1, m->k2);
        m->h21 = mna_reserve_dyn(s, m->k2, m->k1);
    }
}

static void mut_load(InstGroup *g, LoadCtx *c)
{
    for (int i = 0; i < g->n; i++) {
        Mutual *m = (Mutual *)group_inst(g, i);
        c->Q[m->k1] -= m->m * c->y[m->k2];
        c->Q[m->k2] -= m->m * c->y[m->k1];
        c->C[m->h12] -= m->m;
        c->C[m->h21] -= m->m;
    }
}

static const char *const mut_pos[] = {"k", NULL};

const DeviceType device_mutual = {
    .name = "mutual",
    .summary = "mutual inductance between two inductors",
    .letter = 'K',
    .flags = DEV_LINEAR,
    .nterm = 0,
    .nrefs = 2,
    .ref_flags = DEV_INDUCTOR,
    .positional = mut_pos,
    .model_use = MODEL_NONE,
    .inst_params = mut_params,
    .n_inst_params = NP,
    .inst_size = sizeof(Mutual),
    .check = mut_check,
    .reserve = mut_reserve,
    .load = mut_load,
};
