#!/usr/bin/env bash
# Runs every test of ReuseQueue against real services: starts (or reuses) RabbitMQ,
# Redis and a Docker engine, builds the container images without a registry, installs
# the Node.js publisher's package, builds the solution and runs the unit and
# integration tests. Prints a closing "N passed, N failed" line.
#
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Planner]
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
cd "$REPO_ROOT"
RESULTS_DIR="$REPO_ROOT/.run/test-results"

echo "==> services"
infra/services.sh up all

# openssl makes the certificates of the TLS tests.
command -v openssl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null

echo "==> container images"
infra/build-images.sh

echo "==> Node.js publisher package"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "  installing nodejs and npm with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
(cd tests/node-publisher && npm ci --no-audit --no-fund --loglevel=error)

echo "==> build"
dotnet build ReuseQueue.sln -c Release --nologo -v quiet

echo "==> tests"
rm -rf "$RESULTS_DIR"
status=0
dotnet test ReuseQueue.sln -c Release --no-build --nologo \
    --logger "trx" --logger "console;verbosity=normal" \
    --results-directory "$RESULTS_DIR" "$@" || status=$?

# The benchmark harness in smoke mode: tiny counts, no timing asserted, fails only when the harness broke.
if ((status == 0)); then
    echo "==> benchmark smoke run"
    bench/run.sh --smoke || status=$?
fi

# One closing line over all test projects, counted from the TRX reports.
passed=0
failed=0
for report in "$RESULTS_DIR"/*.trx; do
    [[ -f $report ]] || continue
    counters=$(grep -o '<Counters [^>]*>' "$report")
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
done
echo "$passed passed, $failed failed"
if ((status == 0 && passed == 0)); then
    echo "test.sh: error: no test ran" >&2
    exit 1
fi
exit "$status"
