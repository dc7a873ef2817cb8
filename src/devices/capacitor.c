/* Capacitor: Q = C v on the two node rows (charge leaving n+), i = dQ/dt.
 * ic= is the initial voltage used by .tran ... uic (as SPICE). When the
 * topology check found that the capacitor alone ties a node down
 * (in.dc_hold), static solves hold v = ic through a large conductance
 * (G_HOLD), as Xyce applies IC= in its operating point. */
#include <math.h>

#include "devices/stamp.h"
#include "engine/mna.h"

typedef struct Capacitor {
    Instance in;
    Stamp2 h;
    double c;
} Capacitor;

enum { P_C, P_IC, P_M, NP };
static const ParamDesc cap_params[NP] = {
    [P_C] = {"c", "F", 0, PF_REQUIRED | PF_NONNEG, "capacitance"},
    [P_IC] = {"ic", "V", 0, 0, "initial voltage (used with .tran ... uic)"},
    [P_M] = {"m", "", 1, PF_POSITIVE, "number of parallel devices"},
};

#define G_HOLD 1e10

static int cap_setup(InstGroup *g, SetupCtx *s)
{
    (void)s;
    for (int i = 0; i < g->n; i++) {
        Capacitor *c = (Capacitor *)group_inst(g, i);
        c->c = c->in.p[P_C] * c->in.p[P_M];
    }
    return 0;
}

static void cap_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Capacitor *c = (Capacitor *)group_inst(g, i);
        stamp2_reserve(s, c->in.nodes[0], c->in.nodes[1], &c->h, 1);
    }
}

static void cap_load(InstGroup *g, LoadCtx *x)
{
    const double *y = x->y;
    double *Q = x->Q, *C = x->C;
    for (int i = 0; i < g->n; i++) {
        Capacitor *c = (Capacitor *)group_inst(g, i);
        double v = stamp2_v(y, &c->h);
        if (x->uic_init && c->in.given[P_IC]) v = c->in.p[P_IC];
        stamp2_flow(Q, &c->h, c->c * v);
        stamp2_add(C, &c->h, c->c);
        if (x->dc && c->in.dc_hold) {
            stamp2_current(x, &c->h, G_HOLD * (v - c->in.p[P_IC]));
            stamp2_add(x->G, &c->h, G_HOLD);
        }
    }
}

/* uic: the voltage across is ic=: a node left unknown (NaN) gets it from
 * the other terminal's known voltage */
static void cap_init_uic(InstGroup *g, double *y, const LoadCtx *x)
{
    (void)x;
    for (int i = 0; i < g->n; i++) {
        Capacitor *c = (Capacitor *)group_inst(g, i);
        if (!c->in.given[P_IC]) continue;
        double s = c->h.sign, ic = c->in.p[P_IC];   /* v(h.a) - v(h.b) = s ic */
        int a = c->h.a, b = c->h.b;
        if (isnan(y[a]) && !isnan(y[b])) y[a] = y[b] + s * ic;
        else if (!isnan(y[a]) && isnan(y[b])) y[b] = y[a] - s * ic;
    }
}

static const char *const cap_terms[] = {"n+", "n-"};
static const char *const cap_pos[] = {"c", NULL};

const DeviceType device_capacitor = {
    .name = "capacitor",
    .summary = "linear capacitor",
    .letter = 'C',
    .flags = DEV_LINEAR,
    .nterm = 2,
    .term_names = cap_terms,
    .positional = cap_pos,
    .ic_hold = 1 + P_IC,
    .init_uic = cap_init_uic,
    .model_use = MODEL_NONE,
    .inst_params = cap_params,
    .n_inst_params = NP,
    .inst_size = sizeof(Capacitor),
    .setup = cap_setup,
    .reserve = cap_reserve,
    .load = cap_load,
};
