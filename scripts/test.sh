#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, starts the services the tests need
# (PostgreSQL on 127.0.0.1), runs every test project and the published build, stops the services, and prints
# one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

results=$(mktemp -d)
pgdir=""
cleanup() {
  if [ -n "$pgdir" ]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
  rm -rf "$results"
}
trap cleanup EXIT

# A real PostgreSQL 15 for the web UI's database tests, on 127.0.0.1 only, on a free port.
# Its binaries refuse to run as root, hence a folder owned by postgres and runuser.
if [ -z "${NEEDLEWORK_TEST_POSTGRES:-}" ]; then
  pgdir=$(mktemp -d)
  chown postgres:postgres "$pgdir"
  pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$pgdir/data" -A trust -U postgres --no-sync >/dev/null
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-h 127.0.0.1 -p $pgport -k $pgdir" start >/dev/null
  export NEEDLEWORK_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres"
fi

# Orphaned System V shared memory is a machine-wide limit (4096 segments): a test whose server leaks it breaks
# every later run on the machine, so the suite reports any it leaves (another process may add some, hence no fail).
shm_segments() { ipcs -m 2>/dev/null | awk 'NF && $1 ~ /^0x/' | wc -l; }
shm_before=$(shm_segments)

# One test project at a time: the QEMU, Xvfb and browser tests each want the 2 cores to themselves.
# Per-test time budgets live in the tests; `timeout` bounds each project as a last resort.
status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  if timeout 900 dotnet test "$project" --no-build --configuration Release \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results" -nologo; then
    continue
  fi
  # Tests against real QEMU, Xvfb and browsers on 2 shared cores can lose a race once. Failed tests get one
  # more run on their own; the summary names every test that needed it, and a second failure fails the suite.
  filter=$(python3 "$(dirname "$0")/failed-tests.py" "$results/$name.trx")
  if [ -z "$filter" ]; then
    status=1
    continue
  fi
  echo "== $name: running the failed tests once more"
  timeout 900 dotnet test "$project" --no-build --configuration Release --filter "$filter" \
    --logger "trx;LogFileName=$name.retry.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" -nologo || status=1
done

# The demo and worker hosts run needlework published ReadyToRun (scripts/publish.sh), not this Release build:
# publish it too, and run the GRUB example with it, so a publish-only breakage fails the suite.
echo "== published build (scripts/publish.sh)"
published_ok=0
if scripts/publish.sh "$results/published" && mkdir -p "$results/pool" \
    && printf '{"CASEDIR": "%s", "ISO": "/usr/lib/grub-rescue/grub-rescue-cdrom.iso", "QEMURAM": "256", "QEMU_NO_KVM": "1"}\n' \
      "$(pwd)/examples/grub-rescue" >"$results/pool/vars.json" \
    && timeout 300 dotnet "$results/published/needlework.dll" isotovideo -p "$results/pool" -q; then
  published_ok=$(python3 -c 'import glob, json, sys; print(sum(json.load(open(f))["result"] == "ok" for f in glob.glob(sys.argv[1] + "/testresults/result-*.json")))' "$results/pool")
fi
if [ "$published_ok" = 5 ]; then
  echo "published build: the GRUB example passed, 5 of 5 modules ok"
else
  echo "published build: FAILED (modules ok: $published_ok of 5)"
  status=1
fi

shm_left=$(( $(shm_segments) - shm_before ))
if [ "$shm_left" -gt 0 ]; then
  echo "warning: $shm_left more System V shared memory segments than before the tests (ipcs -m); a test leaks them"
fi

# One closing line for CI: "N passed, N failed, N skipped", summed over every project's TRX.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
def counters(path):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None:
        return 0, 0, 0
    failed = int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    return int(c.get("passed", 0)), failed, int(c.get("notExecuted", 0))
passed = failed = skipped = 0
retried = []
for f in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    if f.endswith(".retry.trx"):
        continue
    p, fl, sk = counters(f)
    retry = f[:-4] + ".retry.trx"
    try:
        rp, rf, _ = counters(retry)
        retried += [r.get("testName") for r in ET.parse(retry).getroot().iter("{%s}UnitTestResult" % ns["t"]) if r.get("outcome") == "Passed"]
        p, fl = p + rp, rf
    except FileNotFoundError:
        pass
    passed, failed, skipped = passed + p, failed + fl, skipped + sk
if retried:
    print(f"passed on a second run: {', '.join(retried)}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
