#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# stage.sh DEST: puts the module's sources and the shared codecs it
# builds in (transport/smbd, transport/msg, the uapi header, zcomm.h)
# into one flat directory, for kbuild (CMake's build) or DKMS
# (/usr/src/zcomm-<version>).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
dest=$1
mkdir -p "$dest/compat"
cp "$here"/Kbuild "$here"/dkms.conf "$here"/*.c "$here"/*.h "$dest"/
cp "$here"/compat/*.h "$dest/compat/"
cp "$top"/transport/kernel/zcomm_kernel.h "$top"/include/zcomm.h \
   "$top"/transport/smbd/smbd.h "$top"/transport/smbd/smbd_le.h \
   "$top"/transport/smbd/smbd_negotiate.c "$top"/transport/smbd/smbd_data.c \
   "$top"/transport/smbd/smbd_credits.c "$top"/transport/smbd/smbd_chan.c \
   "$top"/transport/msg/zc_msg.h "$top"/transport/msg/msg_wire.c \
   "$top"/transport/msg/zc_amo_cpu.h "$dest"/
