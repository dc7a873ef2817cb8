#!/usr/bin/env bash
# Neurons from volatile threshold devices: runs the netlists of
# netlists/neurons/ (a relaxation oscillator, a leaky integrate-and-fire
# neuron, the VO2 thermal neuristor, the Mott neuristor tonic and bursting,
# the Hodgkin-Huxley-like action potential, the diffusive nociceptor, VO2
# firing modes), writes their waveforms as CSV into
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
echo "== nociceptor (0.7, 1, 2 V)"
for v in 0.7 1 2; do
  "$ms" -q -r "out/noci_$v.raw" --csv "out/noci_$v.csv" --param vin=$v ../../netlists/neurons/nociceptor.cir
done
echo "== vo2_modes (tonic, phasic cin=1n, bursting c2=50p)"
"$ms" -q -r out/vo2_tonic.raw --csv out/vo2_tonic.csv ../../netlists/neurons/vo2_modes.cir
"$ms" -q -r out/vo2_phasic.raw --csv out/vo2_phasic.csv --param cin=1n ../../netlists/neurons/vo2_modes.cir
"$ms" -q -r out/vo2_burst.raw --csv out/vo2_burst.csv --param c2=50p ../../netlists/neurons/vo2_modes.cir
gnuplot plot.gp
echo "wrote $(pwd)/neurons.png"
