/* Inductor with branch current i (unknown "i(name)"):
 *   KCL:    i leaves n+ and enters n-
 *   branch: v(n+) - v(n-) + d/dt(-L i) = 0,  i.e. F = v+ - v-,  Q = -L i
 * At DC it is a short. ic= is the initial current for .tran ... uic. */
#include <math.h>
#include <stdlib.h>

#include "engine/mna.h"

typedef struct Inductor {
    Instance in;
    int a, b, k;
    int hak, hbk, hka, hkb, hkk;
    double l;
} Inductor;

enum { P_L, P_IC, P_M, NP };
static const ParamDesc ind_params[NP] = {
    [P_L] = {"l", "H", 0, PF_REQUIRED | PF_POSITIVE, "inductance"},
    [P_IC] = {"ic", "A", 0, 0, "initial current (used with .tran ... uic)"},
    [P_M] = {"m", "", 1, PF_POSITIVE, "number of parallel devices"},
};

static int ind_setup(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Inductor *d = (Inductor *)group_inst(g, i);
        char *name = xasprintf("i(%s)", d->in.name);
        d->k = mna_add_unknown(s, &d->in, UK_CURRENT, name, 0, 0);
        free(name);
        d->in.branch = d->k;
        d->l = d->in.p[P_L] / d->in.p[P_M];
    }
    return 0;
}

static void ind_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Inductor *d = (Inductor *)group_inst(g, i);
        d->a = mna_node_row(s, d->in.nodes[0]);
        d->b = mna_node_row(s, d->in.nodes[1]);
        d->hak = mna_reserve(s, d->a, d->k);
        d->hbk = mna_reserve(s, d->b, d->k);
        d->hka = mna_reserve(s, d->k, d->a);
        d->hkb = mna_reserve(s, d->k, d->b);
        d->hkk = mna_reserve_dyn(s, d->k, d->k);
    }
}

static void ind_load(InstGroup *g, LoadCtx *c)
{
    const double *y = c->y;
    for (int i = 0; i < g->n; i++) {
        Inductor *d = (Inductor *)group_inst(g, i);
        double cur = y[d->k], vab = y[d->a] - y[d->b];
        load_f(c, d->a, cur, fabs(cur));
        load_f(c, d->b, -cur, fabs(cur));
        load_f(c, d->k, vab, fabs(vab));
        c->Q[d->k] -= d->l * y[d->k];
        c->G[d->hak] += 1;
        c->G[d->hbk] -= 1;
        c->G[d->hka] += 1;
        c->G[d->hkb] -= 1;
        c->C[d->hkk] -= d->l;
    }
}

static void ind_init_uic(InstGroup *g, double *y, const LoadCtx *c)
{
    (void)c;
    for (int i = 0; i < g->n; i++) {
        Inductor *d = (Inductor *)group_inst(g, i);
        if (d->in.given[P_IC]) y[d->k] = d->in.p[P_IC];
    }
}

static const char *const ind_terms[] = {"n+", "n-"};
static const char *const ind_pos[] = {"l", NULL};
static const TermPair ind_pair[] = {{0, 1}};

const DeviceType device_inductor = {
    .name = "inductor",
    .summary = "linear inductor (branch current unknown)",
    .letter = 'L',
    .flags = DEV_LINEAR | DEV_BRANCH | DEV_INDUCTOR,
    .nterm = 2,
    .term_names = ind_terms,
    .positional = ind_pos,
    .model_use = MODEL_NONE,
    .inst_params = ind_params,
    .n_inst_params = NP,
    .dc_paths = ind_pair,
    .n_dc_paths = 1,
    .vdef = ind_pair,
    .n_vdef = 1,
    .inst_size = sizeof(Inductor),
    .setup = ind_setup,
    .reserve = ind_reserve,
    .load = ind_load,
    .init_uic = ind_init_uic,
};
