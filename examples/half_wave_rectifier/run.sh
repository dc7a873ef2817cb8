#!/usr/bin/env bash
# Runs the half-wave rectifier, measures the output ripple and plots it:
# out/rectifier.{raw,csv,png}
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
mkdir -p out
"$ms" -q -r out/rectifier.raw --csv out/rectifier.csv rectifier.cir
# Last cycle (t >= 80 ms): peak and ripple (max - min) of v(out); over the
# whole run: the largest diode current, -i(v1).
meas=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
            if (!col["v(out)"] || !col["i(v1)"]) { print "no v(out) or i(v1) column" > "/dev/stderr"; exit 1 }; next }
  { t = $1 + 0; v = $col["v(out)"] + 0; id = -$col["i(v1)"]
    if (t >= 0.08) { if (!n++) { hi = v; lo = v }; if (v > hi) hi = v; if (v < lo) lo = v }
    if (id > ipk) ipk = id }
  END { if (!n) exit 1; printf "%.2f %.2f %.0f\n", hi, hi - lo, ipk * 1e3 }' out/rectifier.csv)
set -- $meas
gnuplot -e "vpeak=$1; ripple=$2" plot.gp
echo "last cycle: v(out) peak $1 V, ripple $2 V; first diode pulse $3 mA; wrote $(pwd)/out/rectifier.png"
