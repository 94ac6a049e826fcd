#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# slurm.sh BUILD: a real single-node Slurm (munged, slurmctld, slurmd from
# Debian's slurm-wlm, mpi_pmix) with its configuration written into a
# temporary directory, then zcomm programs under `srun --mpi=pmix` at 2
# and 4 tasks: the native put/get test, a collectives test, an OpenSHMEM
# program, and a tcp run (ZC_TRANSPORTS=tcp); and zcshrun inside an
# allocation (salloc), which must launch through srun --mpi=pmix itself. Everything it started is
# stopped and its directory removed on exit. Exit 0 pass, 1 fail, 77 skip
# (the reason first) when Slurm is not installed or cannot start here.
set -u
build=${1:?usage: slurm.sh BUILD}
skip() { echo "skipped: $*"; exit 77; }
# Slurm looks names up all the time (its own host, the controller, the
# node, srun's host). Where the machine's name is not in /etc/hosts that
# goes to DNS, and a DNS server that does not answer costs seconds per
# lookup and hangs every srun. So the test runs in its own UTS and mount
# namespaces, under a host name that its own /etc/hosts maps to 127.0.0.1.
if [ -z "${ZC_SLURM_NS:-}" ] && unshare -m -u true 2>/dev/null; then
	ZC_SLURM_NS=1 exec unshare -m -u --propagation private bash "$0" "$@"
fi
start=$SECONDS
budget=${ZC_SLURM_BUDGET:-480}	# seconds; ctest's limit is 600
for t in munged mungekey slurmctld slurmd srun salloc sinfo; do
	command -v "$t" >/dev/null || skip "$t not found (apt install slurmctld slurmd slurm-client munge)"
done
[ "$(id -u)" -eq 0 ] || skip "needs root (daemons as root, ports, spool)"
plugdir=$(dirname "$(find /usr/lib -name mpi_pmix.so -path '*slurm*' 2>/dev/null | head -1)")
[ -n "$plugdir" ] && [ "$plugdir" != . ] || skip "Slurm's mpi_pmix plugin not found"

tmp=$(mktemp -d /tmp/zc_slurm.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.5
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/ctld" "$tmp/spool" "$tmp/log" "$tmp/run"
chmod 0755 "$tmp" "$tmp/run"
if [ -n "${ZC_SLURM_NS:-}" ]; then
	printf '127.0.0.1\tlocalhost\n127.0.0.1\tzcslurm\n' >"$tmp/hosts"
	if hostname zcslurm && mount --bind "$tmp/hosts" /etc/hosts; then
		echo "slurm: host name zcslurm in a private namespace"
	else
		echo "slurm: private host name not possible, using $(hostname)"
	fi
fi
logs() {
	for f in slurmctld.log slurmd.log slurmctld.out slurmd.out; do
		[ -s "$tmp/log/$f" ] || continue
		echo "    --- $f (last lines)"
		tail -8 "$tmp/log/$f" | sed 's/^/    /'
	done
}

# munge: a key of our own and a socket in the temp dir.
mungekey -c -k "$tmp/munge.key" >/dev/null 2>&1 ||
	dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 2>/dev/null
chmod 0600 "$tmp/munge.key"
sock=$tmp/run/munge.sock
munged -F -f --key-file="$tmp/munge.key" --socket="$sock" \
	--pid-file="$tmp/run/munged.pid" --log-file="$tmp/log/munged.log" \
	--seed-file="$tmp/munge.seed" >"$tmp/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { cat "$tmp/log/munged.log" 2>/dev/null; skip "munged did not start"; }

# Ports: two free ones in 20000-32767, picked at random: below the
# kernel's ephemeral range (32768- here), where the tests' own sockets
# come from, and not listened on now (a daemon that cannot bind never
# brings the node up, and the test would skip).
port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 12768))
		if ! command -v ss >/dev/null ||
		   [ -z "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ]; then
			echo "$p"; return
		fi
	done
	echo "$p"
}
cport=$(port) dport=$(port)
while [ "$dport" = "$cport" ]; do dport=$(port); done
host=$(hostname -s)
ncpu=$(nproc)
cat > "$tmp/slurm.conf" <<EOC
ClusterName=zctest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$cport
SlurmdPort=$dport
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
PluginDir=$plugdir
StateSaveLocation=$tmp/ctld
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=zcnode NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$ncpu State=UNKNOWN
PartitionName=zc Nodes=zcnode Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOC
export SLURM_CONF=$tmp/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N zcnode -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
up=no
while [ $((SECONDS - start)) -lt 60 ]; do
	if timeout 5 sinfo -h -N -o '%T' 2>/dev/null |
	   grep -qE '^(idle|mixed|allocated)'; then
		up=yes; break
	fi
	sleep 0.2
done
if [ $up != yes ]; then
	logs
	skip "slurmctld/slurmd did not bring the node up (logs above)"
fi
echo "slurm: node up (slurmctld :$cport, slurmd :$dport)"

fail=0
run() {	# run NAME NTASKS ENV... -- PROGRAM: srun it, check status and output
	local name=$1 n=$2; shift 2
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	local out t0=$SECONDS
	if [ $((SECONDS - start)) -ge "$budget" ]; then
		echo "FAIL $name -n $n: not run, the test's ${budget} s are spent"
		fail=1
		return
	fi
	if [ "$1" = zcshrun ]; then
		# zcshrun inside an allocation: salloc gives one, zcshrun
		# must pick srun --mpi=pmix by itself.
		shift
		out=$(env "${envs[@]}" timeout -k 5 60 salloc -n "$n" -O -t 2 \
			"$build/bin/zcshrun" -n "$n" "$@" 2>&1)
	else
		out=$(env "${envs[@]}" timeout -k 5 60 srun --mpi=pmix -n "$n" \
			-O -t 2 "$@" 2>&1)
	fi
	local rc=$?
	# Each program's rank 0 says "ok on N ranks|PEs": N proves that
	# PMIx under srun made one job of them.
	if [ $rc -eq 0 ] && ! grep -q 'FAIL' <<<"$out" &&
	   grep -qE "ok on $n (ranks|PEs)" <<<"$out"; then
		echo "ok   $name -n $n ($((SECONDS - t0)) s)"
	else
		echo "FAIL $name -n $n (status $rc after $((SECONDS - t0)) s):"
		sed 's/^/    /' <<<"$out" | tail -20
		logs
		fail=1
	fi
}
for n in 2 4; do
	run put_get_sizes "$n" ZC_HEAP_SIZE=80M -- "$build/test/mp/t_put_get_sizes"
	run coll_reduce "$n" -- "$build/test/coll/t_coll_reduce_rd"
	run shmem_rma "$n" -- "$build/test/shmem/t_shmem_rma"
	run put_get_sizes_tcp "$n" ZC_TRANSPORTS=tcp ZC_HEAP_SIZE=80M -- \
		"$build/test/mp/t_put_get_sizes"
	# ZCSH_MPIRUN=false: had zcshrun picked mpirun, the run fails.
	run zcshrun_shmem_sync "$n" ZCSH_MPIRUN=false -- zcshrun \
		"$build/test/shmem/t_shmem_sync"
done
[ $fail -eq 0 ] && echo "slurm: all zcomm runs passed under srun --mpi=pmix"
exit $fail
