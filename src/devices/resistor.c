/* Resistor: i = v / R(T), R(T) = r (1 + tc1 dT + tc2 dT^2), dT = T - Tnom
 * (SPICE3 resistor temperature model). m parallel copies. */
#include <math.h>

#include "devices/stamp.h"
#include "engine/mna.h"

typedef struct Resistor {
    Instance in;
    Stamp2 h;
    double g;
} Resistor;

enum { P_R, P_TC1, P_TC2, P_M, P_DTEMP, NP };
static const ParamDesc res_params[NP] = {
    [P_R] = {"r", "ohm", 0, PF_REQUIRED | PF_NONZERO, "resistance"},
    [P_TC1] = {"tc1", "1/K", 0, 0, "first-order temperature coefficient"},
    [P_TC2] = {"tc2", "1/K^2", 0, 0, "second-order temperature coefficient"},
    [P_M] = {"m", "", 1, PF_POSITIVE, "number of parallel devices"},
    [P_DTEMP] = {"dtemp", "K", 0, 0, "instance temperature offset from the circuit temperature"},
};

static int res_setup(InstGroup *g, SetupCtx *s)
{
    const SimOptions *o = mna_options(s);
    for (int i = 0; i < g->n; i++) {
        Resistor *r = (Resistor *)group_inst(g, i);
        const double *p = r->in.p;
        double dt = o->temp + p[P_DTEMP] - o->tnom;
        double rt = p[P_R] * (1 + p[P_TC1] * dt + p[P_TC2] * dt * dt);
        r->g = p[P_M] / rt;
    }
    return 0;
}

static void res_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Resistor *r = (Resistor *)group_inst(g, i);
        stamp2_reserve(s, r->in.nodes[0], r->in.nodes[1], &r->h, 0);
    }
}

static void res_load(InstGroup *g, LoadCtx *c)
{
    const double *y = c->y;
    double *G = c->G;
    for (int i = 0; i < g->n; i++) {
        Resistor *r = (Resistor *)group_inst(g, i);
        stamp2_current(c, &r->h, r->g * stamp2_v(y, &r->h));
        stamp2_add(G, &r->h, r->g);
    }
}

/* i(rname): the current from n+ through the resistor to n- (on request) */
static const DevOutput res_outputs[] = {{"i", DOUT_CURRENT, "A", "current from n+ through the resistor to n-", 1}};

static void res_output(const Instance *in, const double *y, double *vals)
{
    const Resistor *r = (const Resistor *)in;
    vals[0] = r->g * stamp2_v(y, &r->h);
}

static const char *const res_terms[] = {"n+", "n-"};
static const char *const res_pos[] = {"r", NULL};
static const TermPair res_dc[] = {{0, 1}};

const DeviceType device_resistor = {
    .name = "resistor",
    .summary = "linear resistor with temperature coefficients",
    .letter = 'R',
    .flags = DEV_LINEAR | DEV_PARLOAD,
    .nterm = 2,
    .term_names = res_terms,
    .positional = res_pos,
    .model_use = MODEL_NONE,
    .inst_params = res_params,
    .n_inst_params = NP,
    .outputs = res_outputs,
    .n_outputs = 1,
    .output = res_output,
    .dc_paths = res_dc,
    .n_dc_paths = 1,
    .inst_size = sizeof(Resistor),
    .setup = res_setup,
    .reserve = res_reserve,
    .load = res_load,
};
