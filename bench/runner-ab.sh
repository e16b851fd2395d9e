#!/usr/bin/env bash
# Two builds of the runner side by side on the GRUB example: runner and encoder CPU of each, runs alternating
# (A, B, A, B...) so that a machine that speeds up or slows down meanwhile affects both alike. For a change
# to the runner's CPU, where one run of bench/runner-vs-os-autoinst.sh moves by a few hundredths.
# Usage: bench/runner-ab.sh REV_A [REV_B] [N]   git revisions (REV_B defaults to the working tree), N runs each
#                                               (default 7); each is published ReadyToRun as a worker runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
rev_a=${1:?usage: bench/runner-ab.sh REV_A [REV_B] [N]}
rev_b=${2:-}
runs=${3:-7}
root=$(pwd)
source bench/lib/grub-job.sh
require_tools qemu-system-x86_64 ffmpeg
work=$(mktemp -d)
cleanup() {
  git -C "$root" worktree remove --force "$work/src-a" 2>/dev/null || true
  git -C "$root" worktree remove --force "$work/src-b" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

publish() {
  local rev=$1 name=$2
  if [ -z "$rev" ]; then
    scripts/publish.sh "$work/$name" >/dev/null
  else
    git worktree add --detach --quiet "$work/src-$name" "$rev"
    (cd "$work/src-$name" && scripts/publish.sh "$work/$name" >/dev/null)
  fi
}
publish "$rev_a" a
publish "$rev_b" b

# Both builds start as the worker starts a runner now, so only the code differs.
one() { needlework_grub_job "$work/pool-$1-$2" "$work/$1-$2.json" "$work/$1/needlework.dll"; }

# One warm-up run each fills the compile cache, as a worker's first job does.
one a warmup
one b warmup
for i in $(seq "$runs"); do
  echo "run $i of $runs" >&2
  one a "$i"
  one b "$i"
done

python3 - "$work" "$runs" "$rev_a" "${rev_b:-working tree}" <<'PY'
import json, statistics, sys
work, runs, names = sys.argv[1], int(sys.argv[2]), {"a": sys.argv[3], "b": sys.argv[4]}
med = {}
print(f"| median of {runs} | runner CPU s | encoder CPU s | runner + encoder s |")
print("| --- | ---: | ---: | ---: |")
for build in "ab":
    rows = [json.load(open(f"{work}/{build}-{i}.json")) for i in range(1, runs + 1)]
    r = statistics.median(x.get("runner_cpu", 0) for x in rows)
    e = statistics.median(x.get("encoder_cpu", 0) for x in rows)
    b = statistics.median(x.get("runner_cpu", 0) + x.get("encoder_cpu", 0) for x in rows)
    med[build] = b
    print(f"| {names[build]} | {r:.3f} | {e:.3f} | {b:.3f} |")
print(f"\nB / A, runner + encoder CPU: {med['b'] / med['a']:.2f}")
PY
