#!/usr/bin/env bash
# Pinched hysteresis of a native memristor at three drive frequencies:
# out/loops_<f>Hz.csv and out/memristor_loops.png (I-V loops; state x(t)).
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
mkdir -p out
for f in 1 5 25; do
  sed "s/FREQ/$f/" loops.cir > "out/loops_${f}Hz.cir"
  "$ms" -q -r "out/loops_${f}Hz.raw" --csv "out/loops_${f}Hz.csv" "out/loops_${f}Hz.cir"
done
# loop area (first period, |lobe 1| + |lobe 2| of the integral of i dv) per frequency
for f in 1 5 25; do
  awk -F, -v f="$f" 'NR > 2 { tm = ($1 + t) / 2; if (tm <= 1 / f) { k = (tm > 0.5 / f);
         a[k] += (($3 + i) / 2) * ($2 - v) } } NR > 1 { t = $1; v = $2; i = $3 }
       END { printf "%g Hz: loop area %.3g W\n", f, (a[0] < 0 ? -a[0] : a[0]) + (a[1] < 0 ? -a[1] : a[1]) }' \
    "out/loops_${f}Hz.csv"
done
gnuplot plot.gp
echo "wrote $(pwd)/out/memristor_loops.png"
