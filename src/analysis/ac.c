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
    double *y = xcalloc((size_t)n + 1, sizeof *y);
    engine_reset_context(e);
    DcopInfo info;
    if (dcop_solve(e, y, deck->nodeset.v, deck->nodeset.n, NULL, 0, &info)) {
        free(y);
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
    }
    if (sink && sink->end(sink, d)) rc = RUN_SIM_ERROR;
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
