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

int main(int argc, char **argv)
{
    if (argc != 3 || atoi(argv[2]) < 1) {
        fprintf(stderr, "usage: gen_netlist ladder|ladder-sharp|grid|rgrid|invchain N\n");
        return 1;
    }
    int n = atoi(argv[2]);
    if (!strcmp(argv[1], "ladder")) ladder(n, "100n");
    else if (!strcmp(argv[1], "ladder-sharp")) ladder(n, "1n");
    else if (!strcmp(argv[1], "grid")) grid(n, 1);
    else if (!strcmp(argv[1], "rgrid")) grid(n, 0);
    else if (!strcmp(argv[1], "invchain")) invchain(n);
    else {
        fprintf(stderr, "gen_netlist: unknown kind '%s'\n", argv[1]);
        return 1;
    }
    return 0;
}
