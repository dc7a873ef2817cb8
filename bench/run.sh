#!/usr/bin/env bash
# memspice benchmarks, side by side with ngspice when it is installed.
# Usage: bench/run.sh BUILD_DIR [case ...]     (make bench runs all cases)
# Each case: generate the netlist, run each simulator RUNS times (whole
# process, wall clock), report medians, the ratio ngspice/memspice (> 1:
# memspice faster) and the largest waveform difference (bench/rawcmp with
# cubic interpolation, relative to each signal's range).
set -u
build=${1:-build}; shift || true
runs=${RUNS:-5}
work=$(mktemp -d /tmp/memspice-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
ms="$build/memspice"; gen="$build/gen_netlist"; cmp="$build/rawcmp"
have_ng=0; command -v ngspice >/dev/null 2>&1 && have_ng=1

cases=("$@")
# grid:10000 takes ngspice ~10 minutes (its sparse ordering fills in badly
# on a 2-D grid); it runs with BENCH_ALL=1 or when named explicitly
[ ${#cases[@]} -eq 0 ] && cases=(ladder:1000 ladder:10000 ladder-sharp:10000 grid:2500 rgrid:10000 invchain:1000)
[ "${BENCH_ALL:-0}" = 1 ] && [ $# -eq 0 ] && cases+=(grid:10000 rgrid:90000)

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# time_cmd OUTFILE cmd... -> median seconds of $runs runs (a single run
# when the first one takes over 60 s: such a case is not noise-limited)
time_cmd() {
  local out=$1; shift
  for i in $(seq "$runs"); do
    local t0; t0=$(now)
    "$@" >"$out.log" 2>&1 || { echo "FAILED: $*" >&2; tail -5 "$out.log" >&2; echo nan; return; }
    local dt; dt=$(echo "$(now) - $t0" | bc -l)
    echo "$dt"
    [ "$(echo "$dt > 60" | bc -l)" = 1 ] && break
  done | median
}

printf '%-20s %8s %11s %11s %8s %12s %12s\n' case size memspice_s ngspice_s ratio diff_v diff_i
for c in "${cases[@]}"; do
  kind=${c%%:*}; n=${c##*:}
  net="$work/$kind-$n.cir"
  "$gen" "$kind" "$n" >"$net"
  tm=$(time_cmd "$work/ms" "$ms" -q -r "$work/ms.raw" "$net")
  if [ $have_ng = 1 ]; then
    tn=$(time_cmd "$work/ng" ngspice -b -r "$work/ng.raw" "$net")
    ratio=$(echo "$tn / $tm" | bc -l)
    "$cmp" --cubic "$work/ms.raw" "$work/ng.raw" >"$work/cmp.txt" 2>/dev/null
    dv=$(awk '$1 ~ /^v\(/ && $3+0 > m {m = $3+0} END {printf "%.2e", m}' "$work/cmp.txt")
    di=$(awk '$1 ~ /^i\(/ && $3+0 > m {m = $3+0} END {printf "%.2e", m}' "$work/cmp.txt")
    printf '%-20s %8s %11.3f %11.3f %8.2f %12s %12s\n' "$kind:$n" "$n" "$tm" "$tn" "$ratio" "$dv" "$di"
  else
    printf '%-20s %8s %11.3f %11s %8s %12s %12s\n' "$kind:$n" "$n" "$tm" "-" "-" "-" "-"
  fi
done
[ $have_ng = 1 ] || echo "(ngspice not installed: apt-get install ngspice for the side-by-side figures)"
echo "(medians of $runs runs; ratio = ngspice time / memspice time; diff_v, diff_i: largest"
echo " difference of node voltages / branch currents relative to each signal's range; bench/README.md)"
