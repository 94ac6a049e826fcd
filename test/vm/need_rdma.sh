#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# need_rdma.sh DEV command...: run the command only where RDMA device DEV
# exists (the RDMA guest of test/vm/run_in_guest.sh); otherwise skip (77)
# and say why.
dev=$1
shift
if [ ! -e "/sys/class/infiniband/$dev" ]; then
	echo "skipped: no RDMA device $dev here (the verbs tests run inside" \
		"the RDMA guest: test/vm/run_in_guest.sh)"
	exit 77
fi
exec "$@"
