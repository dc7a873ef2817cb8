/* Independent current source: I(t) flows from n+ through the source to n-
 * (SPICE convention), i.e. it leaves node n+ and enters node n-. */
#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#include "devices/waveform.h"
#include "engine/mna.h"

typedef struct ISource {
    Instance in;
    int a, b;
} ISource;

enum { P_DC, P_AC, P_ACPHASE, NP };
static const ParamDesc is_params[NP] = {
    [P_DC] = {"dc", "A", 0, 0, "DC value"},
    [P_AC] = {"ac", "A", 0, 0, "AC magnitude"},
    [P_ACPHASE] = {"acphase", "deg", 0, 0, "AC phase"},
};

static void is_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        ISource *v = (ISource *)group_inst(g, i);
        v->a = mna_node_row(s, v->in.nodes[0]);
        v->b = mna_node_row(s, v->in.nodes[1]);
    }
}

static void is_load(InstGroup *g, LoadCtx *c)
{
    for (int i = 0; i < g->n; i++) {
        ISource *v = (ISource *)group_inst(g, i);
        double val = source_value(&v->in, v->in.p[P_DC], v->in.given[P_DC], c);
        load_f(c, v->a, val, fabs(val));
        load_f(c, v->b, -val, fabs(val));
    }
}

/* AC: F(n+) += I, F(n-) -= I, so b(n+) = -I_ac, b(n-) = +I_ac (phase in degrees) */
static void is_ac_rhs(InstGroup *g, double *re, double *im)
{
    for (int i = 0; i < g->n; i++) {
        ISource *v = (ISource *)group_inst(g, i);
        double m = v->in.p[P_AC], ph = v->in.p[P_ACPHASE] * M_PI / 180;
        re[v->a] -= m * cos(ph), im[v->a] -= m * sin(ph);
        re[v->b] += m * cos(ph), im[v->b] += m * sin(ph);
    }
}

static const char *const is_terms[] = {"n+", "n-"};

const DeviceType device_isource = {
    .name = "isource",
    .summary = "independent current source (DC, AC, PULSE, SIN, EXP, PWL, SFFM)",
    .letter = 'I',
    .flags = DEV_LINEAR,
    .nterm = 2,
    .term_names = is_terms,
    .model_use = MODEL_NONE,
    .waveform = 1,
    .inst_params = is_params,
    .n_inst_params = NP,
    .inst_size = sizeof(ISource),
    .reserve = is_reserve,
    .load = is_load,
    .ac_rhs = is_ac_rhs,
    .next_breakpoint = sources_next_breakpoint,
};
