#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds fuzz_tcp_op.c with clang's libFuzzer + ASan + UBSan and runs it
# for a bounded time from seeds written by the wire codec itself.
# Usage: run_fuzz_op.sh SRC_ROOT BUILD_DIR [SECONDS]. Exit 0/1/77(skip).
set -u
src=${1:?} build=${2:?} secs=${3:-20}
cc=$(command -v clang || command -v clang-14 || true)
if [ -z "$cc" ]; then echo "skipped: clang not found"; exit 77; fi
work=$build/fuzz_tcp_op.d
mkdir -p "$work/corpus" "$work/artifacts" || exit 1
flags="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -g -O1
	-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror"
inc="-I $src/transport/smbd -I $src/transport/tcp -I $src/transport/msg"
objs="$src/transport/smbd/smbd_data.c $src/transport/tcp/tcp_wire.c $src/transport/msg/msg_wire.c
	$src/transport/tcp/tcp_hmac.c"
sodium=$(pkg-config --cflags --libs libsodium 2>/dev/null) ||
	{ echo "skipped: libsodium not found (libsodium-dev)"; exit 77; }
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);
int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}' \
	>"$work/probe.c"
if ! "$cc" -fsanitize=fuzzer "$work/probe.c" -o "$work/probe" 2>/dev/null; then
	echo "skipped: $cc cannot link libFuzzer"; exit 77
fi
# shellcheck disable=SC2086
"$cc" $flags $inc $objs "$src/test/tcp/fuzz_tcp_op.c" $sodium -o "$build/fuzz_tcp_op" ||
	{ echo "fail: fuzzer did not build"; exit 1; }
# Seeds: valid op messages of every kind, made by the codec.
cat >"$work/seed.c" <<'EOS'
#include <stdio.h>
#include <string.h>
#include "smbd.h"
#include "tcp_wire.h"
int main(int argc, char **argv) {
	for (int op = 1; op < ZC_MSG_LAST && argc > 1; op++) {
		unsigned char b[256] = {0}; char name[512];
		struct zc_msg_hdr oh = { .op = (unsigned char)op, .seq = 1,
			.off = 64, .len = op == 1 || op == 3 ? 16 : op == 2 ? 8 : 0,
			.width = op == 4 ? 8 : 0 };
		unsigned pl = op == 1 || op == 3 ? 16 : op == 7 ? 32 : 0;
		struct zc_smbd_data_hdr h = { .credits_requested = 4,
			.data_offset = 24, .data_length = 56 + pl };
		unsigned len = 24 + 56 + pl;
		memcpy(b, &len, 4);
		zc_smbd_data_encode(&h, b + 4, 24);
		zc_msg_hdr_encode(&oh, b + 28);
		snprintf(name, sizeof(name), "%s/op%d", argv[1], op);
		FILE *f = fopen(name, "wb");
		if (!f || fwrite(b, 1, 4 + len, f) != 4 + len) return 1;
		fclose(f);
	}
	return 0;
}
EOS
# shellcheck disable=SC2086
"$cc" -std=c11 $inc "$work/seed.c" $objs $sodium -o "$work/seed" &&
	"$work/seed" "$work/corpus" || { echo "fail: seeds"; exit 1; }
"$build/fuzz_tcp_op" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus"
rc=$?
if [ $rc -ne 0 ]; then echo "fail: fuzzer exited $rc; see $work/artifacts/"; exit 1; fi
exit 0
