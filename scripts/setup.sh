#!/usr/bin/env bash
# Installs what Needlework needs on Debian 12 (packages, NuGet restore) and builds it.
# Quick when nothing is missing: it asks dpkg first and only calls apt-get for what is absent.
# Usage: scripts/setup.sh            installs, restores and builds the solution (Release), for the tests
#        scripts/setup.sh --publish  installs, then publishes the needlework executable precompiled
#                                    (scripts/publish.sh), for the demo and for workers
set -euo pipefail
cd "$(dirname "$0")/.."

# Real components the tests and the demo start: ffmpeg (video), QEMU and the Debian SUT images,
# Xvfb + x11vnc + xterm (a light VNC server), OpenCV's native dependency, chromium (browser tests),
# PostgreSQL (the web UI's second database), and the peers we compare with (os-autoinst, openqa-client).
PACKAGES=(
  ffmpeg qemu-system-x86 qemu-utils grub-rescue-pc debian-installer-12-netboot-amd64
  xvfb x11vnc xterm libgtk-3-0 procps
  chromium postgresql
  os-autoinst libmojo-ioloop-readwriteprocess-perl liblist-moreutils-perl libcpanel-json-xs-perl openqa-client iproute2
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (dotnet on PATH)" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ "${1:-}" = "--publish" ]; then
  exec scripts/publish.sh
fi
dotnet restore Needlework.sln --verbosity quiet
dotnet build Needlework.sln --no-restore --configuration Release --verbosity quiet -nologo "$@"
