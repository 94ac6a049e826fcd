#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo command: install packages, build optimised, run the OSU-style
# benchmarks of zcomm beside their Open MPI twins; tables with ratios on
# stdout, PNG plots in build-release/bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DZC_BUILD_TESTS=OFF
cmake --build build-release -j"$(nproc)"
exec bash bench/run.sh build-release "$@"
