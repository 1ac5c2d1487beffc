#!/usr/bin/env bash
# Runs every test project and prints one closing line: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

# The browser tests drive Debian's Chromium (never a downloaded one). A clean machine has apt but
# no chromium: install it, refreshing the package lists only when apt cannot find the package.
if [ ! -x /usr/bin/chromium ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
  apt_install() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=300 chromium; }
  if ! apt_install; then
    "${as_root[@]}" apt-get update
    apt_install
  fi
fi

# The infrastructure (infra/*.bicep) must compile and lint with no diagnostics (the Bicep CLI comes from NuGet).
scripts/bicep.sh

# The workflows in the repository must be valid before anything else is worth testing.
dotnet build functions/Askel.App -c Release -nologo -v quiet
functions/Askel.App/bin/Release/net10.0/askel validate workflows

status=0
# Build everything first, then test without building: the publish test rebuilds the app in
# another configuration while other test assemblies run, and must not race their build.
dotnet build Askel.slnx -c Release -nologo -v quiet
# One assembly at a time: each starts its own Azurite and the durable tests run many workers, so on a
# 2-core machine three suites at once starved each other (Durable settles stalled for minutes).
for project in tests/*.Tests; do
  dotnet test "$project" -c Release --no-build -nologo --logger "trx" --results-directory "$results" "$@" 2>&1 | tee -a "$results/dotnet-test.log" || status=$?
done

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12").
awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) + 0 }
      if ($i == "Passed:")  { p += $(i+1) + 0 }
      if ($i == "Skipped:") { s += $(i+1) + 0 }
    }
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }
' "$results/dotnet-test.log"
exit "$status"
