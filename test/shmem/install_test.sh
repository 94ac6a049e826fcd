#!/bin/sh
# SPDX-License-Identifier: MIT
# install_test.sh BUILD SRCDIR CMAKE: `cmake --install` BUILD into a
# temporary prefix, then build test/shmem/installed_hello.c from that
# tree four ways and run each on 2 PEs with the installed zcshrun:
#   1. the installed zcshcc (C11, -Wall -Wextra -pedantic -Werror)
#   2. the installed zcshc++ (the same file as C++)
#   3. pkg-config --cflags --libs zcomm
#   4. a tiny CMake project with find_package(zcomm)
set -e
build=$1 srcdir=$2 cmake=$3
tmp=$(mktemp -d /tmp/zcomm_install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
p=$tmp/prefix
src=$srcdir/installed_hello.c
strict="-Wall -Wextra -pedantic -Werror"
run() {
	timeout -s INT -k 5 60 "$p/bin/zcshrun" -n 2 "$1"
}

"$cmake" --install "$build" --prefix "$p" >/dev/null
test -f "$p/include/shmem.h" && test -f "$p/include/zcomm.h"

"$p/bin/zcshcc" -std=c11 $strict "$src" -o "$tmp/hello_c"
run "$tmp/hello_c"

"$p/bin/zcshc++" $strict -x c++ "$src" -o "$tmp/hello_cxx"
run "$tmp/hello_cxx"

if command -v pkg-config >/dev/null; then
	flags=$(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --cflags --libs zcomm)
	cc -std=c11 $strict "$src" $flags -Wl,-rpath,"$p/lib" -o "$tmp/hello_pc"
	run "$tmp/hello_pc"
fi

mkdir "$tmp/proj"
cp "$src" "$tmp/proj/hello.c"
cat > "$tmp/proj/CMakeLists.txt" <<'EOT'
cmake_minimum_required(VERSION 3.20)
project(zcomm_consumer C)
find_package(zcomm 0.1 REQUIRED)
add_executable(hello hello.c)
target_link_libraries(hello PRIVATE zcomm::zcomm)
add_executable(hello_static hello.c)
target_link_libraries(hello_static PRIVATE zcomm::zcomm_static)
EOT
"$cmake" -S "$tmp/proj" -B "$tmp/proj/build" -DCMAKE_PREFIX_PATH="$p" \
	-DCMAKE_C_FLAGS="-std=c11 $strict" >/dev/null
"$cmake" --build "$tmp/proj/build" >/dev/null
run "$tmp/proj/build/hello"
run "$tmp/proj/build/hello_static"
echo "install test: ok"
