#!/bin/sh
# SPDX-License-Identifier: MIT
# env_vars.sh MPIRUN PROGRAM: the SHMEM_* variables (and the deprecated
# SMA_* ones) as the specification defines them, on 2 PEs; PROGRAM is
# env_vars.c. Fails on the first case that does not hold.
mpirun=$1 prog=$2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
unset ZC_HEAP_SIZE ZC_LOG SHMEM_SYMMETRIC_SIZE SHMEM_VERSION SHMEM_INFO \
	SHMEM_DEBUG SMA_SYMMETRIC_SIZE SMA_VERSION SMA_INFO SMA_DEBUG

# run NAME=VALUE... -- ARGS: the program on 2 PEs with those variables.
run() {
	vars=
	while [ "$1" != -- ]; do vars="$vars $1"; shift; done
	shift
	env $vars timeout -s INT -k 5 60 "$mpirun" --allow-run-as-root \
		--oversubscribe --bind-to none -n 2 "$prog" "$@" \
		>"$out" 2>"$err"
}
fail() {
	echo "FAIL: $*"
	echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"
	exit 1
}

# 3.5m is 3670016 bytes: one such block fits, a second does not.
run SHMEM_SYMMETRIC_SIZE=3.5m -- size 3670016 || fail "SHMEM_SYMMETRIC_SIZE=3.5m"
run SMA_SYMMETRIC_SIZE=3.5M -- size 3670016 || fail "SMA_SYMMETRIC_SIZE=3.5M"
run SHMEM_SYMMETRIC_SIZE=3.5m SMA_SYMMETRIC_SIZE=1G -- size 3670016 ||
	fail "SHMEM_ must win over SMA_"

run SHMEM_VERSION=1 -- plain || fail "SHMEM_VERSION run"
[ "$(grep -c '^OpenSHMEM 1\.5, zcomm' "$out")" = 1 ] ||
	fail "SHMEM_VERSION: one version line (PE 0)"
run SHMEM_INFO=yes -- plain || fail "SHMEM_INFO run"
for v in SHMEM_SYMMETRIC_SIZE SHMEM_VERSION SHMEM_INFO SHMEM_DEBUG; do
	grep -q "^  $v " "$out" || fail "SHMEM_INFO does not list $v"
done
grep -q '^OpenSHMEM 1\.5' "$out" || fail "SHMEM_INFO: no version"
run -- plain || fail "plain run"
grep -q 'OpenSHMEM' "$out" && fail "a version line without SHMEM_VERSION"
grep -q 'info: shmem:' "$err" && fail "messages without SHMEM_DEBUG"

run SHMEM_DEBUG=1 -- debug || fail "SHMEM_DEBUG does not set ZC_LOG=debug"
grep -q 'info: shmem: 2 PEs, symmetric heap' "$err" ||
	fail "SHMEM_DEBUG: no messages"
run SMA_DEBUG=1 -- debug || fail "SMA_DEBUG does not set ZC_LOG=debug"

# A suffix the specification does not know ends the program, reported.
run SHMEM_SYMMETRIC_SIZE=20kk -- plain && fail "SHMEM_SYMMETRIC_SIZE=20kk accepted"
grep -q "SHMEM_SYMMETRIC_SIZE='20kk'" "$err" || fail "no report of 20kk"
# Positive only (issue 15): 0 is refused like any other bad size.
run SHMEM_SYMMETRIC_SIZE=0 -- plain && fail "SHMEM_SYMMETRIC_SIZE=0 accepted"
grep -q "SHMEM_SYMMETRIC_SIZE='0'" "$err" || fail "no report of 0"
echo "SHMEM_* environment variables: ok"
