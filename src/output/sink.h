/* Output sinks: analyses produce plots (a list of variables, then points as
 * they are accepted); sinks write them somewhere. One analysis can feed
 * several sinks (raw file, csv, .print table, memory for tests). */
#ifndef MS_SINK_H
#define MS_SINK_H

#include <stdio.h>

#include "util/diag.h"

/* ngspice variable types, written as these words in raw files */
typedef enum { VT_TIME, VT_FREQUENCY, VT_VOLTAGE, VT_CURRENT, VT_NOTYPE, VT_TEMPERATURE } VarType;
const char *vartype_name(VarType t);

typedef struct OutVar {
    const char *name;    /* e.g. "time", "v(out)", "i(v1)", "v(v-sweep)" */
    VarType type;
} OutVar;

typedef struct PlotInfo {
    const char *title;      /* netlist title */
    const char *plotname;   /* "Transient Analysis", "DC transfer characteristic", "Operating Point" */
    const OutVar *vars;     /* vars[0] is the scale (time, sweep); op plots have no scale */
    int nvars;
    int cplx;            /* values are (re, im) pairs: point() gets 2 nvars doubles (AC) */
    /* a .step point (nstep 0: not a stepped run): its index and parameter
     * values (the CSV sink writes them as leading columns) */
    int nstep;
    long step_index;
    const char *const *step_names;
    const double *step_values;
} PlotInfo;

typedef struct Sink Sink;
struct Sink {
    /* all return 0 on success, nonzero after reporting an error to diag */
    int (*begin)(Sink *s, const PlotInfo *p, Diag *d);
    int (*point)(Sink *s, const double *vals, Diag *d);  /* nvars values */
    int (*end)(Sink *s, Diag *d);                        /* plot complete (or interrupted) */
    void (*close)(Sink *s);                              /* flush, leave files valid, free */
};

/* ngspice-format raw file; binary (little-endian doubles) unless ascii.
 * Several plots go into the same file one after another. Points are written
 * as they come; the header's point count is patched at end() and also from
 * time to time while running, so a killed run leaves a loadable file. */
Sink *raw_sink_open(const char *path, int ascii, Diag *d);
/* CSV: one header row of names, then rows; plots separated by a blank line */
Sink *csv_sink_open(const char *path, Diag *d);
/* .print table on `out`: only the columns in cols[0..ncols) (indices into the
 * plot's vars; the scale column is always printed first if the plot has one) */
Sink *print_sink_new(FILE *out, const int *cols, int ncols);
/* Fan-out to several sinks (takes ownership of them). */
Sink *multi_sink_new(Sink **sinks, int n);

/* In-memory sink for tests and library callers. */
typedef struct MemPlot {
    char *title;
    char *plotname;
    int nvars;
    char **names;
    VarType *types;
    int npoints;
    int cplx;         /* data holds (re, im) pairs: npoints x nvars x 2 */
    double *data;        /* npoints x nvars, row-major */
} MemPlot;
Sink *mem_sink_new(void);
int mem_sink_nplots(const Sink *s);
const MemPlot *mem_sink_plot(const Sink *s, int i);
/* Send every plot of a mem sink to another sink, as the analyses sent them
 * (a stepped run records each point's plots, then writes them in order);
 * `step` (may be NULL) supplies the .step fields of each PlotInfo. */
int mem_sink_replay(const Sink *mem, Sink *to, const PlotInfo *step, Diag *d);
/* column of a variable by name in plot i, -1 if absent */
int memplot_var(const MemPlot *p, const char *name);
/* free what a MemPlot owns (not the struct itself) and zero it */
void memplot_clear(MemPlot *p);

/* 1 if vars[0] of a plot with this name is its scale. Everything has a scale
 * except an "Operating Point" plot, whose one point is all node values (this
 * is how ngspice writes .op plots too). */
int plot_has_scale(const char *plotname);

/* The .meas table (<raw name>.meas.csv): header (stepped parameters, then
 * measurement names), then one row per run or .step point; an empty cell
 * for a measurement that failed (ok[k] 0, or k >= n: the point had none). */
typedef struct MeasTable MeasTable;
MeasTable *meas_table_open(const char *path, const char *const *step_names, int nstep, char *const *names, int n,
                           Diag *d);
int meas_table_row(MeasTable *t, const double *step_vals, int nstep, const double *vals, const char *ok, int n,
                   Diag *d);
int meas_table_close(MeasTable *t, Diag *d);   /* NULL is fine; nonzero after a write error */

/* Raw sink only, for tests: rewrite the header's point count (after flushing
 * the points) every `points` points or `seconds` of wall time, whichever
 * comes first. Defaults: 10000 points, 0.5 s. */
void raw_sink_set_patch_interval(Sink *s, long points, double seconds);

#endif
