#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs every check: build, typecheck, lint and all tests
# (unit, end-to-end against the emulator, and the official Python SDKs against the emulator).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
bash scripts/system-deps.sh
pnpm install --frozen-lockfile
rm -f packages/*/test-results.json apps/*/test-results.json
status=0
pnpm exec turbo run build typecheck lint --output-logs=errors-only || status=$?
if [ $status -eq 0 ]; then pnpm exec turbo run test --concurrency=2 || status=$?; fi
node scripts/test-summary.mjs || status=$?
exit $status
