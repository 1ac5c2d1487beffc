#!/usr/bin/env bash
# Builds the deployable function app: a folder with host.json, one folder per function with its
# function.json, and `askel`, a self-contained linux-x64 executable with its assemblies; then zips it for deployment.
#   scripts/publish.sh [output-folder]     (default: artifacts/functionapp, zip beside it)
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-artifacts/functionapp}"
out="$(mkdir -p "$out" && cd "$out" && pwd)"
zip="$out.zip"
rm -rf "${out:?}"/* "$zip"

# Not a single file: the Durable Task Framework's Azure Storage backend reads its own assembly's file version
# at start, which an assembly loaded from inside a single file does not have.
dotnet publish functions/Askel.App/Askel.App.csproj -c Release -r linux-x64 --self-contained \
  -p:DebugType=none -p:PublishDocumentationFiles=false \
  -p:FunctionAppZip="$zip" -o "$out" -nologo -v quiet

echo "function app: $out"
echo "zip:          $zip"
