#!/usr/bin/env bash
# Checks memspice's build/test dependencies; installs missing Debian packages
# with apt-get when running as root, otherwise prints the exact command.
#   tools/deps.sh build      flex bison KLU cmocka (needed to build and test)
#   tools/deps.sh demo       + gnuplot (plots in examples)
#   tools/deps.sh bench      + ngspice hyperfine (side-by-side benchmarks)
#   tools/deps.sh test       + ngspice (reference), gnuplot (control-language graphics)
#                            and Open MPI (memspice-mpi tests)
#   tools/deps.sh mpi        + Open MPI (make mpi)
set -u
want=${1:-build}
missing=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_hdr() { [ -f "/usr/include/$1" ] || [ -f "/usr/include/suitesparse/$1" ]; }

have_cmd gcc   || missing+=(gcc)
have_cmd make  || missing+=(make)
have_cmd flex  || missing+=(flex)
have_cmd bison || missing+=(bison)
have_hdr klu.h || missing+=(libsuitesparse-dev)
have_hdr cmocka.h || missing+=(libcmocka-dev)
case "$want" in
  demo)  have_cmd gnuplot || missing+=(gnuplot-nox) ;;
  bench) have_cmd ngspice || missing+=(ngspice)
         have_cmd hyperfine || missing+=(hyperfine) ;;
  test)  have_cmd ngspice || missing+=(ngspice)
         have_cmd gnuplot || missing+=(gnuplot-nox)
         have_cmd mpicc || missing+=(libopenmpi-dev)
         have_cmd mpirun || missing+=(openmpi-bin) ;;
  mpi)   have_cmd mpicc || missing+=(libopenmpi-dev)
         have_cmd mpirun || missing+=(openmpi-bin) ;;
esac

[ ${#missing[@]} -eq 0 ] && exit 0
echo "memspice: missing packages: ${missing[*]}" >&2
if [ "$(id -u)" = 0 ] && have_cmd apt-get; then
  echo "memspice: installing them with apt-get (running as root)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2 && exit 0
  echo "memspice: apt-get failed; install by hand: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "memspice: install them with:  sudo apt-get install ${missing[*]}" >&2
exit 1
