#!/usr/bin/env bash
# Runs the RLC example and plots it against the analytic solution: out/rlc.png
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
mkdir -p out
"$ms" -q -r out/rlc.raw --csv out/rlc.csv rlc.cir
gnuplot plot.gp
echo "wrote $(pwd)/out/rlc.png"
