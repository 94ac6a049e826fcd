#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages zcomm builds, tests and benchmarks with.
# Idempotent: apt runs only when something is missing.
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang
      openmpi-bin libopenmpi-dev libpmix-dev
      liburing-dev libsodium-dev libibverbs-dev librdmacm-dev libhwloc-dev
      iproute2 gnuplot-nox procps)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi
