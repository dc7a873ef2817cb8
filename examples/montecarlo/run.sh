#!/usr/bin/env bash
# Monte Carlo read of a 16x16 memristor crossbar with device-to-device
# variation of R_on and R_off (10% sigma): 200 runs (.step param run) of
# one netlist, the 16 column currents of each measured by .meas.
#   crossbar16_mc.meas.csv   run, i1..i16, imean (kept in the repository)
#   montecarlo.png           histogram of the 3200 column currents, with
#                            the current without variation marked
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
[ -x "$ms" ] || make -C ../.. -s all
mkdir -p out
"$ms" -q -r out/crossbar16_mc.raw crossbar16_mc.cir > out/crossbar16_mc.txt
cp out/crossbar16_mc.meas.csv crossbar16_mc.meas.csv
# the same netlist without variation (sig=0): every run gives the nominal current
nominal=$("$ms" -q --no-raw --param sig=0 crossbar16_mc.cir | awk '$1 == "imean" { print $3; exit }')
gnuplot -e "nominal=$nominal" plot.gp
echo "nominal column current $nominal A; wrote $(pwd)/crossbar16_mc.meas.csv and montecarlo.png"
