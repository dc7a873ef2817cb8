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
#   3. write_disturb.csv   programming the middle cell of a Yakopcic array
#      with V/2 and V/3 biasing: states of the selected, half-selected and
#      unselected cells after the pulse
#   4. selectors.csv       the worst-case read of 0T1R, 1S1R, 1T1R arrays;
#      set_compliance.csv/png  1T1R SET: state and current vs gate voltage
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

# ---- 3. write disturb: V/2 and V/3 programming of the middle cell
YK=".model yk memristor level=3 a1=0.17 a2=0.17 b=0.05 vp=0.16 vn=0.15 ap=4000 an=4000 xp=0.3 xn=0.5 alphap=1 alphan=5 eta=1"
echo "N,scheme,selected,half_row,half_col,unselected" > write_disturb.csv
for n in 8 16 32; do
  s=$((n / 2))
  for scheme in v2 v3; do
    if [ $scheme = v2 ]; then vr=0.2; vc=0.2; else vr={0.4/3}; vc={0.8/3}; fi
    {
      echo "write of cell ($s,$s), $scheme"
      echo "$YK"
      echo ".crossbar xb rows=$n cols=$n model=yk rrow=1 rcol=1 xo=0.1"
      echo "Vsel xb.rl$s 0 PULSE(0 0.4 10u 1u 1u 1m 10m)"
      echo "Vsc xb.cb$s 0 0"
      for ((i = 0; i < n; i++)); do
        [ $i -eq $s ] && continue
        echo "Vr$i xb.rl$i 0 PULSE(0 $vr 10u 1u 1u 1m 10m)"
        echo "Vc$i xb.cb$i 0 PULSE(0 $vc 10u 1u 1u 1m 10m)"
      done
      echo ".tran 10u 1.1m"
      for c in "$s"_"$s" "$s"_0 0_"$s" 0_0; do echo ".meas tran x$c find x(ymemristor!xb.m$c) at=1.05m"; done
      echo ".end"
    } > out/write.cir
    "$ms" -q --no-raw out/write.cir > out/write.txt
    echo "$n,$scheme,$(awk '/^x/ { printf "%s%s", sep, $3; sep = "," }' out/write.txt)" >> write_disturb.csv
  done
done

# ---- 4. selectors: the worst-case read (every other cell low) of 0T1R,
# 1S1R and 1T1R arrays, and 1T1R SET compliance vs gate voltage
echo "N,0t1r,1s1r,1t1r" > selectors.csv
for n in 8 16 32 64; do
  s=$((n / 2)); line="$n"
  for cell in 0t1r 1s1r 1t1r; do
    case $cell in
      0t1r) ext=""; a=r; b=c ;;
      1s1r) ext=" cell=1s1r selector=dsel"; a=s; b=c ;;
      1t1r) ext=" cell=1t1r transistor=nch w=20u l=1u"; a=r; b=d ;;
    esac
    {
      echo "read, $cell"
      echo ".model rm memristor level=1 ron=1k roff=100k"
      echo ".model dsel d is=1e-12 n=1"
      echo ".model nch nmos vto=0.7 kp=1e-4"
      echo ".crossbar xb rows=$n cols=$n model=rm rrow=1 rcol=1 xo=1 save=all$ext"
      echo "Vsel xb.rl$s 0 1"
      echo "Vsense xb.cb$s 0 0"
      if [ $cell = 1t1r ]; then for ((i = 0; i < n; i++)); do echo "Vw$i xb.wl$i 0 $([ $i -eq $s ] && echo 3 || echo 0)"; done; fi
      echo ".op"
      echo ".end"
    } > out/sel.cir
    "$ms" -q --no-raw out/sel.cir > out/sel.txt
    line="$line,$(awk -v a="v(xb.$a${s}_$s)" -v b="v(xb.$b${s}_$s)" '$1 == "i(vsense)" { is = $2 } $1 == a { va = $2 } $1 == b { vb = $2 }
      END { ic = (va - vb) / 1000; printf "%.4g", (is - ic) / ic }' out/sel.txt)"
  done
  echo "$line" >> selectors.csv
done
echo "vg,x_after_set,i_peak_mA" > set_compliance.csv
for vg in 1.2 1.3 1.4 1.5 1.6 1.7 1.8 1.9 2.0 2.2 2.4; do
  {
    echo "1T1R SET, VG=$vg"
    echo "$YK"
    echo ".model nch nmos vto=0.7 kp=1e-4"
    echo ".crossbar xb rows=2 cols=2 model=yk cell=1t1r transistor=nch w=10u l=1u rrow=1 rcol=1 xo=0.1"
    echo "Vset xb.rl0 0 PULSE(0 2 10u 1u 1u 2m 10m)"
    echo "Vr1 xb.rl1 0 0"
    echo "Vg xb.wl0 0 $vg"
    echo "Vg1 xb.wl1 0 0"
    echo "Vc0 xb.cb0 0 0"
    echo "Vc1 xb.cb1 0 0"
    echo ".tran 10u 2.2m"
    echo ".meas tran x find x(ymemristor!xb.m0_0) at=2.1m"
    echo ".meas tran ipk max i(vc0)"
    echo ".end"
  } > out/set.cir
  "$ms" -q --no-raw out/set.cir > out/set.txt
  echo "$vg,$(awk '$1 == "x" { x = $3 } $1 == "ipk" { i = $3 } END { printf "%s,%.4g", x, i * 1e3 }' out/set.txt)" >> set_compliance.csv
done

gnuplot plot.gp
awk -F, 'NR > 1 && $2 == 100 { printf "   read, on/off 100, N=%-4s error: floating %.3g, V/2 %.3g, V/3 %.3g\n", $1, $3, $4, $5 }' sneak_read.csv
awk -F, 'NR > 1 && $1 == 128 { printf "   VMM 128x128, %s ohm segments: RMS error %.3g\n", $2, $3 }' ir_drop.csv
awk -F, 'NR > 1 { printf "   write %sx%s %s: selected 0.1 -> %.3g, half-selected row %.3g, column %.3g, unselected %.3g\n", $1, $1, $2, $3, $4, $5, $6 }' write_disturb.csv
awk -F, 'NR > 1 { printf "   worst-case read %sx%s: sneak error 0T1R %s, 1S1R %s, 1T1R %s\n", $1, $1, $2, $3, $4 }' selectors.csv
echo "wrote $(pwd)/{sneak_read,ir_drop,write_disturb,selectors,set_compliance}.csv and sneak_read.png, ir_drop.png, set_compliance.png"
