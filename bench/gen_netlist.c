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

int main(int argc, char **argv)
{
    if (argc != 3 || atoi(argv[2]) < 1) {
        fprintf(stderr, "usage: gen_netlist ladder|ladder-sharp|grid|rgrid N\n");
        return 1;
    }
    int n = atoi(argv[2]);
    if (!strcmp(argv[1], "ladder")) ladder(n, "100n");
    else if (!strcmp(argv[1], "ladder-sharp")) ladder(n, "1n");
    else if (!strcmp(argv[1], "grid")) grid(n, 1);
    else if (!strcmp(argv[1], "rgrid")) grid(n, 0);
    else {
        fprintf(stderr, "gen_netlist: unknown kind '%s'\n", argv[1]);
        return 1;
    }
    return 0;
}
