#!/usr/bin/env bash
# STDP (spike-timing-dependent plasticity) of two memristor models, each one
# netlist with .step over the spike timing dt and .meas of the weight change:
#   stdp_yakopcic.meas.csv  dt, i_before, i_after, dw   (kept in the repository)
#   stdp_kim.meas.csv       the same for the thermal second-order memristor
#   stdp.png                dW% vs dt for both
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
[ -x "$ms" ] || make -C ../.. -s all
mkdir -p out
for n in stdp_yakopcic stdp_kim; do
  "$ms" -q -r "out/$n.raw" "$n.cir" > "out/$n.txt"
  cp "out/$n.meas.csv" "$n.meas.csv"
done
# the extremes of each curve
for n in stdp_yakopcic stdp_kim; do
  awk -F, -v n="$n" 'NR > 1 { if ($4 > mx) { mx = $4; tx = $1 } if ($4 < mn) { mn = $4; tn = $1 } }
    END { printf "%-14s largest potentiation %+.3g%% at dt=%g s, largest depression %+.3g%% at dt=%g s\n", n, mx, tx, mn, tn }' "$n.meas.csv"
done
gnuplot plot.gp
echo "wrote $(pwd)/stdp_yakopcic.meas.csv, stdp_kim.meas.csv and stdp.png"
