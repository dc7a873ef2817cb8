#!/usr/bin/env bash
# Pulse-train plasticity of a native Yakopcic memristor (TCAD 2013 set):
# 20 positive program pulses then 20 negative ones, each followed by a 50 mV
# read pulse; the conductance after every pulse, for three amplitudes
# (pulse_amplitude.cir) and three widths (pulse_width.cir). Each study is
# one netlist: a TRAIN source with interleaved reads, .step over the
# amplitude or width, one .meas per read (plasticity.inc). Writes
#   out/pulse_amplitude.meas.csv, out/pulse_width.meas.csv
#       (the stepped value, g00 before the first pulse, g01..g40 after
#        each pulse, pot = g20/g00, dep = g40/g20)
#   plasticity.png
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
[ -x "$ms" ] || make -C ../.. -s all
mkdir -p out
for study in pulse_amplitude pulse_width; do
  "$ms" -q -r "out/$study.raw" "$study.cir" > "out/$study.txt"
done
grep -E "^(Measurements|g00|g20|g40|pot|dep) " out/pulse_amplitude.txt out/pulse_width.txt | sed 's/^out\///'
gnuplot plot.gp
echo "wrote $(pwd)/out/pulse_amplitude.meas.csv, out/pulse_width.meas.csv and plasticity.png"
