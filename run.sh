#!/usr/bin/env bash
# Runs the gateway with its embedded defaults: proxy on :8080, admin on 127.0.0.1:1995 (API and the
# admin UI), the host bindings in scripts.json, and a demo echo upstream on 127.0.0.1:8081.
# Builds the admin UI first when it is missing or stale (needs Node.js and npm).
# Any configuration key can follow as --Key=value, e.g. ./run.sh --Gateway:Listen=http://127.0.0.1:9090
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET 10 SDK (dotnet) is required and was not found on PATH" >&2
  exit 1
fi

# ./run.sh --spec file.spec...: runs spec files against a gateway started for the run (exit 0/1), no UI needed.
if [ "${1:-}" = "--spec" ]; then
  dotnet build Host/Host.csproj -c Release -v q -nologo >/dev/null
  exec dotnet Host/bin/Release/net10.0/Slardar.Scriptable.Host.dll "$@"
fi

# ./run.sh --editor [folder]: writes <folder, default Scripts>/_editor/ for editors' completion on scripts, then exits.
if [ "${1:-}" = "--editor" ]; then
  dotnet build Host/Host.csproj -c Release -v q -nologo >/dev/null
  exec dotnet Host/bin/Release/net10.0/Slardar.Scriptable.Host.dll "$@"
fi

admin-ui/build.sh
dotnet build Host/Host.csproj -c Release -v q -nologo
# Once written (./run.sh --editor), Scripts/_editor/ follows each build; a failure here never stops the gateway.
if [ -d Scripts/_editor ]; then
  dotnet Host/bin/Release/net10.0/Slardar.Scriptable.Host.dll --editor Scripts >/dev/null || echo "run.sh: Scripts/_editor/ not fully refreshed (./run.sh --editor says why)" >&2
fi
admin_url=http://127.0.0.1:1995
for arg in "$@"; do
  case "$arg" in --Admin:Listen=*) admin_url="${arg#--Admin:Listen=}" ;; esac
done
echo "run.sh: admin UI at ${admin_url%/}/ (API on the same listener; see README.md)"
exec dotnet Host/bin/Release/net10.0/Slardar.Scriptable.Host.dll "$@"
