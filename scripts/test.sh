#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need from Debian's packages when it is missing
# (PostgreSQL for the integration tests, Chromium and its driver for the dashboard test, a font for the charts),
# then runs every test. The tests start their own PostgreSQL server on a free loopback port and stop it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing from Debian's packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# axe-core, which the browser tests inject into the pages (pinned by the lock file).
[ -f tests/QcdcCompliance.Tests/Browser/node_modules/axe-core/axe.min.js ] || npm ci --prefix tests/QcdcCompliance.Tests/Browser --no-audit --no-fund

dotnet test QcdcCompliance.sln -c Release --logger "console;verbosity=normal" "$@"
