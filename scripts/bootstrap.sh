#!/usr/bin/env bash
# Puts a pinned Node (>= 22) and pnpm first on PATH, installing them from the npm registry into tools/
# when they are missing. Machines here have only an old Node and npm; pnpm cannot download Node itself
# and corepack's keys are stale, so the npm `node` package is the one route that works.
#   scripts/bootstrap.sh <cmd...>   run a command with the tools on PATH
#   . scripts/bootstrap.sh          put them on PATH in this shell
_adlkit_bootstrap() {
  local root tools bin want_node want_pnpm
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  tools="$root/tools"
  bin="$tools/node_modules/.bin"
  want_node=$(sed -n 's/.*"node": *"\([0-9.]*\)".*/\1/p' "$tools/package.json")
  want_pnpm=$(sed -n 's/.*"pnpm": *"\([0-9.]*\)".*/\1/p' "$tools/package.json")
  if [ "$("$bin/node" --version 2>/dev/null)" != "v$want_node" ] ||
     [ "$("$bin/pnpm" --version 2>/dev/null)" != "$want_pnpm" ]; then
    command -v npm >/dev/null || { echo "bootstrap: npm is needed on PATH to fetch Node $want_node" >&2; return 1; }
    echo "bootstrap: installing node@$want_node and pnpm@$want_pnpm into tools/" >&2
    # No lockfile: npm records only some platforms' optional @pnpm/exe.* entries, so `npm ci` fails.
    (cd "$tools" && npm install --no-package-lock --no-audit --no-fund --loglevel=error \
        --strict-allow-scripts >&2) || return 1
  fi
  export PATH="$bin:$PATH" TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
}
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  _adlkit_bootstrap
  [ $# -eq 0 ] || exec "$@"
else
  _adlkit_bootstrap
fi
