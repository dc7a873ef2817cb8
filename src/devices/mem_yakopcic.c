/* Yakopcic generalized memristor model (C. Yakopcic, T. M. Taha,
 * G. Subramanyam, R. E. Pino, "Generalized memristive device SPICE model and
 * its application in circuit design", IEEE TCAD 32(8), 1201-1214, 2013),
 * with Xyce's parameter names (MEMRISTOR level=3).
 *
 *   YMEMRISTOR <name> n+ n- <model> [xo=<x(0)>]
 *   .model <model> memristor level=3 a1 a2 b vp vn ap an xp xn alphap alphan eta
 *
 * State x in [0, 1]:
 *   i = a1 x sinh(b v)  (v >= 0),  a2 x sinh(b v)  (v < 0)             eq. (1)
 *   g(v) =  ap (e^v - e^vp)     v > vp
 *        = -an (e^-v - e^vn)    v < -vn                               eq. (2)
 *        =  0                   otherwise
 *   f(v, x) = e^(-alphap (x - xp)) wp(x)       eta v > 0, x >= xp
 *           = e^(alphan (x + xn - 1)) wn(x)    eta v <= 0, x <= 1 - xn  eqs. (3)-(4)
 *           = 1                                otherwise
 *   wp(x) = (xp - x)/(1 - xp) + 1,  wn(x) = x/(1 - xn)                 eqs. (5)-(6)
 *   dx/dt = eta g(v) f(v, x)                                          eq. (7)
 * vn is the magnitude of the negative threshold (the threshold is at
 * -vn), as in Xyce. Departures from Xyce (docs/devices/mem_yakopcic.md):
 * x is held within [0, 1] exactly; vn defaults to +0.01 V and xp, xn to
 * 0.3, 0.5 (Xyce's -0.01 moves the state at v = 0 and its xp = xn = 1
 * divide by zero); r() is v/i (Xyce: 1/(di/dv)); noise is not
 * implemented; xscaling is accepted and, as in Xyce, has no effect. */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"

enum { M_A1, M_A2, M_B, M_VP, M_VN, M_AP, M_AN, M_XP, M_XN, M_ALPHAP, M_ALPHAN, M_ETA, M_XSCALING, M_XO, NM };
static const ParamDesc yk_model_params[NM + MEM_NC2C] = {
    [M_A1] = {"a1", "A", 1, PF_POSITIVE, "current amplitude for v >= 0"},
    [M_A2] = {"a2", "A", 1, PF_POSITIVE, "current amplitude for v < 0"},
    [M_B] = {"b", "1/V", 1, PF_POSITIVE, "curvature of the sinh I-V"},
    [M_VP] = {"vp", "V", 0.01, PF_NONNEG, "positive threshold voltage"},
    [M_VN] = {"vn", "V", 0.01, PF_NONNEG, "magnitude of the negative threshold (at -vn)"},
    [M_AP] = {"ap", "1/s", 1, PF_NONNEG, "rate magnitude above vp"},
    [M_AN] = {"an", "1/s", 1, PF_NONNEG, "rate magnitude below -vn"},
    [M_XP] = {"xp", "", 0.3, PF_NONNEG, "state above which positive motion slows (< 1)"},
    [M_XN] = {"xn", "", 0.5, PF_NONNEG, "1 - xn: state below which negative motion slows (xn < 1)"},
    [M_ALPHAP] = {"alphap", "", 1, PF_NONNEG, "decay rate of positive motion above xp"},
    [M_ALPHAN] = {"alphan", "", 1, PF_NONNEG, "decay rate of negative motion below 1 - xn"},
    [M_ETA] = {"eta", "", 1, 0, "direction of motion relative to v (+1 or -1)"},
    [M_XSCALING] = {"xscaling", "", 1, PF_POSITIVE, "accepted for Xyce compatibility; no effect"},
    [M_XO] = {"xo", "", 0, PF_NONNEG, "initial state when the instance gives none"},
    MEM_C2C_PARAMS(NM),
};

enum { P_XO, NP };
static const ParamDesc yk_inst_params[NP] = {
    [P_XO] = {"xo", "", 0, PF_NONNEG, "initial state x(0) in [0, 1] (default: the model's xo)"},
};

static int yk_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    double xo = in->given[P_XO] ? in->p[P_XO] : mp[M_XO];
    if (xo > 1) return snprintf(err, n, "initial state xo=%g is outside [0, 1]", xo), -1;
    if (mp[M_XP] >= 1 || mp[M_XN] >= 1)
        return snprintf(err, n, "xp and xn must be below 1 (xp=%g, xn=%g)", mp[M_XP], mp[M_XN]), -1;
    return 0;
}

static void yk_init(MemInst *m, double temp)
{
    (void)temp;
    const double *mp = m->in.model->p;
    m->x0[0] = m->in.given[P_XO] ? m->in.p[P_XO] : mp[M_XO];
    m->st->lo[0] = 0;
    m->st->hi[0] = 1;
    for (int k = 0; k < NM; k++) m->mp[k] = mp[k];
}

static void yk_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    double a = v >= 0 ? d[M_A1] : d[M_A2];
    double ch, sh = mem_sinh(d[M_B] * v, &ch);
    e->i = a * x[0] * sh;
    e->di_dv = a * x[0] * d[M_B] * ch;
    e->di_dx[0] = a * sh;
    double g = 0, dg = 0, ev;
    if (v > d[M_VP]) {
        g = d[M_AP] * (mem_exp(v, &ev) - exp(d[M_VP]));
        dg = d[M_AP] * ev;
    } else if (v < -d[M_VN]) {
        g = -d[M_AN] * (mem_exp(-v, &ev) - exp(d[M_VN]));
        dg = d[M_AN] * ev;
    } else {
        return;
    }
    double f = 1, df = 0, xs = x[0];
    if (d[M_ETA] * v > 0) {
        if (xs >= d[M_XP]) {
            double ex = exp(-d[M_ALPHAP] * (xs - d[M_XP]));
            double wp = (d[M_XP] - xs) / (1 - d[M_XP]) + 1;
            f = ex * wp;
            df = -d[M_ALPHAP] * ex * wp - ex / (1 - d[M_XP]);
        }
    } else if (xs <= 1 - d[M_XN]) {
        double ex = exp(d[M_ALPHAN] * (xs + d[M_XN] - 1));
        double wn = xs / (1 - d[M_XN]);
        f = ex * wn;
        df = d[M_ALPHAN] * ex * wn + ex / (1 - d[M_XN]);
    }
    e->rate[0] = d[M_ETA] * g * f;
    e->drate_dv[0] = d[M_ETA] * dg * f;
    e->drate_dx[0][0] = d[M_ETA] * g * df;
}

static const MemStateDesc yk_states[] = {{.name = "x", .hold_dc = 1}};
static const MemFamily yk_family = {
    .ns = 1,
    .states = yk_states,
    .check = yk_check,
    .init = yk_init,
    .eval = yk_eval,
};

const DeviceType device_mem_yakopcic = {
    MEM_DEVICE_FIELDS(3, "Yakopcic generalized memristor (TCAD 2013), voltage thresholds, Xyce level 3",
                      yk_inst_params, yk_model_params, &yk_family, mem_load, MEM_NOUT),
};
