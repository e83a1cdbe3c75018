#!/usr/bin/env bash
# Benchmarks the gateway side by side with nginx + Lua on this machine and writes
# docs/BENCHMARKS.md. Options: see docs/BENCHMARKS.md (e.g. --quick, --only throughput).
# Installs what it needs when missing; everything runs on loopback and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "bench/run.sh: the .NET 10 SDK (dotnet) is required and was not found on PATH" >&2
  exit 1
fi

missing=()
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
[ -e /usr/share/nginx/modules/ngx_http_lua_module.so ] || [ -e /usr/lib/nginx/modules/ngx_http_lua_module.so ] || missing+=(libnginx-mod-http-lua)
[ -e /usr/share/lua/5.1/resty/core.lua ] || missing+=(lua-resty-core)
[ -e /usr/share/lua/5.1/resty/lrucache.lua ] || missing+=(lua-resty-lrucache)
[ -e /usr/share/nginx/modules/ngx_stream_module.so ] || [ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || missing+=(libnginx-mod-stream)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench/run.sh: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # Debian starts the packaged nginx on port 80; the benchmark runs its own, so stop that one.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  $sudo service nginx stop >/dev/null 2>&1 || true
fi

# --baseline <commit>: that commit's gateway is built in a scratch worktree and measured beside this
# build (the baseline scenario); the other arguments go to the harness.
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--baseline" ] && [ $# -gt 1 ]; then
    commit="$(git rev-parse --short "$2")"
    base="${TMPDIR:-/tmp}/slardar-baseline-$commit"
    [ -d "$base" ] || git worktree add -q --detach "$base" "$commit"
    (cd "$base" && dotnet build Host/Host.csproj -c Release -v q -nologo)
    args+=(--baseline-dll "$base/Host/bin/Release/net10.0/Slardar.Scriptable.Host.dll" --baseline-name "$commit")
    shift 2
  else
    args+=("$1")
    shift
  fi
done

# The gateway is built exactly as ./run.sh builds it; the harness starts it as ./run.sh does.
dotnet build Host/Host.csproj -c Release -v q -nologo
dotnet build bench/Bench/Bench.csproj -c Release -v q -nologo
dotnet build bench/RelayFloor/RelayFloor.csproj -c Release -v q -nologo
exec dotnet bench/Bench/bin/Release/net10.0/Slardar.Scriptable.Bench.dll ${args[@]+"${args[@]}"}
