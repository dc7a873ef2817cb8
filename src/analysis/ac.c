/* .ac: small-signal analysis around the operating point.
 *
 * The DC operating point is solved, every device is loaded there once (the
 * static load of the DC solve: G = dF/dy, C = dQ/dy), and for each
 * frequency the cplx system (G + j 2 pi f C) x = b is solved with
 * KLU's cplx factorization on the same sparse pattern, b holding the
 * sources' AC magnitudes and phases (DeviceType.ac_rhs). Devices are thus
 * linearised at their operating point; memory states (memristors,
 * threshold switches) are held at their operating-point value, as in the
 * DC solve, so such a device is its small-signal resistance there
 * (docs/analyses.md). The plot "AC Analysis" holds the frequency and the
 * cplx node voltages and branch currents, written as ngspice writes
 * them (Flags: cplx). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "util/interrupt.h"
#include "util/xmem.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* the frequencies of the sweep, as ngspice steps them */
static double *frequencies(const AnalysisReq *an, long *n)
{
    long cnt;
    double ratio = 1;
    if (an->ac_sweep == AC_LIN) {
        cnt = (long)an->ac_n;
    } else {
        double per = an->ac_sweep == AC_DEC ? log(10) : log(2);
        ratio = exp(per / an->ac_n);
        cnt = an->fstop > an->fstart ? (long)floor(log(an->fstop / an->fstart) / log(ratio) + 1e-9) + 1 : 1;
    }
    double *f = xmalloc((size_t)(cnt > 0 ? cnt : 1) * sizeof *f);
    for (long k = 0; k < cnt; k++) {
        if (an->ac_sweep == AC_LIN)
            f[k] = cnt > 1 ? an->fstart + (an->fstop - an->fstart) * (double)k / (double)(cnt - 1) : an->fstart;
        else
            f[k] = an->fstart * pow(ratio, (double)k);
    }
    *n = cnt;
    return f;
}

/* A real quantity of the complex solution for .print ac and .meas ac:
 * vm/vp/vdb/vr/vi(node[,node]) and im/ip/idb/ir/ii(element) as ngspice
 * names them (phase in radians); plain v(), i() are the magnitude. */
typedef enum { Q_MAG, Q_PH, Q_DB, Q_RE, Q_IM } AcQuant;
typedef struct AcCol {
    int a, b;            /* rows (b the sink for a single node or a branch) */
    AcQuant q;
} AcCol;

static int ac_col(const Engine *e, const char *text, AcCol *col)
{
    static const struct {
        const char *fn;
        AcQuant q;
    } fns[] = {{"vm", Q_MAG}, {"vp", Q_PH}, {"vdb", Q_DB}, {"vr", Q_RE}, {"vi", Q_IM}, {"v", Q_MAG},
               {"im", Q_MAG}, {"ip", Q_PH}, {"idb", Q_DB}, {"ir", Q_RE}, {"ii", Q_IM}, {"i", Q_MAG}};
    const char *par = strchr(text, '(');
    size_t len = strlen(text);
    if (!par || text[len - 1] != ')') return -1;
    size_t fl = (size_t)(par - text);
    for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++) {
        if (strlen(fns[k].fn) != fl || strncmp(text, fns[k].fn, fl) != 0) continue;
        char *inner = xstrndup(par + 1, len - fl - 2);
        char *comma = strchr(inner, ',');
        int rc = -1;
        col->q = fns[k].q;
        col->b = e->n;
        if (text[0] == 'v') {
            if (comma) *comma = '\0';
            int na = circuit_find_node(e->ckt, inner), nb = comma ? circuit_find_node(e->ckt, comma + 1) : 0;
            if (na >= 0 && nb >= 0) {
                col->a = na == 0 ? e->n : na - 1;
                col->b = nb == 0 ? e->n : nb - 1;
                rc = 0;
            }
        } else {
            const Instance *in = circuit_find_instance(e->ckt, inner);
            if (in && in->branch >= 0) {
                col->a = in->branch;
                rc = 0;
            }
        }
        free(inner);
        return rc;
    }
    return -1;
}

static double ac_value(const AcCol *c, const double *bz, int n)
{
    double re = (c->a < n ? bz[2 * c->a] : 0) - (c->b < n ? bz[2 * c->b] : 0);
    double im = (c->a < n ? bz[2 * c->a + 1] : 0) - (c->b < n ? bz[2 * c->b + 1] : 0);
    switch (c->q) {
    case Q_MAG: return hypot(re, im);
    case Q_PH: return atan2(im, re);
    case Q_DB: return 20 * log10(hypot(re, im));
    case Q_RE: return re;
    default: return im;
    }
}

/* the .print ac and .meas ac columns: ncol, cols[], names; -1 after an error */
static int ac_columns(const Engine *e, const Deck *deck, AcCol **cols, OutVar **vars, int **meas_col, int *nprint,
                      int *ncol, Diag *d)
{
    int rc = 0;
    *ncol = *nprint = 0;
    *cols = xcalloc((size_t)(deck->print.n + deck->meas_sig.n + 1), sizeof **cols);
    *vars = xcalloc((size_t)(deck->print.n + deck->meas_sig.n + 2), sizeof **vars);
    *meas_col = xmalloc((size_t)(deck->meas_sig.n + 1) * sizeof **meas_col);
    (*vars)[0] = (OutVar){"frequency", VT_FREQUENCY};
    for (int k = 0; k < deck->print.n; k++) {
        const OutReq *rq = &deck->print.v[k];
        if (rq->print_kind != AN_AC) continue;
        if (ac_col(e, rq->text, &(*cols)[*ncol])) {
            diag_error(d, &rq->loc, ".print ac: '%s' is not vm|vp|vdb|vr|vi|v(node[,node]) or "
                       "im|ip|idb|ir|ii|i(element with a branch current)", rq->text);
            rc = -1;
            continue;
        }
        (*vars)[1 + *ncol] = (OutVar){rq->text, rq->text[0] == 'i' ? VT_CURRENT : VT_VOLTAGE};
        (*ncol)++;
    }
    *nprint = *ncol;
    for (int j = 0; j < deck->meas_sig.n; j++) {
        const OutReq *rq = &deck->meas_sig.v[j];
        (*meas_col)[j] = -1;
        if (rq->print_kind >= 0 && rq->print_kind != AN_AC) continue;
        AcCol c;
        if (ac_col(e, rq->text, &c)) {
            if (rq->print_kind == AN_AC) {
                diag_error(d, &rq->loc, ".meas ac: '%s' is not vm|vp|vdb|vr|vi|v(node[,node]) or "
                           "im|ip|idb|ir|ii|i(element with a branch current)", rq->text);
                rc = -1;
            }
            continue;
        }
        (*cols)[*ncol] = c;
        (*vars)[1 + *ncol] = (OutVar){rq->text, VT_NOTYPE};
        (*meas_col)[j] = (*ncol)++;
    }
    return rc;
}

int run_ac(Deck *deck, Engine *e, const AnalysisReq *an, Sink *sink, const RunOpts *ro, Diag *d)
{
    OutSet os;
    if (outset_build(&os, e, deck, AN_AC, d)) {
        outset_free(&os);
        return RUN_INPUT_ERROR;
    }
    /* only node voltages and branch currents have a small-signal value here */
    int keep = 0;
    for (int k = 0; k < os.nshow; k++) {
        const Probe *p = &os.probes[k];
        if (p->inst || p->ex >= 0) {
            diag_warning(d, &an->loc, ".ac: '%s' is not a node voltage or branch current; left out of the AC plot",
                         os.vars[k].name);
            continue;
        }
        os.vars[keep] = os.vars[k];
        os.probes[keep++] = *p;
    }
    for (int k = keep; k < os.nshow; k++) free((char *)os.vars[k].name);
    os.n = os.nshow = keep;
    int n = e->n, rc = RUN_OK;
    AcCol *acols;
    OutVar *avars;
    int *ameas, nprint, nacol;
    if (ac_columns(e, deck, &acols, &avars, &ameas, &nprint, &nacol, d)) {
        free(acols);
        free(avars);
        free(ameas);
        outset_free(&os);
        return RUN_INPUT_ERROR;
    }
    double *y = xcalloc((size_t)n + 1, sizeof *y);
    engine_reset_context(e);
    DcopInfo info;
    if (dcop_solve(e, y, deck->nodeset.v, deck->nodeset.n, NULL, 0, &info)) {
        free(y);
        free(acols);
        free(avars);
        free(ameas);
        outset_free(&os);
        return RUN_SIM_ERROR;
    }
    engine_accept(e, y);
    if (strcmp(info.method, "newton") != 0 && !ro->quiet)
        diag_note(d, &an->loc, "operating point found by %s", info.method);
    e->lc.dc = 1;
    e->lc.tran = 0;
    engine_load(e, y);
    double *re = xcalloc((size_t)n + 1, sizeof *re), *im = xcalloc((size_t)n + 1, sizeof *im);
    for (int g = 0; g < e->ckt->ngroups; g++) {
        InstGroup *grp = &e->ckt->groups[g];
        if (grp->type->ac_rhs) grp->type->ac_rhs(grp, re, im);
    }
    int nnz = e->nnz;
    double *Az = xmalloc((size_t)(nnz ? nnz : 1) * 2 * sizeof *Az), *bz = xmalloc((size_t)(n ? n : 1) * 2 * sizeof *bz);
    char *isdyn = xcalloc((size_t)nnz + 1, 1);
    for (int k = 0; k < e->ncq; k++) isdyn[e->cq_h[k]] = 1;
    long nf;
    double *f = frequencies(an, &nf);
    OutVar scale = {"frequency", VT_FREQUENCY};
    OutVar *vars = xmalloc((size_t)(os.n + 1) * sizeof *vars);
    vars[0] = scale;
    for (int k = 0; k < os.n; k++) vars[k + 1] = os.vars[k];
    PlotInfo pi = {.title = deck->title ? deck->title : "", .plotname = "AC Analysis", .vars = vars,
                   .nvars = os.n + 1, .cplx = 1};
    double *vals = xcalloc((size_t)(os.n + 1) * 2, sizeof *vals);
    if (sink && sink->begin(sink, &pi, d)) rc = RUN_SIM_ERROR;
    /* .print ac table and .meas ac recording: real columns after the frequency */
    Sink *print = NULL;
    double *avals = xcalloc((size_t)nacol + 2, sizeof *avals);
    if (nprint > 0 && ro->out) {
        int *pc = xmalloc((size_t)nprint * sizeof *pc);
        for (int k = 0; k < nprint; k++) pc[k] = k + 1;
        print = print_sink_new(ro->out, pc, nprint);
        free(pc);
        PlotInfo pp = {.title = pi.title, .plotname = "AC Analysis", .vars = avars, .nvars = nacol + 1};
        if (print->begin(print, &pp, d)) rc = RUN_SIM_ERROR;
    }
    MeasRec *mrec = ro->meas ? meas_rec_new(deck, AN_AC, ro->meas, ameas, 1, "frequency") : NULL;
    for (long k = 0; k < nf && rc == RUN_OK; k++) {
        if (interrupt_requested()) {
            rc = RUN_INTERRUPTED;
            break;
        }
        double w = 2 * M_PI * f[k];
        for (int h = 0; h < nnz; h++) {
            Az[2 * h] = e->G[h];
            Az[2 * h + 1] = isdyn[h] ? w * e->C[h] : 0;
        }
        int bad = -1;
        if (linsolve_factor_complex(e->ls, Az, &bad) != LS_OK) {
            char *who = bad >= 0 && bad < n ? engine_describe_unknown(e, bad) : xstrdup("an unknown");
            diag_error(d, &an->loc, ".ac: the small-signal matrix is singular at f=%g Hz (at %s)", f[k], who);
            free(who);
            rc = RUN_SIM_ERROR;
            break;
        }
        for (int i = 0; i < n; i++) {
            bz[2 * i] = re[i];
            bz[2 * i + 1] = im[i];
        }
        if (linsolve_solve_complex(e->ls, bz) != LS_OK) {
            diag_error(d, &an->loc, ".ac: the cplx solve failed at f=%g Hz", f[k]);
            rc = RUN_SIM_ERROR;
            break;
        }
        vals[0] = f[k];
        vals[1] = 0;
        for (int c = 0; c < os.n; c++) {
            const Probe *p = &os.probes[c];
            double r0 = p->a < n ? bz[2 * p->a] : 0, i0 = p->a < n ? bz[2 * p->a + 1] : 0;
            double r1 = p->b < n ? bz[2 * p->b] : 0, i1 = p->b < n ? bz[2 * p->b + 1] : 0;
            vals[2 * (c + 1)] = r0 - r1;
            vals[2 * (c + 1) + 1] = i0 - i1;
        }
        if (sink && sink->point(sink, vals, d)) rc = RUN_SIM_ERROR;
        avals[0] = f[k];
        for (int c = 0; c < nacol; c++) avals[c + 1] = ac_value(&acols[c], bz, n);
        if (print && print->point(print, avals, d)) rc = RUN_SIM_ERROR;
        if (mrec) meas_rec_point(mrec, avals);
    }
    if (sink && sink->end(sink, d)) rc = RUN_SIM_ERROR;
    if (print) {
        if (print->end(print, d)) rc = RUN_SIM_ERROR;
        print->close(print);
    }
    meas_rec_finish(mrec, rc == RUN_OK);
    free(avals);
    free(acols);
    free(avars);
    free(ameas);
    if (!ro->quiet && rc == RUN_OK) {
        FILE *log = ro->log ? ro->log : stderr;
        fprintf(log, "memspice: ac: %ld frequencies from %g to %g Hz, %d unknowns\n", nf, f[0], f[nf - 1], n);
    }
    free(vals);
    free(vars);
    free(f);
    free(isdyn);
    free(Az);
    free(bz);
    free(re);
    free(im);
    free(y);
    outset_free(&os);
    return rc;
}
