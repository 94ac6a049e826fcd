#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/verbs.sh: zcomm over the verbs provider and over the kernel
# provider (the zcomm module, loaded from BUILD/kmod when it was built)
# beside perftest and UCX's ucx_perftest (rc_verbs) on the same RDMA
# device, in ONE boot of the RDMA
# guest (test/vm/rdma-vm.sh: Soft-RoCE rxe0 and Soft-iWARP siw0 under
# qemu). Open MPI is not the twin here: Debian's Open MPI 4.1 + UCX 1.13
# does not run over rxe (doc/verbs.md). TCG makes absolute figures
# meaningless: read the ratios, and compare only within one run.
#
# usage: bash bench/verbs.sh [BUILD] [-r R] [-d "rxe0 siw0"]
#   BUILD  build directory with bench/ (default ./build-release)
#   -r     repeat every measurement R times, interleaved; medians reported
#          (default 3)
#   -d     devices (default "rxe0 siw0")
# Output: one table per device on stdout; BUILD/bench-results/verbs.md.
set -u
BUILD=build-release
REPEAT=3
DEVS="rxe0 siw0"
INSIDE=0
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then BUILD=$1; shift; fi
while [ $# -gt 0 ]; do
	case $1 in
	-r) REPEAT=$2; shift 2 ;;
	-d) DEVS=$2; shift 2 ;;
	--inside) INSIDE=1; shift ;;
	*) sed -n '3,17p' "$0"; exit 2 ;;
	esac
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd) || exit 2
OUT=$BUILD/bench-results
mkdir -p "$OUT"

if [ $INSIDE = 0 ]; then
	exec bash "$ROOT/test/vm/rdma-vm.sh" --siw --timeout 3000 --workdir "$ROOT" \
		-- bash "$ROOT/bench/verbs.sh" "$BUILD" -r "$REPEAT" -d "$DEVS" --inside
fi

# ---- inside the guest
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
B=$BUILD/bench
T=$OUT/verbs.d
rm -rf "$T"	# this run's figures only (they are appended below)
mkdir -p "$T"
ip_of() { case $1 in rxe0) echo "$RDMA_VM_RXE_IP" ;; siw0) echo "$RDMA_VM_SIW_IP" ;; esac; }

KMOD=0
if [ -f "$BUILD/kmod/zcomm.ko" ] && insmod "$BUILD/kmod/zcomm.ko"; then
	KMOD=1
else
	echo "kernel provider: no module in $BUILD/kmod (configure with -DZC_KDIR=...): its rows say n/a"
fi
# zcomm: one figure (the column for SIZE) from an OSU-style program.
zc() {	# dev prog size [provider]
	local prov=${4:-verbs}
	[ "$prov" = kernel ] && [ $KMOD = 0 ] && return
	ZC_TRANSPORTS=$prov ZC_VERBS_DEVICE=$1 ZC_KERNEL_DEVICE=$1 \
	ZC_VERBS_ATOMICS=${ATOMICS:-auto} timeout -k 5 120 mpirun \
		--oversubscribe --bind-to none -n 2 "$B/$2" -m "$3:$3" -t 300 2>/dev/null |
		awk -v s="$3" '$1 == s { print $2 }'
}
# perftest: server and client on the same device, through rdma_cm (-R).
# Latency is its t_avg column (zcomm's figures are means too; its
# t_typical is the median, below the mean by the occasional slow round).
pt() {	# dev tool size column extra...
	local dev=$1 tool=$2 size=$3 col=$4 ip
	shift 4
	ip=$(ip_of "$dev")
	timeout 60 "$tool" -d "$dev" -R -s "$size" -F "$@" >/dev/null 2>&1 &
	sleep 1
	timeout 60 "$tool" -d "$dev" -R -s "$size" -F "$@" "$ip" 2>/dev/null |
		awk -v s="$size" -v c="$col" '$1 == s { print $c; exit }'
	wait
}
# ucx_perftest over UCT rc_verbs.
ux() {	# dev test size
	local dev=$1 t=$2 size=$3
	timeout 60 ucx_perftest -t "$t" -x rc_verbs -d "$dev:1" -s "$size" -n 2000 \
		>/dev/null 2>&1 &
	sleep 1
	timeout 60 ucx_perftest -t "$t" -x rc_verbs -d "$dev:1" -s "$size" -n 2000 \
		127.0.0.1 2>/dev/null | awk '/Final:/ { print ($0 ~ /bw/ ? $0 : $0) }' |
		awk -v t="$t" '{ print (t ~ /bw/) ? $(NF-2) : $4 }'
	wait
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "n/a" }'; }
half() { awk '{ printf "%.3f\n", $1 / 2 }'; }

{
echo "# zcomm verbs beside perftest and ucx_perftest, one guest boot"
echo "# $(date -u +%F) $(uname -r), $REPEAT runs each, medians; TCG guest"
} | tee "$OUT/verbs.md"
for dev in $DEVS; do
	[ -e /sys/class/infiniband/$dev ] || { echo "$dev: absent, skipped"; continue; }
	for ((r = 0; r < REPEAT; r++)); do
		zc "$dev" zc_put_poll_pingpong 8 | half >>"$T/$dev.zc_ppp"
		zc "$dev" zc_put_pingpong 8 | half >>"$T/$dev.zc_pp"
		pt "$dev" ib_write_lat 8 6 -n 2000 >>"$T/$dev.pt_wlat"
		zc "$dev" zc_put_lat 8 >>"$T/$dev.zc_put"
		zc "$dev" zc_get_lat 8 >>"$T/$dev.zc_get"
		pt "$dev" ib_read_lat 8 6 -n 2000 >>"$T/$dev.pt_rlat"
		zc "$dev" zc_fadd_lat 8 >>"$T/$dev.zc_fadd"
		ATOMICS=cpu zc "$dev" zc_fadd_lat 8 >>"$T/$dev.zc_fadd_cpu"
		[ "$dev" = siw0 ] || pt "$dev" ib_atomic_lat 8 6 -n 2000 -A FETCH_AND_ADD >>"$T/$dev.pt_alat"
		zc "$dev" zc_put_bw 1048576 >>"$T/$dev.zc_bw"
		pt "$dev" ib_write_bw 1048576 4 -n 200 >>"$T/$dev.pt_wbw"
		pt "$dev" ib_read_bw 1048576 4 -n 200 >>"$T/$dev.pt_rbw"
		ux "$dev" put_lat 8 >>"$T/$dev.ux_lat"
		ux "$dev" put_bw 1048576 >>"$T/$dev.ux_bw"
		zc "$dev" zc_put_poll_pingpong 8 kernel | half >>"$T/$dev.zk_ppp"
		zc "$dev" zc_put_pingpong 8 kernel | half >>"$T/$dev.zk_pp"
		zc "$dev" zc_put_lat 8 kernel >>"$T/$dev.zk_put"
		zc "$dev" zc_get_lat 8 kernel >>"$T/$dev.zk_get"
		zc "$dev" zc_fadd_lat 8 kernel >>"$T/$dev.zk_fadd"
		zc "$dev" zc_put_bw 1048576 kernel >>"$T/$dev.zk_bw"
		zc "$dev" zc_get_lat 1048576 kernel >>"$T/$dev.zk_get1m"
		zc "$dev" zc_get_lat 1048576 >>"$T/$dev.zc_get1m"
	done
	m() { if [ -s "$T/$dev.$1" ]; then median <"$T/$dev.$1"; else echo n/a; fi; }
	ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
	{
	echo
	echo "## $dev"
	echo
	echo "| measurement | zcomm | reference | reference value | zcomm/ref |"
	echo "|---|---:|---|---:|---:|"
	echo "| put 8 B, half a ping-pong of single puts, data polled (us) | $(m zc_ppp) | ib_write_lat | $(m pt_wlat) | $(ratio "$(m zc_ppp)" "$(m pt_wlat)") |"
	echo "| same | $(m zc_ppp) | ucx_perftest put_lat | $(m ux_lat) | $(ratio "$(m zc_ppp)" "$(m ux_lat)") |"
	echo "| put 8 B + fence + flag put, half a ping-pong (us; 2 WRs) | $(m zc_pp) | ib_write_lat | $(m pt_wlat) | $(ratio "$(m zc_pp)" "$(m pt_wlat)") |"
	echo "| put 8 B + quiet (us, a full round trip) | $(m zc_put) | ib_write_lat x2 | $(awk -v a="$(m pt_wlat)" 'BEGIN{print a*2}') | $(ratio "$(m zc_put)" "$(awk -v a="$(m pt_wlat)" 'BEGIN{print a*2}')") |"
	# iWARP: quiet ends with a READ (a WRITE's completion is not its
	# placement there), so a READ's round trip is the fair twin.
	[ "$dev" = siw0 ] && echo "| put 8 B + quiet (us; iWARP: the WRITE, then a READ) | $(m zc_put) | ib_read_lat | $(m pt_rlat) | $(ratio "$(m zc_put)" "$(m pt_rlat)") |"
	echo "| get 8 B (us) | $(m zc_get) | ib_read_lat | $(m pt_rlat) | $(ratio "$(m zc_get)" "$(m pt_rlat)") |"
	echo "| fetch-add 8 B (us; auto: device atomics where the device has them) | $(m zc_fadd) | ib_atomic_lat | $(m pt_alat) | $(ratio "$(m zc_fadd)" "$(m pt_alat)") |"
	echo "| fetch-add 8 B, ZC_VERBS_ATOMICS=cpu (us) | $(m zc_fadd_cpu) | ib_atomic_lat | $(m pt_alat) | $(ratio "$(m zc_fadd_cpu)" "$(m pt_alat)") |"
	echo "| put 1 MiB bandwidth (MB/s) | $(m zc_bw) | ib_write_bw | $(m pt_wbw) | $(ratio "$(m zc_bw)" "$(m pt_wbw)") |"
	echo "| put 1 MiB bandwidth (MB/s) | $(m zc_bw) | ucx_perftest put_bw | $(m ux_bw) | $(ratio "$(m zc_bw)" "$(m ux_bw)") |"
	echo "| (get side) | | ib_read_bw 1 MiB | $(m pt_rbw) | |"
	echo
	echo "Kernel provider (the zcomm module) on the same device, same boot:"
	echo
	echo "| measurement | zcomm kernel | zcomm verbs | kernel/verbs | reference | reference value | kernel/ref |"
	echo "|---|---:|---:|---:|---|---:|---:|"
	echo "| put 8 B, half a ping-pong of single puts (us) | $(m zk_ppp) | $(m zc_ppp) | $(ratio "$(m zk_ppp)" "$(m zc_ppp)") | ib_write_lat | $(m pt_wlat) | $(ratio "$(m zk_ppp)" "$(m pt_wlat)") |"
	echo "| put + fence + flag put, half a ping-pong (us) | $(m zk_pp) | $(m zc_pp) | $(ratio "$(m zk_pp)" "$(m zc_pp)") | ib_write_lat | $(m pt_wlat) | $(ratio "$(m zk_pp)" "$(m pt_wlat)") |"
	echo "| put 8 B + quiet (us) | $(m zk_put) | $(m zc_put) | $(ratio "$(m zk_put)" "$(m zc_put)") | ib_write_lat x2 | $(awk -v a="$(m pt_wlat)" 'BEGIN{print a*2}') | $(ratio "$(m zk_put)" "$(awk -v a="$(m pt_wlat)" 'BEGIN{print a*2}')") |"
	echo "| get 8 B (us) | $(m zk_get) | $(m zc_get) | $(ratio "$(m zk_get)" "$(m zc_get)") | ib_read_lat | $(m pt_rlat) | $(ratio "$(m zk_get)" "$(m pt_rlat)") |"
	echo "| get 1 MiB (us) | $(m zk_get1m) | $(m zc_get1m) | $(ratio "$(m zk_get1m)" "$(m zc_get1m)") | | | |"
	echo "| fetch-add 8 B (us) | $(m zk_fadd) | $(m zc_fadd) | $(ratio "$(m zk_fadd)" "$(m zc_fadd)") | ib_atomic_lat | $(m pt_alat) | $(ratio "$(m zk_fadd)" "$(m pt_alat)") |"
	echo "| put 1 MiB bandwidth (MB/s) | $(m zk_bw) | $(m zc_bw) | $(ratio "$(m zk_bw)" "$(m zc_bw)") | ib_write_bw | $(m pt_wbw) | $(ratio "$(m zk_bw)" "$(m pt_wbw)") |"
	} | tee -a "$OUT/verbs.md"
done

# The passthrough round trip, and what 8 ranks on one node hold: RC
# connections (queue pairs) and pinned memory, kernel against verbs.
if [ $KMOD = 1 ] && [ -x "$BUILD/bench/kernel_rtt" ]; then
	{
	echo
	echo "## io_uring passthrough and resources at 8 ranks"
	echo
	"$BUILD/bench/kernel_rtt" 20000 | awk '{ printf "- %s: %s us per command\n", $1, $2 }'
	} | tee -a "$OUT/verbs.md"
	prog=$BUILD/test/vm/t_kernel_conns	# a tests build's (or ./build's)
	[ -x "$prog" ] || prog=$ROOT/build/test/vm/t_kernel_conns
	if [ -x "$prog" ]; then
		for prov in kernel verbs; do
			ZC_TRANSPORTS=$prov ZC_KERNEL_DEVICE=rxe0 ZC_VERBS_DEVICE=rxe0 \
			ZC_HEAP_SIZE=64M ZC_PEER_TIMEOUT=20s ZC_TEST_OUT=$T/res8.$prov \
				timeout -k 5 300 mpirun --oversubscribe --bind-to none \
				-n 8 "$prog" >/dev/null 2>&1
		done
		kq=$(grep 'link rxe0' "$T/res8.kernel.qp" | grep 'type RC' | grep -vc ' pid ')
		vq=$(grep 'link rxe0' "$T/res8.verbs.qp" | grep 'type RC' | grep -c ' pid ')
		kp=$(sed -n 's/.*pinned_pages \([0-9]*\).*/\1/p' "$T/res8.kernel.report")
		vm=$(grep -o 'mrlen [0-9]*' "$T/res8.verbs.mr" 2>/dev/null | awk '{ s += $2 } END { print s + 0 }')
		{
		echo "- 8 ranks, ZC_HEAP_SIZE=64M, every peer over the provider:"
		echo "  kernel $kq RC queue pairs on rxe0 (one loopback connection), $((kp * 4 / 1024)) MiB pinned;"
		echo "  verbs $vq RC queue pairs (28 connections between ranks, and with device atomics each rank's loopback, 2 QPs), $((vm / 1048576)) MiB registered"
		} | tee -a "$OUT/verbs.md"
	fi
	rmmod zcomm || echo "rmmod zcomm failed"
fi
