#!/bin/sh
# Counts false slowness stops: N normal GRUB sessions (real QEMU, TCG) under the slowness monitor with
# realistic limits (NEEDLEWORK_MAX_STALL=10, NEEDLEWORK_MAX_STALLED_PERCENT=20 over 60 s, NEEDLEWORK_SLOWNESS_FACTOR=10).
# Usage: bench/slowness-false-positives.sh [runs]   (default 10). Prints one FP-RUN line per session and FP-TOTAL.
set -eu
cd "$(dirname "$0")/.."
runs="${1:-10}"
dotnet build tests/Needlework.Runner.Tests -c Debug -nologo -v q >/dev/null
NEEDLEWORK_FP_RUNS="$runs" dotnet test tests/Needlework.Runner.Tests --no-build \
  --filter "FullyQualifiedName~Normal_grub_sessions_with_realistic_limits_are_never_stopped" \
  --logger "console;verbosity=detailed" | grep -E "FP-RUN|FP-TOTAL|Passed|Failed"
