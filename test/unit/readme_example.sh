#!/bin/sh
# SPDX-License-Identifier: MIT
# readme_example.sh SRCDIR BUILD: the README's C example, cut out of
# README.md as written, builds with the README's build-tree pkg-config
# line and, run on 1, 2 and 4 ranks, prints what it proves: every rank got
# its left neighbour's rank.
set -u
src=$1 build=$2
tmp=$(mktemp -d /tmp/zc_readme.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
awk '/^```c$/ { on = 1; next } on && /^```$/ { exit } on' "$src/README.md" > "$tmp/example.c"
[ -s "$tmp/example.c" ] || { echo "FAIL no C example in README.md"; exit 1; }
flags=$(PKG_CONFIG_PATH=$build/pkgconfig pkg-config --cflags --libs zcomm) ||
	{ echo "FAIL pkg-config from the build tree"; exit 1; }
cc -std=c11 -Wall -Wextra -Werror "$tmp/example.c" $flags -o "$tmp/example" ||
	{ echo "FAIL the README example does not build"; exit 1; }
for n in 1 2 4; do
	if [ $n -eq 1 ]; then
		out=$(timeout -k 5 60 "$tmp/example" 2>&1)
	else
		out=$(timeout -s INT -k 5 60 mpirun --allow-run-as-root \
			--oversubscribe --bind-to none -n $n "$tmp/example" 2>&1)
	fi || { echo "FAIL run on $n: $out"; exit 1; }
	for r in $(seq 0 $((n - 1))); do
		want="rank $r of $n: got $(((r + n - 1) % n)) from my left neighbour"
		printf '%s\n' "$out" | grep -qx "$want" ||
			{ echo "FAIL on $n ranks, missing: $want"; printf '%s\n' "$out"; exit 1; }
	done
done
echo "readme_example: builds from the build tree, prints what it proves"
