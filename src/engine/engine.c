/* Engine construction: unknowns, sparse pattern (two reservation passes:
 * collect then bind), solver; device loading. */
#include "engine/engine.h"

#include "engine/pattern.h"

#include "util/threads.h"
#include "util/worker.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct SetupCtx {
    Engine *e;
};

int mna_node_row(const SetupCtx *s, int node)
{
    return node == 0 ? s->e->n : node - 1;
}

const Circuit *mna_circuit(const SetupCtx *s)
{
    return s->e->ckt;
}

const SimOptions *mna_options(const SetupCtx *s)
{
    return s->e->opt;
}

void mna_note_rng(SetupCtx *s)
{
    s->e->rng_used = 1;
}

int mna_add_unknown(SetupCtx *s, const Instance *owner, UnknownKind kind, const char *name,
                    double abstol, double qtol)
{
    Engine *e = s->e;
    Unknown u = {0};
    u.name = xstrdup(name);
    u.kind = kind;
    u.abstol = abstol > 0 ? abstol : kind == UK_VOLTAGE ? e->opt->vntol : e->opt->abstol;
    u.qtol = qtol > 0 ? qtol : e->opt->chgtol;
    u.owner = owner;
    u.node = -1;
    VEC_PUSH(e->uk, u);
    return e->uk.n - 1;
}

int mna_add_internal_node(SetupCtx *s, const Instance *owner, const char *suffix)
{
    char *name = xasprintf("v(%s#%s)", owner->name, suffix);
    int row = mna_add_unknown(s, owner, UK_VOLTAGE, name, 0, 0);
    free(name);
    s->e->uk.v[row].hidden = 1;
    return row;
}

void mna_unknown_hidden(SetupCtx *s, int row)
{
    s->e->uk.v[row].hidden = 1;
}

void mna_unknown_absolute(SetupCtx *s, int row)
{
    s->e->uk.v[row].abs_only = 1;
}

void mna_bound_unknown(SetupCtx *s, int row, double lo, double hi)
{
    Engine *e = s->e;
    e->bnd = xrealloc(e->bnd, (size_t)(e->nbnd + 1) * sizeof *e->bnd);
    e->bnd[e->nbnd++] = (struct Bound){row, lo, hi, 0, NULL, 0};
}

/* every stored entry of each bounded row, once the pattern is known: one
 * pass over the pattern to count, one to fill */
static void bind_bounds(Engine *e)
{
    if (!e->nbnd) return;
    int *which = xmalloc(((size_t)e->n + 1) * sizeof *which);
    for (int i = 0; i <= e->n; i++) which[i] = -1;
    for (int k = 0; k < e->nbnd; k++) which[e->bnd[k].row] = k;
    for (int c = 0; c < e->n; c++)
        for (int j = e->Ap[c]; j < e->Ap[c + 1]; j++)
            if (which[e->Ai[j]] >= 0) e->bnd[which[e->Ai[j]]].nh++;
    for (int k = 0; k < e->nbnd; k++) {
        e->bnd[k].h = xmalloc((size_t)(e->bnd[k].nh ? e->bnd[k].nh : 1) * sizeof *e->bnd[k].h);
        e->bnd[k].nh = 0;
    }
    for (int c = 0; c < e->n; c++)
        for (int j = e->Ap[c]; j < e->Ap[c + 1]; j++) {
            int k = which[e->Ai[j]];
            if (k >= 0) e->bnd[k].h[e->bnd[k].nh++] = j;
        }
    free(which);
}

void load_fault(LoadCtx *c, const Instance *in, const char *fmt, ...)
{
    if (c->fault_inst) return;   /* the first one explains best */
    char where[512];
    int len = snprintf(c->fault, sizeof c->fault, "%s (%s): ", in->name, srcloc_str(&in->loc, where, sizeof where));
    va_list ap;
    va_start(ap, fmt);
    if (len > 0 && (size_t)len < sizeof c->fault) vsnprintf(c->fault + len, sizeof c->fault - (size_t)len, fmt, ap);
    va_end(ap);
    c->fault_inst = in;
}

void engine_accept(Engine *e, const double *y)
{
    e->lc.y = y;
    for (int g = 0; g < e->ckt->ngroups; g++) {
        InstGroup *grp = &e->ckt->groups[g];
        if (grp->type->accept) grp->type->accept(grp, &e->lc);
    }
}

const char *engine_fault_suffix(const Engine *e, char *buf, size_t n)
{
    if (!e->last_fault[0]) return "";
    snprintf(buf, n, " (last device problem: %s)", e->last_fault);
    return buf;
}

int mna_reserve(SetupCtx *s, int row, int col)
{
    Engine *e = s->e;
    if (row >= e->n || col >= e->n || row < 0 || col < 0) return e->phase ? e->nnz : 0;
    if (e->phase == 0) {
        VEC_PUSH(e->pat, pattern_key(row, col));
        return 0;
    }
    return pattern_find(e->Ap, e->Ai, row, col);   /* found: every bind-phase entry was collected */
}

int mna_reserve_dyn(SetupCtx *s, int row, int col)
{
    Engine *e = s->e;
    if (row >= 0 && row < e->n) e->dyn[row] = 1;
    int h = mna_reserve(s, row, col);
    if (e->phase == 1) e->cq_mark[h] = 1;
    return h;
}

/* list of the dynamic entries (the only ones C may hold), column order */
static void build_dyn_entries(Engine *e)
{
    for (int c = 0; c < e->n; c++)
        for (int k = e->Ap[c]; k < e->Ap[c + 1]; k++)
            if (e->cq_mark[k]) e->ncq++;
    size_t m = (size_t)(e->ncq ? e->ncq : 1);
    e->cq_h = xmalloc(m * sizeof *e->cq_h);
    e->cq_row = xmalloc(m * sizeof *e->cq_row);
    e->cq_col = xmalloc(m * sizeof *e->cq_col);
    int j = 0;
    for (int c = 0; c < e->n; c++)
        for (int k = e->Ap[c]; k < e->Ap[c + 1]; k++)
            if (e->cq_mark[k]) {
                e->cq_h[j] = k;
                e->cq_row[j] = e->Ai[k];
                e->cq_col[j] = c;
                j++;
            }
    free(e->cq_mark);
    e->cq_mark = NULL;
}

static void reserve_all(Engine *e, SetupCtx *s)
{
    for (int i = 0; i < e->n; i++) e->diag_h[i] = mna_reserve(s, i, i);
    for (int g = 0; g < e->ckt->ngroups; g++) {
        InstGroup *grp = &e->ckt->groups[g];
        if (grp->type->reserve) grp->type->reserve(grp, s);
    }
}

/* sorted, de-duplicated (col,row) pairs -> compressed columns */
static void build_pattern(Engine *e)
{
    e->nnz = pattern_build(e->pat.v, (size_t)e->pat.n, e->n, &e->Ap, &e->Ai);
    VEC_FREE(e->pat);
}

static int setup_unknowns(Engine *e, SetupCtx *s)
{
    int nn = circuit_nnodes(e->ckt);
    for (int k = 1; k < nn; k++) {
        char *name = xasprintf("v(%s)", circuit_node_name(e->ckt, k));
        int row = mna_add_unknown(s, NULL, UK_VOLTAGE, name, 0, 0);
        e->uk.v[row].node = k;
        e->uk.v[row].hidden = circuit_node_internal(e->ckt, k);
        free(name);
    }
    /* Device unknowns follow the nodes. The sink row (ground) is n, known
     * only once every unknown exists: devices ask for node rows in reserve(). */
    for (int g = 0; g < e->ckt->ngroups; g++) {
        InstGroup *grp = &e->ckt->groups[g];
        int first = e->uk.n;
        if (grp->type->setup && grp->type->setup(grp, s)) return -1;
        for (int u = first; u < e->uk.n; u++)
            if (e->uk.v[u].owner && e->uk.v[u].owner->internal) e->uk.v[u].hidden = 1;
    }
    return 0;
}

/* ---- loads of one group on two threads (DEV_PARLOAD) ----
 *
 * A group's instances split into three consecutive ranges: A = [0, k1),
 * M = [k1, k2), B = [k2, n), where no row (terminal or own unknown; ground
 * counts as a row) is touched both by an instance of A and one of B. A
 * and B are loaded at the same time (B on the worker, into the same
 * arrays: their entries are disjoint), then M. The split depends only on
 * the circuit, and without a worker the same three ranges are loaded in
 * the same order, so results do not depend on the number of threads.
 * Splits leaving less than PAR_SHARE of the instances to either side are
 * not used (the group loads as one). */
#define PAR_SHARE 0.3
enum { PAR_MIN_INSTANCES = 1000 };

static void plan_parallel_loads(Engine *e)
{
    const Circuit *ckt = e->ckt;
    if (e->n < WORKER_MIN_UNKNOWNS) return;
    int n = e->n;
    int *last = xmalloc(((size_t)n + 1) * sizeof *last);
    for (int g = 0; g < ckt->ngroups; g++) {
        const InstGroup *grp = &ckt->groups[g];
        const DeviceType *t = grp->type;
        if (!(t->flags & DEV_PARLOAD) || grp->n < PAR_MIN_INSTANCES || t->nrefs) continue;
        /* rows of each instance: its terminals' rows, then its own unknowns */
        int *cnt = xcalloc((size_t)grp->n + 1, sizeof *cnt);
        size_t isz = t->inst_size;
        for (int i = 0; i < n; i++) {
            const char *o = (const char *)e->uk.v[i].owner;
            if (o >= grp->data && o < grp->data + (size_t)grp->n * isz) cnt[(o - grp->data) / isz + 1]++;
        }
        for (int i = 0; i < grp->n; i++) cnt[i + 1] += cnt[i] + group_inst(grp, i)->nnodes;
        int *rows = xmalloc(((size_t)cnt[grp->n] + 1) * sizeof *rows), *fill = xcalloc((size_t)grp->n, sizeof *fill);
        for (int i = 0; i < grp->n; i++) {
            const Instance *in = group_inst(grp, i);
            for (int k = 0; k < in->nnodes; k++) rows[cnt[i] + fill[i]++] = in->nodes[k] ? in->nodes[k] - 1 : n;
        }
        for (int i = 0; i < n; i++) {
            const char *o = (const char *)e->uk.v[i].owner;
            if (o >= grp->data && o < grp->data + (size_t)grp->n * isz) {
                int k = (int)((o - grp->data) / isz);
                rows[cnt[k] + fill[k]++] = i;
            }
        }
        for (int r = 0; r <= n; r++) last[r] = -1;
        for (int i = 0; i < grp->n; i++)
            for (int k = cnt[i]; k < cnt[i + 1]; k++) last[rows[k]] = i;
        /* k2(k1) = 1 + the last instance touching a row of [0, k1) */
        int best1 = 0, best2 = grp->n, runmax = -1;
        double best = -1;
        for (int k1 = 1; k1 < grp->n; k1++) {
            for (int k = cnt[k1 - 1]; k < cnt[k1]; k++)
                if (last[rows[k]] > runmax) runmax = last[rows[k]];
            int k2 = runmax + 1 > k1 ? runmax + 1 : k1;
            double score = fmin(k1, grp->n - k2);
            if (score > best) best = score, best1 = k1, best2 = k2;
        }
        if (best >= PAR_SHARE * grp->n) {
            if (!e->par) e->par = xcalloc((size_t)ckt->ngroups, sizeof *e->par);
            e->par[g].k1 = best1;
            e->par[g].k2 = best2;
        }
        free(cnt), free(rows), free(fill);
    }
    free(last);
}

typedef struct ParTask {
    InstGroup g;
    LoadCtx lc;
} ParTask;

static void par_load(void *arg)
{
    ParTask *t = arg;
    t->g.type->load(&t->g, &t->lc);
}

static InstGroup sub_group(const InstGroup *g, int from, int to)
{
    InstGroup s = *g;
    s.data = g->data + (size_t)from * g->type->inst_size;
    s.n = to - from;
    return s;
}

/* ranges A and B (B on the worker when there is one), then M */
static void load_split(Engine *e, InstGroup *grp, const struct ParLoad *pl, LoadCtx *lc)
{
    ParTask b = {sub_group(grp, pl->k2, grp->n), *lc};
    b.lc.noncon = 0;
    b.lc.fault_inst = NULL;
    InstGroup a = sub_group(grp, 0, pl->k1), m = sub_group(grp, pl->k1, pl->k2);
    if (e->worker) {
        worker_start(e->worker, par_load, &b);
        grp->type->load(&a, lc);
        worker_wait(e->worker);
    } else {
        grp->type->load(&a, lc);
        par_load(&b);
    }
    lc->noncon |= b.lc.noncon;
    if (!lc->fault_inst && b.lc.fault_inst) {
        lc->fault_inst = b.lc.fault_inst;
        memcpy(lc->fault, b.lc.fault, sizeof lc->fault);
    }
    if (m.n) grp->type->load(&m, lc);
}

Engine *engine_new(Circuit *ckt, const SimOptions *opt, Diag *diag)
{
    Engine *e = xcalloc(1, sizeof *e);
    e->ckt = ckt;
    e->opt = opt;
    e->diag = diag;
    e->temp_k = opt->temp + 273.15;
    SetupCtx s = {e};
    if (setup_unknowns(e, &s)) {
        engine_free(e);
        return NULL;
    }
    e->n = e->uk.n;
    int n = e->n;
    /* names are unique (mna_add_unknown); the first one wins if not */
    for (int i = n - 1; i >= 0; i--) strmap_put(&e->uk_map, e->uk.v[i].name, strmap_int_to_ptr(i + 1));
    e->dyn = xcalloc((size_t)n + 1, 1);
    e->diag_h = xcalloc((size_t)n + 1, sizeof *e->diag_h);
    e->phase = 0;
    reserve_all(e, &s);
    build_pattern(e);
    e->phase = 1;
    memset(e->dyn, 0, (size_t)n + 1);
    e->cq_mark = xcalloc((size_t)e->nnz + 1, 1);
    reserve_all(e, &s);
    build_dyn_entries(e);
    bind_bounds(e);
    if (e->nbnd) {
        e->bnd_active = xcalloc((size_t)n + 1, 1);
        e->bnd_prev = xcalloc((size_t)n + 1, 1);
    }
    e->dyn_rows = xmalloc((size_t)(n ? n : 1) * sizeof *e->dyn_rows);
    for (int i = 0; i < n; i++)
        if (e->dyn[i]) e->dyn_rows[e->ndyn++] = i;
    e->G = xcalloc((size_t)e->nnz + 1, sizeof *e->G);
    e->C = xcalloc((size_t)e->nnz + 1, sizeof *e->C);
    e->J = xcalloc((size_t)e->nnz + 1, sizeof *e->J);
    e->F = xcalloc((size_t)n + 1, sizeof *e->F);
    e->Fmag = xcalloc((size_t)n + 1, sizeof *e->Fmag);
    /* a KCL row is in amperes, the branch equation of a current unknown in
     * volts; a state's row has no absolute unit of its own */
    e->rfloor = xcalloc((size_t)n + 1, sizeof *e->rfloor);
    for (int i = 0; i < n; i++)
        e->rfloor[i] = e->uk.v[i].kind == UK_VOLTAGE ? opt->abstol : e->uk.v[i].kind == UK_CURRENT ? opt->vntol : 0;
    e->urel = xcalloc((size_t)n + 1, sizeof *e->urel);
    e->uabs = xcalloc((size_t)n + 1, sizeof *e->uabs);
    for (int i = 0; i < n; i++) {
        e->urel[i] = e->uk.v[i].abs_only ? 0 : opt->reltol;
        e->uabs[i] = e->uk.v[i].abstol;
    }
    e->Q = xcalloc((size_t)n + 1, sizeof *e->Q);
    e->r = xcalloc((size_t)n + 1, sizeof *e->r);
    e->dy = xcalloc((size_t)n + 1, sizeof *e->dy);
    e->yold = xcalloc((size_t)n + 1, sizeof *e->yold);
    e->lte_qtol = xcalloc((size_t)n + 1, sizeof *e->lte_qtol);
    e->lte_rateabs = xcalloc((size_t)n + 1, sizeof *e->lte_rateabs);
    e->lte_qrel = xcalloc((size_t)n + 1, 1);
    for (int i = 0; i < n; i++) {
        e->lte_qrel[i] = e->uk.v[i].kind != UK_STATE;
        e->lte_qtol[i] = e->uk.v[i].qtol;
        /* states have no natural absolute rate; node and branch rows use abstol (SPICE) */
        e->lte_rateabs[i] = e->uk.v[i].kind == UK_STATE ? 0 : opt->abstol;
    }
    e->linear = 1;
    e->chord_allowed = opt->chord != 0;
    /* factorizations kept for the step sizes a transient returns to, each
     * as large as the current one: up to a 256x256 crossbar (~200k
     * unknowns; 108 s instead of 151 s, 675 MB instead of 369 MB);
     * larger circuits keep none (two slots do not hold a breakpoint's
     * cycle of step sizes: no gain) */
    e->nkeep = e->n <= 400000 ? LS_KEEP : 0;
    for (int g = 0; g < ckt->ngroups; g++) {
        if (!(ckt->groups[g].type->flags & DEV_LINEAR)) e->linear = 0;
        if (ckt->groups[g].type->flags & DEV_NLCHARGE) e->chord_allowed = 0;
    }
    engine_reset_context(e);
    if (n > 0) {
        e->ls = linsolve_new(n, e->Ap, e->Ai);
        if (!e->ls) {
            diag_error(diag, NULL, "sparse solver setup failed (%d unknowns, %d entries)", n, e->nnz);
            engine_free(e);
            return NULL;
        }
        if (!e->linear && opt->condense) e->cond = condense_new(e);
        plan_parallel_loads(e);
        /* a helper thread for large circuits (its handovers cost tens of
         * microseconds: nothing to gain below) */
        int threads = opt->num_threads > 0 ? opt->num_threads : threads_budget();
        if (threads >= 2 && n >= WORKER_MIN_UNKNOWNS) e->worker = worker_new();
        linsolve_set_worker(e->ls, e->worker);
        if (e->cond) linsolve_set_worker(condense_solver(e->cond), e->worker);
    }
    e->worst_row = -1;
    e->chord_rho = INFINITY;
    return e;
}

void engine_free(Engine *e)
{
    if (!e) return;
    for (int i = 0; i < e->uk.n; i++) free(e->uk.v[i].name);
    strmap_free(&e->uk_map);
    VEC_FREE(e->uk);
    VEC_FREE(e->pat);
    free(e->Ap);
    free(e->Ai);
    free(e->G);
    free(e->C);
    free(e->J);
    free(e->diag_h);
    free(e->urel);
    free(e->uabs);
    free(e->dyn);
    free(e->dyn_rows);
    free(e->F);
    free(e->Fmag);
    free(e->rfloor);
    free(e->Q);
    free(e->r);
    free(e->dy);
    free(e->yold);
    free(e->cq_h);
    free(e->cq_row);
    free(e->cq_col);
    free(e->cq_mark);
    free(e->lte_qtol);
    free(e->lte_rateabs);
    free(e->lte_qrel);
    for (int k = 0; k < e->nbnd; k++) free(e->bnd[k].h);
    free(e->bnd);
    free(e->bnd_active);
    free(e->bnd_prev);
    linsolve_free(e->ls);
    condense_free(e->cond);
    worker_free(e->worker);
    free(e->par);
    free(e);
}

int engine_find_unknown(const Engine *e, const char *name)
{
    void *v;
    return strmap_get(&e->uk_map, name, &v) ? (int)strmap_ptr_to_int(v) - 1 : -1;
}

/* "r1 (rc.cir:3), c1 (rc.cir:4)": the elements connected to a node */
static char *node_elements(const Engine *e, int node)
{
    char *els = xstrdup("");
    int count = 0;
    for (int g = 0; g < e->ckt->ngroups; g++)
        for (int i = 0; i < e->ckt->groups[g].n; i++) {
            const Instance *in = group_inst(&e->ckt->groups[g], i);
            int touches = 0;
            for (int t = 0; t < in->nnodes && !touches; t++) touches = in->nodes[t] == node;
            if (!touches) continue;
            if (count < 8) {
                char where[512];
                char *s = xasprintf("%s%s%s (%s)", els, count ? ", " : "", in->name,
                                    srcloc_str(&in->loc, where, sizeof where));
                free(els);
                els = s;
            } else if (count == 8) {
                char *s = xasprintf("%s, ...", els);
                free(els);
                els = s;
            }
            count++;
        }
    return els;
}

char *engine_describe_unknown(const Engine *e, int row)
{
    if (row < 0 || row >= e->n) return xstrdup("(none)");
    const Unknown *u = &e->uk.v[row];
    if (u->owner) {
        char where[512];
        return xasprintf("%s of %s (%s)", u->name, u->owner->name, srcloc_str(&u->owner->loc, where, sizeof where));
    }
    char *els = node_elements(e, u->node);
    char *s = xasprintf("%s (node '%s'%s%s)", u->name, circuit_node_name(e->ckt, u->node),
                        els[0] ? ", connected to " : "", els);
    free(els);
    return s;
}

static void load_groups(Engine *e, const double *y, unsigned need_flags);

void engine_load(Engine *e, const double *y)
{
    load_groups(e, y, 0);
}

void engine_load_linear(Engine *e, const double *y)
{
    load_groups(e, y, DEV_LINEAR);
}

static void load_groups(Engine *e, const double *y, unsigned need_flags)
{
    int n = e->n;
    memset(e->F, 0, ((size_t)n + 1) * sizeof *e->F);
    memset(e->Q, 0, ((size_t)n + 1) * sizeof *e->Q);
    memset(e->G, 0, ((size_t)e->nnz + 1) * sizeof *e->G);
    for (int k = 0; k < e->ncq; k++) e->C[e->cq_h[k]] = 0;
    e->C[e->nnz] = 0;
    LoadCtx *lc = &e->lc;
    lc->y = y;
    lc->F = e->F;
    lc->Fmag = NULL;
    if (e->want_mag) {
        memset(e->Fmag, 0, ((size_t)n + 1) * sizeof *e->Fmag);
        lc->Fmag = e->Fmag;
    }
    lc->Q = e->Q;
    lc->G = e->G;
    lc->C = e->C;
    lc->noncon = 0;
    lc->fault_inst = NULL;
    for (int g = 0; g < e->ckt->ngroups; g++) {
        InstGroup *grp = &e->ckt->groups[g];
        if ((grp->type->flags & need_flags) != need_flags) continue;
        if (e->par && e->par[g].k1 > 0) load_split(e, grp, &e->par[g], lc);
        else grp->type->load(grp, lc);
    }
    e->n_load++;
}

void engine_error(Engine *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (e->quiet)
        vsnprintf(e->last_err, sizeof e->last_err, fmt, ap);
    else
        diag_message(e->diag, DIAG_ERROR, e->loc.file ? &e->loc : NULL, fmt, ap);
    va_end(ap);
}

void engine_reset_context(Engine *e)
{
    memset(&e->lc, 0, sizeof e->lc);
    e->lc.srcfact = 1;
    e->lc.iter = -1;
    e->lc.first_solve = 1;   /* each analysis calls this first */
    e->lc.gmin = e->opt->gmin;
    e->lc.temp = e->temp_k;
}
