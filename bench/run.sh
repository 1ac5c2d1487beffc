#!/usr/bin/env bash
# Builds a benchmark in Release and runs it; arguments pass through.
#   bench/run.sh [--quick] [--instances N] [--rounds N] [--steps-per-execution N] [--concurrency N]   the workflow runtime on the task hub (Askel.Bench)
#   bench/run.sh simulate [--participants N]                      askel simulate in memory and the simulation page (Askel.Bench.Simulate)
#   bench/run.sh crash [--participants N] [--kills N] [--visibility S]   the worker killed again and again (Askel.Bench)
#   bench/run.sh timers [--pending N] [--probes N]                durable timers' lateness with many pending (Askel.Bench)
#   bench/run.sh summary [--quick] [--participants N] [--runs N] [--seed-concurrency N]   the monthly summary (Askel.Bench.Summary)
#   bench/run.sh list [--participants N] [--runs N]               a coordinator's caseload list (Askel.Bench.List)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/azurite ] || npm ci
project=Askel.Bench
if [ "${1:-}" = summary ]; then
  project=Askel.Bench.Summary
  shift
elif [ "${1:-}" = simulate ]; then
  project=Askel.Bench.Simulate
  shift
elif [ "${1:-}" = list ]; then
  project=Askel.Bench.List
  shift
fi
dotnet build "bench/$project/$project.csproj" -c Release -nologo -v quiet
dotnet "bench/$project/bin/Release/net10.0/$project.dll" "$@"
