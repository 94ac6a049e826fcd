#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# need_rdma.sh DEV command...: run the command only where RDMA device DEV
# exists (the RDMA guest of test/vm/run_in_guest.sh) and, for the kernel
# provider (ZC_TRANSPORTS=kernel), the zcomm module is loaded; otherwise
# skip (77) and say why.
dev=$1
shift
if [ ! -e "/sys/class/infiniband/$dev" ]; then
	echo "skipped: no RDMA device $dev here (the RDMA tests run inside" \
		"the RDMA guest: test/vm/run_in_guest.sh)"
	exit 77
fi
if [ "${ZC_TRANSPORTS:-}" = kernel ] && [ ! -e /dev/zcomm ]; then
	echo "skipped: the zcomm kernel module is not loaded (no /dev/zcomm;" \
		"build it with -DZC_KDIR=..., test/vm/run_in_guest.sh loads it)"
	exit 77
fi
exec "$@"
