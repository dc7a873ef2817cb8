#!/usr/bin/env bash
# Runs every test binary given on the command line (cmocka), then prints one
# summary line. Exit status is non-zero if any test failed.
set -u
pass=0; fail=0; failed_bins=()
for bin in "$@"; do
  name=$(basename "$bin")
  out=$("$bin" 2>&1); rc=$?
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi   # crashed or aborted
  pass=$((pass + p)); fail=$((fail + f))
  if [ $rc -ne 0 ]; then
    failed_bins+=("$name")
    printf '%s\n' "$out" | tail -40
    printf 'FAIL %-28s %4d passed %4d failed (exit %d)\n' "$name" "$p" "$f" "$rc"
  else
    printf 'ok   %-28s %4d passed\n' "$name" "$p"
  fi
done
if [ $fail -eq 0 ]; then
  echo "TEST SUMMARY: $pass passed, 0 failed ($# test programs)"
else
  echo "TEST SUMMARY: $pass passed, $fail failed (failing: ${failed_bins[*]})"
  exit 1
fi
