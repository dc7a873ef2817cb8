#!/usr/bin/env bash
# Runs the ring oscillator, measures its period and plots it:
# out/ring_oscillator.{raw,csv,png}
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
mkdir -p out
"$ms" -q -r out/ring_oscillator.raw --csv out/ring_oscillator.csv ring_oscillator.cir
# Period: mean time between rising crossings of vdd/2 at v(n1), after the
# start-up (t > 2 ns); each crossing time is interpolated linearly between
# the two points around it.
period=$(awk -F, -v node='v(n1)' -v half=1.65 -v tskip=2e-9 '
  NR == 1 { for (i = 1; i <= NF; i++) if ($i == node) col = i
            if (!col) { print "no column " node > "/dev/stderr"; exit 1 }; next }
  { t = $1 + 0; v = $col + 0
    if (NR > 2 && t > tskip && pv < half && v >= half) {
      tc = pt + (half - pv) * (t - pt) / (v - pv)
      if (n == 0) first = tc
      last = tc; n++
    }
    pt = t; pv = v }
  END { if (n < 2) { print "fewer than two crossings of " half " V" > "/dev/stderr"; exit 1 }
        printf "%.4f %d\n", (last - first) / (n - 1) * 1e9, n - 1 }' out/ring_oscillator.csv)
set -- $period
gnuplot -e "period_ns=$1" plot.gp
echo "ring period $1 ns ($2 cycles of v(n1) after 2 ns); wrote $(pwd)/out/ring_oscillator.png"
