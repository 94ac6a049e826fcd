#!/bin/sh
# SPDX-License-Identifier: MIT
# expect_status.sh STATUS NP MPIRUN PROGRAM: run PROGRAM on NP PEs (alone
# when NP is 1) and pass only if the job ends with exit status STATUS.
want=$1 np=$2 mpirun=$3 prog=$4
if [ "$np" = 1 ]; then
	timeout -s INT -k 5 60 "$prog"
else
	timeout -s INT -k 5 60 "$mpirun" --allow-run-as-root --oversubscribe \
		--bind-to none -n "$np" "$prog"
fi
rc=$?
if [ "$rc" != "$want" ]; then
	echo "FAIL: exit status $rc, want $want"
	exit 1
fi
echo "exit status $rc as expected"
