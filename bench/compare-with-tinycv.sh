#!/usr/bin/env bash
# Needle matching compared with Debian's os-autoinst (tinycv + needle.pm) on the same needles and screens:
# the real GRUB screens of examples/grub-rescue (with the normal and the full search ratio) and generated
# shifts and changes. Fails unless every screen and needle pair has the same pass/fail and a similarity
# within 1 percentage point; prints how many pairs were compared and the largest difference.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test tests/Needlework.Imaging.Tests -c Release --filter "FullyQualifiedName~TinycvComparisonTests" \
  --logger "console;verbosity=detailed" -nologo | grep -E "pairs compared|Passed|Failed|error" 
