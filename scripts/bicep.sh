#!/usr/bin/env bash
# Compiles and lints the infrastructure (infra/main.bicep and its modules) with the Bicep CLI, and fails on
# any warning as well as on an error. The CLI comes from NuGet (Azure.Bicep.CommandLine.linux-x64, the
# binary is inside the package), restored once into artifacts/tools/, so a clean machine with only the
# .NET SDK needs nothing else.
#   scripts/bicep.sh            build + lint; the compiled template goes to artifacts/infra/main.json
#   scripts/bicep.sh path       print the path of the bicep binary (installing it first)
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.49.2
tools="artifacts/tools/bicep-$version"
bicep="$tools/bicep"

if [ ! -x "$bicep" ]; then
  work="$tools/restore"
  rm -rf "$work"
  mkdir -p "$work"
  # A throwaway project outside the solution, only to let NuGet download the package. The repository's
  # Directory.Build.props and central package versions are not for it.
  cat > "$work/bicep.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$version]" /></ItemGroup>
</Project>
PROJ
  dotnet restore "$work/bicep.csproj" --packages "$work/packages" -nologo -v quiet \
    -p:ImportDirectoryBuildProps=false -p:ImportDirectoryBuildTargets=false -p:ImportDirectoryPackagesProps=false
  found="$(find "$work/packages" -type f -name bicep -path '*linux-x64*' | head -n 1)"
  if [ -z "$found" ]; then
    echo "bicep: the package Azure.Bicep.CommandLine.linux-x64 $version holds no bicep binary" >&2
    exit 1
  fi
  cp "$found" "$bicep.tmp"
  chmod +x "$bicep.tmp"
  mv "$bicep.tmp" "$bicep"
  rm -rf "$work"
fi

if [ "${1:-}" = path ]; then
  echo "$bicep"
  exit 0
fi

mkdir -p artifacts/infra
log=artifacts/infra/bicep.log
status=0
{
  "$bicep" build infra/main.bicep --outfile artifacts/infra/main.json
  "$bicep" lint infra/main.bicep
} >"$log" 2>&1 || status=$?
cat "$log"
# Any diagnostic fails the check: a warning today is a failed deployment or a leaked secret tomorrow.
if [ "$status" -ne 0 ] || grep -Eq ': (Error|Warning|Info) ' "$log"; then
  echo "bicep: infra/main.bicep has diagnostics (above)" >&2
  exit 1
fi
echo "bicep $version: infra/main.bicep builds and lints with no diagnostics"
