#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kernel_conns.sh PROG: 4 ranks on two simulated nodes (ranks 0,1 and 2,3;
# ZC_TEST_NODE, shared memory inside a node) over the kernel provider,
# then over verbs. Between the two nodes the kernel provider holds one RC
# connection (read from the module's report: one active endpoint) where
# verbs holds one per pair of ranks (4, counted as RC queue pairs in use,
# two per connection since both ends live on this host).
prog=$1
[ -e /sys/class/infiniband/rxe0 ] || { echo "skipped: no rxe0 here (runs in the RDMA guest)"; exit 77; }
[ -e /dev/zcomm ] || { echo "skipped: the zcomm module is not loaded"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/rank.sh" <<'EOS'
#!/bin/sh
r=${OMPI_COMM_WORLD_RANK:?}
export ZC_TEST_NODE=node$((r / 2))
exec "$@"
EOS
run() {	# provider
	ZC_TRANSPORTS=shm,$1 ZC_KERNEL_DEVICE=rxe0 ZC_VERBS_DEVICE=rxe0 \
	ZC_PEER_TIMEOUT=20s ZC_HEAP_SIZE=16M ZC_TEST_OUT=$dir/$1 \
		timeout -s INT -k 5 200 mpirun --allow-run-as-root \
		--oversubscribe --bind-to none -n 4 sh "$dir/rank.sh" "$prog"
}
run kernel | tee "$dir/kernel.log"
grep -q "conns ok" "$dir/kernel.log" || { echo "FAIL kernel run"; exit 1; }
run verbs | tee "$dir/verbs.log"
grep -q "conns ok" "$dir/verbs.log" || { echo "FAIL verbs run"; exit 1; }
cat "$dir/kernel.report" "$dir/verbs.qp"
# The module's connections outlive jobs (earlier tests' stay up): count
# those on rxe0; its queue pairs have no pid, the verbs provider's have.
k=$(grep -c '^conn .* active up dev rxe0' "$dir/kernel.report")
kq=$(grep 'link rxe0' "$dir/kernel.qp" | grep 'type RC' | grep -vc ' pid ')
vq=$(grep 'link rxe0' "$dir/verbs.qp" | grep 'type RC' | grep -c ' pid ')
echo "kernel: $k connection(s) ($kq RC queue pairs); verbs: $((vq / 2)) connections ($vq RC queue pairs)"
[ "$k" -eq 1 ] || { echo "FAIL kernel: $k connections between the nodes, want 1"; exit 1; }
[ "$kq" -eq 2 ] || { echo "FAIL kernel: $kq RC queue pairs, want 2"; exit 1; }
[ "$vq" -eq 8 ] || { echo "FAIL verbs: $vq RC queue pairs, want 8 (4 connections)"; exit 1; }
echo "one connection per node pair (kernel) against 4 (verbs)"
