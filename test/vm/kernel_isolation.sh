#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kernel_isolation.sh JOBPROG INTRUDER: a 2-rank job over the kernel
# provider holds its heap while another process of the same node, with a
# job key of its own, tries to attach to each of its ranks and to use
# guessed handles: every attempt fails, and the job finds its memory as
# it left it.
job=$1 intr=$2
[ -e /sys/class/infiniband/rxe0 ] || { echo "skipped: no rxe0 here (runs in the RDMA guest)"; exit 77; }
[ -e /dev/zcomm ] || { echo "skipped: the zcomm module is not loaded"; exit 77; }
par=/sys/module/zcomm/parameters/timeout_ms
old=$(cat $par)
echo 3000 >$par	# the refused attach gives up after this
out=$(mktemp)
rel=$out.release	# made when the intruders are done: the job goes on
trap 'echo "$old" >$par; rm -f "$out" "$rel"' EXIT
ZC_TRANSPORTS=kernel ZC_KERNEL_DEVICE=rxe0 ZC_HEAP_SIZE=16M ZC_TEST_HOLD=60 \
	ZC_TEST_RELEASE=$rel \
	timeout -s INT -k 5 120 mpirun --allow-run-as-root --oversubscribe \
	--bind-to none -n 2 "$job" >"$out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
	[ "$(grep -c holding "$out")" -ge 2 ] && break
	sleep 0.1
done
addr=$(sed -n 's/^addr \([0-9.]*\) dev rxe0$/\1/p' /dev/zcomm | head -n 1)
rc=0
for r in 0 1; do
	"$intr" intruder "$addr" $r || rc=1
done
touch "$rel"
wait $pid
cat "$out"
grep -q "conns ok" "$out" || { echo "FAIL the job did not end well"; exit 1; }
[ $rc -eq 0 ] || { echo "FAIL an intruder got in"; exit 1; }
echo "every intruder refused"
