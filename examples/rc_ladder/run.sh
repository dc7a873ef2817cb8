#!/usr/bin/env bash
# Runs the RC-ladder example and plots it: out/rc_ladder.{raw,csv,png}
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
mkdir -p out
"$ms" -q -r out/rc_ladder.raw --csv out/rc_ladder.csv rc_ladder.cir
gnuplot plot.gp
echo "wrote $(pwd)/out/rc_ladder.png"
