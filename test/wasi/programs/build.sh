#!/bin/sh
# build.sh: rebuilds every .wasm test program in this folder from its source, with
# fixed flags so the output depends only on the source and the toolchain versions.
# The built files are committed, so running the tests needs no toolchain; run this
# after changing a source. Toolchains (Debian packages): clang-14, lld-14,
# wasi-libc, libc++-14-dev-wasm32, libclang-rt-14-dev-wasm32, rustc with
# libstd-rust-dev-wasm32; from npm (devDependencies): wabt (wat2wasm),
# assemblyscript with @assemblyscript/wasi-shim.
set -eu
cd "$(dirname "$0")"
root=$(cd ../../.. && pwd)
bin="$root/node_modules/.bin"

# -O2, no debug information, symbols stripped; no paths or dates end up in the output.
cflags="--target=wasm32-wasi --sysroot=/usr -fuse-ld=lld -O2 -g0 -Wall -Wextra -Wno-unused-parameter -Wno-unused-result -Wl,--strip-all"

for src in *.c; do
  clang-14 $cflags "$src" -o "${src%.c}.wasm"
done
for src in *.cpp; do
  clang++-14 $cflags -std=c++17 -stdlib=libc++ -fno-exceptions "$src" -o "${src%.cpp}.wasm"
done
for src in *.rs; do
  # Debian's rustc (1.63) has the wasm32-wasi standard library; a rustup toolchain may not.
  /usr/bin/rustc --edition 2021 --target wasm32-wasi -C opt-level=2 -C debuginfo=0 \
    -C strip=symbols -C panic=abort "$src" -o "${src%.rs}.wasm"
done
for src in *.wat; do
  "$bin/wat2wasm" "$src" -o "${src%.wat}.wasm"
done
here=$(pwd)
for src in assemblyscript/*.ts; do
  name=$(basename "$src" .ts)
  # asc resolves the shim's "lib" folder relative to the working directory.
  (cd "$root" && "$bin/asc" "$here/$src" \
    --config node_modules/@assemblyscript/wasi-shim/asconfig.json -O2 -o "$here/$name.wasm")
done
ls -l *.wasm | awk '{ total += $5; print $5, $9 } END { print total, "bytes in all" }'
