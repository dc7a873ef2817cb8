#!/bin/sh
# Builds the afl++ harnesses from the current sources (see README.md):
#   build-afl/fuzz_netlist  afl-clang-fast, ASan + UBSan, front end only
#   build-afl/fuzz_sim      the same harness in simulating mode (analyses run,
#                           shortened to a few points and a time limit)
#   build-afl/replay        plain cc, same sanitizers, one input on stdin
#                           (MS_AFL_SIM=1 replays in simulating mode)
# and fills build-afl/in with seed netlists. The flex/bison output goes to
# build-afl/gen, so this does not touch the other build directories.
set -eu
cd "$(dirname "$0")/../.."
OUT=build-afl
make --no-print-directory BUILD=$OUT $OUT/gen/parser.c $OUT/gen/lexer.c
mkdir -p "$OUT/in"
SRCS="$(find src -name '*.c' ! -path src/main.c ! -path src/mpi_driver.c | sort) $OUT/gen/lexer.c $OUT/gen/parser.c tools/afl/fuzz_netlist.c"
FLAGS="-std=c11 -O1 -g -D_POSIX_C_SOURCE=200809L -DMS_VERSION=\"afl\" -Isrc -Isrc/netlist -I$OUT/gen \
       -I/usr/include/suitesparse -w"
# the same libraries as the Makefile's LDLIBS
LIBS="-lklu -lcholmod -lamd -lcolamd -lbtf -lsuitesparseconfig -lm"
SAN="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all"
AFLCC=${AFL_CC:-afl-clang-fast}
# shellcheck disable=SC2086
AFL_USE_ASAN=1 AFL_USE_UBSAN=1 $AFLCC $FLAGS -fsanitize=float-cast-overflow $SRCS -o "$OUT/fuzz_netlist" $LIBS
# shellcheck disable=SC2086
AFL_USE_ASAN=1 AFL_USE_UBSAN=1 $AFLCC $FLAGS -fsanitize=float-cast-overflow -DAFL_SIM_DEFAULT $SRCS -o "$OUT/fuzz_sim" $LIBS
# shellcheck disable=SC2086
${CC:-cc} $FLAGS $SAN $SRCS -o "$OUT/replay" $LIBS
# seeds: small netlists of the test suite (afl++ wants them small)
for f in tests/bad/*.cir tests/compat/*.cir tests/netlists/*/*.cir netlists/*.cir tests/robust/*.cir tools/afl/seeds/*.cir; do
    [ -f "$f" ] || continue
    [ "$(wc -c < "$f")" -le 4096 ] || continue
    cp "$f" "$OUT/in/$(echo "$f" | tr / _)"
done
echo "built $OUT/fuzz_netlist, $OUT/fuzz_sim and $OUT/replay; $(ls "$OUT/in" | wc -l) seeds in $OUT/in"
