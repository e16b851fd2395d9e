#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs `needlework demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec dotnet src/Needlework.Cli/bin/Release/net10.0/needlework.dll demo "$@"
