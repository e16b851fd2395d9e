#!/usr/bin/env bash
# The main job: installs what is missing, publishes needlework precompiled (scripts/publish.sh), and runs
# `needlework demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --publish
exec dotnet artifacts/needlework/needlework.dll demo "$@"
