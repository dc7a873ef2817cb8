/* Linear ion-drift memristor (Strukov, Snider, Stewart, Williams, "The
 * missing memristor found", Nature 453, 80-83, 2008) with the window
 * functions of Joglekar & Wolf (Eur. J. Phys. 30, 661, 2009), Biolek,
 * Biolek & Biolkova (Radioengineering 18(2), 210, 2009) and Prodromakis et
 * al. (IEEE TED 58(9), 3099, 2011).
 *
 *   YMEMRISTOR <name> n+ n- <model> [xo=<x(0)>]
 *   .model <model> memristor level=1 ron= roff= d= uv= window= p= j= xo=
 *
 * State x = w/D in [0, 1] (the doped fraction of the film):
 *   R(x)  = ron x + roff (1 - x)                           Strukov eq. (1)
 *   i     = v / R(x)
 *   dx/dt = uv ron / D^2 * i * f(x, i)                     Strukov eq. (2), divided by D
 * windows f:
 *   0 none         f = 1
 *   1 Joglekar     f = 1 - (2x - 1)^(2p)                   Joglekar eq. (8)
 *   2 Biolek       f = 1 - (x - stp(-i))^(2p),  stp(s) = 1 for s >= 0 else 0
 *                                                           Biolek eq. (6)
 *   3 Prodromakis  f = j (1 - ((x - 0.5)^2 + 0.75)^p)      Prodromakis eq. (11)
 * Powers of a possibly negative base are taken of its magnitude (identical
 * for the integer p of the papers, defined for any p > 0). The bound
 * 0 <= x <= 1 holds exactly whatever the window (memristor.h). */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"

enum { M_RON, M_ROFF, M_D, M_UV, M_WINDOW, M_P, M_J, M_XO, NM };
static const ParamDesc ld_model_params[NM] = {
    [M_RON] = {"ron", "ohm", 100, PF_POSITIVE, "resistance of the fully doped device (x = 1)"},
    [M_ROFF] = {"roff", "ohm", 16e3, PF_POSITIVE, "resistance of the undoped device (x = 0)"},
    [M_D] = {"d", "m", 10e-9, PF_POSITIVE, "film thickness D"},
    [M_UV] = {"uv", "m^2/(V s)", 1e-14, PF_POSITIVE, "dopant mobility"},
    [M_WINDOW] = {"window", "", 1, PF_INTEGER | PF_NONNEG,
                  "window function: 0 none, 1 Joglekar, 2 Biolek, 3 Prodromakis"},
    [M_P] = {"p", "", 1, PF_POSITIVE, "window exponent"},
    [M_J] = {"j", "", 1, PF_POSITIVE, "Prodromakis window scale"},
    [M_XO] = {"xo", "", 0.1, PF_NONNEG, "initial state x(0) = w/D when the instance gives none"},
};

enum { P_XO, NP };
static const ParamDesc ld_inst_params[NP] = {
    [P_XO] = {"xo", "", 0.1, PF_NONNEG, "initial state x(0) = w/D in [0, 1] (default: the model's xo)"},
};

/* model data in MemInst.mp */
enum { D_RON, D_ROFF, D_K, D_WIN, D_P, D_J };

static int ld_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    double xo = in->given[P_XO] ? in->p[P_XO] : mp[M_XO];
    if (xo > 1) {
        snprintf(err, n, "initial state xo=%g is outside [0, 1]", xo);
        return -1;
    }
    if (mp[M_WINDOW] > 3) {
        snprintf(err, n, "window=%g: expected 0 (none), 1 (Joglekar), 2 (Biolek) or 3 (Prodromakis)", mp[M_WINDOW]);
        return -1;
    }
    return 0;
}

static void ld_init(MemInst *m, double temp)
{
    (void)temp;
    const double *mp = m->in.model->p;
    m->x0[0] = m->in.given[P_XO] ? m->in.p[P_XO] : mp[M_XO];
    m->lo[0] = 0;
    m->hi[0] = 1;
    m->mp[D_RON] = mp[M_RON];
    m->mp[D_ROFF] = mp[M_ROFF];
    m->mp[D_K] = mp[M_UV] * mp[M_RON] / (mp[M_D] * mp[M_D]);
    m->mp[D_WIN] = mp[M_WINDOW];
    m->mp[D_P] = mp[M_P];
    m->mp[D_J] = mp[M_J];
}

/* |u|^q and its derivative in u */
static double powabs(double u, double q, double *d)
{
    double a = fabs(u);
    if (a == 0) {
        *d = q == 1 ? (u < 0 ? -1 : 1) : 0;
        return 0;
    }
    double pw;
    if (q == (int)q && q <= 32) {
        /* the papers' integer exponents: repeated squaring, no pow() */
        double b = a, r = 1;
        for (int k = (int)q; k; k >>= 1, b *= b)
            if (k & 1) r *= b;
        pw = r;
    } else {
        pw = pow(a, q);
    }
    *d = q * pw / a * (u < 0 ? -1 : 1);
    return pw;
}

/* window f(x, i) and df/dx */
static double window(const double *mp, double x, double i, double *df)
{
    double p = mp[D_P], d;
    switch ((int)mp[D_WIN]) {
    case 1: {
        double pw = powabs(2 * x - 1, 2 * p, &d);
        *df = -2 * d;
        return 1 - pw;
    }
    case 2: {
        double s = i <= 0 ? 1 : 0;   /* stp(-i) */
        double pw = powabs(x - s, 2 * p, &d);
        *df = -d;
        return 1 - pw;
    }
    case 3: {
        double u = (x - 0.5) * (x - 0.5) + 0.75;
        double pw = pow(u, p);
        *df = -mp[D_J] * p * pw / u * 2 * (x - 0.5);
        return mp[D_J] * (1 - pw);
    }
    default:
        *df = 0;
        return 1;
    }
}

static void ld_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *mp = m->mp;
    double dr = mp[D_RON] - mp[D_ROFF];
    double r = mp[D_ROFF] + dr * x[0];
    e->i = v / r;
    e->di_dv = 1 / r;
    e->di_dx[0] = -v * dr / (r * r);
    double df, f = window(mp, x[0], e->i, &df);
    double k = mp[D_K];
    e->rate[0] = k * e->i * f;
    e->drate_dv[0] = k * e->di_dv * f;
    e->drate_dx[0][0] = k * (e->di_dx[0] * f + e->i * df);
}

static const MemStateDesc ld_states[] = {{"x", 1}};
static const MemFamily ld_family = {
    .ns = 1,
    .states = ld_states,
    .check = ld_check,
    .init = ld_init,
    .eval = ld_eval,
};

const DeviceType device_mem_lineardrift = {
    .name = "memristor",
    .summary = "linear ion-drift memristor (Strukov 2008) with Joglekar/Biolek/Prodromakis windows",
    .letter = 'Y',
    .element_word = "ymemristor",
    .model_types = mem_model_types,
    .level = 1,
    .nterm = 2,
    .term_names = mem_terms,
    .model_use = MODEL_REQUIRED,
    .inst_params = ld_inst_params,
    .n_inst_params = NP,
    .model_params = ld_model_params,
    .n_model_params = NM,
    .dc_paths = mem_dc_paths,
    .n_dc_paths = 1,
    .inst_size = sizeof(MemInst),
    .check = mem_check,
    .setup = mem_setup,
    .reserve = mem_reserve,
    .load = mem_load,
    .init_uic = mem_init_uic,
    .outputs = mem_outputs,
    .n_outputs = MEM_NOUT,
    .output = mem_output,
    .family = &ld_family,
};
