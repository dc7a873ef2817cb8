#!/usr/bin/env bash
# Crossbar studies with .crossbar (docs/crossbar.md); each point is one
# netlist like sneak_read.cir / vmm.cir, generated here with its size and
# parameters:
#   1. sneak_read.csv/png  reading one low-resistance cell of an NxN array
#      whose other cells are high-resistance: sense-current error vs N
#      (8 ... 128) and on/off ratio, with the unselected lines floating,
#      at V/2, or at V/3 (rows) and 2V/3 (columns)
#   2. ir_drop.csv/png     a vector-matrix multiply (all rows driven, all
#      columns at virtual ground): RMS error of the column currents against
#      the ideal I = G^T V, vs N and wire resistance per segment
# tests/unit/test_crossbar.c asserts the same trends on smaller arrays.
set -eu
cd "$(dirname "$0")"
ms=${MEMSPICE:-../../build/memspice}
[ -x "$ms" ] || make -C ../.. -s all
mkdir -p out

# op value of an unknown from memspice's operating-point listing
opval() { awk -v k="$1" '$1 == k { print $2 }'; }

# ---- 1. sneak paths
echo "N,ratio,floating,v2,v3" > sneak_read.csv
for ratio in 10 100 1000; do
  for n in 8 16 32 64 128; do
    s=$((n / 2))
    awk -v n=$n -v s=$s 'BEGIN { for (i = 0; i < n; i++) { l = ""; for (j = 0; j < n; j++) l = l (j ? ", " : "") ((i == s && j == s) ? 1 : 0); print l } }' > out/read_states.csv
    line="$n,$ratio"
    for scheme in float v2 v3; do
      {
        echo "read of cell ($s,$s), $scheme"
        echo ".model rm memristor level=1 ron=1k roff=$((ratio * 1000))"
        echo ".crossbar xb rows=$n cols=$n model=rm rrow=1 rcol=1 xo_file=read_states.csv"
        echo "Vsel xb.rl$s 0 0.2"
        echo "Vsense xb.cb$s 0 0"
        for ((i = 0; i < n; i++)); do
          [ $i -eq $s ] && continue
          case $scheme in
            v2) echo "Vr$i xb.rl$i 0 0.1"; echo "Vc$i xb.cb$i 0 0.1" ;;
            v3) echo "Vr$i xb.rl$i 0 {0.2/3}"; echo "Vc$i xb.cb$i 0 {0.4/3}" ;;
          esac
        done
        echo ".op"
        echo ".end"
      } > out/read.cir
      i=$("$ms" -q --no-raw out/read.cir | opval "i(vsense)")
      line="$line,$(awk -v i="$i" 'BEGIN { printf "%.6g", (i - 0.2/1000) / (0.2/1000) }')"
    done
    echo "$line" >> sneak_read.csv
  done
done

# ---- 2. IR drop in a vector-matrix multiply
echo "N,rwire,rms_error" > ir_drop.csv
for rw in 0.5 2 8; do
  for n in 8 16 32 64 128; do
    # states and inputs: a fixed pseudo-random pattern
    awk -v n=$n 'BEGIN { srand(7); for (i = 0; i < n; i++) { l = ""; for (j = 0; j < n; j++) l = l (j ? ", " : "") rand(); print l } }' > out/vmm_states.csv
    {
      echo "vector-matrix multiply ${n}x${n}, $rw ohm segments"
      echo ".model vm memristor level=1 ron=1k roff=100k"
      echo ".crossbar xb rows=$n cols=$n model=vm rrow=$rw rcol=$rw xo_file=vmm_states.csv"
      for ((i = 0; i < n; i++)); do echo "Vr$i xb.rl$i 0 $(awk -v i=$i -v n=$n 'BEGIN { printf "%.10g", 0.2 * ((i * 37 % n) + 0.5) / n }')"; done
      for ((j = 0; j < n; j++)); do echo "Vc$j xb.cb$j 0 0"; done
      echo ".op"
      echo ".end"
    } > out/vmm.cir
    "$ms" -q --no-raw out/vmm.cir > out/vmm.txt
    # the ideal currents from the same states and inputs
    err=$(awk -v n=$n -F'[, ]+' '
      FNR == NR { for (j = 1; j <= NF; j++) x[FNR - 1, j - 1] = $j; next }
      $1 ~ /^i\(vc/ { j = substr($1, 5) + 0; got[j] = $2 }
      END {
        for (j = 0; j < n; j++) {
          ideal = 0
          for (i = 0; i < n; i++) ideal += 0.2 * ((i * 37 % n) + 0.5) / n / (1000 * x[i, j] + 100000 * (1 - x[i, j]))
          se += (got[j] - ideal)^2; si += ideal^2
        }
        printf "%.6g", sqrt(se / si)
      }' out/vmm_states.csv out/vmm.txt)
    echo "$n,$rw,$err" >> ir_drop.csv
  done
done

gnuplot plot.gp
awk -F, 'NR > 1 && $2 == 100 { printf "   read, on/off 100, N=%-4s error: floating %.3g, V/2 %.3g, V/3 %.3g\n", $1, $3, $4, $5 }' sneak_read.csv
awk -F, 'NR > 1 && $1 == 128 { printf "   VMM 128x128, %s ohm segments: RMS error %.3g\n", $2, $3 }' ir_drop.csv
echo "wrote $(pwd)/sneak_read.csv, ir_drop.csv, sneak_read.png and ir_drop.png"
