#!/usr/bin/env bash
# The table-driven PEM memristor (level 4, docs/devices/mem_pem.md) driven
# by a 1.2 V sine at three frequencies: out/pem_<f>Hz.csv and pem_loops.png
# (I-V loops pinched at the origin, narrowing as the frequency rises; the
# state x(t)).
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
[ -x "$ms" ] || make -C ../.. -s all
mkdir -p out
cp pem_fxp.csv pem_fxm.csv out/
for f in 200 1000 5000; do
  sed "s/FREQ/$f/g" loops.cir > "out/pem_${f}Hz.cir"
  "$ms" -q --no-raw --csv "out/pem_${f}Hz.csv" "out/pem_${f}Hz.cir"
  awk -F, -v f="$f" 'NR > 1 { if ($4 > mx) mx = $4; if (mn == "" || $4 < mn) mn = $4 } END { printf "   %5d Hz: the state swings between %.3g and %.3g\n", f, mn, mx }' "out/pem_${f}Hz.csv"
done
gnuplot plot.gp
echo "wrote $(pwd)/pem_loops.png"
