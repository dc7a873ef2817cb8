#!/usr/bin/env bash
# Neurons from volatile threshold devices: runs the netlists of
# netlists/neurons/ (a relaxation oscillator, a leaky integrate-and-fire
# neuron, the VO2 thermal neuristor), writes their waveforms as CSV into
# out/, prints their .meas results and plots neurons.png.
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
[ -x "$ms" ] || make -C ../.. -s all
mkdir -p out
for n in oscillator lif vo2_neuristor; do
  echo "== $n"
  "$ms" -q -r "out/$n.raw" --csv "out/$n.csv" "../../netlists/neurons/$n.cir"
done
gnuplot plot.gp
echo "wrote $(pwd)/neurons.png"
