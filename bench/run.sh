#!/usr/bin/env bash
# Builds the benchmark in Release and runs it against the RabbitMQ and Redis that the REUSEQ_* variables
# name (loopback by default; `infra/services.sh up` starts them).
#
#   bench/run.sh            full run, a few minutes on 2 cores
#   bench/run.sh --smoke    every figure with tiny counts, under about a minute; checks the harness only
#
# A full run writes bench/results/latest.json and latest.md, a smoke run .run/bench-smoke/; it prints the
# table, and exits non-zero only
# when the harness itself broke (a section failed, or the build did).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(dirname "$BENCH_DIR")"
cd "$REPO_ROOT"

echo "Building the benchmark (Release) ..."
dotnet build bench/ReuseQueue.Bench/ReuseQueue.Bench.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

# A smoke run checks the harness and must not replace the recorded results of a full run.
results="$BENCH_DIR/results"
for argument in "$@"; do
    [[ $argument == --smoke ]] && results="$REPO_ROOT/.run/bench-smoke"
done

dotnet bench/ReuseQueue.Bench/bin/Release/net10.0/ReuseQueue.Bench.dll --results "$results" "$@"
