#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# iwarp_placement.sh PROG PROVIDER: barrier_completes (PROG) at 4 ranks
# over PROVIDER (verbs or kernel) on siw0 while lo, which carries siw's
# TCP streams between the guest's ranks, holds every packet above 4 KiB
# for 50 ms (ZC_TEST_DELAY_MS) and lets small ones pass. Rank 0's 4 MiB
# put to rank 2 then lands long after siw completed its WRITEs (iWARP
# completes a WRITE when it has left), while the barrier's small messages
# race ahead: a quiet that took the completion for placement lets rank 3
# read rank 2's copy before the data arrived. Fails too if netem delayed
# less than the data, so that a pass cannot come from a filter that
# missed. The kernel provider holds one connection per pair of node
# addresses, and one stream would order everything: ranks 2 and 3 get
# addresses of their own on siw0's netdev (ZC_KERNEL_ADDR), so that rank
# 0's data and the barrier's way to rank 3 take different connections.
prog=$1 prov=$2
[ -e /sys/class/infiniband/siw0 ] || { echo "skipped: no siw0 here (runs in the RDMA guest, --siw)"; exit 77; }
if [ "$prov" = kernel ] && [ ! -e /dev/zcomm ]; then
	echo "skipped: the zcomm module is not loaded"
	exit 77
fi
command -v tc >/dev/null || { echo "FAIL no tc (iproute2)"; exit 1; }
dir=$(mktemp -d)
nd=${RDMA_VM_SIW_NETDEV:-dummy1} ip=${RDMA_VM_SIW_IP:-10.78.0.1}
pre=${ip%.*}
trap 'tc qdisc del dev lo root 2>/dev/null; rm -rf "$dir"
	ip addr del $pre.202/24 dev $nd 2>/dev/null
	ip addr del $pre.203/24 dev $nd 2>/dev/null' EXIT
tc qdisc add dev lo root handle 1: prio ||
	{ echo "FAIL cannot add a prio qdisc to lo"; exit 1; }
set -e
ip addr add $pre.202/24 dev $nd
ip addr add $pre.203/24 dev $nd
tc qdisc add dev lo parent 1:3 handle 30: netem \
	delay "${ZC_TEST_DELAY_MS:-50}ms" limit 100000
# IPv4 total length below 4096 (its top nibble zero): band 1, at once
tc filter add dev lo parent 1: protocol ip prio 1 u32 \
	match u16 0 0xf000 at 2 flowid 1:1
tc filter add dev lo parent 1: protocol all prio 2 u32 \
	match u32 0 0 flowid 1:3
set +e
cat >"$dir/rank.sh" <<EOS
#!/bin/sh
case \${OMPI_COMM_WORLD_RANK:?} in
2|3) export ZC_KERNEL_ADDR=$pre.20\$OMPI_COMM_WORLD_RANK ;;
esac
exec "\$@"
EOS
P=$(echo "$prov" | tr a-z A-Z)
env ZC_TRANSPORTS="$prov" ZC_${P}_DEVICE=siw0 ZC_PEER_TIMEOUT=20s \
	ZC_HEAP_SIZE=16M ZC_TEST_ITERS=3 timeout -s INT -k 5 150 \
	mpirun --allow-run-as-root --oversubscribe --bind-to none -n 4 \
	sh "$dir/rank.sh" "$prog"
rc=$?
sent=$(tc -s qdisc show dev lo | sed -n '/netem/{n;s/^ *Sent \([0-9]*\) bytes.*/\1/p}')
echo "netem delayed ${sent:-0} bytes"
if [ "${sent:-0}" -lt $((3 * 4 << 20)) ]; then
	echo "FAIL netem delayed less than the 3 x 4 MiB the puts moved"
	exit 1
fi
[ $rc -eq 0 ] || { echo "FAIL barrier_completes over $prov (exit $rc)"; exit 1; }
echo "placed before the barrier ended, every iteration"
