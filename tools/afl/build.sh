#!/bin/sh
# Builds the afl++ harness: build-afl/fuzz_netlist (afl-clang-fast, ASan and
# UBSan) and build-afl/replay (plain cc, same sanitizers) from the current
# sources, and fills build-afl/in with seed netlists. See README.md.
set -eu
cd "$(dirname "$0")/../.."
make --no-print-directory build/gen/parser.c build/gen/lexer.c
OUT=build-afl
mkdir -p "$OUT/in"
SRCS="$(find src -name '*.c' ! -path src/main.c | sort) build/gen/lexer.c build/gen/parser.c tools/afl/fuzz_netlist.c"
FLAGS="-std=c11 -O1 -g -D_POSIX_C_SOURCE=200809L -DMS_VERSION=\"afl\" -Isrc -Isrc/netlist -Ibuild/gen \
       -I/usr/include/suitesparse -w"
LIBS="-lklu -lamd -lcolamd -lbtf -lsuitesparseconfig -lm"
# shellcheck disable=SC2086
AFL_USE_ASAN=1 AFL_USE_UBSAN=1 ${AFL_CC:-afl-clang-fast} $FLAGS $SRCS -o "$OUT/fuzz_netlist" $LIBS
# shellcheck disable=SC2086
${CC:-cc} $FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all $SRCS -o "$OUT/replay" $LIBS
# seeds: small netlists of the test suite (afl++ wants them small)
for f in tests/bad/*.cir tests/netlists/*/*.cir netlists/*.cir; do
    [ -f "$f" ] || continue
    [ "$(wc -c < "$f")" -le 4096 ] || continue
    cp "$f" "$OUT/in/$(echo "$f" | tr / _)"
done
echo "built $OUT/fuzz_netlist and $OUT/replay; $(ls "$OUT/in" | wc -l) seeds in $OUT/in"
