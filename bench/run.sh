#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/run.sh: run every zcomm benchmark beside its Open MPI twin (and the
# OpenSHMEM programs beside Open MPI's OpenSHMEM), print one table per
# benchmark (size, zcomm, MPI, ratio zcomm/MPI), and write the tables
# (.tsv, summary.md) and PNG plots into the output directory.
# It builds nothing: build first (cmake --build BUILD).
#
# usage: bash bench/run.sh [BUILD] [-b BUILD] [-o OUT] [-T TRANSPORTS]
#                          [-t MS] [-n "2 4 8"] [-s SETS] [-r R] [-k K]
#                          [-B] [-q]
#   -b  build directory, or the first argument (default: ./build);
#       programs in BUILD/bench
#   -o  output directory (default: BUILD/bench-results)
#   -T  zcomm transports to benchmark, comma-separated, each in its own
#       run: shm (default, or $ZC_TRANSPORTS), tcp, tcp-netns. For tcp,
#       Open MPI runs over TCP too ($MPI_ARGS_TCP). tcp-netns (root):
#       zcomm's two ranks in two network namespaces joined by a veth
#       pair (made and removed here); Open MPI cannot cross them (its
#       PMIx server listens on 127.0.0.1), so its column is TCP loopback.
#       Collectives there put rank r in namespace r mod 2.
#   -t  time budget per message size in ms (default 25)
#   -n  rank counts for the collectives (default "2 4 8")
#   -s  sets to run: rma,coll,shmem (default all three)
#   -r  run every program R times, interleaving the two sides, and
#       report the median per size (default 1)
#   -k  every program splits each timed run into K batches and reports
#       the fastest (default 1: the average, as OSU)
#   -B  with -r: report the best run per size instead (lowest latency,
#       highest bandwidth): on a machine shared with other work, the
#       figure least disturbed by it
#   -q  quiet: no tables on stdout, files only
# Environment: MPI_ARGS_SHM, MPI_ARGS_TCP (extra mpirun arguments for the
# MPI twins), BENCH_TIMEOUT (seconds per program, default 300). Every
# other ZC_* variable set (ZC_COLL_BARRIER=counter, ZC_SPIN=0, ...) is
# passed to the zcomm programs and named in the summary; -T sets
# ZC_TRANSPORTS.
set -u

CMDLINE="bash bench/run.sh $*"
BUILD=build
OUT=
TRANSPORTS=${ZC_TRANSPORTS:-shm}
BUDGET=25
COLL_RANKS="2 4 8"
SETS=rma,coll,shmem
QUIET=0
REPEAT=1
BEST=0
BATCHES=1
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
	BUILD=$1
	shift
fi
while getopts "b:o:T:t:n:s:r:k:Bqh" opt; do
	case $opt in
	b) BUILD=$OPTARG ;;
	o) OUT=$OPTARG ;;
	T) TRANSPORTS=$OPTARG ;;
	t) BUDGET=$OPTARG ;;
	n) COLL_RANKS=$OPTARG ;;
	s) SETS=$OPTARG ;;
	r) REPEAT=$OPTARG ;;
	B) BEST=1 ;;
	k) BATCHES=$OPTARG ;;
	q) QUIET=1 ;;
	*) sed -n '4,33p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] && BUILD=$1
[ "$TRANSPORTS" = auto ] && TRANSPORTS=shm
OUT=${OUT:-$BUILD/bench-results}
BIN=$BUILD/bench
TMO=${BENCH_TIMEOUT:-300}
NCPU=$(nproc)
# Open MPI's default one-sided component here (osc rdma over btl vader)
# crashes in MPI_Compare_and_swap and is slower than osc sm on every line:
# compare with osc sm, the fastest working one (doc/performance.md).
MPI_ARGS_SHM=${MPI_ARGS_SHM:---mca osc sm}
# Open MPI over TCP: ob1 over btl tcp, one-sided through osc pt2pt (which
# Debian's openmpi-mca-params.conf disables; the command line wins).
MPI_ARGS_TCP=${MPI_ARGS_TCP:---mca pml ob1 --mca btl tcp,self --mca osc pt2pt}

if [ ! -x "$BIN/zc_put_lat" ]; then
	echo "run.sh: no benchmarks in $BIN: build first (cmake --build $BUILD)" >&2
	exit 2
fi
mkdir -p "$OUT"
SUMMARY=$OUT/summary.md
if gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo; then
	PNGTERM="pngcairo size 900,560"
else
	PNGTERM="png size 900,560"
fi
HAVE_GNUPLOT=1
command -v gnuplot >/dev/null || HAVE_GNUPLOT=0

say() { [ "$QUIET" = 1 ] || echo "$@"; }

# launch OUTBASE RANKS KIND [ENV=VAL ...] -- PROGRAM [ARGS]: run one
# program under mpirun (KIND mpi/zc) or oshrun (KIND oshmem) inside a
# timeout; stdout to OUTBASE.out, stderr to OUTBASE.err, the table to
# OUTBASE.tsv. Returns the program's status (77: skipped).
launch() {
	local base=$1 np=$2 kind=$3 rc
	shift 3
	local envs=() xs=()
	while [ "$1" != -- ]; do
		envs+=("$1")
		xs+=(-x "${1%%=*}")
		shift
	done
	shift
	local place=()
	[ "$np" -gt "$NCPU" ] && place=(--oversubscribe --bind-to none)
	local launcher=(mpirun --allow-run-as-root)
	local extra=()
	case $kind in
	mpi) read -r -a extra <<< "$MPI_ARGS" ;;
	oshmem) launcher=(oshrun --allow-run-as-root)
		extra=(--mca opal_common_ucx_opal_mem_hooks 0) ;;
	esac
	env "${envs[@]}" timeout -s INT -k 5 "$TMO" "${launcher[@]}" "${place[@]}" \
		"${xs[@]}" "${extra[@]}" -n "$np" "$@" >"$base.out" 2>"$base.err"
	rc=$?
	awk '!/^#/ && !/^skipped/ && NF == 2 && $1 ~ /^[0-9]+$/ { print $1, $2 }' \
		"$base.out" >"$base.tsv"
	if grep -q '^skipped' "$base.out"; then
		rc=77
	elif [ $rc -ne 0 ]; then
		echo "run.sh: $* (np $np, $kind) failed with status $rc;" \
		     "see $base.err" >&2
	fi
	return $rc
}

# median BASE UNIT: the median per size of BASE.r*.tsv, into BASE.tsv;
# with -B the best (UNIT Bandwidth: the highest, else the lowest).
median() {
	local pick=median
	if [ "$BEST" = 1 ]; then
		pick=min
		[[ "$2" == Bandwidth* ]] && pick=max
	fi
	cat "$1".r*.tsv 2>/dev/null | awk -v pick=$pick '
		{ if (!($1 in n)) order[++m] = $1; v[$1, ++n[$1]] = $2 }
		END {
			for (i = 1; i <= m; i++) {
				s = order[i]; k = n[s]
				for (a = 1; a <= k; a++) x[a] = v[s, a] + 0
				for (a = 2; a <= k; a++)	# insertion sort
					for (b = a; b > 1 && x[b - 1] > x[b]; b--) {
						t = x[b]; x[b] = x[b - 1]; x[b - 1] = t
					}
				med = k % 2 ? x[(k + 1) / 2] : (x[k / 2] + x[k / 2 + 1]) / 2
				if (pick == "min") med = x[1]
				if (pick == "max") med = x[k]
				printf "%s %.3f\n", s, med
			}
		}' >"$1.tsv"
}

# combine A.tsv B.tsv: "size a b a/b" on sizes in either ("-" if absent).
combine() {
	awk 'NR == FNR { a[$1] = $2; order[++n] = $1; next }
	     { b[$1] = $2; if (!($1 in a)) order[++n] = $1 }
	     END {
		for (i = 1; i <= n; i++) {
			s = order[i]; x = (s in a) ? a[s] : "-"
			y = (s in b) ? b[s] : "-"
			r = "-"
			if (x != "-" && y != "-" && y + 0 > 0)
				r = sprintf("%.2f", x / y)
			print s, x, y, r
		}
	     }' "$1" "$2"
}

# report TITLE UNIT NAME_A NAME_B TSV: the table on stdout and into
# summary.md (markdown).
report() {
	local title=$1 unit=$2 na=$3 nb=$4 tsv=$5
	if [ "$QUIET" != 1 ]; then
		echo
		echo "## $title"
		printf '%-10s %16s %16s %10s\n' "# Size" "$na" "$nb" "$na/$nb"
		awk '{ printf "%-10s %16s %16s %10s\n", $1, $2, $3, $4 }' "$tsv"
	fi
	{
		echo
		echo "### $title"
		echo
		echo "| Size (B) | $na $unit | $nb $unit | ratio $na/$nb |"
		echo "|---:|---:|---:|---:|"
		awk '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$tsv"
	} >>"$SUMMARY"
}

# plot PNG TITLE YLABEL LOGY "file:col:title" ...: lines over message
# size (log2); $PLOT_X names another x axis (then plain numbers).
plot() {
	local png=$1 title=$2 ylabel=$3 logy=$4
	shift 4
	[ "$HAVE_GNUPLOT" = 1 ] || return 0
	local cmds="" sep="" xlabel=${PLOT_X:-Message size (bytes; Ki, Mi)}
	local xfmt="%.0b%B"
	[ -n "${PLOT_X:-}" ] && xfmt="%g"
	for spec in "$@"; do
		IFS=: read -r f col t <<< "$spec"
		# A line needs two points (one-row tables: barrier per np).
		[ "$(wc -l < "$f" 2>/dev/null || echo 0)" -ge 2 ] || continue
		cmds+="$sep'$f' using 1:(\$$col) with linespoints title '$t'"
		sep=", "
	done
	[ -n "$cmds" ] || return 0
	gnuplot <<-EOF 2>>"$OUT/gnuplot.err"
		set terminal $PNGTERM
		set termoption noenhanced
		set output '$png'
		set title '$title'
		set xlabel '$xlabel'
		set ylabel '$ylabel'
		set logscale x 2
		set format x '$xfmt'
		$( [ "$logy" = 1 ] && echo "set logscale y" )
		set grid
		set key outside bottom center horizontal
		set datafile missing '-'
		plot $cmds
	EOF
}

# pair DIR NAME TITLE UNIT LOGY NP A_KIND A_PROG B_KIND B_PROG [ARGS]:
# run two programs, combine, report, plot.
pair() {
	local dir=$1 name=$2 title=$3 unit=$4 logy=$5 np=$6
	local ka=$7 pa=$8 kb=$9 pb=${10}
	shift 10
	local na nb
	na=$(label "$ka")
	nb=$(label "$kb")
	mkdir -p "$dir"
	rm -f "$dir/$name".*.r*.tsv
	for ((i = 1; i <= REPEAT; i++)); do
		launch "$dir/$name.$ka.r$i" "$np" "$ka" ZC_TRANSPORTS="$ZCT" \
			"${ZC_EXTRA_ENV[@]}" -- "$BIN/$pa" -t "$BUDGET" -k "$BATCHES" "$@"
		launch "$dir/$name.$kb.r$i" "$np" "$kb" ZC_TRANSPORTS="$ZCT" -- \
			"$BIN/$pb" -t "$BUDGET" -k "$BATCHES" "$@"
	done
	median "$dir/$name.$ka" "$unit"
	median "$dir/$name.$kb" "$unit"
	combine "$dir/$name.$ka.tsv" "$dir/$name.$kb.tsv" >"$dir/$name.tsv"
	report "$title" "$unit" "$na" "$nb" "$dir/$name.tsv"
	plot "$dir/$name.png" "$title" "$unit" "$logy" \
		"$dir/$name.tsv:2:$na" "$dir/$name.tsv:3:$nb"
}

label() {
	case $1 in
	zc) echo zcomm ;;
	mpi) echo MPI ;;
	zcshmem) echo zcomm-shmem ;;
	oshmem) echo OMPI-shmem ;;
	esac
}

has_set() { [[ ",$SETS," == *",$1,"* ]]; }

machine() {
	echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
	echo "- kernel: $(uname -r)"
	echo "- Open MPI: $(mpirun --version 2>/dev/null | head -1)"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Both sides run on the same cores: other work on the machine makes
# every figure noisy. Say so rather than silently print noise.
load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" -v n="$NCPU" 'BEGIN { exit !(l > n / 2) }'; then
	echo "run.sh: warning: load average $load on $NCPU cores: other" \
	     "work is running, figures will be noisy" >&2
fi

{
	echo "# zcomm benchmark results"
	echo
	machine
	echo "- command: $CMDLINE"
	echo "- budget per size: $BUDGET ms in $BATCHES batch(es), the fastest" \
	     "reported; $( [ "$BEST" = 1 ] && echo best || echo median) of" \
	     "$REPEAT run(s) per size, the two sides interleaved"
	echo "- ratio < 1 is zcomm faster for"
	echo "  latency, > 1 is zcomm faster for bandwidth"
} >"$SUMMARY"

# Two "hosts": namespaces joined by a veth pair, addresses inside them
# only. The veth ends get the same name in both, so one ZC_TCP_IF fits.
NETNS=()
netns_down() {
	local ns
	for ns in "${NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	NETNS=()
}
netns_up() {
	local a=zcbench$$a b=zcbench$$b v=zcbv$$
	ip netns add "$a" && NETNS+=("$a") && ip netns add "$b" &&
	NETNS+=("$b") && ip link add "$v.0" type veth peer name "$v.1" &&
	ip link set "$v.0" netns "$a" name "$v" &&
	ip link set "$v.1" netns "$b" name "$v" &&
	ip -n "$a" addr add 10.98.0.1/24 dev "$v" &&
	ip -n "$b" addr add 10.98.0.2/24 dev "$v" &&
	ip -n "$a" link set "$v" up && ip -n "$b" link set "$v" up &&
	ip -n "$a" link set lo up && ip -n "$b" link set lo up || {
		echo "run.sh: cannot make network namespaces (root needed)" >&2
		netns_down
		return 1
	}
	ZC_NETNS_ENV=(ZC_TCP_NETNS="$a,$b" ZC_TCP_IF="$v")
}
trap netns_down EXIT
ZC_NETNS_ENV=()
# The caller's own ZC_* settings, for the zcomm side only.
ZC_USER_ENV=()
for v in $(compgen -e | grep '^ZC_' | grep -v '^ZC_TRANSPORTS$'); do
	ZC_USER_ENV+=("$v=${!v}")
done

start=$(date +%s)
IFS=, read -r -a tlist <<< "$TRANSPORTS"
for tr in "${tlist[@]}"; do
	ZCT=$tr
	ZC_EXTRA_ENV=("${ZC_USER_ENV[@]}")
	case $tr in
	tcp) MPI_ARGS=$MPI_ARGS_TCP ;;
	tcp-netns)
		MPI_ARGS=$MPI_ARGS_TCP
		ZCT=tcp
		netns_up || continue
		ZC_EXTRA_ENV+=("${ZC_NETNS_ENV[@]}")
		;;
	*) MPI_ARGS=$MPI_ARGS_SHM ;;
	esac
	D=$OUT/$tr
	mkdir -p "$D"
	{
		echo
		echo "## transport $tr (zcomm: ZC_TRANSPORTS=$ZCT ${ZC_EXTRA_ENV[*]};" \
		     "MPI: mpirun $MPI_ARGS)"
	} >>"$SUMMARY"
	say "=== zcomm ZC_TRANSPORTS=$ZCT ${ZC_EXTRA_ENV[*]} vs Open MPI" \
	    "($MPI_ARGS)"

	if has_set rma; then
		for b in put_lat get_lat fadd_lat cswap_lat put_pingpong; do
			case $b in
			put_lat) t="put latency, put + quiet (MPI_Put + flush)" ;;
			get_lat) t="get latency (MPI_Get + flush)" ;;
			fadd_lat) t="fetch-add latency (MPI_Fetch_and_op)" ;;
			cswap_lat) t="compare-swap latency (MPI_Compare_and_swap)" ;;
			put_pingpong) t="put ping-pong round trip" ;;
			esac
			pair "$D" "$b" "$t [$tr]" "Latency (us)" 1 2 \
				zc "zc_$b" mpi "mpi_$b"
		done
		pair "$D" put_bw "put bandwidth, window of 64 puts + quiet [$tr]" \
			"Bandwidth (MB/s)" 0 2 zc zc_put_bw mpi mpi_put_bw
		# memcpy, the same copy without communication: the bound for
		# same-node puts.
		if [ "$tr" = shm ] && [ -x "$BIN/zc_memcpy_bw" ]; then
			timeout -s INT -k 5 "$TMO" "$BIN/zc_memcpy_bw" -t "$BUDGET" -k "$BATCHES" \
				>"$D/memcpy_bw.out" 2>"$D/memcpy_bw.err"
			awk '!/^#/ && NF == 2 { print $1, $2 }' \
				"$D/memcpy_bw.out" >"$D/memcpy_bw.tsv"
			combine "$D/put_bw.zc.tsv" "$D/memcpy_bw.tsv" \
				>"$D/put_bw_memcpy.tsv"
			report "zcomm put bandwidth against memcpy [$tr]" \
				"(MB/s)" zcomm memcpy "$D/put_bw_memcpy.tsv"
			plot "$D/put_bw.png" "put bandwidth [$tr]" \
				"Bandwidth (MB/s)" 0 "$D/put_bw.tsv:2:zcomm" \
				"$D/put_bw.tsv:3:MPI" \
				"$D/memcpy_bw.tsv:2:memcpy"
		fi
		# The floor under the tcp latencies: a plain TCP round trip.
		if [ "$tr" = tcp ] && [ -x "$BIN/tcp_floor" ]; then
			timeout -s INT -k 5 "$TMO" "$BIN/tcp_floor" >"$D/tcp_floor.out" \
				2>"$D/tcp_floor.err"
			{
				echo
				echo "### floor: plain loopback TCP 8 B round trip" \
				     "(bench/tcp_floor, no library) [$tr]"
				echo
				echo '```'
				cat "$D/tcp_floor.out"
				echo '```'
			} >>"$SUMMARY"
			[ "$QUIET" = 1 ] || cat "$D/tcp_floor.out"
		fi
	fi

	# Over tcp-netns rank r lives in namespace r mod 2 (ZC_TCP_NETNS):
	# at 2 ranks one "host" each; more ranks share them.
	if has_set coll; then
		for c in barrier bcast allreduce allgather alltoall reduce_scatter; do
			specs=()
			for np in $COLL_RANKS; do
				pair "$D/coll" "${c}_np$np" "$c latency, $np ranks [$tr]" \
					"Latency (us)" 1 "$np" zc "zc_$c" mpi "mpi_$c"
				specs+=("$D/coll/${c}_np$np.tsv:2:zcomm np$np"
					"$D/coll/${c}_np$np.tsv:3:MPI np$np")
			done
			[ "$c" = barrier ] || plot "$D/coll/$c.png" \
				"$c latency [$tr]" "Latency (us)" 1 "${specs[@]}"
		done
		# The barrier over the rank counts, one table.
		for np in $COLL_RANKS; do
			awk -v np="$np" '{ $1 = np; print }' \
				"$D/coll/barrier_np$np.tsv"
		done >"$D/coll/barrier.tsv"
		report "barrier latency by rank count (first column: ranks) [$tr]" \
			"(us)" zcomm MPI "$D/coll/barrier.tsv"
		PLOT_X=Ranks plot "$D/coll/barrier.png" "barrier latency [$tr]" \
			"Latency (us)" 1 "$D/coll/barrier.tsv:2:zcomm" \
			"$D/coll/barrier.tsv:3:MPI"
	fi

	# Open MPI's OpenSHMEM runs over UCX shared memory whatever we pick,
	# so the OpenSHMEM set runs with shm only.
	if has_set shmem && [ "$tr" = shm ]; then
		for b in put_lat get_lat fadd_lat cswap_lat put_pingpong put_bw \
			 barrier bcast allreduce allgather alltoall; do
			[ -x "$BIN/oshmem_$b" ] || continue
			unit="Latency (us)"; logy=1
			[ "$b" = put_bw ] && { unit="Bandwidth (MB/s)"; logy=0; }
			if [ -x "$BIN/zcshmem_$b" ]; then
				pair "$D/shmem" "$b" "OpenSHMEM $b [$tr]" "$unit" \
					"$logy" 2 zcshmem "zcshmem_$b" oshmem "oshmem_$b"
			else
				mkdir -p "$D/shmem"
				rm -f "$D/shmem/$b".*.r*.tsv
				for ((i = 1; i <= REPEAT; i++)); do
					launch "$D/shmem/$b.oshmem.r$i" 2 oshmem -- \
						"$BIN/oshmem_$b" -t "$BUDGET" -k "$BATCHES"
				done
				median "$D/shmem/$b.oshmem" "$unit"
				: >"$D/shmem/$b.zcshmem.tsv"
				combine "$D/shmem/$b.zcshmem.tsv" \
					"$D/shmem/$b.oshmem.tsv" >"$D/shmem/$b.tsv"
				report "OpenSHMEM $b [$tr] (zcomm shmem.h not built yet)" \
					"$unit" zcomm-shmem OMPI-shmem "$D/shmem/$b.tsv"
			fi
		done
	fi
	netns_down
done
echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$SUMMARY"
say
say "run.sh: done in $(( $(date +%s) - start )) s; tables and plots in $OUT" \
    "(summary: $SUMMARY)"
