/* Second-order memristor with an internal temperature (S. Kim, C. Du,
 * P. Sheridan, W. Ma, S. Choi, W. D. Lu, "Experimental demonstration of a
 * second-order memristor and its ability to biorealistically implement
 * synaptic plasticity", Nano Letters 15(3), 2203-2211, 2015), MEMRISTOR
 * level=7.
 *
 *   YMEMRISTOR <name> n+ n- [th] <model> [xo=<x(0)>]
 *   .model <model> memristor level=7 ron= roff= ea= k0= v0= rth= tau_th= t0= tmax= xo=
 *
 * Two states (Kim 2015: the first-order state variable sets the
 * conductance, the second-order one, the local temperature, sets how fast
 * the first one moves and decays by itself in a short time):
 *   x in [0, 1]   the conductive-filament state (memory: held at xo in DC)
 *   T in [T0 - min(10 K, T0/2), tmax]   the filament temperature (K)
 * with T0 = t0 (not given: the circuit temperature):
 *   G(x)  = 1/roff + x (1/ron - 1/roff),   i = G(x) v       filament conductance
 *   dx/dt = k0 exp(-ea/(kB T)) sinh(v/v0) f(x, v)          Arrhenius ion motion
 *           f = 1 - x for v >= 0 (growth), x for v < 0 (dissolution)
 *   dT/dt = (S(rth v i) - (T - T0)) / tau_th                Joule heating, cooling
 *           S(d) = d / (1 + (d/span)^16)^(1/16),  span = tmax - T0
 * This is the paper's mechanism with its timescale, not a fitted formula
 * set (the paper gives no SPICE parameter table; equation numbers are not
 * cited here because the text could not be checked): one pulse heats the
 * filament, the heat decays with tau_th (hundreds of ns), and a second
 * pulse arriving before it has decayed moves x much faster
 * (exp(-ea/(kB T)) is steep), so the change after a pulse pair falls off
 * with their spacing (docs/devices/mem_kim.md: the parameter choices).
 * With S(d) = d the T equation is the paper's lumped form
 * Cth dT/dt = v i - (T - T0)/rth, Cth = tau_th/rth. S (not in the paper)
 * saturates the steady rise rth v i towards span: relative change below
 * 1e-9 while rth v i < 0.3 span, 1e-3 at 0.75 span, 4% at span. It keeps
 * every steady state and trajectory below tmax, so a static solve has a
 * solution of the heat balance at any overdrive (otherwise the bound would
 * hold T at tmax with the balance violated), T stays linear in its own equation, and no
 * finite v can push the Arrhenius rate to overflow. At DC x is held and
 * T = T0 + S(rth v i); the bound [T0 - min(10 K, T0/2), tmax] on T is only
 * a backstop. */
#include <math.h>
#include <stdio.h>

#include "devices/memristor.h"

#define KB_EV 8.617333262e-5 /* Boltzmann constant, eV/K */

enum { M_RON, M_ROFF, M_EA, M_K0, M_V0, M_RTH, M_TAU, M_T0, M_TMAX, M_XO, NM };
static const ParamDesc kim_model_params[NM + MEM_NC2C] = {
    [M_RON] = {"ron", "ohm", 1e3, PF_POSITIVE, "resistance of the full filament (x = 1)"},
    [M_ROFF] = {"roff", "ohm", 10e3, PF_POSITIVE, "resistance without filament (x = 0)"},
    [M_EA] = {"ea", "eV", 1.0, PF_POSITIVE, "activation energy of the ion motion"},
    [M_K0] = {"k0", "1/s", 1e13, PF_POSITIVE, "attempt rate of the state (prefactor of the Arrhenius law)"},
    [M_V0] = {"v0", "V", 0.25, PF_POSITIVE, "voltage scale of the drive sinh(v/v0)"},
    [M_RTH] = {"rth", "K/W", 3e6, PF_POSITIVE, "thermal resistance of the filament to its surroundings"},
    [M_TAU] = {"tau_th", "s", 300e-9, PF_POSITIVE, "thermal time constant rth*Cth (decay of the temperature)"},
    [M_T0] = {"t0", "K", 300.15, PF_POSITIVE, "ambient temperature T0 (not given: the circuit temperature)"},
    [M_TMAX] = {"tmax", "K", 2000, PF_POSITIVE, "largest temperature: the heating saturates towards it"},
    [M_XO] = {"xo", "", 0.1, PF_NONNEG, "initial state x(0) when the instance gives none"},
    MEM_C2C_PARAMS(NM),
};

enum { P_XO, NP };
static const ParamDesc kim_inst_params[NP] = {
    [P_XO] = {"xo", "", 0.1, PF_NONNEG, "initial state x(0) in [0, 1] (default: the model's xo)"},
};

/* model data in MemInst.mp */
enum { D_GOFF, D_DG, D_EAK, D_K0, D_V0, D_RTH, D_TAU, D_T0, D_SPAN };

static double initial_x(const Instance *in)
{
    return in->given[P_XO] ? in->p[P_XO] : in->model->p[M_XO];
}

static int kim_check(const Instance *in, char *err, size_t n)
{
    const double *mp = in->model->p;
    double xo = initial_x(in);
    if (xo > 1) return snprintf(err, n, "initial state xo=%g is outside [0, 1]", xo), -1;
    if (mp[M_ROFF] < mp[M_RON])
        return snprintf(err, n, "roff=%g must not be below ron=%g (ron is the resistance with the filament)",
                        mp[M_ROFF], mp[M_RON]), -1;
    return 0;
}

/* tmax against the ambient: t0, or the circuit temperature when t0 is not given */
static int kim_check_ambient(const Instance *in, double temp, char *err, size_t n)
{
    const double *mp = in->model->p;
    if (in->model->given[M_T0] && !(mp[M_TMAX] > mp[M_T0]))
        return snprintf(err, n, "tmax=%g K must be above the ambient temperature t0=%g K", mp[M_TMAX], mp[M_T0]),
               -1;
    if (!in->model->given[M_T0] && !(mp[M_TMAX] > temp))
        return snprintf(err, n, "tmax=%g K must be above the ambient temperature (the circuit temperature, %g K)",
                        mp[M_TMAX], temp), -1;
    return 0;
}

static void kim_init(MemInst *m, double temp)
{
    const double *p = m->in.model->p;
    double t0 = m->in.model->given[M_T0] ? p[M_T0] : temp;
    m->x0[0] = initial_x(&m->in);
    m->st->lo[0] = 0;
    m->st->hi[0] = 1;
    /* T starts at ambient (uic; otherwise the operating point solves it) */
    m->x0[1] = t0;
    m->st->lo[1] = t0 - fmin(10, 0.5 * t0);
    m->st->hi[1] = fmax(p[M_TMAX], t0 + 1);
    double *d = m->mp;
    d[D_GOFF] = 1 / p[M_ROFF];
    d[D_DG] = 1 / p[M_RON] - 1 / p[M_ROFF];
    d[D_EAK] = p[M_EA] / KB_EV;
    d[D_K0] = p[M_K0];
    d[D_V0] = p[M_V0];
    d[D_RTH] = p[M_RTH];
    d[D_TAU] = p[M_TAU];
    d[D_T0] = t0;
    d[D_SPAN] = m->st->hi[1] - t0;
    m->st->cth[1] = p[M_TAU] / p[M_RTH];   /* Cth = tau_th/rth: the heat capacity on a thermal terminal */
}

/* S(d) = d / (1 + (d/span)^16)^(1/16) and dS/dd = (1 + (d/span)^16)^(-17/16),
 * d >= 0, written so that no power overflows: for r = d/span > 1,
 * S = span / (1 + r^-16)^(1/16) */
static double saturate(double d, double span, double *ds)
{
    double r = d / span, q = r <= 1 ? r : 1 / r;
    double q2 = q * q, q4 = q2 * q2, q8 = q4 * q4, b = 1 + q8 * q8;
    double root = pow(b, 0.0625);
    if (r <= 1) {
        *ds = 1 / (root * b);
        return d / root;
    }
    /* (1 + r^16)^(-17/16) = q^17 (1 + q^16)^(-17/16) */
    *ds = q8 * q8 * q / (root * b);
    return span / root;
}

static void kim_eval(const MemInst *m, double v, const double *x, MemEval *e)
{
    const double *d = m->mp;
    double w = x[0], t = x[1];
    double g = d[D_GOFF] + d[D_DG] * w;
    e->i = g * v;
    e->di_dv = g;
    e->di_dx[0] = d[D_DG] * v;

    /* thermally activated ion motion (Kim 2015): the Arrhenius factor
     * k0 exp(-ea/(kB T)); T >= lo > 0 here, the exponent is negative, so
     * it is at most k0 */
    double arr = d[D_K0] * exp(-d[D_EAK] / t);
    double darr = arr * d[D_EAK] / (t * t);
    /* sinh(v/v0), its argument capped at 1e6 (|v| above 250 kV at the
     * default v0) so that no finite v overflows mem_sinh's linear tail */
    double a = v / d[D_V0], ds, s;
    if (fabs(a) <= 1e6) {
        s = mem_sinh(a, &ds);
        ds /= d[D_V0];
    } else {
        s = mem_sinh(a > 0 ? 1e6 : -1e6, NULL);
        ds = 0;
    }
    double f = v >= 0 ? 1 - w : w, df = v >= 0 ? -1 : 1;
    e->rate[0] = arr * s * f;
    e->drate_dv[0] = arr * ds * f;
    e->drate_dx[0][0] = arr * s * df;
    e->drate_dx[0][1] = darr * s * f;

    /* Joule heating and spontaneous cooling (Kim 2015): the steady rise
     * rth v i = rth G v^2 (saturated towards span), approached with
     * tau_th */
    double dsat, rise = saturate(d[D_RTH] * g * v * v, d[D_SPAN], &dsat);
    double k = dsat * d[D_RTH] / d[D_TAU];
    e->rate[1] = (rise - (t - d[D_T0])) / d[D_TAU];
    e->drate_dv[1] = k * 2 * g * v;
    e->drate_dx[1][0] = k * v * d[D_DG] * v; /* k = 0 where v^2 overflows */
    e->drate_dx[1][1] = -1 / d[D_TAU];
}

/* temp is the thermal state: with the optional terminal (YMEMRISTOR n+ n-
 * th model) it is that node's voltage, and its equation the node's heat
 * balance Cth dT/dt = S(rth v i)/rth - (T - T0)/rth (docs/devices/thermal.md) */
static const MemStateDesc kim_states[] = {{.name = "x", .hold_dc = 1}, {.name = "temp", .thermal = 1}};
static const MemFamily kim_family = {
    .ns = 2,
    .states = kim_states,
    .check = kim_check,
    .check_ambient = kim_check_ambient,
    .init = kim_init,
    .eval = kim_eval,
};

const DeviceType device_mem_kim = {
    MEM_FAMILY_FIELDS("memristor", "ymemristor", mem_model_types, mem_thermal_terms, 1, mem_thermal_dc_paths, 7,
                      "second-order memristor with filament temperature (Kim 2015): Arrhenius state rate, Joule "
                      "heating; optional thermal terminal",
                      kim_inst_params, kim_model_params, &kim_family, mem_load, MEM_NOUT),
};
