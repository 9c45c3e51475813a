#!/usr/bin/env bash
# Installs what the browser tests (tests/test_web_browser.py) need on a fresh Debian machine:
# Debian's Chromium (driven by the Python playwright package through executable_path=/usr/bin/chromium)
# and fonts with Arabic glyphs. Never runs `playwright install`: nothing is downloaded outside apt.
# Idempotent: does nothing when everything is already present.
set -euo pipefail

have_font() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=ar 2>/dev/null | grep -q .; }

if [ -x /usr/bin/chromium ] && have_font; then
  echo "browser dependencies already installed: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install_browser_deps: need root (or sudo) to apt-get install chromium" >&2; exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# chromium + its driver; Noto (Naskh/Kufi Arabic) and KACST cover Arabic; fontconfig for fc-list.
$SUDO apt-get install -y -qq --no-install-recommends \
  chromium chromium-driver fonts-noto-core fonts-kacst fonts-dejavu-core fontconfig
fc-cache -f >/dev/null 2>&1 || true

/usr/bin/chromium --version || { echo "install_browser_deps: chromium did not install" >&2; exit 1; }
have_font || { echo "install_browser_deps: no Arabic font found after install" >&2; exit 1; }
echo "browser dependencies installed"
