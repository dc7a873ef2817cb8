#!/usr/bin/env bash
# make demo: runs every bundled netlist in netlists/ and writes one raw file
# per netlist to out/ (load them in ngspice with `load out/name.raw`, or
# plot them with the scripts in examples/).
set -u
ms=${1:-build/memspice}
case "$ms" in /*) ;; *) ms="$PWD/$ms" ;; esac
mkdir -p out
fail=0
for net in netlists/*.cir; do
  name=$(basename "$net" .cir)
  printf '== %s\n' "$net"
  if "$ms" -r "out/$name.raw" "$net" >"out/$name.log" 2>&1; then
    grep -E '^memspice: (tran|waveforms)' "out/$name.log" | sed 's/^/   /'
  else
    echo "   FAILED (see out/$name.log)"; fail=1
  fi
done
echo "demo: raw files in out/ ($(ls out/*.raw 2>/dev/null | wc -l) files)"
if command -v gnuplot >/dev/null 2>&1; then
  for ex in examples/*/run.sh; do
    printf '== %s\n   ' "$ex"
    MEMSPICE="$ms" "$ex" || fail=1
  done
else
  echo "demo: gnuplot not found; skipping the plots in examples/"
fi
exit $fail
