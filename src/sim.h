/* The library's top level: one call runs a netlist end to end
 * (read -> elaborate -> analyses -> sinks). main.c is only the command
 * line around it; tests call it directly. */
#ifndef MS_SIM_H
#define MS_SIM_H

#include <stdint.h>
#include <stdio.h>

#include "netlist/elaborate.h"
#include "netlist/step.h"
#include "output/sink.h"
#include "util/diag.h"

typedef struct SimConfig {
    const char *netlist;      /* path ("-" for standard input) */
    const char *text;         /* or netlist text in memory (netlist is then its name) */
    const char *raw;          /* raw output path, NULL: none */
    int ascii;                /* ascii raw */
    const char *csv;          /* csv output path, NULL: none */
    const char *meas;         /* .meas table path (<raw>.meas.csv), NULL: none */
    int quiet;                /* no summary/notes on stderr */
    int progress;             /* progress line on stderr */
    FILE *out;                /* .print tables and .op listing; NULL: none */
    Sink *extra;              /* an extra sink (not owned), e.g. a mem sink in tests */
    const ParamOverride *params;  /* --param NAME=VALUE: top-level .param values */
    int nparams;
    int jobs;                 /* .step points run at once (0: one per core) */
    uint64_t seed;            /* --seed N: seed of the random functions */
    int seed_given;
    /* the seed used when neither --seed nor .options seed gives one: chosen
     * once per run (sim_run, or the MPI driver for all ranks) so every .step
     * point draws from the same one */
    uint64_t fallback_seed;
    int fallback_given;
    int dialect;              /* Dialect + 1 from --dialect; 0: guessed from the netlist (ngspice if nothing says) */
    int allow_shell;          /* --allow-shell: a .control block may run programs (shell) */
    int no_files;             /* a .control block writes no files and runs no programs (fuzzing) */
    int plots_written;        /* out: plots written to the raw/csv files */
    int meas_written;         /* out: the .meas table was written */
} SimConfig;

/* The dialect of a netlist just read: cfg->dialect as given (--dialect),
 * else guessed from it (a note says so), stored in cfg->dialect; sets the
 * number reader's dialect (Xyce's ampere suffix). */
void sim_choose_dialect(SimConfig *cfg, const Netlist *nl, Diag *d);

/* Returns an exit code: 0 ok, 1 netlist/usage error, 2 simulation failure,
 * 3 interrupted (output complete up to the interruption). */
int sim_run(SimConfig *cfg, Diag *d);

/* ---- stepped runs, piece by piece (sim_run uses them; so does the MPI
 * driver, which runs points on several ranks and writes on rank 0) ---- */

/* what one .step point produced, to be written in step order */
typedef struct StepOut {
    long index;
    double values[STEP_MAX_AXES];
    char *label;             /* "a=1, b=2" */
    int rc;                  /* RUN_* of this point */
    Sink *mem;               /* its plots (mem sink), NULL if it did not run */
    char *diag;              /* its messages */
    int nerrors, nwarnings;
    char *out;               /* .print tables, .op listing */
    char *log;               /* summary lines */
    struct MeasResults *meas;/* its .meas results, NULL if none */
} StepOut;

typedef struct StepRun {
    SimConfig *cfg;          /* read only while points run; meas_written set by step_emit */
    const Netlist *nl;       /* shared, read only */
    const StepPlan *plan;
    char *first_diag;        /* messages of the first point written */
    MeasTable *table;        /* the .meas table, opened with the first point that has results */
    int table_failed;
} StepRun;

StepRun *step_run_new(SimConfig *cfg, const Netlist *nl, const StepPlan *plan);
/* closes the .meas table; returns rc merged with its errors, frees r */
int step_run_finish(StepRun *r, int rc, Diag *d);
/* elaborate and simulate point k into o (thread-safe: any number at once) */
void step_run_point(const StepRun *r, long k, StepOut *o);
/* write o's messages, text and plots (to sink): points in order */
int step_emit(StepRun *r, StepOut *o, Sink *sink, Diag *d);
void step_out_free(StepOut *o);
/* the raw/CSV outputs of cfg (refused, NULL, when one would overwrite an
 * input the netlist read), opened on the first plot; closing returns rc,
 * or RUN_INPUT_ERROR when a file could not be opened */
typedef struct SimOutputs SimOutputs;
struct SourceSet;
SimOutputs *sim_open_outputs(SimConfig *cfg, const struct SourceSet *src, Diag *d);
Sink *sim_outputs_sink(SimOutputs *o);
int sim_close_outputs(SimConfig *cfg, SimOutputs *o, int rc);

/* the exit code of several points: interrupted > input error > simulation error > ok */
int step_rc_merge(int rc, int step_rc);

/* --list-devices: every device type with its parameters (markdown = 1 for
 * docs tables). */
void devices_describe(FILE *out, int markdown);

#endif
