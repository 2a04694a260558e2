#!/bin/sh
# Rebuilds sha256sum.wasm from sha256sum.c with Debian's clang, lld and wasi-libc
# (packages clang-14, lld-14, wasi-libc, libclang-rt-14-dev-wasm32).
set -eu
cd "$(dirname "$0")"
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -fuse-ld=lld -Wl,--strip-all -o sha256sum.wasm sha256sum.c
