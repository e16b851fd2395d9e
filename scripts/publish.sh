#!/usr/bin/env bash
# Publishes the needlework executable ReadyToRun (compiled ahead of time) into artifacts/needlework, or the
# directory given. This is how a worker host should run Needlework: a runner job then spends its CPU on the
# job instead of on the JIT compiler (docs/benchmarks.md). Incremental: a second run with no change is quick.
# Usage: scripts/publish.sh [output directory]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/needlework}
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "publish: no .NET runtime identifier known for $(uname -m)" >&2; exit 1 ;;
esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "publish: needlework for $rid, ReadyToRun, into $out" >&2
dotnet publish src/Needlework.Cli --configuration Release --runtime "$rid" --self-contained false \
  -p:PublishReadyToRun=true --output "$out" --verbosity quiet -nologo
