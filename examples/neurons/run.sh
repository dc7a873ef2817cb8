#!/usr/bin/env bash
# Neurons from volatile threshold devices: runs the netlists of
# netlists/neurons/ (a relaxation oscillator, a leaky integrate-and-fire
# neuron, the VO2 thermal neuristor, the Mott neuristor tonic and bursting,
# the Hodgkin-Huxley-like action potential), writes their waveforms as CSV into
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
echo "== neuristor (tonic, 0.9 V, and bursting, 1.5 V)"
"$ms" -q -r out/neuristor_tonic.raw --csv out/neuristor_tonic.csv --param vin=0.9 --param pw=20u --param tstop=20u \
  ../../netlists/neurons/neuristor.cir
"$ms" -q -r out/neuristor_burst.raw --csv out/neuristor_burst.csv --param vin=1.5 --param pw=20u --param tstop=20u \
  ../../netlists/neurons/neuristor.cir
echo "== hh"
"$ms" -q -r out/hh.raw --csv out/hh.csv ../../netlists/neurons/hh.cir
gnuplot plot.gp
echo "wrote $(pwd)/neurons.png"
