/* Shared checks for the memristor device tests (tests/unit/test_mem_*.c):
 * the reference trajectory of "V1 in 0 <wave>; Rs in a <rs>; Y a 0" from
 * an independent high-accuracy integration of the model's equations as the
 * test writes them (ode_dopri45 at rtol 1e-9, the node voltage v solved
 * from vs(t) = v + rs i(v, x) by ode_root at every evaluation), the
 * pinched-loop check and the loop area. */
#ifndef MS_MEMTEST_H
#define MS_MEMTEST_H

#include "output/sink.h"

enum { MT_MAXS = 4 };

typedef struct MtModel {
    int ns;                                                   /* states */
    double (*current)(double v, const double *x, const void *par);
    void (*rates)(double v, const double *x, double *dxdt, const void *par);
    const void *par;
    double lo[MT_MAXS], hi[MT_MAXS];    /* bounds (the reference clamps to them), +-INFINITY if none */
    double range[MT_MAXS];              /* error scale: the state's physical range */
} MtModel;

/* source waveforms: sine A sin(2 pi f t) and SPICE PULSE */
typedef struct MtWave {
    int kind;                           /* 0 sine, 1 pulse */
    double a, f;                        /* sine */
    double v1, v2, td, tr, tf, pw, per; /* pulse */
} MtWave;
double mt_wave(const MtWave *w, double t);
/* "SIN(0 a f)" / "PULSE(...)" for the netlist */
void mt_wave_spec(const MtWave *w, char *buf, size_t n);

/* Largest |x_k(memspice) - x_k(reference)| / range_k over the plot's time
 * points and states; cols[k] names state k's column. x0: initial states.
 * *where, *which: time and state of the largest (may be NULL). */
double mt_state_error(const MemPlot *p, const char *const *cols, const MtModel *m, double rs, const MtWave *w,
                      const double *x0, double *where, int *which);

/* fails the test unless |i| at every zero of v (sine drive a sin(2 pi f t),
 * cycles periods) is below 1e-3 of the largest |i| */
void mt_check_pinched(const MemPlot *p, const char *icol, double freq, int cycles);
/* area of the i-v loop of the first period: |lobe 1| + |lobe 2| (i dv) */
double mt_loop_area(const MemPlot *p, const char *vcol, const char *icol, double freq);
/* One run of the single-device netlist of the memristor tests, driven by a
 * sine at freq for (at least) two periods: checks the pinch of
 * i(ymemristor!m1) and returns (and prints) the area of the first period's
 * loop in v(a); frees the run. */
struct TuRun;
double mt_pinched_area(struct TuRun *r, double freq);
/* fails unless area[k] > factor * area[k+1] for every k (the loop closes as
 * the frequency rises) */
void mt_check_shrinking(const double *area, int n, double factor);
/* fails unless every value of column `col` is finite and within [lo, hi] */
void mt_check_bounds(const MemPlot *p, const char *col, double lo, double hi);

#endif
