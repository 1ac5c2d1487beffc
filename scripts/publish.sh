#!/usr/bin/env bash
# Builds the deployable isolated-worker function app: host.json, functions.metadata and worker.config.json (the Worker
# SDK's), the Durable extension under .azurefunctions/, and askel.dll with its assemblies (framework-dependent: the
# dotnet-isolated runtime of Flex Consumption provides .NET); then zips it for deployment.
#   scripts/publish.sh [output-folder]     (default: artifacts/functionapp, zip beside it)
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-artifacts/functionapp}"
out="$(mkdir -p "$out" && cd "$out" && pwd)"
zip="$out.zip"
rm -rf "${out:?}"/* "$zip"

dotnet publish functions/Askel.App/Askel.App.csproj -c Release -r linux-x64 --no-self-contained \
  -p:DebugType=none -p:PublishDocumentationFiles=false \
  -p:FunctionAppZip="$zip" -o "$out" -nologo -v quiet

echo "function app: $out"
echo "zip:          $zip"
