#!/usr/bin/env bash
# Builds the benchmark in Release and runs it; arguments pass through (--quick, --instances N, --concurrency N).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/azurite ] || npm ci
dotnet build bench/Askel.Bench/Askel.Bench.csproj -c Release -nologo -v quiet
dotnet bench/Askel.Bench/bin/Release/net10.0/Askel.Bench.dll "$@"
