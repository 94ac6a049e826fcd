#!/bin/sh
# SPDX-License-Identifier: MIT
# orphan.sh PROG MODE NP: mpirun NP ranks of PROG (test/mp/orphan.c) that
# wait for ever, kill -9 mpirun once every rank is waiting, and require
# every rank to end itself within 5 s (the default ZC_PEER_TIMEOUT; they
# used to spin for ever), saying why in its last log line (stderr in
# DIR/PID.err: the launcher's pipe is gone with it).
set -u
prog=$1 mode=$2 np=$3
dir=$(mktemp -d /tmp/zc_orphan.XXXXXX)
cleanup() {
	for f in "$dir"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
	rm -rf "$dir"
}
trap cleanup EXIT
ZC_TEST_PIDDIR=$dir mpirun --allow-run-as-root --oversubscribe --bind-to none \
	-n "$np" "$prog" "$mode" >"$dir/out" 2>&1 &
mp=$!
i=0
while [ "$(ls "$dir" | grep -c '\.pid$')" -lt "$np" ]; do
	i=$((i + 1))
	[ $i -gt 300 ] && { echo "FAIL ranks never started"; cat "$dir/out"; kill -9 $mp; exit 1; }
	sleep 0.1
done
sleep 0.5
kill -9 $mp
i=0
for f in "$dir"/*.pid; do
	pid=$(cat "$f")
	while kill -0 "$pid" 2>/dev/null && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]; do
		i=$((i + 1))
		if [ $i -gt 50 ]; then
			echo "FAIL rank pid $pid still running 5 s after mpirun was killed ($mode)"
			exit 1
		fi
		sleep 0.1
	done
	if ! grep -q "the launcher (pid $mp) is gone: rank [0-9]* of this job ends itself" "$dir/$pid.err"; then
		echo "FAIL rank pid $pid ended without saying why ($mode):"
		cat "$dir/$pid.err"
		exit 1
	fi
done
echo "orphan: every rank ended itself after mpirun was killed ($mode, $np ranks)"
