#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two "hosts": network namespaces joined by a veth pair with 10.x
# addresses that exist only inside them, made here and removed on exit.
# Rank 0 lives in one, rank 1 in the other (ZC_TCP_NETNS: each rank calls
# PMIx_Init in the root namespace, then enters its own before its
# sockets). Runs a put/get test program over them and checks that the
# ranks listened on the veth addresses, not on loopback.
# With --cut, the veth is taken down while PROGRAM runs (once it creates
# $T_TCP_MARKER; the time of the cut goes to $T_TCP_MARKER.cut first).
# Usage: netns.sh [--cut] PROGRAM [ARGS]. Exit 0 pass, 1 fail, 77 skip.
set -u
cut=0
if [ "${1:-}" = --cut ]; then cut=1; shift; fi
prog=${1:?usage: netns.sh [--cut] PROGRAM}
shift
if [ "$(id -u)" != 0 ]; then echo "skipped: needs root for ip netns"; exit 77; fi
command -v ip >/dev/null || { echo "skipped: no ip (iproute2)"; exit 77; }
a=zct-a-$$ b=zct-b-$$ va=zcva$$ vb=zcvb$$
cleanup() {
	ip netns del "$a" 2>/dev/null
	ip netns del "$b" 2>/dev/null
	ip link del "$va" 2>/dev/null
}
trap cleanup EXIT
if ! ip netns add "$a" 2>/dev/null || ! ip netns add "$b"; then
	echo "skipped: cannot create network namespaces"; exit 77
fi
ip link add "$va" type veth peer name "$vb" &&
	ip link set "$va" netns "$a" && ip link set "$vb" netns "$b" &&
	ip -n "$a" addr add 10.211.0.1/24 dev "$va" &&
	ip -n "$b" addr add 10.211.0.2/24 dev "$vb" &&
	ip -n "$a" link set "$va" up && ip -n "$b" link set "$vb" up &&
	ip -n "$a" link set lo up && ip -n "$b" link set lo up ||
	{ echo "skipped: cannot set up the veth pair"; exit 77; }
if command -v ping >/dev/null; then
	ip netns exec "$a" ping -c 1 -W 2 10.211.0.2 >/dev/null ||
		{ echo "fail: the namespaces cannot reach each other"; exit 1; }
fi
log=$(mktemp)
export T_TCP_MARKER=$log.marker
ZC_TRANSPORTS=tcp ZC_TCP_NETNS="$a,$b" ZC_LOG=info \
	timeout -s INT -k 5 100 mpirun --allow-run-as-root --oversubscribe \
	--bind-to none -x T_TCP_MARKER -n 2 "$prog" "$@" >"$log" 2>&1 &
run=$!
if [ $cut = 1 ]; then
	for _ in $(seq 300); do [ -e "$T_TCP_MARKER" ] && break; sleep 0.1; done
	sleep 0.3
	date +%s.%N >"$T_TCP_MARKER.cut"
	ip -n "$b" link set "$vb" down
fi
wait $run
rc=$?
rm -f "$T_TCP_MARKER" "$T_TCP_MARKER.cut"
cat "$log"
if [ $rc -ne 0 ]; then rm -f "$log"; echo "fail: mpirun exited $rc"; exit 1; fi
for ip in 10.211.0.1 10.211.0.2; do
	if ! grep -q "tcp: listening on $ip:" "$log"; then
		rm -f "$log"; echo "fail: no rank listened on $ip"; exit 1
	fi
done
rm -f "$log"
echo "netns: two hosts over veth ok"
exit 0
