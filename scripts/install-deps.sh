#!/usr/bin/env bash
# Installs every Debian 12 package Relance needs to build, run, test and benchmark.
# Idempotent: installs only what is missing. Runs apt-get as root, or through sudo.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Build and run.
build_pkgs=(
  ca-certificates g++ cmake ninja-build pkg-config git ccache
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-filesystem1.81-dev
  libsqlitecpp-dev libsqlite3-dev libspdlog-dev libcli11-dev libtomlplusplus-dev
  libsodium-dev libhowardhinnant-date-dev tzdata libcurl4-openssl-dev
  libphonenumber8 libprotobuf-dev libabsl-dev libicu-dev
  catch2
  libxlsxwriter-dev
  curl  # the README's first steps log in with it
)
# Tests: the sqlite3 shell checks database files, python3 and curl serve the scripts,
# abigail-tools (abidw, abidiff) compares the SDK's ABI with the stored dump of each release.
# python3-aiosmtpd is the SMTP server the email-reminder tests send to (tests/email).
# python3-jsonschema (JSON Schema 2020-12) checks every response of the integration tests
# against the OpenAPI document (tests/support/contract_checker.py).
# chromium is the headless browser web_browser_test drives (playwright-core, from npm).
test_pkgs=( python3 sqlite3 curl procps abigail-tools python3-openpyxl python3-vobject python3-icalendar python3-aiosmtpd python3-jsonschema chromium )
# Benchmarks only (bench/): the load generator and the nginx ceiling. Not installed for the
# tests, so that no web server package is put on a machine that only runs them.
bench_pkgs=( wrk nginx-light )
# Fuzzing only (scripts/fuzz.sh): clang 15, whose libclang-common-15-dev dependency carries
# libFuzzer and the sanitizer runtimes, and llvm-15 for llvm-symbolizer (readable crash
# stacks). The tests replay the stored inputs with g++ instead.
fuzz_pkgs=( clang-15 llvm-15 )

#   install-deps.sh               build and test
#   install-deps.sh --build-only  build (scripts/serve.sh)
#   install-deps.sh --bench       build, test and benchmark
#   install-deps.sh --fuzz        build, test and fuzz
pkgs=("${build_pkgs[@]}")
case "${1:-}" in
  --build-only) ;;
  --bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  --fuzz) pkgs+=("${test_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
  *) pkgs+=("${test_pkgs[@]}") ;;
esac

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; fi
}

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm install the web tools of web/package-lock.json and bundle the web app
# (cmake/Web.cmake; the daemon builds without them, and / then says the app was not built),
# and run the generated API client's and the browser's tests. Debian's nodejs (18) and npm,
# unless the commands are already there: a nodejs from elsewhere (NodeSource) bundles its
# own npm and conflicts with Debian's npm package, so the commands are checked, not the packages.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# libphonenumber-dev depends on Boost 1.74's development packages, which conflict with
# Boost 1.81's. Its headers need no Boost, so we unpack the same Debian package into the
# build tree's dependency folder instead of installing it; the runtime library
# (libphonenumber8) is installed normally above.
deps="$here/.deps"
if [ ! -f "$deps/usr/include/phonenumbers/phonenumberutil.h" ]; then
  mkdir -p "$deps/download"
  (cd "$deps/download" && rm -f libphonenumber-dev_*.deb &&
     { apt-get download libphonenumber-dev >/dev/null 2>&1 ||
       { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get download libphonenumber-dev >/dev/null; }; })
  dpkg-deb -x "$deps"/download/libphonenumber-dev_*.deb "$deps"
fi

# The tests' servers listen on 127.0.0.1, and some name it "localhost" (the plugins' HTTP
# client resolves host names itself). Every Debian install maps it in /etc/hosts; a bare root
# (debootstrap --variant=minbase, some containers) has no /etc/hosts, so the name resolves
# to nothing there.
if ! getent hosts localhost >/dev/null 2>&1; then
  missing=("an /etc/hosts line for localhost")
  printf '127.0.0.1\tlocalhost\n' | as_root tee -a /etc/hosts >/dev/null
fi
