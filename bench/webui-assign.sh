#!/usr/bin/env bash
# Time for a web UI to hand 1,000 queued jobs to 100 connected workers, each of which accepts a job and reports
# it done at once (bench/webui-assign.cs, the same client for both): Needlework's web UI (SQLite), then Debian's
# openQA 4.6 (web UI, websockets server and scheduler on a private PostgreSQL 15), one after the other, each alone,
# all on 127.0.0.1. Needs root (PostgreSQL runs as postgres) and the Debian packages openqa and postgresql-15.
# Usage: bench/webui-assign.sh [workers=100] [jobs=1000]
# openQA runs at its defaults (a scheduler tick of 20 s, at most 80 jobs a tick); OPENQA_SCHEDULER_SCHEDULE_TICK_MS
# and OPENQA_SCHEDULER_MAX_JOB_ALLOCATION, when set, reach its scheduler. TIMEOUT (900 s) bounds each run: a
# server that has not finished by then is reported with how far it got.
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${1:-100}
jobs=${2:-1000}
timeout=${TIMEOUT:-900}
source bench/lib/webui-peers.sh
# openQA's daemons sit at fixed offsets from OPENQA_BASE_PORT: web UI +0, websockets +1, scheduler +3.
freeports4() {
  python3 - <<'PY'
import random, socket
for _ in range(100):
    base = random.randrange(20000, 60000)
    socks = []
    try:
        for p in range(base, base + 4):
            s = socket.socket(); s.bind(("127.0.0.1", p)); socks.append(s)
        print(base); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
PY
}
# Runs the client; prints its JSON line. Exit 2 (timed out, with a partial result) is a result too.
# The 1-minute load average before and after tells whether other work shared the machine.
measure() {
  local out rc
  echo "  load average before: $(cut -d' ' -f1 /proc/loadavg)" >&2
  out=$(dotnet run -c Release bench/webui-assign.cs -- "$@" "$workers" "$jobs" "$server" "$timeout") && rc=0 || rc=$?
  echo "  load average after: $(cut -d' ' -f1 /proc/loadavg)" >&2
  [ "$rc" = 0 ] || [ "$rc" = 2 ] || { echo "client failed ($rc)" >&2; return 1; }
  echo "$out"
}

# Needlework: SQLite in a temp dir, alone on the machine.
dotnet build src/Needlework.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/webui-assign.cs -c Release -v q -nologo >/dev/null
start_needlework
waitfor "$nwport"
echo "Needlework ..." >&2
server=needlework
n=$(measure "$nwport" "$nwkey" "$nwsecret")
echo "  $n" >&2
stop "${pids[0]}"
wait "${pids[0]}" 2>/dev/null || true
pids=()

# openQA: a private PostgreSQL, schema deploy, an admin API key, then the three daemons as Debian ships them,
# each told to listen on 127.0.0.1 only (they add [::1] unless MOJO_LISTEN is set).
oqport=$(freeports4)
export OPENQA_BASE_PORT="$oqport"
deploy_openqa
# Minion's tables (set_done queues a finalize task) are made on first use, which the web UI's prefork processes
# race over and fail; openqa-gru makes them as it starts in a real installation, this does the same.
"$oq/script/openqa" minion job -s -m production >/dev/null
setsid "$oq/script/openqa-webui-daemon" -l "http://127.0.0.1:$oqport" >"$tmp/openqa-webui.log" 2>&1 &
pids+=($!)
MOJO_LISTEN="http://127.0.0.1:$((oqport + 1))" setsid "$oq/script/openqa-websockets-daemon" >"$tmp/openqa-websockets.log" 2>&1 &
pids+=($!)
MOJO_LISTEN="http://127.0.0.1:$((oqport + 3))" setsid "$oq/script/openqa-scheduler-daemon" >"$tmp/openqa-scheduler.log" 2>&1 &
pids+=($!)
waitfor "$oqport"
waitfor "$((oqport + 1))" /
waitfor "$((oqport + 3))" /
tick=${OPENQA_SCHEDULER_SCHEDULE_TICK_MS:-20000}
alloc=${OPENQA_SCHEDULER_MAX_JOB_ALLOCATION:-80}
echo "openQA (scheduler tick $tick ms, at most $alloc jobs a tick) ..." >&2
server=openqa
o=$(measure "$oqport" "$oqkey" "$oqsecret")
echo "  $o" >&2

python3 - "$o" "$n" "$tick" "$alloc" <<'PY'
import json, sys
o, n = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{o['workers']} workers, {o['jobs']} jobs; openQA scheduler tick {sys.argv[3]} ms, at most {sys.argv[4]} jobs a tick")

def known(r, k):  # the time is measured: the first round may be reached in a run that timed out
    return r[k] is not None and (k != "elapsed_s" or r["complete"])

def cell(r, k):
    return f"{r[k]:.1f}" if known(r, k) else f"> {r['elapsed_s']:.0f}"

def ratio(k):
    if not known(n, k):
        return "n/a"
    return f"{o[k] / n[k]:.1f}x" if known(o, k) else f"> {o['elapsed_s'] / n[k]:.1f}x"

rows = [("first_round_s", f"every one of the {o['workers']} workers has had a job, s"),
        ("elapsed_s", f"all {o['jobs']} jobs handed out and done, s")]
print(f"| {'measure':<52} | {'openQA':>8} | {'Needlework':>10} | {'openQA / Needlework':>19} |")  # time ratios
print(f"|{'-'*54}|{'-'*9}:|{'-'*11}:|{'-'*20}:|")
for k, label in rows:
    print(f"| {label:<52} | {cell(o, k):>8} | {cell(n, k):>10} | {ratio(k):>19} |")
print(f"| {'jobs per second through the whole cycle':<52} | {o['jobs_per_s']:>8.1f} | {n['jobs_per_s']:>10.1f} | "
      f"{n['jobs_per_s'] / o['jobs_per_s'] if o['jobs_per_s'] else float('inf'):>18.1f}x |")
for name, r in (("openQA", o), ("Needlework", n)):
    if r["workers_left_busy"]:
        print(f"{name}: {r['workers_left_busy']} workers still marked busy at the end")
    if not r["complete"]:
        print(f"{name} timed out: {r['jobs_done']} of {r['jobs']} done in {r['elapsed_s']:.0f} s, {r['jobs_per_s']} jobs/s")
PY
