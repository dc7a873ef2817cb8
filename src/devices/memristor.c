/* The memristor framework: setup, stamps, outputs shared by every model of
 * src/devices/mem_*.c (equations in memristor.h and docs/devices/). */
#include "devices/memristor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/rng.h"
#include "util/xmem.h"

const DevOutput mem_outputs[MEM_NOUT] = {
    {"i", DOUT_CURRENT, "A", "current from n+ through the device to n-", 0},
    {"r", DOUT_NOTYPE, "ohm", "resistance v/i (1/(di/dv) below 1 nV)", 0},
    {"p", DOUT_NOTYPE, "W", "power v*i (on request)", 1},
    {"w", DOUT_NOTYPE, "W", "power v*i, Xyce's name (on request)", 1},
};
const TermPair mem_dc_paths[1] = {{0, 1}};
const char *const mem_terms[2] = {"n+", "n-"};
const char *const mem_model_types[2] = {"memristor", NULL};
const TermPair mem_thermal_dc_paths[2] = {{0, 1}, {2, TERM_GND}};
const char *const mem_thermal_terms[3] = {"n+", "n-", "th"};

double mem_exp(double a, double *d)
{
    if (a <= MEM_EXP_MAX) {
        double e = exp(a);
        if (d) *d = e;
        return e;
    }
    double e = exp(MEM_EXP_MAX);
    if (d) *d = e;
    return e * (1 + (a - MEM_EXP_MAX));
}

double mem_sigmoid(double z, double *ds)
{
    double e = exp(-fabs(z)), s = 1 / (1 + e);
    *ds = e * s * s;
    return z >= 0 ? s : e * s;
}

double mem_sinh(double a, double *d)
{
    double dp, dm, ep = mem_exp(a, &dp), em = mem_exp(-a, &dm);
    if (d) *d = 0.5 * (dp + dm);
    return 0.5 * (ep - em);
}

double mem_powabs(double u, double q, double *d)
{
    double a = fabs(u), sg = u < 0 ? -1 : 1;
    if (a == 0) {
        *d = q == 1 ? sg : 0;
        return q == 0 ? 1 : 0;
    }
    double pw;
    if (q >= 0 && q <= 32 && q == floor(q)) {   /* range first: (int) of a huge q is undefined */
        double b = a, r = 1;   /* repeated squaring */
        for (int k = (int)q; k; k >>= 1, b *= b)
            if (k & 1) r *= b;
        pw = r;
    } else {
        pw = pow(a, q);
    }
    *d = q * pw / a * sg;
    if (!isfinite(*d)) *d = sg * 1e300;   /* q < 1 at a subnormal |u| */
    return pw;
}

double mem_gompertz(double u, double *d)
{
    if (u > 700) {
        *d = 0;
        return 0;
    }
    double e = exp(u), w = exp(-e);
    *d = -w * e;
    return w;
}

double mem_window(const MemWindow *w, double x, int rising, double *dw)
{
    double dd, pw;
    switch (w->type) {
    case 1:
        pw = mem_powabs(2 * x / w->d - 1, 2 * w->p, &dd);
        *dw = -dd * 2 / w->d;
        return 1 - pw;
    case 2:
        pw = mem_powabs(x / w->d - (rising ? 0 : 1), 2 * w->p, &dd);
        *dw = -dd / w->d;
        return 1 - pw;
    case 3: {
        double u = x / w->d - 0.5, b = u * u + 0.75;
        pw = pow(b, w->p);
        *dw = -w->j * w->p * pw / b * 2 * u / w->d;
        return w->j * (1 - pw);
    }
    case 4:
        if (rising) {
            double f = mem_gompertz((x - w->aoff) / w->wc, &dd);
            *dw = dd / w->wc;
            return f;
        } else {
            double f = mem_gompertz(-(x - w->aon) / w->wc, &dd);
            *dw = -dd / w->wc;
            return f;
        }
    default:
        *dw = 0;
        return 1;
    }
}

static const MemFamily *family(const Instance *in)
{
    return (const MemFamily *)in->type->family;
}

static int family_checks(const MemFamily *f, const Instance *in, double temp, char *err, size_t n)
{
    return (f->check && f->check(in, err, n)) || (f->check_ambient && f->check_ambient(in, temp, err, n));
}

/* the checks of an instance of in's model with default instance
 * parameters fail with message `err` too */
static int default_fails_same(const MemFamily *f, const Instance *in, double temp, const char *err, char *buf,
                              size_t n)
{
    const DeviceType *t = in->type;
    double p[64];
    unsigned char given[64];
    int nodes[3] = {1, 2, 3};
    if (t->n_inst_params > 64) return 0;
    param_defaults(t->inst_params, t->n_inst_params, p, given);
    Instance d = {.type = t, .name = in->name, .loc = in->loc, .nodes = nodes, .model = in->model, .p = p,
                  .given = given, .nnodes = 2};
    return family_checks(f, &d, temp, buf, n) && strcmp(buf, err) == 0;
}

int mem_check(Instance *in, const Circuit *ckt, Diag *d)
{
    const MemFamily *f = family(in);
    char err[256];
    if (in->nnodes > 2 && in->nodes[2] == 0) {
        diag_error(d, &in->loc, "%s: the thermal terminal is ground, which is 0 K; connect it to its own node "
                   "(its voltage is the device temperature in K, docs/devices/thermal.md)", in->name);
        return -1;
    }
    double temp = ckt->temp + 273.15;
    if (!family_checks(f, in, temp, err, sizeof err)) return 0;
    /* a problem an instance at its defaults has too is the model's: said
     * for its first instance, then once that the others share it (an
     * array's cells would repeat it thousands of times) */
    Model *m = in->model;
    char err0[256];
    if (m->check_said && default_fails_same(f, in, temp, err, err0, sizeof err0)) {
        if (m->check_said == 1)
            diag_note(d, &in->loc, "model '%s': %s: the same for its other instances (not listed)", m->name, err);
        m->check_said = 2;
        return -1;
    }
    diag_error(d, &in->loc, "%s: %s", in->name, err);
    if (!m->check_said && default_fails_same(f, in, temp, err, err0, sizeof err0)) m->check_said = 1;
    return -1;
}

/* ---- cycle-to-cycle variation ----
 *
 * The rates of the memory (hold_dc) states, and of states marked c2c, are multiplied by
 * c2c_f = max(0, 1 + c2c z), z standard normal, the n-th number of the
 * instance's stream (seed, .step index, instance name). Without c2c_tau a
 * switching event is a run of accepted points at which the first memory
 * state moves in one direction; a new factor is drawn when an event ends
 * (the state comes to rest or reverses), so each event has its own. With
 * c2c_tau > 0 the factor of the accepted time t is number floor(t/c2c_tau).
 * The factor changes only in mem_accept, never between Newton iterations. */

struct MemC2C {
    double c2c, tau;           /* the model's c2c and c2c_tau */
    double f;                  /* the current factor */
    uint64_t n;                /* index of the current draw */
    int dir;                   /* direction of the motion at the last accepted point: +1, -1, 0 at rest */
};

static double c2c_factor(const MemInst *m, uint64_t n)
{
    double f = 1 + m->cc->c2c * rng_normal(m->c2c_key, n);
    return f > 0 ? f : 0;
}

static void c2c_reset(MemInst *m)
{
    m->cc->n = 0;
    m->cc->dir = 0;
    m->cc->f = c2c_factor(m, 0);
}

static double model_c2c(const Instance *in)
{
    return in->model->p[in->type->n_model_params - MEM_NC2C];
}

/* the instance's stream; the c2c state (in `slot`) only with c2c > 0 */
static void c2c_init(MemInst *m, uint64_t ckt_key, struct MemC2C *slot)
{
    m->c2c_key = rng_absorb_str(rng_absorb_str(ckt_key, "memristor c2c"), m->in.name);
    m->cc = NULL;
    if (!(model_c2c(&m->in) > 0)) return;
    m->cc = slot;
    m->cc->c2c = model_c2c(&m->in);
    m->cc->tau = m->in.model->p[m->in.type->n_model_params - MEM_NC2C + 1];
    c2c_reset(m);
}

/* What init writes per instance: the model data and the per-state data */
typedef struct MemShared {
    double mp[MEM_NMP];
    MemStatic st;
} MemShared;

static int same_data(const MemShared *a, const MemShared *b, int ns)
{
    if (memcmp(a->mp, b->mp, sizeof a->mp)) return 0;
    const MemStatic *x = &a->st, *y = &b->st;
    for (int k = 0; k < ns; k++)
        if (x->lo[k] != y->lo[k] || x->hi[k] != y->hi[k] || x->abstol[k] != y->abstol[k] ||
            x->qtol[k] != y->qtol[k] || x->cth[k] != y->cth[k] || x->ext[k] != y->ext[k])
            return 0;
    const MemWindow *u = &x->win, *v = &y->win;
    return u->type == v->type && u->d == v->d && u->p == v->p && u->j == v->j && u->aon == v->aon &&
           u->aoff == v->aoff && u->wc == v->wc;
}

/* The group's data in one block (InstGroup.priv): instances whose data
 * equal the previous distinct copy's share it (a crossbar's cells: one
 * copy instead of one per cell, 320 + 200 bytes each); families keeping
 * per-instance memory there (reset/accept) or drawing noise keep their
 * own. After the shared data come the c2c states of the instances that
 * have one. scratch / c2c: each instance's data in order. */
static void share_model_data(InstGroup *g, const MemShared *scratch, const struct MemC2C *c2c, int nc2c)
{
    const MemFamily *f = g->type->family;
    int own = f->reset || f->accept;
    int *slot = xmalloc((size_t)(g->n ? g->n : 1) * sizeof *slot);
    int nuniq = 0, last = -1;
    for (int i = 0; i < g->n; i++) {
        const MemInst *m = (const MemInst *)group_inst(g, i);
        if (!own && !m->rng && last >= 0 && same_data(&scratch[i], &scratch[last], f->ns)) {
            slot[i] = slot[last];
            continue;
        }
        slot[i] = nuniq++;
        last = i;
    }
    size_t head = (size_t)(nuniq ? nuniq : 1) * sizeof(MemShared), nxo = f->ns > 1 ? (size_t)f->ns * f->ns : 0;
    size_t cbytes = (size_t)nc2c * sizeof *c2c;
    char *block = xmalloc(head + cbytes + (size_t)g->n * nxo * sizeof(int));
    MemShared *pool = (MemShared *)block;
    struct MemC2C *cs = (struct MemC2C *)(block + head);
    int *xo = (int *)(block + head + cbytes);
    if (nc2c) memcpy(cs, c2c, (size_t)nc2c * sizeof *c2c);
    for (int i = 0; i < g->n; i++) {
        MemInst *m = (MemInst *)group_inst(g, i);
        pool[slot[i]] = scratch[i];
        m->mp = pool[slot[i]].mp;
        m->st = &pool[slot[i]].st;
        if (m->cc) m->cc = cs + (m->cc - c2c);
        m->h_xo = nxo ? xo + (size_t)i * nxo : NULL;
    }
    free(slot);
    free(g->priv);
    g->priv = block;
}

int mem_setup(InstGroup *g, SetupCtx *s)
{
    const MemFamily *f = g->type->family;
    double temp = mna_options(s)->temp + 273.15;
    uint64_t key = mna_circuit(s)->rng_key;
    /* each instance's model data into scratch first; shared afterwards */
    MemShared *scratch = xcalloc((size_t)(g->n ? g->n : 1), sizeof *scratch);
    int nc2c = 0;
    for (int i = 0; i < g->n; i++)
        if (model_c2c(group_inst(g, i)) > 0) nc2c++;
    struct MemC2C *c2c = xcalloc((size_t)(nc2c ? nc2c : 1), sizeof *c2c);
    nc2c = 0;
    for (int i = 0; i < g->n; i++) {
        MemInst *m = (MemInst *)group_inst(g, i);
        m->mp = scratch[i].mp;
        m->st = &scratch[i].st;
        for (int k = 0; k < MEM_MAXS; k++) {
            m->st->abstol[k] = m->st->qtol[k] = 0;
            m->st->cth[k] = 1;
            m->st->ext[k] = 0;
        }
        c2c_init(m, key, &c2c[nc2c]);
        if (m->cc) {
            nc2c++;
            mna_note_rng(s);
        }
        m->rng = 0;
        f->init(m, temp);
        if (m->rng) mna_note_rng(s);
        if (f->reset) f->reset(m);
        for (int k = 0; k < f->ns; k++) {
            if (f->states[k].thermal && m->in.nnodes > 2) {   /* the thermal terminal's node */
                m->xs[k] = mna_node_row(s, m->in.nodes[2]);
                m->st->ext[k] = 1;
                continue;
            }
            double range = m->st->hi[k] - m->st->lo[k];
            double atol = m->st->abstol[k] > 0 ? m->st->abstol[k] : 1e-9 * range;
            double qtol = m->st->qtol[k] > 0 ? m->st->qtol[k] : 1e-6 * range;
            char *name = xasprintf("%s(%s)", f->states[k].name, m->in.name);
            m->xs[k] = mna_add_unknown(s, &m->in, UK_STATE, name, atol, qtol);
            free(name);
            if (f->states[k].absolute) mna_unknown_absolute(s, m->xs[k]);
            if (isfinite(m->st->lo[k]) || isfinite(m->st->hi[k])) mna_bound_unknown(s, m->xs[k], m->st->lo[k], m->st->hi[k]);
        }
    }
    share_model_data(g, scratch, c2c, nc2c);
    free(scratch);
    free(c2c);
    return 0;
}

void mem_reserve(InstGroup *g, SetupCtx *s)
{
    const MemFamily *f = g->type->family;
    for (int i = 0; i < g->n; i++) {
        MemInst *m = (MemInst *)group_inst(g, i);
        stamp2_reserve(s, m->in.nodes[0], m->in.nodes[1], &m->h, 0);
        int a = mna_node_row(s, m->in.nodes[0]), b = mna_node_row(s, m->in.nodes[1]);
        for (int k = 0; k < f->ns; k++) {
            int xk = m->xs[k];
            m->h_ax[k] = mna_reserve(s, a, xk);
            m->h_bx[k] = mna_reserve(s, b, xk);
            m->h_xa[k] = mna_reserve(s, xk, a);
            m->h_xb[k] = mna_reserve(s, xk, b);
            for (int j = 0; j < f->ns; j++)
                if (j == k) m->h_xd[k] = mna_reserve_dyn(s, xk, xk);
                else m->h_xo[k * f->ns + j] = mna_reserve(s, xk, m->xs[j]);
        }
    }
}

/* the device voltage and the states clamped to [lo, hi] at y */
static void operating_point(const MemInst *m, const MemFamily *f, const double *y, double *v, double *xc)
{
    *v = stamp2_v(y, &m->h);
    for (int k = 0; k < f->ns; k++) xc[k] = mem_clamp(y[m->xs[k]], m->st->lo[k], m->st->hi[k]);
}

/* the states whose rates cycle-to-cycle variation scales */
static int c2c_varied(const MemStateDesc *sd)
{
    return sd->hold_dc || sd->c2c;
}

static void evaluate(const MemInst *m, const MemFamily *f, const double *y, int dc, double *v, double *xc,
                     MemEval *ev)
{
    *ev = (MemEval){0};
    ev->dc = dc;
    operating_point(m, f, y, v, xc);
    f->eval(m, *v, xc, ev);
    if (m->cc && m->cc->f != 1) {
        double cf = m->cc->f;
        for (int k = 0; k < f->ns; k++) {
            if (!c2c_varied(&f->states[k])) continue;
            ev->rate[k] *= cf;
            ev->drate_dv[k] *= cf;
            for (int j = 0; j < f->ns; j++) ev->drate_dx[k][j] *= cf;
        }
    }
}

void mem_accept(InstGroup *g, const LoadCtx *c)
{
    const MemFamily *f = g->type->family;
    if (f->accept)
        for (int i = 0; i < g->n; i++) {
            MemInst *m = (MemInst *)group_inst(g, i);
            double v, xc[MEM_MAXS];
            operating_point(m, f, c->y, &v, xc);
            f->accept(m, v, xc, c);
        }
    int ms = 0;   /* the first varied state decides the direction of motion */
    while (ms < f->ns && !c2c_varied(&f->states[ms])) ms++;
    if (ms == f->ns) return;
    for (int i = 0; i < g->n; i++) {
        MemInst *m = (MemInst *)group_inst(g, i);
        struct MemC2C *cc = m->cc;
        if (!cc) continue;
        if (c->dc) {   /* an operating point: a transient (or another analysis) starts afresh */
            c2c_reset(m);
            continue;
        }
        if (cc->tau > 0) {
            double k = floor(c->t / cc->tau);
            uint64_t n = k > 0 && k < 0x1p62 ? (uint64_t)k : 0;
            if (n != cc->n) {
                cc->n = n;
                cc->f = c2c_factor(m, n);
            }
            continue;
        }
        double v, xc[MEM_MAXS], fac = cc->f;
        MemEval ev;
        cc->f = 1;   /* the direction of the unscaled motion (a factor of 0 must not stall it) */
        evaluate(m, f, c->y, 0, &v, xc, &ev);
        cc->f = fac;
        /* at rest: the rate would move the state by less than 0.1% of its
         * range over the whole analysis (or is held at a bound it pushes on) */
        double range = m->st->hi[ms] - m->st->lo[ms];
        if (!isfinite(range) || range <= 0) range = 1;
        double rest = c->tstop > 0 ? 1e-3 * range / c->tstop : 0;
        double r = ev.rate[ms], x = c->y[m->xs[ms]];
        int dir = fabs(r) <= rest || (r > 0 && x >= m->st->hi[ms]) || (r < 0 && x <= m->st->lo[ms]) ? 0
                  : r > 0                                                                           ? 1
                                                                                                    : -1;
        if (cc->dir != 0 && dir != cc->dir) {   /* the event ended: the next one has a new factor */
            cc->n++;
            cc->f = c2c_factor(m, cc->n);
        }
        cc->dir = dir;
    }
}

void mem_load(InstGroup *g, LoadCtx *c)
{
    const MemFamily *f = g->type->family;
    const double *y = c->y;
    int reset = f->reset && c->first_solve && c->iter <= 0;   /* a new analysis (iter -1: uic's initial load) */
    for (int i = 0; i < g->n; i++) {
        MemInst *m = (MemInst *)group_inst(g, i);
        double v, xc[MEM_MAXS];
        MemEval ev;
        if (reset) f->reset(m);
        evaluate(m, f, y, c->dc, &v, xc, &ev);
        /* the terminal current (stamp2_flow undoes a swap of n+ and n-);
         * the state columns use the rows of n+ and n- as written */
        stamp2_current(c, &m->h, ev.i);
        stamp2_add(c->G, &m->h, ev.di_dv);
        for (int k = 0; k < f->ns; k++) {
            int xk = m->xs[k];
            c->G[m->h_ax[k]] += ev.di_dx[k];
            c->G[m->h_bx[k]] -= ev.di_dx[k];
            /* a state on the thermal terminal's node: the row is the node's
             * heat balance, the state equation times cth (cth dT/dt - cth
             * rate = the heat flowing to the outside) */
            double w = m->st->ext[k] ? m->st->cth[k] : 1;
            c->Q[xk] += w * y[xk];
            c->C[m->h_xd[k]] += w;
            if (c->dc && f->states[k].hold_dc) {
                load_f(c, xk, y[xk] - m->x0[k], fmax(fabs(y[xk]), fabs(m->x0[k])));
                c->G[m->h_xd[k]] += 1;
                continue;
            }
            load_f(c, xk, -w * ev.rate[k], w * fabs(ev.rate[k]));
            c->G[m->h_xa[k]] -= w * ev.drate_dv[k];
            c->G[m->h_xb[k]] += w * ev.drate_dv[k];
            for (int j = 0; j < f->ns; j++) c->G[j == k ? m->h_xd[k] : m->h_xo[k * f->ns + j]] -= w * ev.drate_dx[k][j];
        }
        if (!isfinite(ev.i) || !isfinite(ev.di_dv))
            load_fault(c, &m->in, "current not finite at v=%g", v);
    }
}

void mem_init_uic(InstGroup *g, double *y, const LoadCtx *c)
{
    (void)c;
    const MemFamily *f = g->type->family;
    for (int i = 0; i < g->n; i++) {
        MemInst *m = (MemInst *)group_inst(g, i);
        for (int k = 0; k < f->ns; k++) y[m->xs[k]] = m->x0[k];
    }
}

void mem_output(const Instance *in, const double *y, double *vals)
{
    const MemInst *m = (const MemInst *)in;
    double v, xc[MEM_MAXS];
    MemEval ev;
    evaluate(m, family(in), y, 0, &v, xc, &ev);
    vals[0] = ev.i;
    /* chord resistance v/i; at |v| below 1 nV (where v/i of rounding-level
     * voltages is noise) the small-signal 1/(di/dv), its limit at v = 0 */
    double r = fabs(v) >= 1e-9 && ev.i != 0 ? v / ev.i : ev.di_dv > 0 ? 1 / ev.di_dv : 1e30;
    vals[1] = fabs(r) <= 1e30 ? r : copysign(1e30, r);   /* a subnormal current or slope: inf */
    vals[2] = vals[3] = v * ev.i;
}

/* A scratch instance of model m with the default instance parameters
 * (xo given when set_xo), initialised by the family at temp */
typedef struct Scratch {
    MemInst mi;
    MemStatic st;
    double p[64], mp[MEM_NMP];
    unsigned char given[64];
} Scratch;

static int scratch_init(Scratch *s, const Model *m, double temp, int set_xo, double xo)
{
    const DeviceType *t = m->type;
    int ix = param_index(t->inst_params, t->n_inst_params, "xo");
    if (ix < 0 || t->n_inst_params > 64) return -1;
    memset(s, 0, sizeof *s);
    param_defaults(t->inst_params, t->n_inst_params, s->p, s->given);
    if (set_xo) s->p[ix] = xo, s->given[ix] = 1;
    s->mi.mp = s->mp;
    s->mi.st = &s->st;
    s->mi.in.type = t;
    s->mi.in.model = (Model *)m;
    s->mi.in.p = s->p;
    s->mi.in.given = s->given;
    s->mi.in.nnodes = 2;
    for (int k = 0; k < MEM_MAXS; k++) s->mi.st->cth[k] = 1;
    ((const MemFamily *)t->family)->init(&s->mi, temp);
    return 0;
}

/* the memory state: the family's first hold_dc state, -1 if none */
static int memory_state(const MemFamily *f)
{
    for (int k = 0; k < f->ns; k++)
        if (f->states[k].hold_dc) return k;
    return -1;
}

/* The read conductance i(vread)/vread of model m with its memory state at
 * xo and the other states at their initial values, from the family's own
 * equations; *direct: the state is xo itself (no scaling) */
static int read_g(const Model *m, double temp, double xo, double vread, double *g, int *direct)
{
    const MemFamily *f = m->type->family;
    Scratch s;
    int ms = memory_state(f);
    if (ms < 0 || scratch_init(&s, m, temp, 1, xo)) return -1;
    *direct = s.mi.x0[ms] == xo;
    double x[MEM_MAXS];
    for (int k = 0; k < f->ns; k++) x[k] = mem_clamp(s.mi.x0[k], s.mi.st->lo[k], s.mi.st->hi[k]);
    MemEval e;
    memset(&e, 0, sizeof e);
    f->eval(&s.mi, vread, x, &e);
    *g = e.i / vread;
    return 0;
}

int mem_xo_for_conductance(const Model *m, double temp, double g, double vread, double *xo, char *err, size_t nerr)
{
    const MemFamily *f = m->type->family;
    if (!(vread != 0) || !(g > 0)) return snprintf(err, nerr, "the conductance must be positive, got %g", g), -1;
    /* the memory state's bounds, from an instance at its defaults */
    Scratch probe;
    int ms = memory_state(f), direct;
    double glo, ghi;
    if (ms < 0 || scratch_init(&probe, m, temp, 0, 0)) return snprintf(err, nerr, "model '%s' has no xo", m->name), -1;
    double lo = probe.mi.st->lo[ms], hi = probe.mi.st->hi[ms];
    if (read_g(m, temp, lo, vread, &glo, &direct) || read_g(m, temp, hi, vread, &ghi, &direct))
        return snprintf(err, nerr, "model '%s' has no xo", m->name), -1;
    if (!direct)
        return snprintf(err, nerr, "model '%s' (%s): its xo is not the state itself; map the weights to states "
                        "outside and give xo_file=", m->name, m->type->name), -1;
    double gmin = fmin(glo, ghi), gmax = fmax(glo, ghi);
    if (!(g >= gmin && g <= gmax))
        return snprintf(err, nerr, "conductance %g S is outside the model's range [%g, %g] S at %g V", g, gmin, gmax,
                        vread), -1;
    /* bisection on xo in [lo, hi] (G monotonic in the state; checked at the
     * ends only: a non-monotonic model gives one of the states) */
    double a = lo, b = hi, ga = glo;
    for (int it = 0; it < 200 && b - a > 1e-15 * fmax(fabs(a), fabs(b)) + 1e-300; it++) {
        double c = 0.5 * (a + b), gc;
        read_g(m, temp, c, vread, &gc, &direct);
        if ((gc - g) * (ga - g) <= 0) b = c;
        else a = c, ga = gc;
    }
    *xo = 0.5 * (a + b);
    return 0;
}
