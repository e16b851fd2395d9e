#!/usr/bin/env bash
# Publishes the needlework executable ReadyToRun (compiled ahead of time) into artifacts/needlework, or the
# directory given. This is how a worker host should run Needlework: a runner job then spends its CPU on the
# job instead of on the JIT compiler (docs/benchmarks.md). Self-contained, with the .NET runtime and Needlework
# compiled together into one composite image: code that the framework's own precompiled images leave to the JIT
# (List<float>, Dictionary<int, int> and other generics over primitive types used across assemblies) is then
# precompiled too, which saves a runner about a tenth of its CPU per job. The first publish takes about two
# minutes on two cores; incremental: a second run with no change is quick.
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
echo "publish: needlework for $rid, self-contained, ReadyToRun composite, into $out" >&2
dotnet publish src/Needlework.Cli --configuration Release --runtime "$rid" --self-contained true \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true --output "$out" --verbosity quiet -nologo
