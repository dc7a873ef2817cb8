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
static const ParamDesc ld_model_params[NM + MEM_NC2C] = {
    [M_RON] = {"ron", "ohm", 100, PF_POSITIVE, "resistance of the fully doped device (x = 1)"},
    [M_ROFF] = {"roff", "ohm", 16e3, PF_POSITIVE, "resistance of the undoped device (x = 0)"},
    [M_D] = {"d", "m", 10e-9, PF_POSITIVE, "film thickness D"},
    [M_UV] = {"uv", "m^2/(V s)", 1e-14, PF_POSITIVE, "dopant mobility"},
    [M_WINDOW] = {"window", "", 1, PF_INTEGER | PF_NONNEG,
                  "window function: 0 none, 1 Joglekar, 2 Biolek, 3 Prodromakis"},
    [M_P] = {"p", "", 1, PF_POSITIVE, "window exponent"},
    [M_J] = {"j", "", 1, PF_POSITIVE, "Prodromakis window scale"},
    [M_XO] = {"xo", "", 0.1, PF_NONNEG, "initial state x(0) = w/D when the instance gives none"},
    MEM_C2C_PARAMS(NM),
};

enum { P_XO, NP };
static const ParamDesc ld_inst_params[NP] = {
    [P_XO] = {"xo", "", 0.1, PF_NONNEG, "initial state x(0) = w/D in [0, 1] (default: the model's xo)"},
};

/* model data in MemInst.mp */
enum { D_RON, D_ROFF, D_K };

static int ld_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    double xo = in->given[P_XO] ? in->p[P_XO] : mp[M_XO];
    if (xo > 1) {
        snprintf(err, n, "initial state xo=%g is outside [0, 1]", xo);
        return -1;
    }
    if (mp[M_ROFF] < mp[M_RON]) {
        snprintf(err, n, "roff=%g must not be below ron=%g (roff is the resistance of the undoped device)", mp[M_ROFF],
                 mp[M_RON]);
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
    m->st->lo[0] = 0;
    m->st->hi[0] = 1;
    m->mp[D_RON] = mp[M_RON];
    m->mp[D_ROFF] = mp[M_ROFF];
    m->mp[D_K] = mp[M_UV] * mp[M_RON] / (mp[M_D] * mp[M_D]);
    m->st->win = (MemWindow){(int)mp[M_WINDOW], 1, mp[M_P], mp[M_J], 0, 0, 1};
}

static void ld_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *mp = m->mp;
    double dr = mp[D_RON] - mp[D_ROFF];
    double r = mp[D_ROFF] + dr * x[0];
    e->i = v / r;
    e->di_dv = 1 / r;
    e->di_dx[0] = -v * dr / (r * r);
    double df, f = mem_window(&m->st->win, x[0], e->i > 0, &df);
    double k = mp[D_K];
    e->rate[0] = k * e->i * f;
    e->drate_dv[0] = k * e->di_dv * f;
    e->drate_dx[0][0] = k * (e->di_dx[0] * f + e->i * df);
}

static const MemStateDesc ld_states[] = {{.name = "x", .hold_dc = 1}};
static const MemFamily ld_family = {
    .ns = 1,
    .states = ld_states,
    .check = ld_check,
    .init = ld_init,
    .eval = ld_eval,
};

const DeviceType device_mem_lineardrift = {
    MEM_DEVICE_FIELDS(1, "linear ion-drift memristor (Strukov 2008) with Joglekar/Biolek/Prodromakis windows",
                      ld_inst_params, ld_model_params, &ld_family, mem_load, MEM_NOUT),
};
