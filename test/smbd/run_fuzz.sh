#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds test/smbd/fuzz_smbd.c with clang's libFuzzer + ASan + UBSan and runs
# it for a bounded time from a generated seed corpus of valid messages.
# Usage: run_fuzz.sh SRC_ROOT BUILD_DIR [SECONDS]
# Exit: 0 pass, 1 fail (build error or fuzzer finding), 77 skip.
set -u

src=${1:?usage: run_fuzz.sh SRC_ROOT BUILD_DIR [SECONDS]}
build=${2:?usage: run_fuzz.sh SRC_ROOT BUILD_DIR [SECONDS]}
secs=${3:-20}
cc=${CLANG:-}

if [ -z "$cc" ]; then
	for c in clang clang-14 clang-15 clang-16; do
		if command -v "$c" >/dev/null 2>&1; then cc=$c; break; fi
	done
fi
if [ -z "$cc" ]; then
	echo "skip: clang not found (Debian package clang)"
	exit 77
fi

work=$build/fuzz_smbd.d
mkdir -p "$work/corpus" "$work/artifacts" || exit 1

# libFuzzer ships separately from clang on some distributions.
probe=$work/probe.c
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	'{ (void)d; (void)n; return 0; }' >"$probe"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe" -o "$work/probe" \
	>"$work/probe.log" 2>&1; then
	echo "skip: $cc cannot link -fsanitize=fuzzer (libclang-rt-*-dev missing?)"
	exit 77
fi

exe=$build/fuzz_smbd
if ! "$cc" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-I "$src/transport/smbd" "$src"/transport/smbd/*.c \
	"$src/test/smbd/fuzz_smbd.c" -o "$exe"; then
	echo "fail: fuzzer did not build"
	exit 1
fi

# Seeds: valid messages of each kind, plus a fragmented stream.
seed() { printf "$2" >"$work/corpus/$1"; }
seed neg_req  '\x00\x01\x00\x01\x00\x00\x0a\x00\x00\x04\x00\x00\x00\x04\x00\x00\x00\x00\x02\x00'
seed neg_resp '\x00\x01\x00\x01\x00\x01\x00\x00\x0a\x00\x0a\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x04\x00\x00\x00\x04\x00\x00\x00\x00\x02\x00'
seed neg_fail '\x00\x01\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\xbb\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
seed data_hello '\x0a\x00\x03\x00\x01\x00\x00\x00\x00\x00\x00\x00\x18\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00hello'
seed data_empty '\x0a\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
seed bufdesc '\x08\x07\x06\x05\x04\x03\x02\x01\x44\x33\x22\x11\x00\x10\x00\x00'
# Stream: selectors, then a 2-fragment message (3 + 2 bytes) and a
# credit-only message, each record prefixed by its 16-bit length.
seed stream '\x0e\x0f\x23\x1b\x00\x04\x00\x02\x00\x00\x00\x00\x00\x02\x00\x00\x00\x18\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00abc\x1a\x00\x04\x00\x01\x00\x00\x00\x00\x00\x00\x00\x18\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00de\x14\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'

echo "running $exe for ${secs}s"
"$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	"$work/corpus"
rc=$?
# libFuzzer reports findings with exit code 77, which ctest would take for
# a skip: map every failure to 1.
if [ $rc -ne 0 ]; then
	echo "fail: fuzzer exited $rc; reproducer in $work/artifacts/"
	exit 1
fi
exit 0
