#!/usr/bin/env bash
# Counts false slowness stops over whole jobs: the GRUB example through `needlework isotovideo` N times
# (default 10) with realistic limits: NEEDLEWORK_MAX_STALL=10, NEEDLEWORK_MAX_STALLED_PERCENT=20 over 60 s,
# NEEDLEWORK_SLOWNESS_FACTOR=10. A job stopped for slowness ends with exit 1 and a slow_* category in
# base_state.json. Usage: bench/slowness-false-positives-jobs.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/Needlework.Cli -c Release --verbosity quiet -nologo >/dev/null
stopped=0
passed=0
for i in $(seq "$runs"); do
  pool=$work/job-$i
  mkdir -p "$pool"
  cat >"$pool/vars.json" <<JSON
{"CASEDIR": "$root/examples/grub-rescue", "ISO": "/usr/lib/grub-rescue/grub-rescue-cdrom.iso", "QEMURAM": "256", "QEMU_NO_KVM": "1",
 "NEEDLEWORK_MAX_STALL": "10", "NEEDLEWORK_MAX_STALLED_PERCENT": "20", "NEEDLEWORK_STALL_WINDOW": "60", "NEEDLEWORK_SLOWNESS_FACTOR": "10"}
JSON
  code=0
  dotnet "$root/src/Needlework.Cli/bin/Release/net10.0/needlework.dll" isotovideo -q -p "$pool" || code=$?
  summary=$(python3 - "$pool" <<'PY'
import glob, json, os, sys
pool = sys.argv[1]
state = json.load(open(f"{pool}/base_state.json")) if os.path.exists(f"{pool}/base_state.json") else {}
ok = sum(json.load(open(f))["result"] == "ok" for f in glob.glob(f"{pool}/testresults/result-*.json"))
stats = json.load(open(f"{pool}/stats.json"))["summary"]
print(state.get("category") or "-", ok, stats["stalls"]["count"], stats["interval_ms"]["max"])
PY
)
  read -r category ok stalls longest <<<"$summary"
  echo "job $i: exit $code, slowness ${category}, modules ok $ok/5, stalls $stalls, longest capture interval ${longest} ms"
  case "$category" in slow_*) stopped=$((stopped + 1)) ;; esac
  [ "$code" = 0 ] && [ "$ok" = 5 ] && passed=$((passed + 1))
done
echo "$stopped of $runs jobs stopped for slowness; $passed of $runs passed"
