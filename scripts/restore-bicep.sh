#!/usr/bin/env bash
# Restores the pinned Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64) with the .NET SDK
# and exposes it at .tools/bicep, where test/infra looks for it (BICEP_PATH overrides).
# NuGet, not the az CLI or a GitHub download: NuGet is the registry every machine here reaches.
# Idempotent: when .tools/bicep already reports the pinned version it returns at once.
set -euo pipefail
BICEP_VERSION=0.49.2
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
link="$tools/bicep"

if [ -x "$link" ] && "$link" --version 2>/dev/null | grep -q "Bicep CLI version $BICEP_VERSION "; then
  echo "Bicep CLI $BICEP_VERSION already at $link"
  exit 0
fi

command -v dotnet >/dev/null || { echo "restore-bicep: the .NET SDK (dotnet) is required" >&2; exit 1; }
mkdir -p "$tools/nuget"
dotnet restore "$root/scripts/bicep.csproj" --packages "$tools/nuget" -p:BicepVersion="$BICEP_VERSION" --verbosity quiet

relative="nuget/azure.bicep.commandline.linux-x64/$BICEP_VERSION/tools/bicep"
[ -f "$tools/$relative" ] || { echo "restore-bicep: $tools/$relative missing after restore" >&2; exit 1; }
# NuGet extraction drops the executable bit.
chmod +x "$tools/$relative"
# Relative, so the link survives the checkout being moved.
ln -sfn "$relative" "$link"
"$link" --version
