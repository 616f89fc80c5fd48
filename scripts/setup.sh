#!/usr/bin/env bash
# Installs everything 绩效自评助手 needs on a fresh Debian/Ubuntu machine:
# LibreOffice (PDF rendering, VBA/recalculation checks), poppler, CJK fonts, and a
# virtual environment .venv with this project and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="libreoffice-calc-nogui libreoffice-writer-nogui python3-uno poppler-utils fonts-noto-cjk"
missing=""
for pkg in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "安装系统软件包：$missing"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
