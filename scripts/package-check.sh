#!/usr/bin/env bash
# Packs the library (LogReg) and the command-line tool (LogReg.Cli) into a local feed, then uses both as a user would,
# without the repository and without the internet: a small project outside the repository (examples/PackageConsumer,
# copied to a temporary folder) restores LogReg from the feed and runs, and `dotnet tool install` installs logreg from
# the feed and runs `logreg --help`. Also checks what the library package holds and that packing is deterministic.
# The packages get a version of their own (0.1.0-check.TIME), so NuGet's global cache never serves an older build; those
# cache entries are removed at the end. Called by .ci/run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
work="$(mktemp -d)"
version="0.1.0-check.$(date +%s)"
# The files in the packages are dated with the commit (see DeterministicTimestamp in the csproj files).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 1767225600)}"
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
cleanup() { rm -rf "$work" "$cache/logreg/$version" "$cache/logreg.cli/$version"; }
trap cleanup EXIT
fail() { echo "package-check: $*" >&2; exit 1; }

echo "packing LogReg and LogReg.Cli $version into $work/feed"
dotnet pack src/LogReg -c Release -o "$work/feed" -p:Version="$version" --nologo -v q
dotnet pack src/LogReg.Cli -c Release -o "$work/feed" -p:Version="$version" --nologo -v q
library="$work/feed/LogReg.$version.nupkg"
tool="$work/feed/LogReg.Cli.$version.nupkg"
[ -f "$library" ] || fail "no $library"
[ -f "$tool" ] || fail "no $tool"

# The library package: the assembly with its XML docs, the README and the license; nothing of the tests or the CLI.
contents="$(unzip -Z1 "$library")"
for entry in lib/net10.0/LogReg.dll lib/net10.0/LogReg.xml README.md LICENSE; do
  grep -qx "$entry" <<<"$contents" || fail "$library lacks $entry"
done
if grep -q 'LogReg.Cli\|LogReg.Tests' <<<"$contents"; then fail "$library holds more than the library: $contents"; fi
grep -q '<license type="expression">MIT</license>' <(unzip -p "$library" LogReg.nuspec) || fail "$library: no MIT license expression"
# Deterministic: packing the same build again gives the same bytes.
dotnet pack src/LogReg -c Release -o "$work/again" -p:Version="$version" --no-build --nologo -v q
cmp -s "$library" "$work/again/LogReg.$version.nupkg" || fail "packing twice gave different packages"
echo "ok: $(basename "$library") holds the library, its XML docs, README.md and LICENSE; packing twice gives the same bytes"

# A user's project, outside the repository, restoring LogReg from the local feed (and its dependencies from the
# machine's usual sources, or NuGet's cache where they already are).
cp -r examples/PackageConsumer "$work/consumer"
cat > "$work/consumer/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="logreg-local" value="$work/feed" />
  </packageSources>
</configuration>
CONFIG
output="$(cd "$work/consumer" && dotnet run -c Release -p:LogRegVersion="$version" 2>&1)" || fail "the consumer project failed: $output"
echo "$output"
# The version exists only in the package just packed, so this is the package's assembly, not a project build.
grep -qE "^LogReg $version(\+[0-9a-f]+)? from " <<<"$output" || fail "the consumer did not run on LogReg $version from the package"
grep -qx 'classes: east, north, origin' <<<"$output" || fail "the consumer's classes are wrong"
grep -qx '(4.5, 0.5) -> east, (0.5, 4.5) -> north' <<<"$output" || fail "the consumer's predictions are wrong"
grep -qx 'training accuracy: 1.00' <<<"$output" || fail "the consumer's accuracy is wrong"
echo "ok: a project outside the repository ran on LogReg $version from the local feed"

# The tool, installed from the feed into a folder of its own.
dotnet tool install --tool-path "$work/tools" --add-source "$work/feed" LogReg.Cli --version "$version" >/dev/null
help="$("$work/tools/logreg" --help 2>&1)" || fail "logreg --help failed: $help"
for command in train eval predict experiment report; do
  grep -qE "^  $command( |$)" <<<"$help" || fail "logreg --help from the tool package does not list $command: $help"
done
echo "ok: dotnet tool install put logreg in place and logreg --help lists its commands"
