#!/usr/bin/env bash
# Neuron benchmarks: memspice's native volatile devices against the same
# circuits with behavioural sources in ngspice (bench/README.md, "neurons").
# Usage: bench/neurons.sh BUILD_DIR [kind:N ...]
# Each case: generate `gen_netlist KIND N` (memspice) and `KIND-ngspice N`
# (ngspice), run each RUNS times (whole process, wall clock; ngspice
# stopped after NG_TIMEOUT seconds), report the medians, the ratio
# ngspice/memspice and the largest relative difference of the spike times
# the netlists measure (.meas t1_K / t5_K: first and fifth spike of
# neurons 0, N/2, N-1). A failed or stopped ngspice run is reported as
# such, with its message.
set -u
build=${1:-build}; shift || true
runs=${RUNS:-3}
tmo=${NG_TIMEOUT:-120}
work=$(mktemp -d /tmp/memspice-neurons.XXXXXX)
trap 'rm -rf "$work"' EXIT
ms="$build/memspice"; gen="$build/gen_netlist"
have_ng=0; command -v ngspice >/dev/null 2>&1 && have_ng=1

cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(lif:4 lif:10 neuristor:4 vo2chain:100)

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# "name value" for every t1_/t5_ measurement in a log (both simulators
# print "name = value")
meas() { sed -n 's/^ *\(t[15]_[0-9]*\) *= *\([-+0-9.eE]*\).*/\1 \2/p' "$1" | sort; }

printf '%-16s %11s %11s %8s %13s  %s\n' case memspice_s ngspice_s ratio spike_dt_rel note
for c in "${cases[@]}"; do
  kind=${c%%:*}; n=${c##*:}
  "$gen" "$kind" "$n" >"$work/ms.cir" || exit 1
  "$gen" "$kind-ngspice" "$n" >"$work/ng.cir" || exit 1
  ts=()
  for i in $(seq "$runs"); do
    t0=$(now)
    "$ms" --no-raw "$work/ms.cir" >"$work/ms.log" 2>&1 || { echo "memspice FAILED on $c" >&2; tail -5 "$work/ms.log" >&2; exit 1; }
    ts+=("$(echo "$(now) - $t0" | bc -l)")
  done
  tm=$(printf '%s\n' "${ts[@]}" | median)
  if [ $have_ng = 0 ]; then
    printf '%-16s %11.3f %11s %8s %13s  %s\n' "$c" "$tm" - - - "ngspice not installed"
    continue
  fi
  ts=(); note=""
  for i in $(seq "$runs"); do
    t0=$(now)
    timeout "$tmo" ngspice -b "$work/ng.cir" >"$work/ng.log" 2>&1
    rc=$?
    dt=$(echo "$(now) - $t0" | bc -l)
    if [ $rc = 124 ]; then note="ngspice stopped after ${tmo} s"; break; fi
    msg=$(grep -m1 -E 'Timestep too small|fatal error|aborted' "$work/ng.log")
    if [ -n "$msg" ]; then note="ngspice: $(echo "$msg" | sed 's/^ *//' | cut -c1-70)"; break; fi
    ts+=("$dt")
  done
  if [ -n "$note" ]; then
    printf '%-16s %11.3f %11s %8s %13s  %s\n' "$c" "$tm" - - - "$note"
    continue
  fi
  tn=$(printf '%s\n' "${ts[@]}" | median)
  meas "$work/ms.log" >"$work/m1"; meas "$work/ng.log" >"$work/m2"
  d=$(join "$work/m1" "$work/m2" | awk '{r = ($2 - $3) / $3; if (r < 0) r = -r; if (r > m) m = r; k++}
                                         END {if (k) printf "%.2e", m; else printf "none"}')
  printf '%-16s %11.3f %11.3f %8.2f %13s  %s\n' "$c" "$tm" "$tn" "$(echo "$tn / $tm" | bc -l)" "$d" \
    "$(wc -l <"$work/m1") spike times compared"
done
echo "(medians of $runs runs, whole process; ratio = ngspice / memspice; spike_dt_rel: largest"
echo " relative difference of the measured spike times; bench/README.md \"neurons\")"
