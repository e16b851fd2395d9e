#!/usr/bin/env bash
# Imaging benchmarks: Needlework (BenchmarkDotNet) and os-autoinst's tinycv (Debian package os-autoinst)
# on the same files, in one run, reported as milliseconds and as ratios (tinycv / Needlework).
# Usage: bench/imaging-vs-tinycv.sh   (after scripts/setup.sh; takes a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

dotnet build bench/Needlework.Benchmarks -c Release --verbosity quiet -nologo >/dev/null
bin=bench/Needlework.Benchmarks/bin/Release/net10.0/Needlework.Benchmarks.dll
dotnet "$bin" prepare "$data"

echo "== os-autoinst tinycv (median of 50 runs)"
perl bench/tinycv/tinycv-bench.pl "$data" 50 2>/dev/null | tee "$data/tinycv.json"

echo "== Needlework (BenchmarkDotNet)"
artifacts="$data/bdn"
NEEDLEWORK_BENCH_DATA="$data" dotnet "$bin" --filter '*ImagingBenchmarks*' --exporters json --artifacts "$artifacts" >"$data/bdn.log" 2>&1 \
  || { tail -50 "$data/bdn.log"; exit 1; }

python3 - "$data/tinycv.json" "$artifacts" <<'PY'
import glob, json, sys
tinycv = json.load(open(sys.argv[1]))
report = json.load(open(glob.glob(sys.argv[2] + "/results/*-report-full-compressed.json")[0]))
ours = {b["Method"]: b["Statistics"]["Median"] / 1e6 for b in report["Benchmarks"]}
rows = [("PPM write 1024x768", "PpmWrite", "ppm_write", 0.3),
        ("PNG encode 1024x768", "PngEncode", None, None),
        ("PNG encode 1024x768, OpenCV (the encoder ours replaced)", "PngEncodeOpenCv", None, None),
        ("PSNR of two frames", "Psnr", "psnr", 1.0),
        ("one area 200x50, margin 50", "SearchOne", "search_one", 2.0),
        ("20 candidate needles", "SearchTwenty", "search_twenty", 20.0)]
print(f"| operation | Needlework ms | goal ms | tinycv ms | tinycv / Needlework |")
print(f"| --- | ---: | ---: | ---: | ---: |")
for label, method, key, goal in rows:
    mine = ours[method]
    theirs = tinycv.get(key) if key else None
    ratio = f"{theirs / mine:.1f}x" if theirs else "-"
    print(f"| {label} | {mine:.3f} | {goal if goal else '-'} | {f'{theirs:.3f}' if theirs else '-'} | {ratio} |")
print(f"\nPNG encode, OpenCV / Needlework: {ours['PngEncodeOpenCv'] / ours['PngEncode']:.2f}x")
PY
