#!/usr/bin/env bash
# Regenerates the library's public API files, src/LogReg/PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt, from the
# code, with the analyzer's own code fix (Microsoft.CodeAnalysis.PublicApiAnalyzers, RS0016 "symbol is not part of the
# declared API"). Run it after adding, renaming or moving public types or members, or after a merge that did; review
# the diff of the two files, then commit them. The build (RS0016/RS0017 are errors) fails until they match the code.
#   scripts/public-api.sh          rewrite PublicAPI.Unshipped.txt: every public symbol not in PublicAPI.Shipped.txt
#   scripts/public-api.sh --check  exit 1, listing the differences, when the files do not match the code
# Nothing is released yet, so Shipped holds only the header; at a release, move Unshipped's lines into Shipped.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
project=src/LogReg/LogReg.csproj
unshipped=src/LogReg/PublicAPI.Unshipped.txt
shipped=src/LogReg/PublicAPI.Shipped.txt

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: scripts/public-api.sh [--check]" >&2; exit 2 ;;
esac

[ -f "$shipped" ] || printf '#nullable enable\n' > "$shipped"
before="$(mktemp)"
trap 'rm -f "$before"' EXIT
cp "$unshipped" "$before" 2>/dev/null || : > "$before"

# Start from Shipped alone, so entries of symbols that were removed, renamed or moved (other namespace) go away, then
# let the code fix add a line for every public symbol the files do not declare.
printf '#nullable enable\n' > "$unshipped"
dotnet restore "$project" --nologo -v q >/dev/null
dotnet format analyzers "$project" --no-restore --diagnostics RS0016 --severity info -v q
# One order, whatever order the fixes were applied in, so that two regenerations give the same file and merges stay
# line-by-line.
{ echo '#nullable enable'; grep -v '^#nullable enable$' "$unshipped" | LC_ALL=C sort -u; } > "$unshipped.tmp"
mv "$unshipped.tmp" "$unshipped"

if $check; then
  if ! diff -u "$before" "$unshipped"; then
    cp "$before" "$unshipped"
    echo "src/LogReg/PublicAPI.Unshipped.txt does not match the public API: run scripts/public-api.sh and commit the result" >&2
    exit 1
  fi
  echo "public API files match the code ($(($(wc -l < "$unshipped") - 1)) symbols)"
else
  echo "$unshipped: $(($(wc -l < "$unshipped") - 1)) public symbols"
fi
