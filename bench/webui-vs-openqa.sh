#!/usr/bin/env bash
# Job creation and GET /api/v1/jobs throughput: Needlework's web UI (SQLite) against Debian's openqa web UI
# (PostgreSQL 15), on the same machine, both on 127.0.0.1 only. Needs root (PostgreSQL runs as postgres),
# the Debian packages openqa and postgresql-15. Usage: bench/webui-vs-openqa.sh [jobs] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
# The peer is only needed here, not by the tests or the demo: install it on first use.
if ! dpkg-query -W -f='${Status}' openqa 2>/dev/null | grep -q "install ok installed"; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openqa
fi
jobs=${1:-10000}
conc=${2:-4}
pages=${PAGES:-500}
full=${FULL:-8}
tmp=$(mktemp -d)
chown postgres:postgres "$tmp"
pg=/usr/lib/postgresql/15/bin
oq=/usr/share/openqa
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
  runuser -u postgres -- "$pg/pg_ctl" -D "$tmp/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
waitfor() { for _ in $(seq 120); do curl -sf "http://127.0.0.1:$1/api/v1/jobs?limit=1" >/dev/null && return 0; sleep 0.5; done; echo "server on port $1 did not start" >&2; return 1; }

# openQA: a private PostgreSQL, schema deploy, an admin API key, the web UI daemon as Debian ships it.
pgport=$(freeport)
runuser -u postgres -- "$pg/initdb" -D "$tmp/pg" -A trust -U postgres --no-sync >/dev/null
runuser -u postgres -- "$pg/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w -o "-h 127.0.0.1 -p $pgport -k $tmp" start >/dev/null
"$pg/createdb" -h 127.0.0.1 -p "$pgport" -U postgres openqa
mkdir -p "$tmp/etc" "$tmp/base/openqa/db" "$tmp/base/openqa/share/factory" "$tmp/base/openqa/testresults"
printf '[production]\ndsn = DBI:Pg:dbname=openqa;host=127.0.0.1;port=%s\nuser = postgres\n' "$pgport" > "$tmp/etc/database.ini"
printf '[auth]\nmethod = Fake\n[logging]\nlevel = warn\n' > "$tmp/etc/openqa.ini"
export OPENQA_CONFIG="$tmp/etc" OPENQA_BASEDIR="$tmp/base"
"$oq/script/initdb" --init_database >/dev/null
oqkey=0123456789ABCDEF oqsecret=FEDCBA9876543210
"$oq/script/create_admin" --key "$oqkey" --secret "$oqsecret" bench 2>/dev/null || true
oqport=$(freeport)
setsid "$oq/script/openqa-webui-daemon" -l "http://127.0.0.1:$oqport" >"$tmp/openqa.log" 2>&1 &
pids+=($!)

# Needlework: SQLite in a temp dir.
dotnet build src/Needlework.Cli -c Release -v q -nologo >/dev/null
nw="dotnet src/Needlework.Cli/bin/Release/net10.0/needlework.dll"
mkdir -p "$tmp/nw"
keyout=$($nw admin create-key --user bench --data "$tmp/nw")
nwkey=$(awk '/^key:/{print $2}' <<<"$keyout")
nwsecret=$(awk '/^secret:/{print $2}' <<<"$keyout")
nwport=$(freeport)
setsid $nw webui --data "$tmp/nw" --urls "http://127.0.0.1:$nwport" >"$tmp/nw.log" 2>&1 &
pids+=($!)

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
