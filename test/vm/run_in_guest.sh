#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run_in_guest.sh BUILD [ctest args...]: boot the RDMA guest once (qemu,
# Debian's kernel, Soft-RoCE rxe0 and Soft-iWARP siw0; test/vm/rdma-vm.sh,
# a copy of the team's shared script) and run `ctest -L rdma` of BUILD (the verbs and kernel providers' tests)
# inside it (ZC_VM_FULL=1: every test labelled vm). Where the guest cannot boot (no qemu, no kernel package, no
# network for the first download), prints "skipped" with the reason and
# exits 0: the verbs tests did not run, and the output says so.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: run_in_guest.sh BUILD [ctest args]}" && pwd)
shift
vm=$root/test/vm/rdma-vm.sh
log=$build/vm-prepare.log
if ! bash "$vm" --siw --prepare >"$log" 2>&1; then
	echo "run_in_guest: SKIPPED: the verbs tests did not run: the RDMA" \
		"guest cannot be prepared here ($(tail -n 1 "$log"))"
	exit 0
fi
# ZC_VM_FULL=1: also the vmfull label (4 ranks on siw0, the collectives
# and OpenSHMEM at 4): about twice as long.
label="^rdma$"
[ "${ZC_VM_FULL:-0}" = 1 ] && label='^vm$'
bash "$vm" --siw --timeout "${ZC_VM_TIMEOUT:-2400}" --workdir "$root" -- \
	bash "$root/test/vm/guest_suite.sh" "$build" "$label" "$@"
rc=$?
if [ $rc -eq 125 ]; then
	echo "run_in_guest: SKIPPED: the RDMA guest did not boot or report" \
		"(rdma-vm.sh exit 125)"
	exit 0
fi
exit $rc
