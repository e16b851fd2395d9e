#!/usr/bin/env bash
# Job creation and GET /api/v1/jobs throughput: Needlework's web UI (SQLite) against Debian's openqa web UI
# (PostgreSQL 15), on the same machine, both on 127.0.0.1 only. Needs root (PostgreSQL runs as postgres),
# the Debian packages openqa and postgresql-15. Usage: bench/webui-vs-openqa.sh [jobs] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-10000}
conc=${2:-4}
pages=${PAGES:-500}
full=${FULL:-8}
source bench/lib/webui-peers.sh

# openQA: a private PostgreSQL, schema deploy, an admin API key, the web UI daemon as Debian ships it.
deploy_openqa
oqport=$(freeport)
setsid "$oq/script/openqa-webui-daemon" -l "http://127.0.0.1:$oqport" >"$tmp/openqa.log" 2>&1 &
pids+=($!)

# Needlework: SQLite in a temp dir.
dotnet build src/Needlework.Cli -c Release -v q -nologo >/dev/null
start_needlework

waitfor "$oqport"
waitfor "$nwport"
args=(--jobs "$jobs" --concurrency "$conc" --pages "$pages" --full "$full")
echo "openQA ..." >&2
o=$(python3 bench/webui-vs-openqa.py --port "$oqport" --key "$oqkey" --secret "$oqsecret" "${args[@]}")
echo "Needlework ..." >&2
n=$(python3 bench/webui-vs-openqa.py --port "$nwport" --key "$nwkey" --secret "$nwsecret" "${args[@]}")
python3 - "$o" "$n" "$jobs" "$conc" <<'PY'
import json, sys
o, n = json.loads(sys.argv[1]), json.loads(sys.argv[2])
rows = [("create", f"POST /api/v1/jobs ({sys.argv[3]} jobs), jobs/s"),
        ("get100", f"GET /api/v1/jobs?limit=100 with {sys.argv[3]} jobs, req/s"),
        ("getall", f"GET /api/v1/jobs?limit=10000 with {sys.argv[3]} jobs, req/s")]
print(f"{sys.argv[4]} concurrent clients")
print(f"| {'operation':<51} | {'openQA':>8} | {'Needlework':>10} | {'ratio':>7} |")
print(f"|{'-'*53}|{'-'*9}:|{'-'*11}:|{'-'*8}:|")
for k, label in rows:
    print(f"| {label:<51} | {o[k]:>8.1f} | {n[k]:>10.1f} | {n[k]/o[k]:>6.1f}x |")
PY
