#!/usr/bin/env bash
# The GRUB example run by Debian's os-autoinst and by Needlework on the same ISO with the same needles,
# side by side: CPU of the runner and of its video encoder (QEMU's own CPU is reported apart, it is the
# same emulation for both). Median of N runs each (default 3). Usage: bench/runner-vs-os-autoinst.sh [N] [WAIT]
# WAIT (seconds, default 0) adds a still-screen phase at the GRUB prompt before halt, the same for both: it
# shows what a job costs per second of waiting, apart from what every job costs to start and finish.
# os-autoinst binds its command server to every address, so it runs in a network namespace of its own
# that has only loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
wait=${2:-0}
root=$(pwd)
source bench/lib/grub-job.sh
require_tools isotovideo qemu-system-x86_64 ffmpeg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Needlework's side of the still-screen phase: the example with one more module, scheduled before halt.
casedir=$root/examples/grub-rescue
schedule=""
if [ "$wait" != 0 ]; then
  casedir=$work/grub-rescue
  cp -r "$root/examples/grub-rescue" "$casedir"
  cat >"$casedir/tests/wait.cs" <<'CS'
// The still-screen phase of bench/runner-vs-os-autoinst.sh: GRUB_WAIT seconds at the prompt, doing nothing.
public sealed class wait : TestModule
{
    public override void Run() => System.Threading.Thread.Sleep(System.TimeSpan.FromSeconds(double.Parse(GetRequiredVar("GRUB_WAIT"), System.Globalization.CultureInfo.InvariantCulture)));
}
CS
  schedule=', "SCHEDULE": "tests/boot,tests/console,tests/ls,tests/help,tests/wait,tests/halt"'
fi

# Needlework as a worker host runs it: published ReadyToRun (scripts/publish.sh), started with the runtime
# settings the worker gives every runner (tiered compilation off, bench/lib/grub-job.sh). The plain JIT build of
# the tests is measured beside it, to show what precompiling is worth.
scripts/publish.sh "$work/published" >/dev/null
dotnet build src/Needlework.Cli -c Release --verbosity quiet -nologo >/dev/null
published=$work/published/needlework.dll
jitted=$root/src/Needlework.Cli/bin/Release/net10.0/needlework.dll
iso=/usr/lib/grub-rescue/grub-rescue-cdrom.iso

modules_ok() {
  python3 -c 'import glob, json, sys; print(sum(json.load(open(f))["result"] == "ok" for f in glob.glob(sys.argv[1] + "/testresults/result-*.json")))' "$1"
}

run_os_autoinst() {
  local pool=$work/oa-$1
  mkdir -p "$pool"
  cat >"$pool/vars.json" <<JSON
{"CASEDIR": "$root/bench/os-autoinst-grub", "PRODUCTDIR": "$root/bench/os-autoinst-grub", "NEEDLES_DIR": "$root/examples/grub-rescue/needles",
 "ISO": "$iso", "BACKEND": "qemu", "QEMU": "x86_64", "QEMU_NO_KVM": "1", "QEMURAM": "256", "NUMDISKS": "0", "DISTRI": "grub",
 "GRUB_WAIT": "$wait"}
JSON
  (cd "$pool" && python3 "$root/bench/proctree_cpu.py" "$work/oa-$1.json" -- unshare --net sh -c 'ip link set lo up; exec isotovideo -d' >"$pool/out.log" 2>&1)
  modules_ok "$pool" >"$work/oa-$1.ok"
}

run_needlework() {
  local kind=$1 pool=$work/$1-$3
  needlework_grub_job "$pool" "$work/$kind-$3.json" "$2" "$casedir" ", \"GRUB_WAIT\": \"$wait\"$schedule"
  modules_ok "$pool" >"$work/$kind-$3.ok"
}

# One warm-up run of Needlework compiles the test distribution into the cache, as the first job of a worker does.
run_needlework nw "$published" warmup
run_needlework jit "$jitted" warmup
for i in $(seq "$runs"); do
  echo "run $i of $runs" >&2
  run_os_autoinst "$i"
  run_needlework nw "$published" "$i"
  run_needlework jit "$jitted" "$i"
done

python3 - "$work" "$runs" "$wait" <<'PY'
import json, statistics, sys
work, runs, wait = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(kind):
    rows = [json.load(open(f"{work}/{kind}-{i}.json")) for i in range(1, runs + 1)]
    ok = [int(open(f"{work}/{kind}-{i}.ok").read().strip() or 0) for i in range(1, runs + 1)]
    med = lambda key: statistics.median(r.get(key, 0.0) for r in rows)
    return {"wall": med("wall"), "runner": med("runner_cpu"), "encoder": med("encoder_cpu"), "qemu": med("qemu_cpu"),
            "both": statistics.median(r.get("runner_cpu", 0) + r.get("encoder_cpu", 0) for r in rows), "ok": min(ok)}
oa, nw, jit = load("oa"), load("nw"), load("jit")
modules = 5 if wait == "0" else 6
if wait != "0":
    print(f"With a still-screen phase of {wait} s at the GRUB prompt before halt.\n")
print(f"| median of {runs} | wall s | runner CPU s | encoder CPU s | runner + encoder s | QEMU CPU s | modules ok |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, r in (("os-autoinst", oa), ("Needlework, published ReadyToRun", nw), ("Needlework, JIT build", jit)):
    print(f"| {name} | {r['wall']:.1f} | {r['runner']:.2f} | {r['encoder']:.2f} | {r['both']:.2f} | {r['qemu']:.2f} | {r['ok']}/{modules} |")
print(f"\nNeedlework (published) / os-autoinst, runner + encoder CPU: {nw['both'] / oa['both']:.2f}")
print(f"Needlework (JIT build) / os-autoinst, runner + encoder CPU: {jit['both'] / oa['both']:.2f}")
PY
