#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs the demo walkthrough against the embedded emulator.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
pnpm install --frozen-lockfile
pnpm exec turbo run build --filter=@adlkit/demo... --output-logs=errors-only
exec node apps/demo/dist/main.js "$@"
