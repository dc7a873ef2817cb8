/* Behavioural elements: an expression of node voltages, branch currents,
 * time and temperature (ngspice B sources, E/G with value=, and R/C/L
 * whose value is such an expression):
 *   B<name> n+ n- I=expr    G... value=/cur=   current from n+ through the
 *                                              element to n- (leaves n+)
 *   B<name> n+ n- V=expr    E... value=/vol=   branch current unknown i(name):
 *                                              F_k = v(n+) - v(n-) - V(expr)
 *   R<name> n+ n- r=expr    i = v(n+,n-) / R(expr)  (current form)
 *   C<name> n+ n- c=expr    i = C(expr) d/dt v(n+,n-): current unknown
 *                           i(name) with F_k = i / C, Q_k = -v(n+,n-)
 *   L<name> n+ n- l=expr    v(n+,n-) = L(expr) d/dt i: branch current
 *                           i(name) with F_k = v(n+,n-) / L, Q_k = -i
 * The C and L forms are ngspice's (it rewrites such a C into a B source
 * times the current of a 1 F capacitor, docs/devices/behavioural.md), not
 * the charge form q = C v. ddt(x) and sdt(x)/idt(x) inside an expression
 * are unknowns of the element: z = d/dt x (F = z, Q = -x) and
 * z = ic + integral x (F = -x, Q = z; in static solves z = ic).
 * The Jacobian comes from the expression's exact derivatives (forward-mode
 * AD, src/expr); no finite differences. A domain error (division by zero,
 * log of a non-positive number, ...) makes the iteration fail with the
 * device, time and reason, so Newton steps back, or a smaller step or
 * another DC strategy avoids the region; if none can, that is the error
 * reported. An infinite slope at a defined value (sqrt at 0) is not an
 * error: see prog_eval. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "engine/mna.h"

typedef enum { BEH_I, BEH_V, BEH_R, BEH_C, BEH_L } BehForm;
typedef struct BehFamily {
    BehForm form;
} BehFamily;

/* one ddt/sdt unknown: its row, its argument's variables and handles */
typedef struct BehAux {
    int z, hzz;
    int nv;
    const int *var;
    int *h;                      /* per variable: (z, row) */
    double *grad;
} BehAux;

typedef struct Beh {
    Instance in;
    BehForm form;
    int a, b, k;                 /* terminal rows; own unknown (V, C, L forms) */
    int hak, hbk, hka, hkb, hkk; /* couplings with k */
    int haa, hab, hba, hbb;      /* R form: v(n+,n-) / R */
    int nv;                      /* variables of the program */
    const int *var;              /* their signal slots */
    int *row;                    /* per signal: matrix row, -1 for time/temper */
    int *h1, *h2;                /* per variable: handles (a,row)/(b,row), or (k,row) */
    double *vals, *grad;
    BehAux *aux;
} Beh;

static BehForm form_of(const Instance *in)
{
    return ((const BehFamily *)in->type->family)->form;
}

static int beh_check(Instance *in, const Circuit *ckt, Diag *d)
{
    for (int k = 0; k < in->expr->nsig; k++) {
        const Signal *s = &in->expr->sig[k];
        if (s->kind != SIG_BRANCH) continue;
        const Instance *ref = circuit_find_instance(ckt, s->inst);
        if (!ref) {
            diag_error(d, &in->expr->loc, "%s: i(%s): no element of that name", in->name, s->inst);
            return -1;
        }
        if (!(ref->type->flags & DEV_BRANCH)) {
            diag_error(d, &in->expr->loc, "%s: i(%s): a %s has no single current (i() reads two-terminal elements "
                       "and sources)", in->name, s->inst, ref->type->name);
            return -1;
        }
    }
    return 0;
}

/* Current form: a current that reads the voltage of one of its own
 * terminals (I=1-v(s) from 0 to s) is a conductance between them, so
 * the node has a DC path (topology check). A terminal read only through
 * the time or a branch current is not. */
static int beh_dc_conducts(const Instance *in)
{
    for (int k = 0; k < in->expr->nsig; k++) {
        const Signal *s = &in->expr->sig[k];
        if (s->kind == SIG_NODE && s->node != 0 && (s->node == in->nodes[0] || s->node == in->nodes[1]))
            return 1;
    }
    return 0;
}

/* one block per group for the per-instance arrays (freed with the group) */
static int beh_setup(InstGroup *g, SetupCtx *s)
{
    size_t ints = 0, dbls = 0, auxs = 0;
    for (int i = 0; i < g->n; i++) {
        Beh *x = (Beh *)group_inst(g, i);
        const InstExpr *ie = x->in.expr;
        x->nv = expr_prog_nvars(ie->prog);
        ints += (size_t)ie->nsig + 2 * (size_t)x->nv;
        dbls += (size_t)ie->nsig + (size_t)x->nv;
        auxs += (size_t)ie->naux;
        for (int j = 0; j < ie->naux; j++) {
            int nv = expr_prog_nvars(ie->aux[j].prog);
            ints += (size_t)nv;
            dbls += (size_t)nv;
        }
    }
    char *blk = xcalloc(1, auxs * sizeof(BehAux) + ints * sizeof(int) + dbls * sizeof(double) + 16);
    free(g->priv);
    g->priv = blk;
    BehAux *ap = (BehAux *)blk;
    double *dp = (double *)(ap + auxs);
    int *ip = (int *)(dp + dbls);
    for (int i = 0; i < g->n; i++) {
        Beh *x = (Beh *)group_inst(g, i);
        const InstExpr *ie = x->in.expr;
        int ns = ie->nsig;
        x->form = form_of(&x->in);
        x->var = expr_prog_vars(ie->prog);
        x->vals = dp, dp += ns;
        x->grad = dp, dp += x->nv;
        x->row = ip, ip += ns;
        x->h1 = ip, ip += x->nv;
        x->h2 = ip, ip += x->nv;
        x->aux = ap, ap += ie->naux;
        for (int j = 0; j < ie->naux; j++) {
            BehAux *a = &x->aux[j];
            a->nv = expr_prog_nvars(ie->aux[j].prog);
            a->var = expr_prog_vars(ie->aux[j].prog);
            a->h = ip, ip += a->nv;
            a->grad = dp, dp += a->nv;
            char *name = xasprintf("%s#%s%d", x->in.name, ie->aux[j].kind == AUX_DDT ? "ddt" : "sdt", j + 1);
            a->z = mna_add_unknown(s, &x->in, UK_CURRENT, name, 0, 0);
            mna_unknown_hidden(s, a->z);
            free(name);
        }
        if (x->form == BEH_V || x->form == BEH_C || x->form == BEH_L) {
            char *name = xasprintf("i(%s)", x->in.name);
            x->k = mna_add_unknown(s, &x->in, UK_CURRENT, name, 0, 0);
            free(name);
            x->in.branch = x->k;
        }
    }
    return 0;
}

static void beh_reserve(InstGroup *g, SetupCtx *s)
{
    const Circuit *ckt = mna_circuit(s);
    for (int i = 0; i < g->n; i++) {
        Beh *x = (Beh *)group_inst(g, i);
        const InstExpr *ie = x->in.expr;
        int sink = mna_node_row(s, 0);
        x->a = mna_node_row(s, x->in.nodes[0]);
        x->b = mna_node_row(s, x->in.nodes[1]);
        for (int k = 0; k < ie->nsig; k++) {
            const Signal *sg = &ie->sig[k];
            if (sg->kind == SIG_NODE) {
                x->row[k] = mna_node_row(s, sg->node);
            } else if (sg->kind == SIG_BRANCH) {
                const Instance *ref = circuit_find_instance(ckt, sg->inst);
                x->row[k] = ref && ref->branch >= 0 ? ref->branch : sink;
            } else if (sg->kind == SIG_AUX) {
                x->row[k] = x->aux[sg->node].z;
            } else {
                x->row[k] = -1;
            }
        }
        BehForm f = x->form;
        if (f == BEH_V || f == BEH_C || f == BEH_L) {
            x->hak = mna_reserve(s, x->a, x->k);
            x->hbk = mna_reserve(s, x->b, x->k);
            /* C: Q_k = -v(n+,n-); L: Q_k = -i */
            int (*res)(SetupCtx *, int, int) = f == BEH_C ? mna_reserve_dyn : mna_reserve;
            x->hka = res(s, x->k, x->a);
            x->hkb = res(s, x->k, x->b);
            x->hkk = f == BEH_L ? mna_reserve_dyn(s, x->k, x->k) : mna_reserve(s, x->k, x->k);
        }
        if (f == BEH_R) {
            x->haa = mna_reserve(s, x->a, x->a);
            x->hab = mna_reserve(s, x->a, x->b);
            x->hba = mna_reserve(s, x->b, x->a);
            x->hbb = mna_reserve(s, x->b, x->b);
        }
        int own = f == BEH_I || f == BEH_R;   /* the expression's slopes enter the terminal rows */
        for (int j = 0; j < x->nv; j++) {
            int r = x->row[x->var[j]];
            if (r < 0) r = sink;   /* time: no matrix entry (sink) */
            x->h1[j] = mna_reserve(s, own ? x->a : x->k, r);
            x->h2[j] = own ? mna_reserve(s, x->b, r) : x->h1[j];
        }
        for (int j = 0; j < ie->naux; j++) {
            BehAux *a = &x->aux[j];
            a->hzz = mna_reserve_dyn(s, a->z, a->z);
            for (int v = 0; v < a->nv; v++) {
                int r = x->row[a->var[v]];
                a->h[v] = mna_reserve_dyn(s, a->z, r < 0 ? sink : r);
            }
        }
    }
}

/* value and gradient of a program at the iterate (signal values in
 * x->vals); 0, or -1 after a fault */
static int prog_eval(Beh *x, ExprProg *prog, const LoadCtx *c, double *val, double *grad, int nv)
{
    const InstExpr *ie = x->in.expr;
    *val = expr_eval_grad(prog, x->vals, grad);
    ExprDomain dom = expr_prog_domain_error(prog);
    if (dom == EXPR_DOM_DERIV && isfinite(*val)) {
        /* The value is defined but a slope is not (sqrt(x) at x = 0, x^0.5,
         * asin(x) at 1, atan2 at (0, 0)). The slope only steers Newton: the
         * residual decides whether a point is accepted (newton.c), so an
         * infinite or undefined slope is taken as 0 here (the unknown is
         * treated as not acting on the source for this one iteration) and a
         * start at the singular point goes on instead of failing. */
        for (int j = 0; j < nv; j++)
            if (!isfinite(grad[j])) grad[j] = 0;
        expr_prog_clear_error(prog);
        return 0;
    }
    if (dom != EXPR_DOM_OK) {
        load_fault((LoadCtx *)c, &x->in, "%s in '%s' at t=%g", expr_prog_domain_msg(prog), ie->text, c->t);
        expr_prog_clear_error(prog);
        return -1;
    }
    return 0;
}

static void read_signals(Beh *x, const LoadCtx *c)
{
    const InstExpr *ie = x->in.expr;
    for (int k = 0; k < ie->nsig; k++) {
        const Signal *sg = &ie->sig[k];
        x->vals[k] = x->row[k] >= 0 ? c->y[x->row[k]] : sg->kind == SIG_TIME ? c->t : c->temp - 273.15;
    }
}

/* ddt:  F = z, Q = -x;   sdt:  F = -x, Q = z (static solves: F = z - ic) */
static void load_aux(Beh *x, LoadCtx *c)
{
    const InstExpr *ie = x->in.expr;
    for (int j = 0; j < ie->naux; j++) {
        BehAux *a = &x->aux[j];
        const ExprAux *ea = &ie->aux[j];
        double z = c->y[a->z], v;
        if (prog_eval(x, ea->prog, c, &v, a->grad, a->nv)) continue;
        if (ea->kind == AUX_DDT) {
            load_f(c, a->z, z, fabs(z));
            c->Q[a->z] -= v;
            c->G[a->hzz] += 1;
            for (int m = 0; m < a->nv; m++)
                if (x->row[a->var[m]] >= 0) c->C[a->h[m]] -= a->grad[m];
        } else {
            c->Q[a->z] += z;   /* also in static solves: the transient's first charges */
            c->C[a->hzz] += 1;
            if (c->dc) {
                load_f(c, a->z, z - ea->ic, fmax(fabs(z), fabs(ea->ic)));
                c->G[a->hzz] += 1;
                continue;
            }
            load_f(c, a->z, -v, fabs(v));
            for (int m = 0; m < a->nv; m++)
                if (x->row[a->var[m]] >= 0) c->G[a->h[m]] -= a->grad[m];
        }
    }
}

static const char *const form_what[] = {"", "", "resistance", "capacitance", "inductance"};

static void beh_load(InstGroup *g, LoadCtx *c)
{
    for (int i = 0; i < g->n; i++) {
        Beh *x = (Beh *)group_inst(g, i);
        double v;
        read_signals(x, c);
        if (x->in.expr->naux) load_aux(x, c);
        if (prog_eval(x, x->in.expr->prog, c, &v, x->grad, x->nv)) continue;
        double vab = c->y[x->a] - c->y[x->b];
        if (x->form >= BEH_R && v == 0) {
            load_fault(c, &x->in, "the %s '%s' is 0 at t=%g", form_what[x->form], x->in.expr->text, c->t);
            continue;
        }
        switch (x->form) {
        case BEH_V: {
            double cur = c->y[x->k];
            load_f(c, x->a, cur, fabs(cur));
            load_f(c, x->b, -cur, fabs(cur));
            load_f(c, x->k, vab - v, fmax(fabs(vab), fabs(v)));
            c->G[x->hak] += 1;
            c->G[x->hbk] -= 1;
            c->G[x->hka] += 1;
            c->G[x->hkb] -= 1;
            for (int j = 0; j < x->nv; j++)
                if (x->row[x->var[j]] >= 0) c->G[x->h1[j]] -= x->grad[j];
            break;
        }
        case BEH_I:
            load_f(c, x->a, v, fabs(v));
            load_f(c, x->b, -v, fabs(v));
            for (int j = 0; j < x->nv; j++)
                if (x->row[x->var[j]] >= 0) {
                    c->G[x->h1[j]] += x->grad[j];
                    c->G[x->h2[j]] -= x->grad[j];
                }
            break;
        case BEH_R: {
            double gc = 1 / v, cur = vab * gc, dr = -cur * gc;   /* di/dR = -v/R^2 */
            load_f(c, x->a, cur, fabs(cur));
            load_f(c, x->b, -cur, fabs(cur));
            c->G[x->haa] += gc;
            c->G[x->hab] -= gc;
            c->G[x->hba] -= gc;
            c->G[x->hbb] += gc;
            for (int j = 0; j < x->nv; j++)
                if (x->row[x->var[j]] >= 0) {
                    c->G[x->h1[j]] += dr * x->grad[j];
                    c->G[x->h2[j]] -= dr * x->grad[j];
                }
            break;
        }
        case BEH_C:
        case BEH_L: {
            /* C: F_k = i / C, Q_k = -v(n+,n-);  L: F_k = v(n+,n-) / L, Q_k = -i */
            double cur = c->y[x->k], inv = 1 / v;
            double num = x->form == BEH_C ? cur : vab, fk = num * inv, df = -fk * inv;
            load_f(c, x->a, cur, fabs(cur));
            load_f(c, x->b, -cur, fabs(cur));
            load_f(c, x->k, fk, fabs(fk));
            c->G[x->hak] += 1;
            c->G[x->hbk] -= 1;
            if (x->form == BEH_C) {
                c->G[x->hkk] += inv;
                c->Q[x->k] -= vab;
                c->C[x->hka] -= 1;
                c->C[x->hkb] += 1;
            } else {
                c->G[x->hka] += inv;
                c->G[x->hkb] -= inv;
                c->Q[x->k] -= cur;
                c->C[x->hkk] -= 1;
            }
            for (int j = 0; j < x->nv; j++)
                if (x->row[x->var[j]] >= 0) c->G[x->h1[j]] += df * x->grad[j];
            break;
        }
        }
    }
}

/* ddt/sdt unknowns start at 0 and ic (.tran ... uic) */
static void beh_init_uic(InstGroup *g, double *y, const LoadCtx *c)
{
    (void)c;
    for (int i = 0; i < g->n; i++) {
        Beh *x = (Beh *)group_inst(g, i);
        for (int j = 0; j < x->in.expr->naux; j++)
            y[x->aux[j].z] = x->in.expr->aux[j].kind == AUX_SDT ? x->in.expr->aux[j].ic : 0;
    }
}

static const char *const terms[] = {"n+", "n-"};
static const TermPair out_pair[] = {{0, 1}};
static const char *const keys_b_v[] = {"v", NULL};
static const char *const keys_b_i[] = {"i", NULL};
static const char *const keys_e[] = {"value", "vol", NULL};
static const char *const keys_g[] = {"value", "cur", NULL};
static const char *const keys_r[] = {"r", "resistance", NULL};
static const char *const keys_c[] = {"c", "capacitance", NULL};
static const char *const keys_l[] = {"l", "inductance", NULL};
static const BehFamily fam_i = {BEH_I}, fam_v = {BEH_V}, fam_r = {BEH_R}, fam_c = {BEH_C}, fam_l = {BEH_L};

#define BEH_COMMON                                                                                 \
    .nterm = 2, .term_names = terms, .inst_size = sizeof(Beh), .check = beh_check,                  \
    .setup = beh_setup, .reserve = beh_reserve, .load = beh_load, .init_uic = beh_init_uic
#define BEH_VOLTAGE(sym, letter_, keys, nm, sum)                                                   \
    const DeviceType sym = {                                                                      \
        .name = nm, .summary = sum, .letter = letter_, .flags = DEV_BRANCH, .expr_keys = keys,     \
        .dc_paths = out_pair, .n_dc_paths = 1, .vdef = out_pair, .n_vdef = 1, .family = &fam_v,    \
        BEH_COMMON,                                                                                 \
    }
#define BEH_CURRENT(sym, letter_, keys, nm, sum)                                                   \
    const DeviceType sym = {                                                                      \
        .name = nm, .summary = sum, .letter = letter_, .expr_keys = keys,                          \
        .dc_conducts = beh_dc_conducts, .family = &fam_i, BEH_COMMON,                              \
    }

BEH_VOLTAGE(device_bvoltage, 'B', keys_b_v, "bsource-v", "behavioural voltage source: B n+ n- V=expr");
BEH_CURRENT(device_bcurrent, 'B', keys_b_i, "bsource-i", "behavioural current source: B n+ n- I=expr");
BEH_VOLTAGE(device_evalue, 'E', keys_e, "vcvs-value", "behavioural voltage source: E n+ n- value=expr");
BEH_CURRENT(device_gvalue, 'G', keys_g, "vccs-value", "behavioural current source: G n+ n- value=expr");

const DeviceType device_rexpr = {
    .name = "resistor-expr", .summary = "behavioural resistor: R n+ n- r={expr of v(), i(), time}",
    .letter = 'R', .expr_keys = keys_r, .expr_if_varying = 1, .dc_paths = out_pair, .n_dc_paths = 1,
    .family = &fam_r, BEH_COMMON,
};
const DeviceType device_cexpr = {
    .name = "capacitor-expr", .summary = "behavioural capacitor: C n+ n- c={expr}, i = C dv/dt",
    .letter = 'C', .flags = DEV_BRANCH, .expr_keys = keys_c, .expr_if_varying = 1, .family = &fam_c, BEH_COMMON,
};
const DeviceType device_lexpr = {
    .name = "inductor-expr", .summary = "behavioural inductor: L n+ n- l={expr}, v = L di/dt",
    .letter = 'L', .flags = DEV_BRANCH, .expr_keys = keys_l, .expr_if_varying = 1, .dc_paths = out_pair,
    .n_dc_paths = 1, .vdef = out_pair, .n_vdef = 1, .family = &fam_l, BEH_COMMON,
};
