/* Vectors and plots of the control language (ngspice's "Interactive
 * interpreter", docs/control.md): every analysis run by a .control block
 * makes a plot (tran1, op1, dc1, ...) holding one real vector per output
 * variable, the first being its scale; `let` adds vectors, and vector
 * expressions compute new ones from them.
 *
 * Expressions (cvec_eval): numbers with SPICE suffixes, vector names
 * (v(out) and out, i(v1) and v1#branch, plot.name, @dev[param]), v(a,b),
 * + - * / ^ %, comparisons (= <> < > <= >= and eq ne lt gt le ge), and/or/not
 * (& | ~), c ? a : b, indexing x[3] and ranges x[2,5], and the functions of
 * docs/control.md. Scalars broadcast; vectors of different lengths are cut
 * to the shorter. Complex vectors (AC plots) take + - * / ^, unary minus,
 * indexing, length and the functions mag abs db ph phase cph real imag;
 * anything else on them is an error, never a silently real result. */
#ifndef MS_CVEC_H
#define MS_CVEC_H

#include "output/sink.h"

typedef struct CVec {
    char *name;
    VarType type;
    int n;
    double *v;
    double *im;              /* imaginary parts (AC plots), NULL: a real vector */
} CVec;

typedef struct CPlot {
    char *name;              /* "tran1", "const" */
    char *title;             /* the circuit's title */
    char *kind;              /* "Transient Analysis", "Operating Point", ... */
    CVec **vec;
    int nvec;
    int scale;               /* index of the scale vector, -1 (op plots) */
} CPlot;

CVec *cvec_new(const char *name, VarType type, int n);
void cvec_free(CVec *v);
CVec *cvec_copy(const CVec *v, const char *name);
/* give v imaginary parts (zero) if it has none */
void cvec_make_complex(CVec *v);

CPlot *cplot_new(const char *name, const char *title, const char *kind);
void cplot_free(CPlot *p);
/* adds (replacing a vector of the same name); takes ownership */
void cplot_add(CPlot *p, CVec *v);
/* exact name, else ngspice's aliases (out -> v(out), v1#branch -> i(v1)) */
CVec *cplot_find(const CPlot *p, const char *name);
/* the plot's scale vector, NULL if none */
const CVec *cplot_scale(const CPlot *p);

/* Where names are looked up: the current plot, then the others by
 * plot.name, then the constants. */
typedef struct CEnv {
    CPlot *cur;
    CPlot **plots;
    int nplots;
    CPlot *constants;
} CEnv;

/* evaluate text; NULL with a message in err on error. The result is a
 * fresh vector named after the text. */
CVec *cvec_eval(const CEnv *env, const char *text, char *err, size_t errn);

#endif
