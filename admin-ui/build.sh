#!/usr/bin/env bash
# Builds the admin UI (admin-ui/dist) when it is missing or older than any of its sources, and runs
# `npm ci` first when node_modules is missing or older than package-lock.json. Quiet when up to date.
# Used by ../run.sh and ../test.sh; needs Node.js 20+ and npm (the npm registry, at install time only).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v npm >/dev/null 2>&1; then
  echo "admin-ui/build.sh: Node.js and npm are required to build the admin UI and were not found on PATH" >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "admin-ui: installing packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi

stale=0
if [ ! -f dist/index.html ]; then
  stale=1
elif [ -n "$(find src index.html vite.config.ts tsconfig.json package.json package-lock.json -newer dist/index.html -print -quit)" ]; then
  stale=1
fi

if [ "$stale" -eq 1 ]; then
  echo "admin-ui: building"
  npm run --silent build -- --logLevel warn
fi
