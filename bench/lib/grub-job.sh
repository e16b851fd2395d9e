# Sourced by the runner benchmarks (bench/runner-vs-os-autoinst.sh, bench/runner-ab.sh): the GRUB example as one
# `needlework isotovideo` job, its CPU measured by bench/proctree_cpu.py. Expects $root, the repository.

# require_tools TOOL...: stops with a hint when one is missing.
require_tools() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/setup.sh first" >&2; exit 1; }
  done
}

# needlework_grub_job POOL CPU_JSON DLL [CASEDIR] [MORE_VARS]
# Runs the job in POOL with the published or built needlework.dll, started with the runtime settings the worker
# gives every runner (RunnerProcess.RuntimeEnvironment). MORE_VARS: further vars.json members, after a comma.
# A failed job stops the benchmark with the end of its log.
needlework_grub_job() {
  local pool=$1 cpu_json=$2 dll=$3 casedir=${4:-$root/examples/grub-rescue} more=${5:-}
  mkdir -p "$pool"
  cat >"$pool/vars.json" <<JSON
{"CASEDIR": "$casedir", "ISO": "/usr/lib/grub-rescue/grub-rescue-cdrom.iso", "QEMURAM": "256", "QEMU_NO_KVM": "1"$more}
JSON
  if ! (cd "$pool" && python3 "$root/bench/proctree_cpu.py" "$cpu_json" -- env DOTNET_TC_CallCounting=0 dotnet "$dll" isotovideo -q >/dev/null 2>&1); then
    echo "Needlework failed in $pool; the end of its log:" >&2
    tail -n 20 "$pool/autoinst-log.txt" >&2 || true
    exit 1
  fi
}
