#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# dev_removed.sh PROG [verbs|kernel]: run PROG at 2 ranks over that
# provider on rxe0, delete rxe0 under it (rdma link delete), check that
# every rank saw the error and ended, then put rxe0 back (rdma link add)
# for the tests that follow.
prog=$1
prov=${2:-verbs}
[ -e /sys/class/infiniband/rxe0 ] || { echo "skipped: no rxe0 here (runs in the RDMA guest)"; exit 77; }
[ "$prov" = verbs ] || [ -e /dev/zcomm ] || { echo "skipped: the zcomm module is not loaded"; exit 77; }
netdev=$(rdma link show rxe0/1 | sed -n 's/.*netdev \([^ ]*\).*/\1/p')
out=$(mktemp)
ZC_TRANSPORTS=$prov ZC_VERBS_DEVICE=rxe0 ZC_KERNEL_DEVICE=rxe0 ZC_PEER_TIMEOUT=2s \
	timeout -s INT -k 5 100 mpirun --allow-run-as-root --oversubscribe \
	--bind-to none --enable-recovery -n 2 "$prog" >"$out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
	[ "$(grep -c running "$out")" -ge 2 ] && break
	sleep 0.1
done
sleep 2
timeout 60 rdma link delete rxe0
del=$?
wait $pid
rc=$?
cat "$out"
timeout 30 rdma link add rxe0 type rxe netdev "${netdev:-dummy0}" ||
	echo "FAIL could not add rxe0 back"
[ $del -eq 0 ] || { echo "FAIL rdma link delete: $del"; exit 1; }
n=$(grep -c "saw the device go" "$out")
[ "$n" -eq 2 ] || { echo "FAIL $n of 2 ranks saw the device go (mpirun $rc)"; exit 1; }
echo "both ranks saw the device go"
