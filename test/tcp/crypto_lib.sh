#!/bin/sh
# SPDX-License-Identifier: MIT
# crypto_lib.sh LIBZCOMM SRCDIR: the handshake's HMAC comes from libsodium
# (doc/tcp.md), not from code of our own. libzcomm must need libsodium and
# call its HMAC and constant-time comparison, and no source file of the
# tree may carry a SHA-256 implementation (its first round constant, or the
# HMAC pads applied by hand).
set -u
lib=${1:?} src=${2:?}
command -v readelf >/dev/null || { echo "skipped: readelf not found"; exit 77; }
fail=0
if ! readelf -d "$lib" | grep -q 'NEEDED.*libsodium'; then
	echo "FAIL $lib does not need libsodium"; fail=1
fi
for sym in crypto_auth_hmacsha256_init crypto_auth_hmacsha256_final sodium_memcmp; do
	if ! nm -D --undefined-only "$lib" | grep -qw "$sym"; then
		echo "FAIL $lib does not call $sym"; fail=1
	fi
done
hits=$(grep -rlis -e '0x428a2f98' -e '\^ *0x36' -e '\^ *0x5c' \
	"$src/transport" "$src/core" "$src/shmem" "$src/collectives" \
	"$src/bootstrap" 2>/dev/null)
if [ -n "$hits" ]; then
	echo "FAIL hand-written SHA-256/HMAC still in: $hits"; fail=1
fi
[ $fail -eq 0 ] && echo "crypto_lib: ok (libsodium)"
exit $fail
