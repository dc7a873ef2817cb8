/* Independent voltage source with branch current i (unknown "i(name)",
 * positive when current flows into n+ from the circuit, as SPICE):
 *   KCL:    i leaves n+, enters n-
 *   branch: v(n+) - v(n-) - V(t) = 0 */
#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdlib.h>

#include "devices/waveform.h"
#include "engine/mna.h"

typedef struct VSource {
    Instance in;
    int a, b, k;
    int hak, hbk, hka, hkb;
} VSource;

enum { P_DC, P_AC, P_ACPHASE, NP };
static const ParamDesc vs_params[NP] = {
    [P_DC] = {"dc", "V", 0, 0, "DC value"},
    [P_AC] = {"ac", "V", 0, 0, "AC magnitude"},
    [P_ACPHASE] = {"acphase", "deg", 0, 0, "AC phase"},
};

static int vs_setup(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        VSource *v = (VSource *)group_inst(g, i);
        char *name = xasprintf("i(%s)", v->in.name);
        v->k = mna_add_unknown(s, &v->in, UK_CURRENT, name, 0, 0);
        free(name);
        v->in.branch = v->k;
    }
    return 0;
}

static void vs_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        VSource *v = (VSource *)group_inst(g, i);
        v->a = mna_node_row(s, v->in.nodes[0]);
        v->b = mna_node_row(s, v->in.nodes[1]);
        v->hak = mna_reserve(s, v->a, v->k);
        v->hbk = mna_reserve(s, v->b, v->k);
        v->hka = mna_reserve(s, v->k, v->a);
        v->hkb = mna_reserve(s, v->k, v->b);
    }
}

static void vs_load(InstGroup *g, LoadCtx *c)
{
    const double *y = c->y;
    for (int i = 0; i < g->n; i++) {
        VSource *v = (VSource *)group_inst(g, i);
        double val = source_value(&v->in, v->in.p[P_DC], v->in.given[P_DC], c);
        double cur = y[v->k], vab = y[v->a] - y[v->b];
        load_f(c, v->a, cur, fabs(cur));
        load_f(c, v->b, -cur, fabs(cur));
        load_f(c, v->k, vab - val, fmax(fabs(vab), fabs(val)));
        c->G[v->hak] += 1;
        c->G[v->hbk] -= 1;
        c->G[v->hka] += 1;
        c->G[v->hkb] -= 1;
    }
}

/* uic: v(n+) - v(n-) = the source's value at t = 0, for a node left
 * unknown (NaN) when the other is known */
static void vs_init_uic(InstGroup *g, double *y, const LoadCtx *c)
{
    for (int i = 0; i < g->n; i++) {
        VSource *v = (VSource *)group_inst(g, i);
        double val = source_value(&v->in, v->in.p[P_DC], v->in.given[P_DC], c);
        if (isnan(y[v->a]) && !isnan(y[v->b])) y[v->a] = y[v->b] + val;
        else if (!isnan(y[v->a]) && isnan(y[v->b])) y[v->b] = y[v->a] - val;
    }
}

/* AC: F(k) = v(n+) - v(n-) - V, so b(k) = +V_ac (phase in degrees) */
static void vs_ac_rhs(InstGroup *g, double *re, double *im)
{
    for (int i = 0; i < g->n; i++) {
        VSource *v = (VSource *)group_inst(g, i);
        double m = v->in.p[P_AC], ph = v->in.p[P_ACPHASE] * M_PI / 180;
        re[v->k] += m * cos(ph);
        im[v->k] += m * sin(ph);
    }
}

static const char *const vs_terms[] = {"n+", "n-"};
static const TermPair vs_pair[] = {{0, 1}};

const DeviceType device_vsource = {
    .name = "vsource",
    .summary = "independent voltage source (DC, AC, PULSE, SIN, EXP, PWL, SFFM)",
    .letter = 'V',
    .flags = DEV_LINEAR | DEV_BRANCH,
    .nterm = 2,
    .term_names = vs_terms,
    .model_use = MODEL_NONE,
    .waveform = 1,
    .inst_params = vs_params,
    .n_inst_params = NP,
    .dc_paths = vs_pair,
    .n_dc_paths = 1,
    .vdef = vs_pair,
    .n_vdef = 1,
    .inst_size = sizeof(VSource),
    .setup = vs_setup,
    .reserve = vs_reserve,
    .load = vs_load,
    .init_uic = vs_init_uic,
    .ac_rhs = vs_ac_rhs,
    .next_breakpoint = sources_next_breakpoint,
};
