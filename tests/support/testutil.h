/* Helpers shared by the simulation tests: run netlist text through sim_run
 * into a memory sink, find columns (failing with the list of names that do
 * exist), interpolate a waveform, and measure errors against a reference.
 * Every lookup that can fail fails the current cmocka test with a message
 * that says what was missing, so callers need no checks of their own. */
#ifndef MS_TESTUTIL_H
#define MS_TESTUTIL_H

#include "output/sink.h"

/* One simulation: its plots stay valid until tu_free. */
typedef struct TuRun {
    Sink *sink;      /* mem sink */
    int rc;          /* sim_run's exit code */
    char *log;       /* every diagnostic message (errors, warnings) */
} TuRun;

/* Run netlist text; fails the test (quoting the diagnostics) unless the run
 * returns 0. */
#define tu_run(text) tu_run_at((text), __FILE__, __LINE__)
TuRun *tu_run_at(const char *text, const char *file, int line);
/* Run netlist text and return whatever happens (rc, log) without failing. */
TuRun *tu_run_any(const char *text);
void tu_free(TuRun *r);

/* Plot i of a run, or the first plot whose name starts with `prefix`
 * ("Transient", "DC transfer", "Operating Point"); fails if absent. */
#define tu_plot(r, i) tu_plot_at((r), (i), __FILE__, __LINE__)
#define tu_plot_named(r, prefix) tu_plot_named_at((r), (prefix), __FILE__, __LINE__)
const MemPlot *tu_plot_at(const TuRun *r, int i, const char *file, int line);
const MemPlot *tu_plot_named_at(const TuRun *r, const char *prefix, const char *file, int line);

/* Column of a variable (exact name as written in raw files); fails with the
 * available names if absent. */
#define tu_col(p, name) tu_col_at((p), (name), __FILE__, __LINE__)
int tu_col_at(const MemPlot *p, const char *name, const char *file, int line);

/* value of column `col` at point `row` */
static inline double tu_val(const MemPlot *p, int row, int col)
{
    return p->data[(size_t)row * (size_t)p->nvars + (size_t)col];
}

/* Value of `name` in the only point of an operating-point plot (or the
 * first point of any plot). */
#define tu_op(r, name) tu_op_at((r), (name), __FILE__, __LINE__)
double tu_op_at(const TuRun *r, const char *name, const char *file, int line);

/* Linear interpolation of column `col` at scale value x (column 0, assumed
 * increasing); x outside the scale range fails. At a scale point that
 * appears twice (a breakpoint written twice), the later value is used. */
#define tu_interp(p, col, x) tu_interp_at((p), (col), (x), __FILE__, __LINE__)
double tu_interp_at(const MemPlot *p, int col, double x, const char *file, int line);

/* Largest |a - b| of column ca of plot a against column cb of plot b,
 * interpolated at a's scale points (those inside b's scale range); *range
 * (if not NULL): the column's range (max - min) in a. */
#define tu_col_diff(a, ca, b, cb, range) tu_col_diff_at((a), (ca), (b), (cb), (range), __FILE__, __LINE__)
double tu_col_diff_at(const MemPlot *a, int ca, const MemPlot *b, int cb, double *range, const char *file,
                      int line);

/* Largest error of column `col` against f(scale) over every point with
 * scale in [x0, x1]. Relative mode divides by max(|f|, floor). The scale
 * value where it occurs goes to *where (may be NULL). */
typedef double (*TuFunc)(double x, const void *ctx);
double tu_max_abs_err(const MemPlot *p, int col, TuFunc f, const void *ctx, double x0, double x1,
                      double *where);
double tu_max_rel_err(const MemPlot *p, int col, TuFunc f, const void *ctx, double x0, double x1,
                      double floor, double *where);

/* |got - want| <= atol + rtol*|want|, else fail naming what, both values,
 * the difference and the bound. With TU_VERBOSE set in the environment,
 * tu_close and tu_le print every check (to read off measured errors). */
#define tu_close(got, want, rtol, atol, what) \
    tu_close_at((got), (want), (rtol), (atol), (what), __FILE__, __LINE__)
void tu_close_at(double got, double want, double rtol, double atol, const char *what, const char *file,
                 int line);

/* value <= bound (tu_le) or value >= bound (tu_ge), else fail with both
 * and what */
#define tu_le(value, bound, what) tu_le_at((value), (bound), (what), __FILE__, __LINE__)
#define tu_ge(value, bound, what) tu_ge_at((value), (bound), (what), __FILE__, __LINE__)
void tu_le_at(double value, double bound, const char *what, const char *file, int line);
void tu_ge_at(double value, double bound, const char *what, const char *file, int line);

/* Run netlist text that must fail: fails the test unless sim_run returns
 * non-zero with a message containing `msg` (quoting what it said). */
#define tu_expect_error(net, msg) tu_expect_error_at((net), (msg), __FILE__, __LINE__)
void tu_expect_error_at(const char *net, const char *msg, const char *file, int line);

/* Run a netlist file (or `text` under that name, when text is not NULL)
 * with -j 2; fails the test unless it exits 0. Returns its .meas table
 * (the text of <raw>.meas.csv, malloc'd). */
#define tu_meas_table(path, text) tu_meas_table_at((path), (text), __FILE__, __LINE__)
char *tu_meas_table_at(const char *path, const char *text, const char *file, int line);

/* Run a netlist file (no .step) with top-level parameter overrides
 * `params` ("name=value" strings, NULL-terminated, may be NULL) as
 * --param does; returns the measurement `name` of its .meas table, NaN if
 * that measurement failed. Fails the test if the run fails or the table
 * has no such column. Prints what it measured. */
#define tu_meas(path, params, name) tu_meas_at((path), (params), (name), __FILE__, __LINE__)
double tu_meas_at(const char *path, const char *const *params, const char *name, const char *file, int line);

/* A whole file (malloc'd, NUL-terminated); fails the test if unreadable. */
char *tu_read_file(const char *path);

/* 1 if `prog` is an executable on PATH */
int tu_have_program(const char *prog);

/* ngspice in batch mode on netlist text; its raw file, read (free with
 * raw_free). Fails the test when ngspice is not on PATH (make test
 * installs it) or when ngspice fails (quoting its log). */
struct RawFile;
#define tu_ngspice(netlist) tu_ngspice_at((netlist), __FILE__, __LINE__)
struct RawFile *tu_ngspice_at(const char *netlist, const char *file, int line);
/* first plot whose name starts with prefix; fails if none */
const MemPlot *tu_raw_plot(const struct RawFile *rf, const char *prefix);

/* cmocka group fixtures: a fresh temporary directory per test group,
 * removed afterwards; tu_tmp_path gives "<dir>/<name>" (malloc'd). */
int tu_tmpdir_setup(void **state);
int tu_tmpdir_teardown(void **state);
char *tu_tmp_path(void **state, const char *name);

#endif
