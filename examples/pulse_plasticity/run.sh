#!/usr/bin/env bash
# Pulse-train plasticity of a native Yakopcic memristor (TCAD 2013 parameter
# set, models/memristors.lib): 20 positive program pulses (potentiation) then
# 20 negative ones (depression), each followed by a small read pulse (50 mV,
# below both thresholds, so reading does not disturb the state). The
# conductance G = i/v at the end of every read pulse, for three amplitudes
# (width 20 us) and three widths (amplitude 0.5 V):
#   out/plasticity.csv   series,amplitude_V,width_s,pulse,polarity,G_S
#   out/plasticity.png
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
mkdir -p out
N=20 PER=200e-6 TR=1e-6 RW=10e-6 GAP=50e-6 VR=0.05
echo "series,amplitude_V,width_s,pulse,polarity,G_S" > out/plasticity.csv
run() {   # $1 series name, $2 amplitude, $3 width
  local tag="$1_$2_$3"
  # PWL of the whole sequence and the read times (exact PWL corners, so
  # each is a simulated time point)
  awk -v n=$N -v per=$PER -v tr=$TR -v a="$2" -v w="$3" -v rw=$RW -v gap=$GAP -v vr=$VR \
      -v pwl="out/$tag.pwl" -v rd="out/$tag.reads" 'BEGIN {
    printf "0 0" > pwl
    for (k = 0; k < 2 * n; k++) {
      p = k < n ? a : -a; t0 = k * per + 10e-6
      printf " %.9g 0 %.9g %g %.9g %g %.9g 0", t0, t0 + tr, p, t0 + tr + w, p, t0 + 2 * tr + w >> pwl
      r0 = t0 + 2 * tr + w + gap
      printf " %.9g 0 %.9g %g %.9g %g %.9g 0", r0, r0 + tr, vr, r0 + tr + rw, vr, r0 + 2 * tr + rw >> pwl
      printf "%d %d %.9g\n", k + 1, (k < n ? 1 : -1), r0 + tr + rw > rd
    }
    printf "%.9g", 2 * n * per > "out/tstop"
  }'
  cat > "out/$tag.cir" <<NET
Yakopcic memristor, pulse train: amplitude $2 V, width $3 s
.include "../../../models/memristors.lib"
V1 a 0 PWL($(cat "out/$tag.pwl"))
YMEMRISTOR m1 a 0 yakopcic_tcad2013 xo=0.11
.tran 1u $(cat out/tstop) 0 2u
.save v(a) i(ymemristor!m1) x(ymemristor!m1)
.end
NET
  "$ms" -q -r "out/$tag.raw" --csv "out/$tag.csv" "out/$tag.cir"
  # G at each read time: the CSV row at that time (the last one if the
  # corner is written twice)
  awk -F, -v s="$1" -v a="$2" -v w="$3" 'NR == FNR { split($0, f, " "); k[NR] = f[1]; pol[NR] = f[2]; t[NR] = f[3]; nr = NR; next }
    FNR > 1 { while (j < nr && $1 > t[j + 1] * (1 + 1e-9)) j++
              if (j < nr && $1 >= t[j + 1] * (1 - 1e-9)) { g[j + 1] = $3 / $2 } }
    END { for (m = 1; m <= nr; m++) printf "%s,%s,%s,%d,%d,%.9g\n", s, a, w, k[m], pol[m], g[m] }' \
    "out/$tag.reads" "out/$tag.csv" >> out/plasticity.csv
}
for a in 0.4 0.5 0.6; do run amplitude "$a" 20e-6; done
for w in 10e-6 20e-6 40e-6; do run width 0.5 "$w"; done
awk -F, 'NR > 1 && $4 == 1 { first[$1 FS $2 FS $3] = $6 } NR > 1 && $4 == 20 { top[$1 FS $2 FS $3] = $6 }
         NR > 1 && $4 == 40 { printf "%-9s A=%-4s w=%-6s G: %.3g S -> %.3g S (20 up) -> %.3g S (20 down)\n",
                              $1, $2, $3, first[$1 FS $2 FS $3], top[$1 FS $2 FS $3], $6 }' out/plasticity.csv
gnuplot plot.gp
echo "wrote $(pwd)/out/plasticity.csv and $(pwd)/out/plasticity.png"
