#!/usr/bin/env bash
# Plain batch throughput, radiome against PyRadiomics' batch mode, same cases and extractions, one
# run: PyRadiomics' 5 test cases, their tumour labels, wavelet_log (3D). radiome runs each case 4
# times over (20 rows) with --jobs 2, PyRadiomics the 5 cases with --jobs 1 and --jobs 2. Wall
# time, CPU time and peak resident memory from GNU time. (The study: benches/study-cohort.sh.)
#   benches/cohort.sh [PYRADIOMICS]   (default /tmp/pyrad-venv/bin/pyradiomics)
set -euo pipefail
cd "$(dirname "$0")/.."
pyradiomics=${1:-/tmp/pyrad-venv/bin/pyradiomics}
radiome=$PWD/target/release/radiome
data=$PWD/fixtures/pyradiomics-data
configs=$PWD/fixtures/pyradiomics-configs
work=$(mktemp -d /tmp/radiome-cohort-bench.XXXXXX)
cases="brain1 brain2 breast1 lung1 lung2"

manifest() { # manifest FILE REPEATS MASK_SUFFIX...
  local file=$1 repeats=$2; shift 2
  echo "Image,Mask" > "$file"
  for _ in $(seq "$repeats"); do for c in $cases; do for suffix in "$@"; do
    echo "$data/${c}_image.nrrd,$data/${c}_label$suffix.nrrd" >> "$file"
  done; done; done
}
manifest "$work/a5.csv" 1 ""
manifest "$work/a20.csv" 4 ""

printf '| run | cases | wall s | CPU s | cases/min | CPU s/case | peak MiB |\n|---|---|---|---|---|---|---|\n'
measure() { # measure LABEL CASES COMMAND...
  local label=$1 n=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/log" || { cat "$work/log"; exit 1; }
  read -r wall user sys kb < "$work/time"
  awk -v l="$label" -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v k="$kb" \
    'BEGIN { printf "| %s | %d | %.1f | %.1f | %.1f | %.2f | %.0f |\n", l, n, w, u + s, n * 60 / w, (u + s) / n, k / 1024 }'
}
measure "radiome --jobs 2" 20 "$radiome" batch "$work/a20.csv" --params "$configs/wavelet_log.yaml" --jobs 2 -o "$work/a.csv"
measure "PyRadiomics --jobs 1" 5 "$pyradiomics" "$work/a5.csv" --param "$configs/wavelet_log.yaml" --jobs 1 -f csv -o "$work/pa1.csv"
measure "PyRadiomics --jobs 2" 5 "$pyradiomics" "$work/a5.csv" --param "$configs/wavelet_log.yaml" --jobs 2 -f csv -o "$work/pa2.csv"
rm -rf "$work"
