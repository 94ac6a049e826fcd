#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages zcomm builds, tests and benchmarks with.
# Idempotent: apt runs only when something is missing.
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang
      openmpi-bin libopenmpi-dev libpmix-dev
      liburing-dev libsodium-dev libibverbs-dev librdmacm-dev libhwloc-dev
      iproute2 gnuplot-nox procps
      # the RDMA guest (test/vm/rdma-vm.sh) and what runs inside it
      qemu-system-x86 busybox-static cpio kmod util-linux xz-utils binutils
      gcc-12 make rdma-core ibverbs-providers ibverbs-utils rdmacm-utils
      perftest ucx-utils gdb)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
# Slurm for test/slurm (single node, started by the test itself): the
# daemons, client and munge only, without the recommended plugin zoo.
slurm_pkgs=(slurmctld slurmd slurm-client munge)
slurm_missing=()
for p in "${slurm_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		slurm_missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi
if [ ${#slurm_missing[@]} -gt 0 ]; then
	echo "deps: installing ${slurm_missing[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	[ ${#missing[@]} -gt 0 ] || $SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
		--no-install-recommends "${slurm_missing[@]}"
fi
