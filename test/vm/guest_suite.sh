#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# guest_suite.sh BUILD LABEL [ctest args]: inside the RDMA guest: loads
# BUILD's zcomm module (when it was built), runs ctest -L LABEL, then
# fails the run if the kernel logged a BUG, WARNING or Oops, or if the
# module cannot be unloaded (a leaked reference).
set -u
build=$1 label=$2
shift 2
ko=$build/kmod/zcomm.ko
loaded=0
if [ -f "$ko" ]; then
	if insmod "$ko"; then
		loaded=1
		echo "guest_suite: zcomm module loaded"
	else
		echo "guest_suite: FAIL: insmod $ko"
		exit 1
	fi
else
	echo "guest_suite: no zcomm module in $build (configure with" \
		"-DZC_KDIR=...): the kernel provider's tests skip"
fi
ctest --test-dir "$build" -L "$label" --output-on-failure "$@"
rc=$?
if [ $loaded = 1 ]; then
	cat /dev/zcomm
	if ! rmmod zcomm; then
		echo "guest_suite: FAIL: rmmod zcomm (a reference leaked)"
		rc=1
	fi
fi
if dmesg | grep -E 'BUG:|WARNING:|Oops|general protection|RIP:' ; then
	echo "guest_suite: FAIL: the kernel logged the lines above"
	rc=1
fi
exit $rc
