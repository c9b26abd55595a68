#!/usr/bin/env bash
# The installed SDK, used as a third party uses it: installs the SDK component of this build
# into an empty prefix, builds sdk/examples (copied out of the source tree, so only the
# prefix can provide headers) as a CMake project of its own with warnings as errors, then
# builds the C example once more from pkg-config's flags alone. The plugins land in <out>.
#   out_of_tree.sh <build dir> <source dir> <work dir> <out dir> <C compiler> <C++ compiler>
set -euo pipefail
build=$1 source=$2 work=$3 out=$4 cc=$5 cxx=$6
prefix="$work/prefix"
rm -rf "$work" "$out" && mkdir -p "$work" "$out"

cmake --install "$build" --prefix "$prefix" --component sdk > "$work/install.log"
cp -r "$source/sdk/examples" "$work/examples"

# Nothing but the prefix to find the package in: no package registry, no system SDK.
cmake -S "$work/examples" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_COMPILE_WARNING_AS_ERROR=ON \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF -DCMAKE_LIBRARY_OUTPUT_DIRECTORY="$out" \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON > "$work/configure.log"
cmake --build "$work/build"
if grep -q -- "$source/sdk" "$work/build/compile_commands.json"; then
  echo "FAIL: the examples compiled with the source tree's SDK headers"; exit 1
fi
grep -q -- "-isystem $prefix/include" "$work/build/compile_commands.json" ||
  { echo "FAIL: the examples did not use the installed headers"; exit 1; }

# The package's version rule: the epoch is the major (SameMajorVersion), and a newer minor
# than the installed one is refused. The probe project reports what find_package decided,
# so a configure that fails for another reason (no generator, a broken package file) fails
# this test with its log instead of passing for "not found". It uses the generator the
# project builds with: a minimal Debian has Ninja from install-deps.sh, and no make.
mkdir -p "$work/versions"
for wanted in 1.0:yes 1:yes 2.0:no 0.9:no 1.99:no; do
  version=${wanted%:*} expected=${wanted#*:}
  probe="$work/versions/$version"
  mkdir -p "$probe"
  printf 'cmake_minimum_required(VERSION 3.16)\nproject(v NONE)\nfind_package(RelanceSDK %s QUIET)\n%s\n' \
    "$version" 'if(RelanceSDK_FOUND)
  file(WRITE "${CMAKE_BINARY_DIR}/found" yes)
else()
  file(WRITE "${CMAKE_BINARY_DIR}/found" no)
endif()' > "$probe/CMakeLists.txt"
  cmake -S "$probe" -B "$probe/build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF > "$probe/configure.log" 2>&1 ||
    { echo "FAIL: the find_package(RelanceSDK $version) probe did not configure:"; cat "$probe/configure.log"; exit 1; }
  found=$(cat "$probe/build/found")
  [ "$found" = "$expected" ] ||
    { echo "FAIL: find_package(RelanceSDK $version) found: $found"; exit 1; }
done

# Without CMake: the flags relance-sdk.pc gives and documents, and nothing else.
export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" PKG_CONFIG_PATH=
[ "$(pkg-config --modversion relance-sdk)" = "$(sed -n 's/^Version: //p' "$prefix/lib/pkgconfig/relance-sdk.pc")" ]
read -ra cflags <<<"$(pkg-config --cflags relance-sdk)"
script=$(pkg-config --variable=version_script relance-sdk)
"$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror -fPIC -fvisibility=hidden "${cflags[@]}" \
  -c "$work/examples/example_c/counter.c" -o "$work/counter.o"
"$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror -fPIC -fvisibility=hidden "${cflags[@]}" \
  -c "$(pkg-config --variable=json_reader relance-sdk)" -o "$work/json_reader.o"
"$cc" -shared -Wl,--version-script,"$script" -Wl,--no-undefined \
  -o "$out/example_c_pkgconfig.so" "$work/counter.o" "$work/json_reader.o"
ls "$out"/*.so
