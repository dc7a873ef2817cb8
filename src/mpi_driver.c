/* memspice-mpi: the .step points of a netlist spread over MPI ranks.
 *
 * Every rank reads the netlist (a cluster shares the file system) and its
 * .step plan; rank r simulates points r, r + size, r + 2 size, ... one
 * after another, and sends each point's results (plots, messages, text) to
 * rank 0, which writes them in step order through the same code as a
 * serial run: the raw file, CSV and .meas table are those of `memspice
 * -j 1`. A netlist without .step runs on rank 0 alone.
 *
 * Built only by `make mpi` (this file is not part of libmemspice). */
#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "netlist/source.h"
#include "netlist/step.h"
#include "sim.h"
#include "util/threads.h"
#include "util/rng.h"
#include "util/interrupt.h"
#include "util/xmem.h"

/* ---- a growing byte buffer and its reader ---- */

typedef struct Buf {
    char *p;
    size_t n, cap, at;   /* at: read position */
    int bad;             /* a read ran past the end */
} Buf;

static void put(Buf *b, const void *v, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 256;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, v, n);
    b->n += n;
}
static void put_i64(Buf *b, int64_t v) { put(b, &v, sizeof v); }
static void put_str(Buf *b, const char *s)
{
    int64_t n = s ? (int64_t)strlen(s) : -1;
    put_i64(b, n);
    if (s) put(b, s, (size_t)n);
}

static void get(Buf *b, void *v, size_t n)
{
    if (b->bad || b->at + n > b->n) {
        b->bad = 1;
        memset(v, 0, n);
        return;
    }
    memcpy(v, b->p + b->at, n);
    b->at += n;
}
static int64_t get_i64(Buf *b)
{
    int64_t v;
    get(b, &v, sizeof v);
    return v;
}
static char *get_str(Buf *b)
{
    int64_t n = get_i64(b);
    if (n < 0 || b->bad) return NULL;
    if ((size_t)n > b->n - b->at) {
        b->bad = 1;
        return NULL;
    }
    char *s = xstrndup(b->p + b->at, (size_t)n);
    b->at += (size_t)n;
    return s;
}

/* ---- one point's results on the wire ---- */

static void pack(Buf *b, const StepOut *o)
{
    put_i64(b, o->index);
    put(b, o->values, sizeof o->values);
    put_str(b, o->label);
    put_i64(b, o->rc);
    put_str(b, o->diag);
    put_i64(b, o->nerrors);
    put_i64(b, o->nwarnings);
    put_str(b, o->out);
    put_str(b, o->log);
    const MeasResults *mr = o->meas;
    put_i64(b, mr ? mr->n : -1);
    for (int k = 0; mr && k < mr->n; k++) {
        put_str(b, mr->names[k]);
        put(b, &mr->value[k], sizeof mr->value[k]);
        put_i64(b, mr->ok[k]);
        put_str(b, mr->note[k]);
    }
    int np = o->mem ? mem_sink_nplots(o->mem) : -1;
    put_i64(b, np);
    for (int i = 0; i < np; i++) {
        const MemPlot *p = mem_sink_plot(o->mem, i);
        put_str(b, p->title);
        put_str(b, p->plotname);
        put_i64(b, p->nvars);
        for (int k = 0; k < p->nvars; k++) {
            put_str(b, p->names[k]);
            put_i64(b, p->types[k]);
        }
        put_i64(b, p->npoints);
        put(b, p->data, (size_t)p->npoints * (size_t)p->nvars * sizeof(double));
    }
}

static int unpack(Buf *b, StepOut *o, Diag *d)
{
    memset(o, 0, sizeof *o);
    o->index = (long)get_i64(b);
    get(b, o->values, sizeof o->values);
    o->label = get_str(b);
    o->rc = (int)get_i64(b);
    o->diag = get_str(b);
    o->nerrors = (int)get_i64(b);
    o->nwarnings = (int)get_i64(b);
    o->out = get_str(b);
    o->log = get_str(b);
    int64_t nm = get_i64(b);
    if (nm > 1000000000) b->bad = 1;
    if (nm >= 0 && !b->bad) {
        MeasResults *mr = o->meas = meas_results_alloc((int)nm);
        for (int64_t k = 0; k < nm && !b->bad; k++) {
            mr->names[k] = get_str(b);
            get(b, &mr->value[k], sizeof mr->value[k]);
            mr->ok[k] = (char)get_i64(b);
            mr->note[k] = get_str(b);
        }
    }
    int64_t np = get_i64(b);
    if (np >= 0) o->mem = mem_sink_new();
    for (int64_t i = 0; i < np && !b->bad; i++) {
        char *title = get_str(b), *plotname = get_str(b);
        int64_t nv = get_i64(b);
        if (nv < 0 || nv > 100000000) b->bad = 1;
        OutVar *vars = xcalloc((size_t)(nv > 0 && !b->bad ? nv : 1), sizeof *vars);
        for (int64_t k = 0; k < nv && !b->bad; k++) {
            vars[k].name = get_str(b);
            vars[k].type = (VarType)get_i64(b);
        }
        int64_t npt = get_i64(b);
        if (npt < 0) b->bad = 1;
        if (!b->bad) {
            PlotInfo info = {.title = title, .plotname = plotname, .vars = vars, .nvars = (int)nv};
            o->mem->begin(o->mem, &info, d);
            double *row = xcalloc((size_t)(nv ? nv : 1), sizeof *row);
            for (int64_t k = 0; k < npt && !b->bad; k++) {
                get(b, row, (size_t)nv * sizeof *row);
                o->mem->point(o->mem, row, d);
            }
            free(row);
            o->mem->end(o->mem, d);
        }
        for (int64_t k = 0; k < nv; k++) free((char *)vars[k].name);
        free(vars);
        free(title);
        free(plotname);
    }
    if (!o->diag) o->diag = xstrdup("");
    if (!o->label) o->label = xstrdup("");
    return b->bad ? -1 : 0;
}

enum { TAG_SIZE = 1, TAG_DATA = 2 };

static int send_point(const StepOut *o)
{
    Buf b = {0};
    pack(&b, o);
    int64_t n = (int64_t)b.n;
    int rc = MPI_Send(&n, 1, MPI_INT64_T, 0, TAG_SIZE, MPI_COMM_WORLD);
    /* large plots go in pieces of at most 1 GiB (MPI counts are int) */
    for (size_t off = 0; rc == MPI_SUCCESS && off < b.n; off += (size_t)1 << 30) {
        size_t len = b.n - off < ((size_t)1 << 30) ? b.n - off : (size_t)1 << 30;
        rc = MPI_Send(b.p + off, (int)len, MPI_BYTE, 0, TAG_DATA, MPI_COMM_WORLD);
    }
    free(b.p);
    return rc == MPI_SUCCESS ? 0 : -1;
}

static int recv_point(int from, StepOut *o, Diag *d)
{
    int64_t n = 0;
    if (MPI_Recv(&n, 1, MPI_INT64_T, from, TAG_SIZE, MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS || n < 0)
        return -1;
    Buf b = {.p = xmalloc((size_t)n + 1), .n = (size_t)n, .cap = (size_t)n + 1};
    for (size_t off = 0; off < b.n; off += (size_t)1 << 30) {
        size_t len = b.n - off < ((size_t)1 << 30) ? b.n - off : (size_t)1 << 30;
        if (MPI_Recv(b.p + off, (int)len, MPI_BYTE, from, TAG_DATA, MPI_COMM_WORLD, MPI_STATUS_IGNORE) !=
            MPI_SUCCESS) {
            free(b.p);
            return -1;
        }
    }
    int rc = unpack(&b, o, d);
    free(b.p);
    if (rc) diag_error(d, NULL, "MPI: malformed results from rank %d", from);
    return rc;
}

int mpi_sim_run(SimConfig *cfg, Diag *d)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    /* only rank 0 speaks: the others keep their messages */
    Diag quiet;
    diag_init(&quiet, NULL);
    Diag *dd = rank == 0 ? d : &quiet;
    if (rank != 0) {
        cfg->quiet = 1;
        cfg->progress = 0;
    }
    SourceSet src;
    sourceset_init(&src);
    Netlist *nl = netlist_read(cfg->netlist, &src, dd);
    StepPlan plan = {0};
    if (nl) sim_choose_dialect(cfg, nl, dd);
    int ok = nl && step_plan_read(nl, &plan, dd) == 0;
    /* every rank must agree on the plan before any point is exchanged */
    long mine[2] = {ok ? 1 : 0, ok ? plan.npoints : -1}, lo[2], hi[2];
    MPI_Allreduce(mine, lo, 2, MPI_LONG, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(mine, hi, 2, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
    int rc = RUN_INPUT_ERROR;
    if (lo[0] == 1 && lo[1] != hi[1]) {
        diag_error(dd, NULL, "MPI: the ranks read different .step plans (%ld and %ld points): is the netlist the "
                   "same file on every node?", lo[1], hi[1]);
    } else if (lo[0] == 1 && (plan.npoints == 0 || size == 1)) {
        /* nothing to spread: rank 0 runs it as memspice does */
        netlist_free(nl);
        nl = NULL;
        step_plan_free(&plan);
        sourceset_free(&src);
        sourceset_init(&src);
        rc = rank == 0 ? sim_run(cfg, d) : RUN_OK;
    } else if (lo[0] == 1) {
        rc = RUN_OK;
        /* the ranks share the nodes' cores, as parallel .step jobs do */
        threads_set_budget(1);
        /* one seed for every point on every rank (as a serial run chooses one) */
        if (!cfg->seed_given) {
            unsigned long long s = rank == 0 ? (unsigned long long)rng_default_seed() : 0;
            MPI_Bcast(&s, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
            cfg->fallback_seed = (uint64_t)s;
            cfg->fallback_given = 1;
        }
        StepRun *run = step_run_new(cfg, nl, &plan);
        if (rank == 0) {
            SimOutputs *out = sim_open_outputs(cfg, &src, d);
            if (!out) rc = RUN_INPUT_ERROR;
            int writing = out != NULL;
            /* every point of the other ranks is received, even after a
             * failure here, so no rank is left blocked in a send */
            for (long k = 0; k < plan.npoints; k++) {
                int from = (int)(k % size);
                if (from == 0 && !writing) continue;
                StepOut o;
                if (from == 0) step_run_point(run, k, &o);
                else if (recv_point(from, &o, d)) {
                    rc = step_rc_merge(rc, RUN_SIM_ERROR);
                    MPI_Abort(MPI_COMM_WORLD, RUN_SIM_ERROR);
                }
                if (writing) {
                    if (step_emit(run, &o, sim_outputs_sink(out), d)) o.rc = step_rc_merge(o.rc, RUN_SIM_ERROR);
                    rc = step_rc_merge(rc, o.rc);
                    /* as a serial run: an input error or an interrupt ends the writing */
                    if (rc == RUN_INPUT_ERROR || rc == RUN_INTERRUPTED) writing = 0;
                }
                step_out_free(&o);
            }
            if (out) rc = sim_close_outputs(cfg, out, rc);
        } else {
            for (long k = rank; k < plan.npoints; k += size) {
                StepOut o;
                step_run_point(run, k, &o);
                int bad = send_point(&o);
                step_out_free(&o);
                if (bad) MPI_Abort(MPI_COMM_WORLD, RUN_SIM_ERROR);
            }
        }
        rc = step_run_finish(run, rc, d);
    }
    step_plan_free(&plan);
    netlist_free(nl);
    sourceset_free(&src);
    diag_free(&quiet);
    int all = rc;
    MPI_Bcast(&all, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return all;
}
