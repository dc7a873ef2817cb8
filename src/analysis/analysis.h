/* Analyses: drivers that use the engine to run what the deck asks for, in
 * netlist order, and send the results to sinks. */
#ifndef MS_ANALYSIS_H
#define MS_ANALYSIS_H

#include <stdio.h>

#include "circuit/deck.h"
#include "engine/engine.h"
#include "util/strmap.h"
#include "output/sink.h"

/* .meas results of one run (one .step point), in netlist order */
typedef struct MeasResults {
    int n;
    char **names;
    double *value;
    char *ok;               /* 1: measured; 0: failed (or its analysis did not run) */
    char **note;            /* measured: extra words ("at=1e-3") or NULL; failed: why */
} MeasResults;
MeasResults *meas_results_new(const Deck *deck);   /* NULL when the deck has no .meas */
MeasResults *meas_results_alloc(int n);            /* n empty (failed) results, names NULL */
void meas_results_free(MeasResults *r);
/* "NAME = VALUE" lines ("NAME = failed (why)") */
void meas_results_print(const MeasResults *r, FILE *out);

typedef struct RunOpts {
    int quiet;          /* no summary lines on stderr */
    int progress;       /* show the progress line (stderr is a terminal and not quiet) */
    FILE *out;          /* .print tables and the .op listing (stdout) */
    FILE *log;          /* summary lines (NULL: stderr); a stepped run collects each step's */
    MeasResults *meas;  /* .meas results go here (NULL: not measured) */
} RunOpts;

/* exit-code classes */
enum { RUN_OK = 0, RUN_INPUT_ERROR = 1, RUN_SIM_ERROR = 2, RUN_INTERRUPTED = 3 };

/* Run every analysis of the deck; results go to `sink` (may be NULL). */
int analysis_run_deck(Deck *deck, Sink *sink, const RunOpts *ro, Diag *d);
/* Run the analyses an[0..nan) on the deck's circuit (one engine for all;
 * the control language's op, tran, dc commands). */
int analysis_run(Deck *deck, const AnalysisReq *an, int nan, Sink *sink, const RunOpts *ro, Diag *d);

/* ---- shared by the drivers ---- */

/* An output column: value = y[a] - y[b] (b is the sink row for a plain
 * unknown, so y[b] = 0). */
typedef struct Probe {
    int a, b;
    const Instance *inst;   /* derived device output k of inst (DeviceType.output) */
    int k;
    int ex;                 /* >= 0: expression output os->exprs[ex] */
} Probe;

/* a {braced expression} output: its signals resolved to solution values */
typedef struct OutExpr {
    const InstExpr *ie;
    struct OutSig { int kind, row, k; const Instance *inst; } *ref;   /* kind: 0 y[row], 1 device output, 2 time, 3 temper */
    double *vals;
} OutExpr;

typedef struct OutSet {
    int n;
    OutVar *vars;       /* names owned here */
    Probe *probes;
    OutExpr *exprs;
    int nexprs;
    StrMap cols;        /* name -> column + 1 (each name once) */
    double temper;      /* circuit temperature (Celsius) for temper in expressions */
    int *print_cols;    /* columns listed by .print for this analysis */
    int nprint;
    int kind;           /* AnalysisKind */
    int nshow;          /* columns 0..nshow-1 go to the outputs; the rest only feed .meas */
    int *meas_col;      /* Deck.meas_sig j -> column, -1 if this analysis does not measure it */
} OutSet;

/* Columns for an analysis: the .save list (all unknowns if none) plus any
 * .print columns of this analysis kind. -1 on an unknown name (reported). */
int outset_build(OutSet *os, const Engine *e, const Deck *deck, AnalysisKind kind, Diag *d);
void outset_free(OutSet *os);
/* values[first + k] = probe k at y */
/* t: the time (0 in DC analyses), for time in expression outputs */
void outset_eval(const OutSet *os, const double *y, double t, double *values);

/* recording of the signals .meas reads, for one plot (analysis/meas.c) */
typedef struct MeasRec MeasRec;
/* NULL when no measurement of the deck is taken on this kind of analysis;
 * cols[j]: the OutSet column of Deck.meas_sig j (-1: not in this plot),
 * found in the plot's values after the scale (has_scale: one value) */
MeasRec *meas_rec_new(const Deck *deck, int kind, MeasResults *res, const int *cols, int has_scale,
                      const char *scale);
void meas_rec_point(MeasRec *r, const double *vals);
/* compute the plot's measurements into the results (complete 0: the
 * analysis stopped early: they fail) and free r */
void meas_rec_finish(MeasRec *r, int complete);

/* Sinks for one plot: the main sink plus a .print table if requested. */
typedef struct PlotOut {
    Sink *main;
    Sink *print;
    int nvars;
    OutVar *vars;       /* scale (if any) + outset columns */
    double *vals;
    int has_scale;      /* vars[0] is the scale */
    const SrcLoc *loc;  /* the analysis line, for messages (set by the caller; may be NULL) */
    MeasRec *meas;      /* .meas recording, NULL if none */
} PlotOut;
int plotout_begin(PlotOut *po, Sink *main, const RunOpts *ro, const Deck *deck, const char *plotname,
                  const OutVar *scale, const OutSet *os, Diag *d);
int plotout_point(PlotOut *po, Diag *d);
/* complete: the analysis ran to its end (measurements are taken) */
int plotout_end(PlotOut *po, int complete, Diag *d);

int run_op(Deck *deck, Engine *e, const AnalysisReq *an, Sink *sink, const RunOpts *ro, Diag *d);
int run_dc(Deck *deck, Engine *e, const AnalysisReq *an, Sink *sink, const RunOpts *ro, Diag *d);
int run_tran(Deck *deck, Engine *e, const AnalysisReq *an, Sink *sink, const RunOpts *ro, Diag *d);
int run_ac(Deck *deck, Engine *e, const AnalysisReq *an, Sink *sink, const RunOpts *ro, Diag *d);

#endif
