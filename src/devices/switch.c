/* Ideal switches with hysteresis (SPICE3 / ngspice S and W elements):
 *
 *   S<name> n+ n- nc+ nc- model [on|off]     .model <m> sw  (vt vh ron roff)
 *   W<name> n+ n- <element> model [on|off]   .model <m> csw (it ih ron roff)
 *
 * A conductance between n+ and n-: gon = 1/ron when the switch is closed,
 * goff = 1/roff when it is open,
 *     F[n+] += g (v(n+) - v(n-)),  F[n-] -= the same,  dF/dv = g,
 * with no Jacobian entry towards the control (the state is piecewise
 * constant in it). The control x is v(nc+) - v(nc-) for S and the branch
 * current of the referenced element for W (V source, inductor, E, H, B V=:
 * positive from its n+ through the element to its n-).
 *
 * The state follows ngspice's swload.c/cswload.c: four values, open or
 * closed, outside or inside the band [thr - |hys|, thr + |hys|]:
 *   x > thr + |hys|   closed                            (OUT_ON)
 *   x < thr - |hys|   open                              (OUT_OFF)
 *   inside the band   hys > 0: the previous state (hysteresis);
 *                     hys <= 0: entering the band from above opens the
 *                     switch, from below closes it, and it stays so while
 *                     x is in the band (ngspice's "negative hysteresis").
 *
 * The state is device memory, not an unknown: a discontinuous, history-
 * dependent quantity cannot be solved for by Newton. Two pieces of memory
 * per instance:
 *   acc    the state of the last accepted solution (DC point or time
 *          point), written only by the accept hook, so a rejected time
 *          step leaves it untouched;
 *   it     the state used in the previous load (the Newton iteration
 *          state).
 * The first load of a solve uses acc as it is (ngspice: MODEINITJCT/INITFIX
 * at the first operating point, where acc is the on/off flag; MODEINITPRED
 * at later points) and sets noncon, so that Newton looks at the control in
 * at least one more iteration (it may otherwise stop after one small
 * update; ngspice never converges on a first iteration). Each further load
 * takes the state from the control at the iterate, relative to `it` for
 * hys > 0 (once a switch has flipped in a solve it stays flipped while the
 * control is in the band, so a switch that pulls its own control back
 * into the band, as in a relaxation oscillator, has a consistent solution)
 * and relative to acc for hys <= 0 (as ngspice's sw). A state that
 * differs from the previous load's sets noncon: Newton iterates once more
 * with the new conductance. accept() commits `it`, the state the accepted
 * solution was computed with. W follows the same rules (ngspice's csw
 * keeps acc inside the band for hys > 0 too; docs/devices/switch.md).
 *
 * A new solve is the engine's first load of it (LoadCtx.iter <= 0: a new
 * DC point or time point, a retry after a Newton failure or a rejected
 * step, another DC strategy): it starts again from acc. */
#include <math.h>

#include "devices/stamp.h"
#include "engine/mna.h"

enum { OUT_OFF = 0, OUT_ON = 1, BAND_OFF = 2, BAND_ON = 3 };   /* ngspice's order */

typedef struct Switch {
    Instance in;
    Stamp2 h;
    int c, d;                  /* control: x = y[c] - y[d] (W: d is the ground sink) */
    double gon, goff, thr, hys;
    int acc, it;               /* accepted state; state of the previous load */
} Switch;

/* model parameters: the same indices in both tables */
enum { M_THR, M_HYS, M_RON, M_ROFF, NM };
static const ParamDesc sw_model_params[NM] = {
    [M_THR] = {"vt", "V", 0, 0, "threshold voltage"},
    [M_HYS] = {"vh", "V", 0, 0, "hysteresis voltage: closes above vt+vh, opens below vt-vh (negative: see docs)"},
    [M_RON] = {"ron", "ohm", 1, PF_POSITIVE, "resistance when closed"},
    [M_ROFF] = {"roff", "ohm", 1e12, PF_POSITIVE, "resistance when open (not given: 1/gmin)"},
};
static const ParamDesc csw_model_params[NM] = {
    [M_THR] = {"it", "A", 0, 0, "threshold current"},
    [M_HYS] = {"ih", "A", 0, 0, "hysteresis current: closes above it+ih, opens below it-ih (negative: see docs)"},
    [M_RON] = {"ron", "ohm", 1, PF_POSITIVE, "resistance when closed"},
    [M_ROFF] = {"roff", "ohm", 1e12, PF_POSITIVE, "resistance when open (not given: 1/gmin)"},
};

enum { P_ON, P_OFF, NP };
static const ParamDesc sw_inst_params[NP] = {
    [P_ON] = {"on", "", 0, PF_FLAG, "initially closed (the state while the control is inside the band)"},
    [P_OFF] = {"off", "", 0, PF_FLAG, "initially open (the default)"},
};

static int closed(int s)
{
    return s == OUT_ON || s == BAND_ON;
}

/* the state for control value x, coming from state prev */
static int next_state(const Switch *w, double x, int prev)
{
    double band = fabs(w->hys);
    if (x > w->thr + band) return OUT_ON;
    if (x < w->thr - band) return OUT_OFF;
    if (w->hys > 0) return prev;
    if (prev == OUT_ON) return BAND_OFF;
    if (prev == OUT_OFF) return BAND_ON;
    return prev;
}

static int sw_check(Instance *in, const Circuit *ckt, Diag *d)
{
    (void)ckt;
    if (in->given[P_ON] && in->given[P_OFF] && in->p[P_ON] != 0 && in->p[P_OFF] != 0) {
        diag_error(d, &in->loc, "%s: 'on' and 'off' both given; the initial state is one or the other", in->name);
        return -1;
    }
    return 0;
}

static int sw_setup(InstGroup *g, SetupCtx *s)
{
    const SimOptions *o = mna_options(s);
    for (int i = 0; i < g->n; i++) {
        Switch *w = (Switch *)group_inst(g, i);
        const Model *m = w->in.model;
        w->thr = m->p[M_THR];
        w->hys = m->p[M_HYS];
        w->gon = 1 / m->p[M_RON];
        /* ngspice: roff defaults to 1/gmin (1e12 ohm with the default gmin) */
        w->goff = m->given[M_ROFF] ? 1 / m->p[M_ROFF] : o->gmin;
        w->acc = w->in.p[P_ON] != 0 ? BAND_ON : BAND_OFF;
        w->it = w->acc;
    }
    return 0;
}

/* the control's rows, x = y[c] - y[d]: the nodes nc+ nc- (S), or the
 * referenced element's branch current and the ground sink (W) */
static void control_rows(const Instance *in, SetupCtx *s, int *c, int *d)
{
    if (in->type->nrefs) {
        *c = in->refs[0]->branch;
        *d = mna_node_row(s, 0);
    } else {
        *c = mna_node_row(s, in->nodes[2]);
        *d = mna_node_row(s, in->nodes[3]);
    }
}

static void sw_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        Switch *w = (Switch *)group_inst(g, i);
        stamp2_reserve(s, w->in.nodes[0], w->in.nodes[1], &w->h, 0);
        control_rows(&w->in, s, &w->c, &w->d);
    }
}

static void sw_load(InstGroup *g, LoadCtx *c)
{
    const double *y = c->y;
    for (int i = 0; i < g->n; i++) {
        Switch *w = (Switch *)group_inst(g, i);
        int st;
        if (c->iter <= 0) {
            /* first load of a solve: the accepted state, and at least one
             * more iteration so that the control is looked at (a solve
             * may otherwise stop after one small update) */
            st = w->acc;
            c->noncon = 1;
        } else {
            double x = y[w->c] - y[w->d];
            st = next_state(w, x, w->hys > 0 ? w->it : w->acc);
            if (st != w->it) c->noncon = 1;   /* one more iteration with the new conductance */
        }
        w->it = st;
        double gs = closed(st) ? w->gon : w->goff;
        stamp2_current(c, &w->h, gs * stamp2_v(y, &w->h));
        stamp2_add(c->G, &w->h, gs);
    }
}

static void sw_accept(InstGroup *g, const LoadCtx *c)
{
    (void)c;
    for (int i = 0; i < g->n; i++) {
        Switch *w = (Switch *)group_inst(g, i);
        w->acc = w->it;
    }
}

static const char *const sw_models[] = {"sw", NULL};
static const char *const csw_models[] = {"csw", NULL};
static const char *const s_terms[] = {"n+", "n-", "nc+", "nc-"};
static const char *const w_terms[] = {"n+", "n-"};
static const TermPair sw_dc[] = {{0, 1}};

const DeviceType device_vswitch = {
    .name = "vswitch",
    .summary = "voltage-controlled switch with hysteresis (ngspice sw)",
    .letter = 'S',
    .model_types = sw_models,
    .nterm = 4,
    .term_names = s_terms,
    .model_use = MODEL_REQUIRED,
    .inst_params = sw_inst_params,
    .n_inst_params = NP,
    .model_params = sw_model_params,
    .n_model_params = NM,
    .dc_paths = sw_dc,
    .n_dc_paths = 1,
    .inst_size = sizeof(Switch),
    .check = sw_check,
    .setup = sw_setup,
    .reserve = sw_reserve,
    .load = sw_load,
    .accept = sw_accept,
};

const DeviceType device_cswitch = {
    .name = "cswitch",
    .summary = "current-controlled switch with hysteresis (ngspice csw)",
    .letter = 'W',
    .model_types = csw_models,
    .nterm = 2,
    .term_names = w_terms,
    .nrefs = 1,
    .ref_flags = DEV_BRANCH,
    .model_use = MODEL_REQUIRED,
    .inst_params = sw_inst_params,
    .n_inst_params = NP,
    .model_params = csw_model_params,
    .n_model_params = NM,
    .dc_paths = sw_dc,
    .n_dc_paths = 1,
    .inst_size = sizeof(Switch),
    .check = sw_check,
    .setup = sw_setup,
    .reserve = sw_reserve,
    .load = sw_load,
    .accept = sw_accept,
};

/* ---- Smooth switches: Xyce's (and PSpice's) VSWITCH and ISWITCH ----
 *
 *   S<name> n+ n- nc+ nc- model [on|off]   .model <m> vswitch (von voff ron roff)
 *   W<name> n+ n- <element> model [on|off] .model <m> iswitch (ion ioff ron roff)
 *
 * No memory: the conductance is a smooth function of the control x
 * (Xyce Reference Guide, "Voltage/Current Controlled Switch"; the same
 * form as PSpice's VSWITCH). With s = (x - off)/(on - off),
 *     s >= 1:  g = 1/ron        s <= 0:  g = 1/roff
 *     else:    u = 2s - 1,
 *              g = exp(-Lm - 3/4 Lr u + 1/4 Lr u^3),
 *              Lm = ln sqrt(ron roff),  Lr = ln(ron/roff),
 * so that ln g runs from -ln roff (u = -1) to -ln ron (u = 1) with zero
 * slope at both ends (g is C1 in x). The Jacobian has the entries
 * towards the control:
 *     dg/dx = g * 3/4 Lr (u^2 - 1) * 2/(on - off).
 * on - off is kept at least 1e-12 in size, as Xyce does. on/off on the
 * element line are accepted and change nothing (nothing to remember). */
typedef struct SmoothSwitch {
    Instance in;
    Stamp2 h;
    int c, d;                  /* control rows: x = y[c] - y[d] */
    int hc[4];                 /* (a,c) (a,d) (b,c) (b,d) */
    double gon, goff, off, dinv, lm, lr;
} SmoothSwitch;

enum { X_ON, X_OFF, X_RON, X_ROFF, NX };
static const ParamDesc xsw_model_params[NX] = {
    [X_ON] = {"von", "V", 1, 0, "control voltage at which the switch is fully closed"},
    [X_OFF] = {"voff", "V", 0, 0, "control voltage at which the switch is fully open"},
    [X_RON] = {"ron", "ohm", 1, PF_POSITIVE, "resistance when closed"},
    [X_ROFF] = {"roff", "ohm", 1e6, PF_POSITIVE, "resistance when open"},
};
static const ParamDesc xcsw_model_params[NX] = {
    [X_ON] = {"ion", "A", 1e-3, 0, "control current at which the switch is fully closed"},
    [X_OFF] = {"ioff", "A", 0, 0, "control current at which the switch is fully open"},
    [X_RON] = {"ron", "ohm", 1, PF_POSITIVE, "resistance when closed"},
    [X_ROFF] = {"roff", "ohm", 1e6, PF_POSITIVE, "resistance when open"},
};

static int xsw_setup(InstGroup *g, SetupCtx *s)
{
    (void)s;
    for (int i = 0; i < g->n; i++) {
        SmoothSwitch *w = (SmoothSwitch *)group_inst(g, i);
        const Model *m = w->in.model;
        double ron = m->p[X_RON], roff = m->p[X_ROFF], del = m->p[X_ON] - m->p[X_OFF];
        if (del < 0 && del > -1e-12) del = -1e-12;
        if (del >= 0 && del < 1e-12) del = 1e-12;
        w->gon = 1 / ron;
        w->goff = 1 / roff;
        w->off = m->p[X_OFF];
        w->dinv = 1 / del;
        w->lm = log(sqrt(ron * roff));
        w->lr = log(ron / roff);
    }
    return 0;
}

static void xsw_reserve(InstGroup *g, SetupCtx *s)
{
    for (int i = 0; i < g->n; i++) {
        SmoothSwitch *w = (SmoothSwitch *)group_inst(g, i);
        stamp2_reserve(s, w->in.nodes[0], w->in.nodes[1], &w->h, 0);
        control_rows(&w->in, s, &w->c, &w->d);
        w->hc[0] = mna_reserve(s, w->h.a, w->c);
        w->hc[1] = mna_reserve(s, w->h.a, w->d);
        w->hc[2] = mna_reserve(s, w->h.b, w->c);
        w->hc[3] = mna_reserve(s, w->h.b, w->d);
    }
}

/* the conductance at control x and its derivative */
static double xsw_g(const SmoothSwitch *w, double x, double *dg)
{
    double st = (x - w->off) * w->dinv;
    *dg = 0;
    if (st >= 1) return w->gon;
    if (st <= 0) return w->goff;
    double u = 2 * st - 1;
    double g = exp(-w->lm - 0.75 * w->lr * u + 0.25 * w->lr * u * u * u);
    *dg = g * 1.5 * w->lr * (u * u - 1) * w->dinv;
    return g;
}

static void xsw_load(InstGroup *g, LoadCtx *c)
{
    const double *y = c->y;
    for (int i = 0; i < g->n; i++) {
        SmoothSwitch *w = (SmoothSwitch *)group_inst(g, i);
        double dg, gs = xsw_g(w, y[w->c] - y[w->d], &dg);
        double v = stamp2_v(y, &w->h);
        stamp2_current(c, &w->h, gs * v);
        stamp2_add(c->G, &w->h, gs);
        if (dg != 0) {
            /* F[a] += g(x) v  in the stamp's own orientation */
            double k = dg * v * w->h.sign;
            c->G[w->hc[0]] += k;
            c->G[w->hc[1]] -= k;
            if (!w->h.grounded) {
                c->G[w->hc[2]] -= k;
                c->G[w->hc[3]] += k;
            }
        }
    }
}

static const char *const xsw_models[] = {"vswitch", NULL};
static const char *const xcsw_models[] = {"iswitch", NULL};

const DeviceType device_vswitch_smooth = {
    .name = "vswitch_smooth",
    .summary = "voltage-controlled switch, smooth between voff and von (Xyce/PSpice VSWITCH)",
    .letter = 'S',
    .model_types = xsw_models,
    .nterm = 4,
    .term_names = s_terms,
    .model_use = MODEL_REQUIRED,
    .inst_params = sw_inst_params,
    .n_inst_params = NP,
    .model_params = xsw_model_params,
    .n_model_params = NX,
    .dc_paths = sw_dc,
    .n_dc_paths = 1,
    .inst_size = sizeof(SmoothSwitch),
    .check = sw_check,
    .setup = xsw_setup,
    .reserve = xsw_reserve,
    .load = xsw_load,
};

const DeviceType device_iswitch_smooth = {
    .name = "iswitch_smooth",
    .summary = "current-controlled switch, smooth between ioff and ion (Xyce/PSpice ISWITCH)",
    .letter = 'W',
    .model_types = xcsw_models,
    .nterm = 2,
    .term_names = w_terms,
    .nrefs = 1,
    .ref_flags = DEV_BRANCH,
    .model_use = MODEL_REQUIRED,
    .inst_params = sw_inst_params,
    .n_inst_params = NP,
    .model_params = xcsw_model_params,
    .n_model_params = NX,
    .dc_paths = sw_dc,
    .n_dc_paths = 1,
    .inst_size = sizeof(SmoothSwitch),
    .check = sw_check,
    .setup = xsw_setup,
    .reserve = xsw_reserve,
    .load = xsw_load,
};
