#!/bin/sh
# SPDX-License-Identifier: MIT
# wrap_build_run.sh BINDIR SOURCE OUT NP CFLAGS...: build SOURCE with
# BINDIR/zcshcc (BINDIR/zcshc++ for a .cc file) and the strict CFLAGS,
# then run it on NP PEs with BINDIR/zcshrun (inside timeout: a stuck
# mpirun ignores SIGTERM).
set -e
bindir=$1 src=$2 out=$3 np=$4
shift 4
case "$src" in
*.cc) cc=zcshc++ ;;
*) cc=zcshcc ;;
esac
"$bindir/$cc" "$@" "$src" -o "$out"
exec timeout -s INT -k 5 100 "$bindir/zcshrun" -n "$np" "$out"
