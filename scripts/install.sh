#!/usr/bin/env bash
# Installs the `qcdc` command once, compiled ahead of time (ReadyToRun): a verb then starts from native code instead of
# JIT-compiling EF Core, the host and its own code on every run (a one-row import: about half the CPU time of
# `dotnet run --project host/QcdcCompliance.Host -- ...` or of the Release build's qcdc.dll). Run it again after pulling.
#
#   ./scripts/install.sh [PREFIX]     (default ~/.local: the program in PREFIX/lib/qcdc, the command PREFIX/bin/qcdc)
#
# It publishes the host framework-dependent (the .NET 10 runtime that runs `dotnet` runs it) for this machine's
# runtime identifier; the first run fetches the ReadyToRun compiler (Microsoft.NETCore.App.Crossgen2) through NuGet,
# and the compilation itself takes a few minutes. Nothing else changes: the same settings (appsettings.json beside
# the program, QCDC_PROVIDER, QCDC_DB, --db) and the same database files in the folder it is run from.
set -euo pipefail

# An absolute prefix, read from where the script was started (the launcher names the program by its full path).
prefix="${1:-$HOME/.local}"
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
cd "$(dirname "$0")/.."
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "install.sh: no ReadyToRun build for $(uname -m); use dotnet run --project host/QcdcCompliance.Host -- <verb>" >&2; exit 2 ;;
esac
os=linux
[ "$(uname -s)" = Darwin ] && os=osx

lib="$prefix/lib/qcdc"
staging="$(mktemp -d "${TMPDIR:-/tmp}/qcdc-install.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

echo "Publishing qcdc (Release, ReadyToRun, $os-$arch) ..."
dotnet publish host/QcdcCompliance.Host -c Release -r "$os-$arch" --self-contained false \
  -p:PublishReadyToRun=true -o "$staging/qcdc" 2>&1 | grep -E " error |warning NETSDK|-> $staging" || true
[ -f "$staging/qcdc/qcdc.dll" ] || { echo "install.sh: the publish failed (run the dotnet publish line above to see why)" >&2; exit 1; }

# Replaced whole, so that no file of an older version stays beside the new one.
mkdir -p "$prefix/lib" "$prefix/bin"
rm -rf "$lib"
mv "$staging/qcdc" "$lib"
# Every verb runs with the workstation collector and tier-1 code after 500 calls (the program's settings), the web host
# with the server collector and the runtime's 30 calls: it keeps scopes warm for hours and serves many requests at once,
# and its requests' code reaches tier 1 sooner (README, "What changed"). What the caller sets wins either way.
# bash, not sh: dash drops from the environment the variables whose names are not shell identifiers, and a setting of
# an area's code holds a hyphen (Alerts__Committees__HT-D04); bash passes them on to the program.
cat >"$prefix/bin/qcdc" <<EOF
#!/usr/bin/env bash
# Installed by scripts/install.sh from $(pwd) ($(git rev-parse --short HEAD 2>/dev/null || echo "no git")).
if [ "\$1" = serve ]; then export DOTNET_gcServer="\${DOTNET_gcServer:-1}" DOTNET_TC_CallCountThreshold="\${DOTNET_TC_CallCountThreshold:-30}"; fi
exec "$(command -v dotnet)" "$lib/qcdc.dll" "\$@"
EOF
chmod +x "$prefix/bin/qcdc"

echo "Installed: $prefix/bin/qcdc -> $lib"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "Add $prefix/bin to PATH (for example: export PATH=\"$prefix/bin:\$PATH\") to run it as qcdc." ;;
esac
