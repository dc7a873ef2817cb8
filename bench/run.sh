#!/usr/bin/env bash
# memspice benchmarks, side by side with ngspice when it is installed.
# Usage: bench/run.sh BUILD_DIR [case ...]     (make bench runs all cases)
# Each case: generate the netlist, run each simulator RUNS times (whole
# process, wall clock), report medians, the ratio ngspice/memspice (> 1:
# memspice faster) and the largest waveform difference (bench/rawcmp with
# cubic interpolation, relative to each signal's range).
# A case whose devices ngspice lacks (crossbar: native memristors) gives
# ngspice the same circuit from `gen_netlist KIND-ngspice N` (behavioural
# subcircuits); a "* rawcmp: OPTIONS" line in the memspice netlist passes
# OPTIONS to rawcmp (--alias pairs of the state columns, named differently
# in the two raw files).
# KEEP=DIR keeps each case's netlists, raw files, logs, the rawcmp output
# and the single run times (*.times) in DIR/KIND-N/.
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
[ ${#cases[@]} -eq 0 ] && cases=(ladder:1000 ladder:10000 ladder-sharp:10000 grid:2500 rgrid:10000 invchain:1000 crossbar:1024 ykbar:1024)
[ "${BENCH_ALL:-0}" = 1 ] && [ $# -eq 0 ] && cases+=(grid:10000 rgrid:90000 ykbar:16384 ykbar:65536)

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
  done | tee "$out.times" | median
}

# ngspice on arrays above 64x64 would take hours (behavioural cells):
# memspice alone there, unless NG_LARGE=1
ng_runs() {
  [ $have_ng = 1 ] || return 1
  case $1 in crossbar|ykbar) [ "$2" -le 4096 ] || [ "${NG_LARGE:-0}" = 1 ] ;; *) return 0 ;; esac
}

# the netlist ngspice runs for a case: its own variant where there is one
ng_kind() { case $1 in crossbar) echo crossbar-ngspice ;; ykbar) echo ykbar-ngspice ;; lif) echo lif-ngspice ;; *) echo "$1" ;; esac; }

printf '%-20s %8s %11s %11s %8s %12s %12s %12s\n' case size memspice_s ngspice_s ratio diff_v diff_i diff_x
for c in "${cases[@]}"; do
  kind=${c%%:*}; n=${c##*:}
  net="$work/$kind-$n.cir"
  "$gen" "$kind" "$n" >"$net" || exit 1
  ngnet=$net
  if [ "$(ng_kind "$kind")" != "$kind" ]; then
    ngnet="$work/$(ng_kind "$kind")-$n.cir"
    "$gen" "$(ng_kind "$kind")" "$n" >"$ngnet" || exit 1
  fi
  # shellcheck disable=SC2207
  cmpopts=($(sed -n 's/^\* rawcmp: //p' "$net"))
  tm=$(time_cmd "$work/ms" "$ms" -q -r "$work/ms.raw" "$net")
  if ng_runs "$kind" "$n"; then
    tn=$(time_cmd "$work/ng" ngspice -b -r "$work/ng.raw" "$ngnet")
    ratio=$(echo "$tn / $tm" | bc -l)
    "$cmp" --cubic "${cmpopts[@]}" "$work/ms.raw" "$work/ng.raw" >"$work/cmp.txt" 2>/dev/null
    if [ -n "${KEEP:-}" ]; then
      mkdir -p "$KEEP/$kind-$n"
      cp "$net" "$ngnet" "$work"/ms.* "$work"/ng.* "$work/cmp.txt" "$KEEP/$kind-$n/"
    fi
    dv=$(awk '$1 ~ /^v\(/ && $3+0 > m {m = $3+0} END {printf "%.2e", m}' "$work/cmp.txt")
    di=$(awk '$1 ~ /^i\(/ && $3+0 > m {m = $3+0} END {printf "%.2e", m}' "$work/cmp.txt")
    # device states (x(...) against the state node of a subcircuit)
    dx=$(awk '$1 ~ /\(/ && $1 !~ /^[vi]\(/ && $1 != "max_rel_diff" {s = 1; if ($3+0 > m) m = $3+0}
              END {if (s) printf "%.2e", m; else printf "-"}' "$work/cmp.txt")
    printf '%-20s %8s %11.3f %11.3f %8.2f %12s %12s %12s\n' "$kind:$n" "$n" "$tm" "$tn" "$ratio" "$dv" "$di" "$dx"
  else
    printf '%-20s %8s %11.3f %11s %8s %12s %12s %12s\n' "$kind:$n" "$n" "$tm" "-" "-" "-" "-" "-"
  fi
done
# .step: 8 points of the 32x32 crossbar (.step temp 27 34 1; ~1 s each):
# -j 1 against -j 2 (the points run on both cores), the cost of .step
# itself against 8 separate runs, and ngspice running the same 8 points in
# a .control foreach loop (option temp=$t; tran). Runs with the default
# case list or BENCH_STEP=1.
if [ $# -eq 0 ] || [ "${BENCH_STEP:-0}" = 1 ]; then
  base="$work/xb.cir"; "$gen" crossbar 1024 >"$base" || exit 1
  stepnet="$work/xb-step.cir"
  sed 's/^\.end$/.step temp 27 34 1\n.end/' "$base" >"$stepnet"
  t0=$(time_cmd "$work/s0" "$ms" -q --no-raw "$base")
  t1=$(time_cmd "$work/s1" "$ms" -q -j 1 --no-raw "$stepnet")
  t2=$(time_cmd "$work/s2" "$ms" -q -j 2 --no-raw "$stepnet")
  echo
  printf '%-28s %11s %11s %11s %9s %9s %11s %8s\n' ".step case" "single_s" "j1_s" "j2_s" "j2_speedup" \
    "overhead" "ngspice_s" "ratio"
  tn="-"; ratio="-"
  if [ $have_ng = 1 ]; then
    ngb="$work/xb-ng.cir"; "$gen" crossbar-ngspice 1024 >"$ngb" || exit 1
    tranline=$(grep -m1 '^\.tran' "$ngb")
    ngstep="$work/xb-ng-step.cir"
    { grep -v '^\.tran\|^\.end$' "$ngb"
      echo ".control"
      echo "foreach t 27 28 29 30 31 32 33 34"
      echo "option temp=\$t"
      echo "${tranline#.}"
      echo "end"
      echo "quit"
      echo ".endc"
      echo ".end"; } >"$ngstep"
    tn=$(time_cmd "$work/ns" ngspice -b "$ngstep")
    ratio=$(printf '%.2f' "$(echo "$tn / $t2" | bc -l)")
    tn=$(printf '%.3f' "$tn")
  fi
  printf '%-28s %11.3f %11.3f %11.3f %9.2fx %8.1f%% %11s %8s\n' "crossbar:1024 x 8 (temp)" "$t0" "$t1" "$t2" \
    "$(echo "$t1 / $t2" | bc -l)" "$(echo "($t1 / (8 * $t0) - 1) * 100" | bc -l)" "$tn" "$ratio"
  echo "(j2_speedup = j1/j2; overhead = j1 against 8 single runs; ratio = ngspice foreach loop / memspice -j 2)"
fi
# neuron cases (bench/neurons.sh): native volatile devices against
# behavioural ngspice subcircuits, spike times compared; with the default
# case list or BENCH_NEURONS=1
if [ $# -eq 0 ] || [ "${BENCH_NEURONS:-0}" = 1 ]; then
  echo
  RUNS=$runs "$(dirname "$0")/neurons.sh" "$build"
fi
[ $have_ng = 1 ] || echo "(ngspice not installed: apt-get install ngspice for the side-by-side figures)"
echo "(medians of $runs runs; ratio = ngspice time / memspice time; diff_v, diff_i, diff_x: largest"
echo " difference of node voltages / branch currents / device states relative to each signal's range;"
echo " bench/README.md)"
