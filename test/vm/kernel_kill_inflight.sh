#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kernel_kill_inflight.sh PROG KO: a 2-rank job over the kernel provider
# where rank 0 SIGKILLs rank 1 while rank 1 has hundreds of commands in
# flight in the module (PROG: kernel_kill_inflight.c). Afterwards the
# module's own report must come back to no file but our reader, no
# registration, no pinned page (within 10 s: a dead heap's pages stay
# for ZCK_GRACE_MS, 2 s), and the module must unload (it is loaded back
# from KO for the tests that follow).
# Fails on a broken release path: registrations a dead file kept count
# in "registrations" (zck_nregs) and their pages in "pinned_pages"
# (freed only by the last reference, after the grace); a command that
# never completes keeps io_uring from releasing the file ("files") and
# holds a module reference, so rmmod refuses. The counters are checked
# to be non-zero while the job runs, so they do see the job.
prog=$1 ko=$2
[ -e /sys/class/infiniband/rxe0 ] || { echo "skipped: no rxe0 here (runs in the RDMA guest)"; exit 77; }
[ -e /dev/zcomm ] || { echo "skipped: the zcomm module is not loaded"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# "files F registrations R pinned_pages P" as "F R P"; F counts this
# read's own open.
counters() {
	sed -n 's/^files \([0-9]*\) registrations \([0-9]*\) pinned_pages \([0-9]*\)$/\1 \2 \3/p' /dev/zcomm
}
settled() {	# what: waits up to 10 s for "1 0 0"
	local c
	for _ in $(seq 1 100); do
		c=$(counters)
		[ "$c" = "1 0 0" ] && return 0
		sleep 0.1
	done
	echo "FAIL $1: files registrations pinned_pages = $c, want 1 0 0"
	cat /dev/zcomm
	exit 1
}
settled "before the job (an earlier test left something)"
ZC_TRANSPORTS=kernel ZC_KERNEL_DEVICE=rxe0 ZC_HEAP_SIZE=16M \
	timeout -s INT -k 5 150 mpirun --allow-run-as-root --oversubscribe \
	--bind-to none --enable-recovery -n 2 "$prog" >"$out" 2>&1 &
pid=$!
maxr=0 maxp=0
while kill -0 $pid 2>/dev/null; do
	read -r _ r p <<<"$(counters)"
	[ "${r:-0}" -gt $maxr ] && maxr=$r
	[ "${p:-0}" -gt $maxp ] && maxp=$p
	sleep 0.2
done
wait $pid
rc=$?
cat "$out"
echo "during the job: up to $maxr registrations, $maxp pinned pages"
grep -q "survivor ok" "$out" || { echo "FAIL the survivor did not finish well (mpirun $rc)"; exit 1; }
[ $maxr -gt 0 ] && [ $maxp -gt 0 ] || { echo "FAIL the report never showed the job's registrations"; exit 1; }
settled "after the job"
cat /dev/zcomm
echo "module references: $(cat /sys/module/zcomm/refcnt)"
timeout 60 rmmod zcomm || { echo "FAIL rmmod zcomm after the kill (a reference leaked)"; exit 1; }
insmod "$ko" || { echo "FAIL could not load $ko back"; exit 1; }
echo "everything freed, module unloaded and loaded back"
