/* Linear controlled sources (SPICE E, F, G, H):
 *   E  VCVS  v(n+,n-) = gain * v(nc+,nc-)     branch current unknown
 *   G  VCCS  i(n+->n-) = gm * v(nc+,nc-)
 *   F  CCCS  i(n+->n-) = gain * i(vctl)
 *   H  CCVS  v(n+,n-) = r * i(vctl)           branch current unknown
 * Controlling currents are branch unknowns of the referenced element. */
#include <math.h>
#include <stdlib.h>

#include "engine/mna.h"

typedef struct Ctl {
    Instance in;
    int a, b, c, d, k, kc;       /* output rows, control rows, own branch, controlling branch */
    int h[8];
} Ctl;

static const ParamDesc gain_param[] = {{"gain", "", 0, PF_REQUIRED, "gain"}};
static const ParamDesc gm_param[] = {{"gm", "S", 0, PF_REQUIRED, "transconductance"}};
static const ParamDesc r_param[] = {{"r", "ohm", 0, PF_REQUIRED, "transresistance"}};

static int branch_setup(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Ctl *x = (Ctl *)group_inst(g, i);
        char *name = xasprintf("i(%s)", x->in.name);
        x->k = mna_add_unknown(s, &x->in, UK_CURRENT, name, 0, 0);
        free(name);
        x->in.branch = x->k;
    }
    return 0;
}

static void rows(Ctl *x, SetupCtx *s)
{
    x->a = mna_node_row(s, x->in.nodes[0]);
    x->b = mna_node_row(s, x->in.nodes[1]);
    if (x->in.type->nterm == 4) {
        x->c = mna_node_row(s, x->in.nodes[2]);
        x->d = mna_node_row(s, x->in.nodes[3]);
    }
    if (x->in.type->nrefs) x->kc = x->in.refs[0]->branch;
}

/* entries of a voltage-defining output: KCL columns and branch-row columns */
static void reserve_vout(Ctl *x, SetupCtx *s)
{
    x->h[0] = mna_reserve(s, x->a, x->k);
    x->h[1] = mna_reserve(s, x->b, x->k);
    x->h[2] = mna_reserve(s, x->k, x->a);
    x->h[3] = mna_reserve(s, x->k, x->b);
}

static void load_vout(Ctl *x, LoadCtx *c)
{
    double cur = c->y[x->k], vab = c->y[x->a] - c->y[x->b];
    load_f(c, x->a, cur, fabs(cur));
    load_f(c, x->b, -cur, fabs(cur));
    load_f(c, x->k, vab, fabs(vab));
    c->G[x->h[0]] += 1;
    c->G[x->h[1]] -= 1;
    c->G[x->h[2]] += 1;
    c->G[x->h[3]] -= 1;
}

/* ---- E: VCVS ---- */
static void vcvs_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Ctl *x = (Ctl *)group_inst(g, i);
        rows(x, s);
        reserve_vout(x, s);
        x->h[4] = mna_reserve(s, x->k, x->c);
        x->h[5] = mna_reserve(s, x->k, x->d);
    }
}

static void vcvs_load(InstGroup *g, LoadCtx *c)
{
    for (int i = 0; i < g->n; i++) {
        Ctl *x = (Ctl *)group_inst(g, i);
        double gain = x->in.p[0];
        load_vout(x, c);
        double vc = gain * (c->y[x->c] - c->y[x->d]);
        load_f(c, x->k, -vc, fabs(vc));
        c->G[x->h[4]] -= gain;
        c->G[x->h[5]] += gain;
    }
}

/* ---- G: VCCS ---- */
static void vccs_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Ctl *x = (Ctl *)group_inst(g, i);
        rows(x, s);
        x->h[0] = mna_reserve(s, x->a, x->c);
        x->h[1] = mna_reserve(s, x->a, x->d);
        x->h[2] = mna_reserve(s, x->b, x->c);
        x->h[3] = mna_reserve(s, x->b, x->d);
    }
}

static void vccs_load(InstGroup *g, LoadCtx *c)
{
    for (int i = 0; i < g->n; i++) {
        Ctl *x = (Ctl *)group_inst(g, i);
        double gm = x->in.p[0], cur = gm * (c->y[x->c] - c->y[x->d]);
        load_f(c, x->a, cur, fabs(cur));
        load_f(c, x->b, -cur, fabs(cur));
        c->G[x->h[0]] += gm;
        c->G[x->h[1]] -= gm;
        c->G[x->h[2]] -= gm;
        c->G[x->h[3]] += gm;
    }
}

/* ---- F: CCCS ---- */
static void cccs_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Ctl *x = (Ctl *)group_inst(g, i);
        rows(x, s);
        x->h[0] = mna_reserve(s, x->a, x->kc);
        x->h[1] = mna_reserve(s, x->b, x->kc);
    }
}

static void cccs_load(InstGroup *g, LoadCtx *c)
{
    for (int i = 0; i < g->n; i++) {
        Ctl *x = (Ctl *)group_inst(g, i);
        double gain = x->in.p[0], cur = gain * c->y[x->kc];
        load_f(c, x->a, cur, fabs(cur));
        load_f(c, x->b, -cur, fabs(cur));
        c->G[x->h[0]] += gain;
        c->G[x->h[1]] -= gain;
    }
}

/* ---- H: CCVS ---- */
static void ccvs_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Ctl *x = (Ctl *)group_inst(g, i);
        rows(x, s);
        reserve_vout(x, s);
        x->h[4] = mna_reserve(s, x->k, x->kc);
    }
}

static void ccvs_load(InstGroup *g, LoadCtx *c)
{
    for (int i = 0; i < g->n; i++) {
        Ctl *x = (Ctl *)group_inst(g, i);
        double r = x->in.p[0];
        load_vout(x, c);
        double vc = r * c->y[x->kc];
        load_f(c, x->k, -vc, fabs(vc));
        c->G[x->h[4]] -= r;
    }
}

/* G n+ n- nc+ nc- gm whose control shares a node with its output is a
 * conductance between n+ and n- (G1 s 0 s 0 1m is a 1 kohm resistor) */
static int vccs_dc_conducts(const Instance *in)
{
    for (int t = 2; t < 4; t++)
        if (in->nodes[t] != 0 && (in->nodes[t] == in->nodes[0] || in->nodes[t] == in->nodes[1])) return 1;
    return 0;
}

static const char *const terms4[] = {"n+", "n-", "nc+", "nc-"};
static const char *const terms2[] = {"n+", "n-"};
static const char *const pos_gain[] = {"gain", NULL};
static const char *const pos_gm[] = {"gm", NULL};
static const char *const pos_r[] = {"r", NULL};
static const TermPair out_pair[] = {{0, 1}};

const DeviceType device_vcvs = {
    .name = "vcvs",
    .summary = "voltage-controlled voltage source",
    .letter = 'E',
    .flags = DEV_LINEAR | DEV_BRANCH,
    .nterm = 4,
    .term_names = terms4,
    .positional = pos_gain,
    .inst_params = gain_param,
    .n_inst_params = 1,
    .dc_paths = out_pair,
    .n_dc_paths = 1,
    .vdef = out_pair,
    .n_vdef = 1,
    .inst_size = sizeof(Ctl),
    .setup = branch_setup,
    .reserve = vcvs_reserve,
    .load = vcvs_load,
};

const DeviceType device_vccs = {
    .name = "vccs",
    .summary = "voltage-controlled current source",
    .letter = 'G',
    .flags = DEV_LINEAR,
    .nterm = 4,
    .term_names = terms4,
    .positional = pos_gm,
    .inst_params = gm_param,
    .n_inst_params = 1,
    .dc_conducts = vccs_dc_conducts,
    .inst_size = sizeof(Ctl),
    .reserve = vccs_reserve,
    .load = vccs_load,
};

const DeviceType device_cccs = {
    .name = "cccs",
    .summary = "current-controlled current source",
    .letter = 'F',
    .flags = DEV_LINEAR,
    .nterm = 2,
    .term_names = terms2,
    .nrefs = 1,
    .ref_flags = DEV_BRANCH,
    .positional = pos_gain,
    .inst_params = gain_param,
    .n_inst_params = 1,
    .inst_size = sizeof(Ctl),
    .reserve = cccs_reserve,
    .load = cccs_load,
};

const DeviceType device_ccvs = {
    .name = "ccvs",
    .summary = "current-controlled voltage source",
    .letter = 'H',
    .flags = DEV_LINEAR | DEV_BRANCH,
    .nterm = 2,
    .term_names = terms2,
    .nrefs = 1,
    .ref_flags = DEV_BRANCH,
    .positional = pos_r,
    .inst_params = r_param,
    .n_inst_params = 1,
    .dc_paths = out_pair,
    .n_dc_paths = 1,
    .vdef = out_pair,
    .n_vdef = 1,
    .inst_size = sizeof(Ctl),
    .setup = branch_setup,
    .reserve = ccvs_reserve,
    .load = ccvs_load,
};
