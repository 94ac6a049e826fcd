#!/bin/sh
# SPDX-License-Identifier: MIT
# zcomm_info.sh ZCOMM_INFO: times are printed with their unit, in the ms
# they are used in (a bare number is ms, us rounds up: a positive time is
# never 0 ms), and a value zc_init would refuse (ZC_PEER_TIMEOUT=0, a
# time strtod alone would take) makes zcomm_info fail, naming it.
set -u
info=${1:?usage: zcomm_info.sh ZCOMM_INFO}
fail=0
# want VALUE PRINTED: ZC_PEER_TIMEOUT=VALUE is listed as "current PRINTED".
want() {
	line=$(ZC_PEER_TIMEOUT=$1 "$info" 2>&1 | grep '^  ZC_PEER_TIMEOUT ')
	case "$line" in
	*"current $2 "*) ;;
	*) echo "FAIL ZC_PEER_TIMEOUT=$1: want 'current $2', got: $line"; fail=1 ;;
	esac
}
want 250 "250 ms"
want 2s "2000 ms"
want 1500us "2 ms"
want 500us "1 ms"
line=$(env -u ZC_PEER_TIMEOUT "$info" | grep '^  ZC_PEER_TIMEOUT ')
case "$line" in
*"default 5s "*"current 5000 ms "*) ;;
*) echo "FAIL the default: $line"; fail=1 ;;
esac
# refused VALUE: zcomm_info exits 1 and its stderr names the variable.
refused() {
	if err=$(ZC_PEER_TIMEOUT=$1 "$info" 2>&1 >/dev/null); then
		echo "FAIL ZC_PEER_TIMEOUT=$1: zcomm_info exited 0"; fail=1
	elif ! printf '%s\n' "$err" | grep -q "ZC_PEER_TIMEOUT"; then
		echo "FAIL ZC_PEER_TIMEOUT=$1: not named: $err"; fail=1
	fi
}
for v in 0 0us nan inf 1e3 -5; do refused "$v"; done
[ $fail -eq 0 ] && echo "zcomm_info: times with units, refused values named"
exit $fail
