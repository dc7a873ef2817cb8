/* Benchmark netlist generator: writes a SPICE netlist that ngspice and
 * memspice both read, to stdout.
 *
 *   gen_netlist ladder N     RC ladder of N sections (R 10 ohm, C 1 pF),
 *                            pulsed input (100 ns edges), .tran 10n 20u
 *   gen_netlist grid N       sqrt(N) x sqrt(N) resistor grid (100 ohm) with
 *                            10 fF to ground at every node, a pulsed corner
 *                            and a grounded opposite corner, .tran 1n 1u
 *   gen_netlist rgrid N      sqrt(N) x sqrt(N) resistor grid, .op
 *   gen_netlist ladder-sharp N   the ladder with 1 ns edges
 *   gen_netlist invchain N   chain of N CMOS inverters (MOSFET level 1 with
 *                            overlap and junction capacitances, 10 fF load
 *                            per stage), one 0.1 ns input edge, .tran 0.1n
 *                            long enough for the edge to reach the end
 *   gen_netlist crossbar N   sqrt(N) x sqrt(N) passive crossbar (N = 1024:
 *                            32 x 32): a native linear-drift memristor
 *                            (YMEMRISTOR, Joglekar window) at every
 *                            crossing, 2 ohm wire segments between
 *                            neighbouring cells, rows driven at one end
 *                            (every 4th by a pulse, the rest held at 0 V),
 *                            columns grounded at the far end, .tran 10n 10u;
 *                            memspice only
 *   gen_netlist crossbar-ngspice N   the same circuit with each memristor
 *                            written as a behavioural subcircuit (B
 *                            sources, 1 F state capacitor, the same
 *                            equations and initial states; .ic holds the
 *                            states in the operating point), for ngspice
 *                            (memspice runs it too)
 *   gen_netlist ykbar N      sqrt(N) x sqrt(N) Yakopcic crossbar written
 *                            with .crossbar (issue 12's large-array case:
 *                            2 ohm segments, .tran 2u 2m); ykbar-ngspice
 *                            the same circuit written out with behavioural
 *                            subcircuits, for ngspice
 *   gen_netlist lif N        N leaky integrate-and-fire neurons
 *                            (netlists/neurons/lif.cir: 2 us pulses every
 *                            5 us through 10k into 2 nF, 500k leak, a native
 *                            threshold switch YTHRESHOLD into 100 ohm),
 *                            neuron k driven at 3 + 3k/N V (different
 *                            rates), .tran 10n 200u; memspice only
 *   gen_netlist lif-ngspice N   the same with each threshold switch a
 *                            behavioural subcircuit (the same equations,
 *                            snap-back gates, state on a 1 F capacitor)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ladder(int n, const char *edge)
{
    printf("RC ladder, %d sections\n", n);
    printf("V1 n0 0 PULSE(0 1 %s %s %s 5u 10u)\n", edge, edge, edge);
    for (int i = 1; i <= n; i++) printf("R%d n%d n%d 10\nC%d n%d 0 1p\n", i, i - 1, i, i, i);
    printf(".tran 10n 20u\n.save");
    int probes[] = {1, 10, 100, 1000, 5000};
    for (int k = 0; k < 5; k++)
        if (probes[k] <= n) printf(" v(n%d)", probes[k]);
    printf(" i(v1)\n.end\n");
}

static void grid(int n, int with_c)
{
    int side = (int)sqrt((double)n);
    printf("%s grid %dx%d\n", with_c ? "RC" : "resistor", side, side);
    for (int r = 0; r < side; r++)
        for (int c = 0; c < side; c++) {
            if (c + 1 < side) printf("RH%d_%d g%d_%d g%d_%d 100\n", r, c, r, c, r, c + 1);
            if (r + 1 < side) printf("RV%d_%d g%d_%d g%d_%d 100\n", r, c, r, c, r + 1, c);
            if (with_c) printf("C%d_%d g%d_%d 0 10f\n", r, c, r, c);
        }
    if (with_c) {
        printf("V1 in 0 PULSE(0 1 10n 10n 10n 400n 1u)\nRS in g0_0 10\n");
        printf("RL g%d_%d 0 10\n", side - 1, side - 1);
        printf(".tran 1n 1u\n.save v(g0_0) v(g%d_%d) v(g%d_%d) i(v1)\n", side / 2, side / 2, side - 1, side - 1);
    } else {
        printf("V1 in 0 1\nRS in g0_0 1\nRL g%d_%d 0 1\n.op\n", side - 1, side - 1);
    }
    printf(".end\n");
}

/* per-stage delay of this inverter is about 0.1 ns (0.09 rising, 0.1
 * falling): the run lasts 2 ns + 0.15 ns per stage */
static void invchain(int n)
{
    printf("CMOS inverter chain, %d stages\n", n);
    printf(".model nm nmos level=1 vto=0.7 kp=110u gamma=0.4 lambda=0.04 phi=0.7 cgso=0.3n cgdo=0.3n "
           "cbd=5f cbs=5f\n");
    printf(".model pm pmos level=1 vto=-0.7 kp=50u gamma=0.57 lambda=0.05 phi=0.8 cgso=0.3n cgdo=0.3n "
           "cbd=5f cbs=5f\n");
    printf("Vdd vdd 0 3.3\nVin n0 0 PULSE(0 3.3 1n 0.1n 0.1n 1 2)\n");
    for (int i = 1; i <= n; i++)
        printf("MN%d n%d n%d 0 0 nm w=2u l=1u\nMP%d n%d n%d vdd vdd pm w=5u l=1u\nC%d n%d 0 10f\n", i, i, i - 1,
               i, i, i - 1, i, i);
    printf(".tran 0.1n %gn\n.save v(n1)", 2 + 0.15 * n);
    int probes[] = {n / 4, n / 2, n - 1, n};
    for (int k = 0; k < 4; k++)
        if (probes[k] > 1 && (k == 0 || probes[k] != probes[k - 1])) printf(" v(n%d)", probes[k]);
    printf(" i(vdd)\n.end\n");
}

/* Crossbar: cell (r, c) is a memristor from row node xr<r>_<c> to column
 * node xc<r>_<c>. Row r: source vr<r> at node xin<r>, 2 ohm segments
 * xin<r> - xr<r>_0 - xr<r>_1 - ... - xr<r>_<side-1>. Column c: 2 ohm
 * segments xc0_<c> - xc1_<c> - ... - xc<side-1>_<c> - ground. Every 4th row
 * is pulsed (alternately +3.5 V and -3.5 V, 1.5 us wide with 0.1 us edges,
 * every 5 us, the first at 0.5 us, 1 us, 1.5 us, ... on successive pulsed
 * rows); the other rows are held at 0 V by their sources. A positive row
 * pulse drives current from row to column through the cells: x rises
 * (towards ron). Initial states:
 * a fixed pattern of 0.2, 0.35, 0.5, 0.65, 0.8. Device parameters
 * (k = uv ron / d^2 = 4e8 /(A s)) move a driven cell's state by tenths
 * within one pulse. */
#define XB_MODEL_PARAMS "ron=100 roff=16k d=5n uv=1e-10 p=1"

static double xb_xo(int r, int c)
{
    return 0.2 + 0.15 * ((3 * r + 7 * c) % 5);
}

/* the cells whose state is saved (and compared) */
static int xb_probes(int side, int (*cell)[2])
{
    int n = 0, last = side - 1, mid = side / 2;
    int want[][2] = {{0, 0}, {0, last}, {4, mid}, {8, 0}, {last - last % 4, last}};
    for (int k = 0; k < 5; k++) {
        int dup = want[k][0] >= side || want[k][1] >= side;
        for (int j = 0; j < n && !dup; j++) dup = cell[j][0] == want[k][0] && cell[j][1] == want[k][1];
        if (dup) continue;
        cell[n][0] = want[k][0];
        cell[n][1] = want[k][1];
        n++;
    }
    return n;
}

static void crossbar(int n, int ngspice)
{
    int side = (int)sqrt((double)n);
    if (side < 2) side = 2;
    printf("memristor crossbar %dx%d (%s)\n", side, side, ngspice ? "behavioural subcircuits" : "native memristors");
    if (ngspice) {
        /* exactly the native model's equations (src/devices/mem_lineardrift.c,
         * level=1 window=1): R(x) = roff + (ron - roff) x, i = v/R(x),
         * dx/dt = uv ron/d^2 * i * (1 - (2x - 1)^(2p)); x on a 1 F capacitor.
         * ic= is for memspice, which then holds the node in the operating
         * point and can run this netlist too; ngspice ignores ic= without
         * uic and holds the node by the .ic lines below */
        printf(".subckt memr plus minus params: xo=0.5 " XB_MODEL_PARAMS "\n"
               "Bi plus minus I={v(plus,minus)/(roff+(ron-roff)*v(s))}\n"
               "Bx 0 s I={uv*ron/(d*d)*v(plus,minus)/(roff+(ron-roff)*v(s))*(1-(2*v(s)-1)^(2*p))}\n"
               "Cs s 0 1 ic={xo}\n"
               ".ends\n");
    } else {
        printf(".model mm memristor level=1 " XB_MODEL_PARAMS " window=1\n");
    }
    for (int r = 0; r < side; r++) {
        if (r % 4 == 0) {
            int k = r / 4;
            printf("Vr%d xin%d 0 PULSE(0 %s %gu 0.1u 0.1u 1.5u 5u)\n", r, r, k % 2 ? "-3.5" : "3.5", 0.5 + 0.5 * (k % 8));
        } else {
            printf("Vr%d xin%d 0 0\n", r, r);
        }
        printf("Rr%d_0 xin%d xr%d_0 2\n", r, r, r);
        for (int c = 0; c + 1 < side; c++) printf("Rr%d_%d xr%d_%d xr%d_%d 2\n", r, c + 1, r, c, r, c + 1);
    }
    for (int c = 0; c < side; c++) {
        for (int r = 0; r + 1 < side; r++) printf("Rc%d_%d xc%d_%d xc%d_%d 2\n", r, c, r, c, r + 1, c);
        printf("Rc%d_%d xc%d_%d 0 2\n", side - 1, c, side - 1, c);
    }
    for (int r = 0; r < side; r++)
        for (int c = 0; c < side; c++) {
            if (ngspice) printf("Xm%d_%d xr%d_%d xc%d_%d memr xo=%g\n", r, c, r, c, r, c, xb_xo(r, c));
            else printf("YMEMRISTOR m%d_%d xr%d_%d xc%d_%d mm xo=%g\n", r, c, r, c, r, c, xb_xo(r, c));
        }
    if (ngspice) {
        /* the native state is memory: the operating point keeps x = xo;
         * .ic holds the capacitor nodes there (1e10 S, released for the
         * transient) */
        for (int r = 0; r < side; r++) {
            printf(".ic");
            for (int c = 0; c < side; c++) printf(" v(xm%d_%d.s)=%g", r, c, xb_xo(r, c));
            printf("\n");
        }
    }
    int last = side - 1, cell[5][2], np = xb_probes(side, cell);
    printf(".tran 10n 10u\n.save v(xr0_0) v(xr0_%d) v(xc0_%d) v(xc%d_0) v(xr%d_%d)", last, last, last, side / 2,
           side / 2);
    for (int r = 0; r < side; r += 4) printf(" i(vr%d)", r);
    for (int k = 0; k < np; k++) {
        if (ngspice) printf(" v(xm%d_%d.s)", cell[k][0], cell[k][1]);
        else printf(" x(ymemristor!m%d_%d)", cell[k][0], cell[k][1]);
    }
    printf("\n");
    /* how bench/run.sh pairs the state columns of the two raw files */
    if (!ngspice) {
        printf("* rawcmp: --alias ");
        for (int k = 0; k < np; k++)
            printf("%sx(ymemristor!m%d_%d)=v(xm%d_%d.s)", k ? "," : "", cell[k][0], cell[k][1], cell[k][0],
                   cell[k][1]);
        printf("\n");
    }
    printf(".end\n");
}

/* threshold switch parameters of netlists/neurons/lif.cir */
#define TS_PARAMS "vth=1 vhold=0.3 vthn=-1 vholdn=-0.3 ron=500 roff=10meg ton=10n toff=100n dvs=1m dvr=1m a=2 ds=0.05 dr=0.5"

static void spike_meas(int n, const char *val, const char *dir);

static void lif(int n, int ngspice)
{
    printf("%d LIF neurons with threshold switches (%s)\n", n, ngspice ? "behavioural subcircuits" : "native");
    if (ngspice) {
        /* docs/devices/threshold.md, snap=1, ronn = ron (no polarity blend) */
        printf(".subckt ts p n params: " TS_PARAMS "\n"
               "Bi p n I={v(p,n)*(v(s)/ron+1/roff)}\n"
               "Bx 0 s I={1/(1+exp(-((v(p,n)-(vth-v(s)*(vth-vhold)))*(v(p,n)-(vthn-v(s)*(vthn-vholdn)))"
               "/(dvs*(vth-vthn)))))*((1-exp(-(a*v(s)+ds)))*(1-v(s))+(1-exp(-a*(1-v(s))))*v(s))/ton"
               "-(1-1/(1+exp(-((v(p,n)-(vth-v(s)*(vth-vhold)))*(v(p,n)-(vthn-v(s)*(vthn-vholdn)))"
               "/(dvs*(vth-vthn))))))*(1-1/(1+exp(-((v(s)*v(p,n)-vhold)*(v(s)*v(p,n)-vholdn)"
               "/(dvr*(vhold-vholdn))))))*((1-exp(-a*v(s)))*(1-v(s))+(1-exp(-(a*(1-v(s))+dr)))*v(s))/toff}\n"
               "Cs s 0 1\n"
               ".ends\n");
    } else {
        printf(".model nbox threshold vth=1 vhold=0.3 ron=500 roff=10meg tau_on=10n tau_off=100n dvs=1m dvr=1m\n");
    }
    for (int k = 0; k < n; k++) {
        printf("Vp%d in%d 0 PULSE(0 %g 1u 10n 10n 2u 5u)\nRin%d in%d mem%d 10k\nCm%d mem%d 0 2n\n"
               "Rleak%d mem%d 0 500k\nRout%d out%d 0 100\n",
               k, k, 3 + 3.0 * k / n, k, k, k, k, k, k, k, k, k);
        if (ngspice) printf("Xs%d mem%d out%d ts\n", k, k, k);
        else printf("YTHRESHOLD s%d mem%d out%d nbox\n", k, k, k);
    }
    if (ngspice) {
        printf(".ic");
        for (int k = 0; k < n; k++) printf(" v(xs%d.s)=0", k);
        printf("\n");
    }
    printf(".tran 10n 200u\n.save");
    for (int k = 0; k < n; k += (n > 4 ? n / 4 : 1)) printf(" v(mem%d) v(out%d)", k, k);
    printf("\n");
    spike_meas(n, "0.05", "RISE");
    printf(".end\n");
}

/* spike times measured for the neuron cases: the first and the fifth
 * falling (VO2) or rising (Mott) crossing of v(out<k>) for neurons 0,
 * n/2 and n-1 (bench/neurons.sh compares them) */
static void spike_meas(int n, const char *val, const char *dir)
{
    int ks[3] = {0, n / 2, n - 1};
    for (int j = 0; j < 3; j++) {
        if (j > 0 && ks[j] == ks[j - 1]) continue;
        printf(".meas tran t1_%d WHEN v(out%d)=%s %s=1\n", ks[j], ks[j], val, dir);
        printf(".meas tran t5_%d WHEN v(out%d)=%s %s=5\n", ks[j], ks[j], val, dir);
    }
}

/* VO2 thermal neuristors (Zhang/Qiu/Di Ventra values, models/vo2.lib,
 * without the hysteresis memory (hyst=0: the heating branch, a plain tanh
 * transition centred at tc + w/2, which a behavioural source can express), neuron k driven at 12 + 1.8 k/n V,
 * neighbours coupled by 20 kK/W between their thermal nodes (the chain of
 * netlists/neurons/vo2_chain.cir, n long). ngspice: each device as a
 * B-source current and a B-source heat flow into a thermal node with its
 * heat capacity and conductance to the 325 K ambient. */
#define VO2_P "tc=332.805839 beta=0.252796285 r0=5.35882879e-3 ea=5220.47417 rm=1286.3165"
static void vo2chain(int n, int ngspice)
{
    printf("%d thermally coupled VO2 neuristors (%s)\n", n, ngspice ? "behavioural" : "native");
    if (ngspice)
        printf(".param " VO2_P " w=7.19357064 cth=4.962776831e-11 sth=2.0558726e-4\n"
               ".func rv(t) {r0*exp(ea/min(max(t,305),370))*(0.5+0.5*tanh(beta*(w/2+tc-min(max(t,305),370))))+rm}\n"
               "Vamb amb 0 325\n");
    else
        printf(".model vm vo2 hyst=0 w=7.19357064 " VO2_P " gamma=0.956269682 cth=4.962776831e-11 sth=2.0558726e-4 "
               "t_amb=325\n");
    for (int k = 0; k < n; k++) {
        printf("V%d in%d 0 %.6g\nRL%d in%d out%d 12k\nC%d out%d 0 145.34619293p\n", k, k, 12 + 1.8 * k / n, k, k, k,
               k, k);
        if (ngspice)
            printf("Bd%d out%d 0 I={v(out%d)/rv(v(th%d))}\nBh%d 0 th%d I={v(out%d)*v(out%d)/rv(v(th%d))}\n"
                   "Cth%d th%d 0 {cth}\nRa%d th%d amb {1/sth}\n",
                   k, k, k, k, k, k, k, k, k, k, k, k, k);
        else printf("YVO2 d%d out%d 0 th%d vm\n", k, k, k);
        if (k > 0) printf("Rth%d th%d th%d 20k\n", k, k - 1, k);
    }
    printf(".ic");
    for (int k = 0; k < n; k++) printf(" v(out%d)=0 v(th%d)=325", k, k);
    printf("\n.tran 10n 30u uic\n.save");
    for (int k = 0; k < n; k += (n > 4 ? n / 4 : 1)) printf(" v(out%d)", k);
    printf("\n");
    spike_meas(n, "5", "FALL");
    printf(".end\n");
}

/* Mott neuristors (netlists/neurons/neuristor.cir, YMOTT level 1 with the
 * reconstructed defaults), neuron k under a sustained input of
 * 0.5 + 0.4 k/n V (tonic spiking). ngspice: each device as a B-source
 * current and its metallic fraction on a 1 F node driven by a B source
 * (the same equations, docs/devices/mott.md), read clamped to [0, 1] as
 * memspice reads a state outside its bounds (without the clamp ngspice's
 * trapezoidal steps carry w past the window's pole at 1 + eps). */
static void neuristor(int n, int ngspice)
{
    printf("%d Mott neuristors (%s)\n", n, ngspice ? "behavioural" : "native");
    if (ngspice) {
        const double pi = 3.14159265358979323846, a = pi * 15e-9 * 15e-9, dt = 1081 - 300.15;
        printf(".param gi=%.17g gm=%.17g pth=%.17g cu=%.17g ps=%.17g\n", a / (1e-3 * 20e-9), a / (3e-5 * 20e-9),
               4.5e-8 * dt, a * 20e-9 * (1.6e8 + 2.7e6 * dt), 1e-3 * 4.5e-8 * dt);
        printf(".func mg(v,w) {v*v*(gi+(gm-gi)*w)-pth}\n"
               ".func wr(v,w) {((sqrt(mg(v,w)*mg(v,w)+ps*ps)+mg(v,w))/2*(1-w)/(1-w+1e-3)"
               "-(sqrt(mg(v,w)*mg(v,w)+ps*ps)-mg(v,w))/2*w/(w+1e-3))/cu}\n"
               ".subckt mott p q\n"
               "Bi p q I={v(p,q)*(gi+(gm-gi)*min(max(v(w),0),1))}\n"
               "Bw 0 w I={wr(v(p,q),min(max(v(w),0),1))}\n"
               "Cw w 0 1\n"
               ".ends\n");
    }
    else printf(".model mp mott level=1\n");
    for (int k = 0; k < n; k++) {
        printf("Vin%d in%d 0 PULSE(0 %.6g 1u 10n 10n 1 2)\nR1_%d in%d n%d 20k\nC1_%d n%d 0 100p\n"
               "Vdc1_%d e1_%d 0 -0.9\nR2_%d n%d out%d 10k\nC2_%d out%d 0 20p\nVdc2_%d e2_%d 0 0.9\n"
               "Rl%d out%d 0 1meg\n",
               k, k, 0.5 + 0.4 * k / n, k, k, k, k, k, k, k, k, k, k, k, k, k, k, k, k);
        if (ngspice) printf("Xm1_%d n%d e1_%d mott\nXm2_%d out%d e2_%d mott\n", k, k, k, k, k, k);
        else printf("YMOTT m1_%d n%d e1_%d mp\nYMOTT m2_%d out%d e2_%d mp\n", k, k, k, k, k, k);
    }
    /* both start from rest with uic: ngspice's operating point fails on
     * the clamped state (a flat region at w = 0) */
    printf(".ic");
    for (int k = 0; k < n; k++) {
        printf(" v(n%d)=0 v(out%d)=0", k, k);
        if (ngspice) printf(" v(xm1_%d.w)=0 v(xm2_%d.w)=0", k, k);
    }
    /* ngspice: the trapezoidal rule rings on the fast metallic fraction
     * (t5 1.5% off); gear agrees with memspice to 0.1% */
    printf("\n%s.tran 5n 20u uic\n.save", ngspice ? ".options method=gear\n" : "");
    for (int k = 0; k < n; k += (n > 4 ? n / 4 : 1)) printf(" v(out%d)", k);
    printf("\n");
    spike_meas(n, "0.5", "RISE");
    printf(".end\n");
}

/* The issue-12 crossbar: side x side Yakopcic cells (Xyce level 3
 * parameters), 2 ohm segments, every 4th row pulsed (+-0.5 V alternately,
 * 300 us wide with 10 us edges, every 1 ms, delays 0, 50, ..., 350 us on
 * successive pulsed rows), the other rows at 0 V, every column's bottom
 * end at 0 V through a source, .tran 2u 2m (1000 output points), a few
 * signals saved. memspice: one .crossbar line; ngspice: the same circuit
 * written out (the same node names), each cell a behavioural subcircuit
 * with the same equations (src/devices/mem_yakopcic.c), its state on a
 * 1 F capacitor held by .ic in the operating point. */
#define YK_PARAMS "a1=0.17 a2=0.17 b=0.05 vp=0.16 vn=0.15 ap=4000 an=4000 xp=0.3 xn=0.5 alphap=1 alphan=5 eta=1"

static void ykbar(int n, int ngspice)
{
    int side = (int)sqrt((double)n);
    if (side < 2) side = 2;
    int mid = side / 2, last = side - 1;
    printf("Yakopcic crossbar %dx%d (%s)\n", side, side, ngspice ? "behavioural subcircuits" : ".crossbar");
    if (ngspice) {
        printf(".param " YK_PARAMS "\n"
               ".subckt ykm p n params: xo=0.11\n"
               "Bi p n I={(v(p,n) >= 0 ? a1 : a2)*v(x)*sinh(b*v(p,n))}\n"
               "Bx 0 x I={eta*(v(p,n) > vp ? ap*(exp(v(p,n))-exp(vp)) : v(p,n) < -vn ? -an*(exp(-v(p,n))-exp(vn)) : 0)"
               "*(eta*v(p,n) > 0 ? (v(x) >= xp ? exp(-alphap*(v(x)-xp))*((xp-v(x))/(1-xp)+1) : 1)"
               " : (v(x) <= 1-xn ? exp(alphan*(v(x)+xn-1))*(v(x)/(1-xn)) : 1))}\n"
               "Cx x 0 1 ic={xo}\n"
               ".ends\n");
        for (int r = 0; r < side; r++) {
            printf("Rrow%d_0 xb.rl%d xb.r%d_0 2\n", r, r, r);
            for (int c = 1; c < side; c++) printf("Rrow%d_%d xb.r%d_%d xb.r%d_%d 2\n", r, c, r, c - 1, r, c);
            printf("Rrow%d_%d xb.r%d_%d xb.rr%d 2\n", r, side, r, last, r);
        }
        for (int c = 0; c < side; c++) {
            printf("Rcol0_%d xb.ct%d xb.c0_%d 2\n", c, c, c);
            for (int r = 1; r < side; r++) printf("Rcol%d_%d xb.c%d_%d xb.c%d_%d 2\n", r, c, r - 1, c, r, c);
            printf("Rcol%d_%d xb.c%d_%d xb.cb%d 2\n", side, c, last, c, c);
        }
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++) printf("Xm%d_%d xb.r%d_%d xb.c%d_%d ykm\n", r, c, r, c, r, c);
        for (int r = 0; r < side; r++) {
            printf(".ic");
            for (int c = 0; c < side; c++) printf(" v(xm%d_%d.x)=0.11", r, c);
            printf("\n");
        }
    } else {
        printf(".model yk memristor level=3 " YK_PARAMS "\n");
        printf(".crossbar xb rows=%d cols=%d model=yk rrow=2 rcol=2 xo=0.11\n", side, side);
    }
    for (int r = 0; r < side; r++) {
        if (r % 4 == 0) {
            int k = r / 4;
            printf("Vr%d xb.rl%d 0 PULSE(0 %s %du 10u 10u 300u 1m)\n", r, r, k % 2 ? "-0.5" : "0.5", 50 * (k % 8));
        } else {
            printf("Vr%d xb.rl%d 0 0\n", r, r);
        }
    }
    for (int c = 0; c < side; c++) printf("Vc%d xb.cb%d 0 0\n", c, c);
    printf(".tran 2u 2m\n.save v(xb.r0_0) v(xb.r%d_%d) v(xb.c%d_0) i(vr0) i(vr4) i(vc0) i(vc%d)", mid, mid, last, last);
    int probes[3][2] = {{0, 0}, {mid, mid}, {4, last}};
    for (int k = 0; k < 3; k++) {
        if (ngspice) printf(" v(xm%d_%d.x)", probes[k][0], probes[k][1]);
        else printf(" x(ymemristor!xb.m%d_%d)", probes[k][0], probes[k][1]);
    }
    printf("\n");
    if (!ngspice) {
        printf("* rawcmp: --alias ");
        for (int k = 0; k < 3; k++)
            printf("%sx(ymemristor!xb.m%d_%d)=v(xm%d_%d.x)", k ? "," : "", probes[k][0], probes[k][1], probes[k][0],
                   probes[k][1]);
        printf("\n");
    }
    printf(".end\n");
}

int main(int argc, char **argv)
{
    if (argc != 3 || atoi(argv[2]) < 1) {
        fprintf(stderr, "usage: gen_netlist ladder|ladder-sharp|grid|rgrid|invchain|crossbar|crossbar-ngspice|ykbar|ykbar-ngspice|lif|lif-ngspice|"
                        "vo2chain|vo2chain-ngspice|neuristor|neuristor-ngspice N\n");
        return 1;
    }
    int n = atoi(argv[2]);
    if (!strcmp(argv[1], "ladder")) ladder(n, "100n");
    else if (!strcmp(argv[1], "ladder-sharp")) ladder(n, "1n");
    else if (!strcmp(argv[1], "grid")) grid(n, 1);
    else if (!strcmp(argv[1], "rgrid")) grid(n, 0);
    else if (!strcmp(argv[1], "invchain")) invchain(n);
    else if (!strcmp(argv[1], "crossbar")) crossbar(n, 0);
    else if (!strcmp(argv[1], "crossbar-ngspice")) crossbar(n, 1);
    else if (!strcmp(argv[1], "ykbar")) ykbar(n, 0);
    else if (!strcmp(argv[1], "ykbar-ngspice")) ykbar(n, 1);
    else if (!strcmp(argv[1], "lif")) lif(n, 0);
    else if (!strcmp(argv[1], "lif-ngspice")) lif(n, 1);
    else if (!strcmp(argv[1], "vo2chain")) vo2chain(n, 0);
    else if (!strcmp(argv[1], "vo2chain-ngspice")) vo2chain(n, 1);
    else if (!strcmp(argv[1], "neuristor")) neuristor(n, 0);
    else if (!strcmp(argv[1], "neuristor-ngspice")) neuristor(n, 1);
    else {
        fprintf(stderr, "gen_netlist: unknown kind '%s'\n", argv[1]);
        return 1;
    }
    return 0;
}
