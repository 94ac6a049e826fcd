#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The test command: install packages, build with warnings as errors, run
# every test (the verbs ones inside the RDMA guest); then rebuild with
# ASan+UBSan and rerun the multi-process suite, and with TSan the tcp
# part of it. Exit status is non-zero if any
# test failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc)

# The zcomm kernel module is built for the RDMA guest's kernel (its
# kbuild dir; without one the module and its tests say "skipped").
kdir=$(bash test/vm/rdma-vm.sh --print-kdir 2>/dev/null || true)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZC_WERROR=ON \
	-DZC_KDIR="$kdir"
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs" --timeout 600 -LE rdma)
# The rdma label (the mp, collectives and OpenSHMEM suites over verbs and
# the mp suite over the kernel provider, on Soft-RoCE and Soft-iWARP, and
# the fault tests of both; the zcomm module loaded, dmesg scanned, the
# module unloaded at the end) in one boot of the RDMA guest; says
# SKIPPED, with the reason, where the guest cannot boot.
bash test/vm/run_in_guest.sh build

# Sanitizers: the library and the multi-process tests. PMIx and Open MPI
# allocations that live until exit are not ours: see test/lsan.supp.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DZC_WERROR=ON \
	-DZC_SANITIZE=ON -DZC_BUILD_BENCH=OFF
cmake --build build-asan -j"$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/test/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j"$jobs" -L mp -LE rdma \
	-E '^mp/coll_.*/np8$' --timeout 900)

# ThreadSanitizer: the tcp provider's progress thread beside the
# application threads, over the tcp multi-process suite. Peers' accesses
# to the symmetric heap are hidden from it (ZC_PEER_ACCESS_BEGIN in
# transport/zc_provider.h): any report fails the test. Of the
# collectives only back_to_back runs here, at 2 and 4 ranks (their
# algorithms run in the application thread; back_to_back drives every
# path of theirs through tcp), for CI's time; the normal build runs them
# all at every count, the ASan build all but 8 ranks.
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DZC_WERROR=ON \
	-DZC_TSAN=ON -DZC_BUILD_BENCH=OFF
cmake --build build-tsan -j"$jobs"
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
(cd build-tsan && ctest --output-on-failure -j"$jobs" -L mp -L tcp -LE rdma \
	-E '^mp/coll_((reduce|bcast|gather|teams|many_teams|check_args)|.*/np[138]$)' \
	--timeout 900)
echo "test.sh: all tests passed (normal, ASan+UBSan and TSan builds)"
