#!/usr/bin/env bash
# Builds the logreg command into artifacts/logreg: ReadyToRun for this machine's runtime identifier when the SDK can,
# else a plain build. Used by setup.sh and the ./logreg wrapper.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/artifacts/logreg"
project="$repo/src/LogReg.Cli/LogReg.Cli.csproj"
rid="$(dotnet --info 2>/dev/null | awk '/^ *RID:/ {print $2; exit}')"
if [ -n "$rid" ] && dotnet publish "$project" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$out" --nologo -v quiet >/dev/null 2>&1; then
  exit 0
fi
dotnet publish "$project" -c Release -o "$out" --nologo -v quiet
