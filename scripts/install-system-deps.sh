#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/system-packages.txt that are missing
# (the browser, Redis and PostgreSQL servers that end-to-end tests start privately).
# Runs before `npm test`; does nothing when all are present or the list is empty.
set -euo pipefail
cd "$(dirname "$0")"

needed=()
while read -r pkg _; do
  case "$pkg" in ""|\#*) continue ;; esac
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done < system-packages.txt
[ ${#needed[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian packages for the test suite: ${needed[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
