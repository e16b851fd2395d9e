#!/usr/bin/env bash
# Time for Needlework's web UI (SQLite) to hand 1,000 queued jobs to 100 connected workers, each of which
# accepts a job and reports it done at once (bench/webui-assign.cs). Needlework only: openQA is not run here.
# Usage: bench/webui-assign.sh [workers=100] [jobs=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${1:-100}
jobs=${2:-1000}
tmp=$(mktemp -d)
pid=""
cleanup() { [ -z "$pid" ] || kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
dotnet build src/Needlework.Cli -c Release -v q -nologo >/dev/null
nw="dotnet src/Needlework.Cli/bin/Release/net10.0/needlework.dll"
keyout=$($nw admin create-key --user bench --data "$tmp")
key=$(awk '/^key:/{print $2}' <<<"$keyout")
secret=$(awk '/^secret:/{print $2}' <<<"$keyout")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
setsid $nw webui --data "$tmp" --urls "http://127.0.0.1:$port" >"$tmp/webui.log" 2>&1 &
pid=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/api/v1/jobs?limit=1" >/dev/null && break; sleep 0.5; done
dotnet run -c Release bench/webui-assign.cs -- "$port" "$key" "$secret" "$workers" "$jobs"
