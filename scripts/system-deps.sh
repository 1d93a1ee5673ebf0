#!/usr/bin/env bash
# Installs the Debian packages the test suite needs: the official Python SDKs that our emulator must serve
# unchanged. They live under /usr/bin/python3 (Debian's interpreter), which the tests call explicitly; the CLI's
# terminal tests run `adl` on a pseudo-terminal through the same python3 (packages/cli/test/pty-run.py).
set -euo pipefail
packages=(python3-azure-datalake-store python3-adal python3-azure)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "system-deps: apt-get not found; install ${missing[*]} (Debian packages) by hand" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "system-deps: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "system-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
