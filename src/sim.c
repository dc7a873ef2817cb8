#include "sim.h"

#include "util/threads.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "control/control.h"
#include "netlist/elaborate.h"
#include "netlist/source.h"
#include "netlist/syntax.h"
#include "util/dialect.h"
#include "util/interrupt.h"
#include "util/number.h"
#include "util/rng.h"
#include "util/xmem.h"

/* Sinks that only forward to a caller-owned sink without closing it. */
typedef struct Borrowed {
    Sink base;
    Sink *to;
} Borrowed;

static int b_begin(Sink *s, const PlotInfo *p, Diag *d) { return ((Borrowed *)s)->to->begin(((Borrowed *)s)->to, p, d); }
static int b_point(Sink *s, const double *v, Diag *d) { return ((Borrowed *)s)->to->point(((Borrowed *)s)->to, v, d); }
static int b_end(Sink *s, Diag *d) { return ((Borrowed *)s)->to->end(((Borrowed *)s)->to, d); }
static void b_close(Sink *s) { free(s); }

static Sink *borrow(Sink *to)
{
    Borrowed *b = xcalloc(1, sizeof *b);
    b->base = (Sink){b_begin, b_point, b_end, b_close};
    b->to = to;
    return &b->base;
}

/* Output files are opened when the first plot begins, so a netlist that
 * fails before simulating leaves existing files untouched and a run with
 * nothing to write creates none. */
typedef struct Lazy {
    Sink base;
    Sink *to;
    const SimConfig *cfg;
    int plots;
    int open_failed;
} Lazy;

static Sink *open_files(const SimConfig *cfg, Diag *d)
{
    Sink *list[2];
    int n = 0;
    if (cfg->raw) {
        Sink *r = raw_sink_open(cfg->raw, cfg->ascii, d);
        if (!r) return NULL;
        list[n++] = r;
    }
    if (cfg->csv) {
        Sink *c = csv_sink_open(cfg->csv, d);
        if (!c) {
            for (int i = 0; i < n; i++) list[i]->close(list[i]);
            return NULL;
        }
        list[n++] = c;
    }
    return multi_sink_new(list, n);
}

static int l_begin(Sink *s, const PlotInfo *p, Diag *d)
{
    Lazy *l = (Lazy *)s;
    if (!l->to && !(l->to = open_files(l->cfg, d))) {
        l->open_failed = 1;
        return -1;
    }
    l->plots++;
    return l->to->begin(l->to, p, d);
}
static int l_point(Sink *s, const double *v, Diag *d)
{
    Lazy *l = (Lazy *)s;
    return l->to ? l->to->point(l->to, v, d) : -1;
}

static int l_end(Sink *s, Diag *d)
{
    Lazy *l = (Lazy *)s;
    return l->to ? l->to->end(l->to, d) : -1;
}
static void l_close(Sink *s)
{
    Lazy *l = (Lazy *)s;
    if (l->to) l->to->close(l->to);
    free(l);
}

static Netlist *read_netlist(const SimConfig *cfg, SourceSet *src, Diag *d)
{
    if (cfg->text) return netlist_read_string(cfg->text, cfg->netlist ? cfg->netlist : "<string>", src, d);
    if (strcmp(cfg->netlist, "-") == 0) {
        size_t cap = 1 << 16, len = 0;
        char *buf = xmalloc(cap);
        size_t got;
        while ((got = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
            len += got;
            if (len > SOURCE_MAX_BYTES) {   /* e.g. memspice - < /dev/zero */
                diag_error(d, NULL, "standard input holds more than the limit of 1 GiB for a netlist");
                free(buf);
                return NULL;
            }
            if (len + 1 == cap) buf = xrealloc(buf, cap = cap > SOURCE_MAX_BYTES / 2 ? SOURCE_MAX_BYTES + 2 : cap * 2);
        }
        buf[len] = '\0';
        Netlist *nl = netlist_read_bytes(buf, len, "<stdin>", src, d);
        free(buf);
        return nl;
    }
    return netlist_read(cfg->netlist, src, d);
}

static Sink *open_sinks(const SimConfig *cfg, Lazy **lazy)
{
    Sink *list[2];
    int n = 0;
    *lazy = NULL;
    if (cfg->raw || cfg->csv) {
        Lazy *l = xcalloc(1, sizeof *l);
        l->base = (Sink){l_begin, l_point, l_end, l_close};
        l->cfg = cfg;
        *lazy = l;
        list[n++] = &l->base;
    }
    if (cfg->extra) list[n++] = borrow(cfg->extra);
    return multi_sink_new(list, n);
}

/* -r/--csv must not name any file the netlist was read from (the top
 * netlist, an .include, a .lib): opening it would destroy the input. */
static int outputs_spare_inputs(const SimConfig *cfg, const SourceSet *src, Diag *d)
{
    const char *outs[3] = { cfg->raw, cfg->csv && strcmp(cfg->csv, "-") ? cfg->csv : NULL, cfg->meas };
    int ok = 1;
    for (int k = 0; k < 3; k++) {
        const SourceFile *f = outs[k] ? sourceset_find_file(src, outs[k]) : NULL;
        if (!f) continue;
        diag_error(d, NULL, "the output file '%s' is the input file '%s' of this netlist; refusing to overwrite it",
                   outs[k], f->path);
        ok = 0;
    }
    return ok;
}

/* Xyce's option packages, which no other simulator has */
static int xyce_option(const Card *c)
{
    return c->nitems >= 2 && c->items[1]->kind == ITEM_WORD && netlist_xyce_option_package(c->items[1]->text);
}

static int hspice_option(const Card *c)
{
    for (int k = 1; k < c->nitems; k++) {
        const Item *it = c->items[k];
        const char *w = it->kind == ITEM_ASSIGN && it->key->kind == ITEM_WORD ? it->key->text : it->text;
        if (w && (!strcmp(w, "post") || !strcmp(w, "probe") || !strcmp(w, "ingold"))) return 1;
    }
    return 0;
}

void sim_choose_dialect(SimConfig *cfg, const Netlist *nl, Diag *d)
{
    if (cfg->dialect <= 0) {
        Dialect g = DIALECT_NGSPICE;
        const SrcLoc *why = NULL;
        const char *what = "";
        if (nl->backanno.file) g = DIALECT_LTSPICE, why = &nl->backanno, what = ".backanno";
        for (int i = 0; i < nl->ncards && g == DIALECT_NGSPICE; i++) {
            const Card *c = nl->cards[i];
            const char *w = c->items[0]->text;
            if (strcmp(w, ".options") && strcmp(w, ".option") && strcmp(w, ".opt")) continue;
            if (xyce_option(c)) g = DIALECT_XYCE, why = &c->loc, what = "an option package";
            else if (hspice_option(c)) g = DIALECT_HSPICE, why = &c->loc, what = "an HSPICE option";
        }
        if (g != DIALECT_NGSPICE && !cfg->quiet)
            diag_note(d, why, "read as a %s netlist (from %s here); --dialect ngspice reads it as ngspice "
                      "(docs/dialects.md)", dialect_name(g), what);
        cfg->dialect = (int)g + 1;
    }
    spice_number_ampere(cfg->dialect - 1 == DIALECT_XYCE);
}

static void seed_opts(const SimConfig *cfg, ElabOpts *eo)
{
    eo->dialect = cfg->dialect > 0 ? cfg->dialect - 1 : 0;
    eo->quiet = cfg->quiet;
    eo->seed = cfg->seed;
    eo->seed_given = cfg->seed_given;
    eo->fallback_seed = cfg->fallback_seed;
    eo->fallback_given = cfg->fallback_given;
}

/* a run that drew random numbers from a seed nobody gave says which, so it
 * can be repeated (the same words for every .step point: printed once) */
static void seed_note(const Deck *deck, Diag *d)
{
    if (deck->seed_chosen && (deck->random_draws > 0 || deck->rng_used))
        diag_note(d, NULL, "random numbers drawn with seed %llu (none given; repeat the run with --seed %llu)",
                  (unsigned long long)deck->seed_used, (unsigned long long)deck->seed_used);
}

/* ---- one run without .step: streamed to the outputs as it is computed ---- */

static int run_single(SimConfig *cfg, Netlist **nl, const SourceSet *src, Diag *d)
{
    ElabOpts eo = {.ov = cfg->params, .nov = cfg->nparams};
    seed_opts(cfg, &eo);
    Deck *deck = elaborate(*nl, &eo, d);
    int rc = RUN_INPUT_ERROR;
    if (!deck && interrupt_requested()) rc = RUN_INTERRUPTED;   /* SIGINT/SIGTERM while elaborating */
    /* the parsed netlist is not needed any more (large arrays: ~2 kB per element) */
    netlist_free(*nl);
    *nl = NULL;
    if (deck && !outputs_spare_inputs(cfg, src, d)) {
        deck_free(deck);
        deck = NULL;
    }
    if (deck) {
        Lazy *lazy;
        Sink *sink = open_sinks(cfg, &lazy);
        MeasResults *mr = meas_results_new(deck);
        RunOpts ro = {.quiet = cfg->quiet, .progress = cfg->progress, .out = cfg->out, .meas = mr};
        rc = analysis_run_deck(deck, sink, &ro, d);
        seed_note(deck, d);
        if (mr && rc != RUN_INPUT_ERROR) {
            if (cfg->out) {
                fputc('\n', cfg->out);
                meas_results_print(mr, cfg->out);
            }
            if (cfg->meas) {
                MeasTable *t = meas_table_open(cfg->meas, NULL, 0, mr->names, mr->n, d);
                if (!t) rc = step_rc_merge(rc, RUN_INPUT_ERROR);
                else if (meas_table_row(t, NULL, 0, mr->value, mr->ok, mr->n, d) | meas_table_close(t, d))
                    rc = step_rc_merge(rc, RUN_SIM_ERROR);
                else cfg->meas_written = 1;
            }
        }
        meas_results_free(mr);
        if (lazy) cfg->plots_written = lazy->plots;
        if (lazy && lazy->open_failed) rc = RUN_INPUT_ERROR;   /* an unwritable output path is a usage error */
        sink->close(sink);
    }
    deck_free(deck);
    return rc;
}

/* ---- a stepped run: each point elaborated and simulated on its own (in
 * worker threads when jobs > 1), recorded, and written in step order, so
 * the files do not depend on the number of jobs ---- */

StepRun *step_run_new(SimConfig *cfg, const Netlist *nl, const StepPlan *plan)
{
    StepRun *r = xcalloc(1, sizeof *r);
    r->cfg = cfg;
    r->nl = nl;
    r->plan = plan;
    return r;
}

int step_run_finish(StepRun *r, int rc, Diag *d)
{
    if (meas_table_close(r->table, d)) rc = step_rc_merge(rc, RUN_SIM_ERROR);
    free(r->first_diag);
    free(r);
    return rc;
}

void step_out_free(StepOut *o)
{
    if (o->mem) o->mem->close(o->mem);
    free(o->diag);
    free(o->out);
    free(o->log);
    free(o->label);
    meas_results_free(o->meas);
    memset(o, 0, sizeof *o);
}

void step_run_point(const StepRun *r, long k, StepOut *o)
{
    const SimConfig *cfg = r->cfg;
    const StepPlan *plan = r->plan;
    memset(o, 0, sizeof *o);
    o->index = k;
    step_point_values(plan, k, o->values);
    o->label = step_point_label(plan, k);
    ParamOverride *ov = xcalloc((size_t)(cfg->nparams + plan->nax + 1), sizeof *ov);
    ElabSet sets[STEP_MAX_AXES];
    int nov = 0, nsets = 0;
    ElabOpts eo = {0};
    seed_opts(cfg, &eo);
    eo.step = (int)k;
    for (int j = 0; j < plan->nax; j++) {
        const StepAxis *a = &plan->ax[j];
        switch (a->kind) {
        case STEP_TEMP:
            eo.temp_given = 1;
            eo.temp = o->values[j];
            break;
        case STEP_PARAM: ov[nov++] = (ParamOverride){.name = a->target, .value = o->values[j], .origin = ".step", .loc = a->loc}; break;
        case STEP_MODEL: sets[nsets++] = (ElabSet){ELAB_SET_MODEL, a->target, a->param, o->values[j], a->loc}; break;
        case STEP_SOURCE: sets[nsets++] = (ElabSet){ELAB_SET_SOURCE, a->target, NULL, o->values[j], a->loc}; break;
        }
    }
    /* --param wins over .step only for parameters .step does not name */
    for (int j = 0; j < cfg->nparams; j++) {
        int stepped = 0;
        for (int a = 0; a < plan->nax; a++)
            stepped |= plan->ax[a].kind == STEP_PARAM && !strcmp(plan->ax[a].target, cfg->params[j].name);
        if (!stepped) ov[nov++] = cfg->params[j];
    }
    eo.ov = ov;
    eo.nov = nov;
    eo.sets = sets;
    eo.nsets = nsets;
    Diag sd;
    diag_init(&sd, NULL);
    Deck *deck = elaborate(r->nl, &eo, &sd);
    free(ov);
    if (!deck) {
        o->rc = interrupt_requested() ? RUN_INTERRUPTED : RUN_INPUT_ERROR;
    } else {
        char *title = xasprintf("%s (.step %s)", deck->title ? deck->title : "", o->label);
        free(deck->title);
        deck->title = title;
        size_t len;
        FILE *out = cfg->out ? open_memstream(&o->out, &len) : NULL;
        FILE *log = open_memstream(&o->log, &len);
        o->mem = mem_sink_new();
        o->meas = meas_results_new(deck);
        RunOpts ro = {.quiet = cfg->quiet, .progress = 0, .out = out, .log = log, .meas = o->meas};
        o->rc = analysis_run_deck(deck, o->mem, &ro, &sd);
        seed_note(deck, &sd);
        if (o->meas && out) {
            fprintf(out, "\nMeasurements, step %ld/%ld (%s):\n", k + 1, plan->npoints, o->label);
            meas_results_print(o->meas, out);
        }
        if (out) fclose(out);
        if (log) fclose(log);
        deck_free(deck);
    }
    o->nerrors = sd.nerrors;
    o->nwarnings = sd.nwarnings;
    o->diag = xstrdup(sd.buf ? sd.buf : "");
    diag_free(&sd);
}

/* Write one step's results in order: messages (a step repeating the first
 * step's messages word for word is not repeated), its summary and .print
 * text, its plots. */
int step_emit(StepRun *r, StepOut *o, Sink *sink, Diag *d)
{
    const SimConfig *cfg = r->cfg;
    if (!cfg->quiet)
        fprintf(stderr, "memspice: step %ld/%ld: %s\n", o->index + 1, r->plan->npoints, o->label);
    if (o->diag[0] && !(r->first_diag && !strcmp(r->first_diag, o->diag))) diag_printf(d, "%s", o->diag);
    if (!r->first_diag) r->first_diag = xstrdup(o->diag);
    d->nerrors += o->nerrors;
    d->nwarnings += o->nwarnings;
    if (o->log && !cfg->quiet) fputs(o->log, stderr);
    if (o->out && cfg->out) fputs(o->out, cfg->out);
    int rc = 0;
    if (o->mem) {
        const char *names[STEP_MAX_AXES];
        for (int j = 0; j < r->plan->nax; j++) names[j] = r->plan->ax[j].name;
        PlotInfo step = {.nstep = r->plan->nax, .step_index = o->index, .step_names = names, .step_values = o->values};
        rc = mem_sink_replay(o->mem, sink, &step, d);
    }
    /* the .meas table: opened with the first point that measured something */
    if (cfg->meas && !r->table && !r->table_failed && o->meas) {
        const char *names[STEP_MAX_AXES];
        for (int j = 0; j < r->plan->nax; j++) names[j] = r->plan->ax[j].name;
        r->table = meas_table_open(cfg->meas, names, r->plan->nax, o->meas->names, o->meas->n, d);
        if (!r->table) {
            r->table_failed = 1;
            o->rc = step_rc_merge(o->rc, RUN_INPUT_ERROR);
        } else {
            r->cfg->meas_written = 1;
        }
    }
    if (r->table && o->rc != RUN_INTERRUPTED &&
        meas_table_row(r->table, o->values, r->plan->nax, o->meas ? o->meas->value : NULL,
                       o->meas ? o->meas->ok : NULL, o->meas ? o->meas->n : 0, d))
        rc = -1;
    return rc;
}

typedef struct Pool {
    StepRun *run;
    long n;
    StepOut *outs;          /* one per point, filled by workers */
    char *done;
    long next;              /* next point to start */
    long emitted;           /* points written so far */
    long window;            /* points a worker may run ahead of the writer */
    int stop;               /* no more points are started (input error, interrupt, write error) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} Pool;

static void *worker(void *arg)
{
    Pool *p = arg;
    threads_set_budget(1);   /* the jobs share the cores */
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->next < p->n && p->next >= p->emitted + p->window) pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop || p->next >= p->n) break;
        long k = p->next++;
        pthread_mutex_unlock(&p->mu);
        StepOut o;
        if (interrupt_requested()) {
            memset(&o, 0, sizeof o);
            o.index = k;
            o.rc = RUN_INTERRUPTED;
            o.label = step_point_label(p->run->plan, k);
            o.diag = xstrdup("");
        } else {
            step_run_point(p->run, k, &o);
        }
        pthread_mutex_lock(&p->mu);
        p->outs[k] = o;
        p->done[k] = 1;
        if (o.rc == RUN_INPUT_ERROR || o.rc == RUN_INTERRUPTED) p->stop = 1;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* rc of a whole stepped run: interrupted > input error > simulation failure > ok */
int step_rc_merge(int rc, int step_rc)
{
    static const int rank[] = {[RUN_OK] = 0, [RUN_SIM_ERROR] = 1, [RUN_INPUT_ERROR] = 2, [RUN_INTERRUPTED] = 3};
    return rank[step_rc] > rank[rc] ? step_rc : rc;
}

struct SimOutputs {
    Sink *sink;
    Lazy *lazy;
};

SimOutputs *sim_open_outputs(SimConfig *cfg, const SourceSet *src, Diag *d)
{
    if (!outputs_spare_inputs(cfg, src, d)) return NULL;
    SimOutputs *o = xcalloc(1, sizeof *o);
    o->sink = open_sinks(cfg, &o->lazy);
    return o;
}

Sink *sim_outputs_sink(SimOutputs *o)
{
    return o->sink;
}

int sim_close_outputs(SimConfig *cfg, SimOutputs *o, int rc)
{
    if (o->lazy) cfg->plots_written = o->lazy->plots;
    if (o->lazy && o->lazy->open_failed) rc = RUN_INPUT_ERROR;   /* an unwritable output path is a usage error */
    o->sink->close(o->sink);
    free(o);
    return rc;
}

static int run_stepped(SimConfig *cfg, const Netlist *nl, const StepPlan *plan, Sink *sink, Diag *d)
{
    StepRun *run = step_run_new(cfg, nl, plan);
    long n = plan->npoints;
    int jobs = cfg->jobs > 0 ? cfg->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1) jobs = 1;
    if (jobs > n) jobs = (int)n;
    int rc = RUN_OK;
    if (jobs == 1) {
        for (long k = 0; k < n; k++) {
            if (interrupt_requested()) {
                rc = RUN_INTERRUPTED;
                break;
            }
            StepOut o;
            step_run_point(run, k, &o);
            if (step_emit(run, &o, sink, d)) o.rc = step_rc_merge(o.rc, RUN_SIM_ERROR);
            rc = step_rc_merge(rc, o.rc);
            step_out_free(&o);
            if (rc == RUN_INPUT_ERROR || rc == RUN_INTERRUPTED) break;
        }
    } else {
        Pool p = {.run = run, .n = n, .window = 2L * jobs};
        p.outs = xcalloc((size_t)n, sizeof *p.outs);
        p.done = xcalloc((size_t)n, 1);
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.cv, NULL);
        pthread_t *th = xcalloc((size_t)jobs, sizeof *th);
        int started = 0;
        for (int j = 0; j < jobs; j++)
            if (pthread_create(&th[j], NULL, worker, &p) == 0) started++;
        if (started == 0) {
            diag_error(d, NULL, "cannot start worker threads; use -j 1");
            rc = RUN_INPUT_ERROR;
            p.stop = 1;
        }
        for (long k = 0; k < n && started; k++) {
            pthread_mutex_lock(&p.mu);
            while (!p.done[k] && !(p.stop && k >= p.next)) pthread_cond_wait(&p.cv, &p.mu);
            int have = p.done[k];
            pthread_mutex_unlock(&p.mu);
            if (!have) break;   /* stopped before this point started */
            StepOut *o = &p.outs[k];
            if (step_emit(run, o, sink, d)) o->rc = step_rc_merge(o->rc, RUN_SIM_ERROR);
            rc = step_rc_merge(rc, o->rc);
            step_out_free(o);
            pthread_mutex_lock(&p.mu);
            p.emitted = k + 1;
            if (rc == RUN_INPUT_ERROR || rc == RUN_INTERRUPTED) p.stop = 1;
            pthread_cond_broadcast(&p.cv);
            pthread_mutex_unlock(&p.mu);
            if (p.stop && (rc == RUN_INPUT_ERROR || rc == RUN_INTERRUPTED)) break;
        }
        pthread_mutex_lock(&p.mu);
        p.stop = 1;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        for (int j = 0; j < jobs; j++)
            if (j < started) pthread_join(th[j], NULL);
        for (long k = 0; k < n; k++) step_out_free(&p.outs[k]);
        free(th);
        free(p.outs);
        free(p.done);
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.cv);
    }
    return step_run_finish(run, rc, d);
}

int sim_run(SimConfig *cfg, Diag *d)
{
    SourceSet src;
    sourceset_init(&src);
    int rc = RUN_INPUT_ERROR;
    cfg->plots_written = 0;
    cfg->meas_written = 0;
    Netlist *nl = read_netlist(cfg, &src, d);
    int given = cfg->dialect;
    if (nl) sim_choose_dialect(cfg, nl, d);
    StepPlan plan = {0};
    if (nl && step_plan_read(nl, &plan, d) == 0) {
        if (nl->nctl > 0 && plan.npoints > 0) {
            diag_error(d, &nl->ctl[0].loc, "a .control block and .step in one netlist are not supported: "
                                           "use the control language's loops (foreach, alterparam) or .step alone");
        } else if (nl->nctl > 0) {
            rc = outputs_spare_inputs(cfg, &src, d) ? control_run(cfg, nl, &src, d) : RUN_INPUT_ERROR;
        } else if (plan.npoints == 0) {
            rc = run_single(cfg, &nl, &src, d);
        } else {
            if (!cfg->seed_given && !cfg->fallback_given) {
                cfg->fallback_seed = rng_default_seed();
                cfg->fallback_given = 1;
            }
            SimOutputs *o = sim_open_outputs(cfg, &src, d);
            if (o) rc = sim_close_outputs(cfg, o, run_stepped(cfg, nl, &plan, sim_outputs_sink(o), d));
        }
    }
    step_plan_free(&plan);
    netlist_free(nl);
    sourceset_free(&src);
    cfg->dialect = given;   /* a guess is for this netlist only */
    spice_number_ampere(0);
    return rc;
}
