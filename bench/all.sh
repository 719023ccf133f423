#!/usr/bin/env bash
# npm run bench:all — the benchmark on PGlite and on a throw-away PostgreSQL server, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/start-postgres.sh
trap stop_postgres EXIT
BENCH_DATABASE_URL="$PG_URL" npx tsx bench/run.ts "$@"
