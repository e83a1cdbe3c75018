#!/usr/bin/env bash
# Runs every test (unit, functional on real loopback sockets, process-level) and ends with one
# summary line "N passed, N failed, N skipped". Installs what the tests need when missing.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK (dotnet) is required and was not found on PATH" >&2
  exit 1
fi

# Real servers the tests talk to (loopback only): redis-server for the redis health checks.
install_packages() {
  local missing=("$@")
  echo "test.sh: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ${APT_OPTIONS:-} "${missing[@]}" >/dev/null
}
command -v redis-server >/dev/null 2>&1 || install_packages redis-server
# Debian's chromium for the admin UI's browser tests (Playwright drives it; it never downloads one).
[ -x /usr/bin/chromium ] || install_packages chromium
# promtool parses and lints /metrics in the exposition tests. It comes with Debian's prometheus
# package (without its recommended exporters); the server the package may start is not wanted.
if ! command -v promtool >/dev/null 2>&1; then
  APT_OPTIONS=--no-install-recommends install_packages prometheus
  service prometheus stop >/dev/null 2>&1 || true
fi

# The admin UI the browser tests load (built when missing or stale).
admin-ui/build.sh

# Release: the unload tests of collectible script contexts need the JIT's release lifetimes.
dotnet build Slardar.Scriptable.sln -c Release -v q -nologo
log=$(mktemp)
set +e
dotnet test Slardar.Scriptable.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" | tail -n 1 || true)
rm -f "$log"
if [ -z "$summary" ]; then
  echo "test.sh: no test summary found (dotnet test exited with $status)" >&2
  exit $(( status == 0 ? 1 : status ))
fi

failed=$(echo "$summary" | sed -E 's/Failed: +([0-9]+).*/\1/')
passed=$(echo "$summary" | sed -E 's/.*Passed: +([0-9]+).*/\1/')
skipped=$(echo "$summary" | sed -E 's/.*Skipped: +([0-9]+).*/\1/')
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
