#!/usr/bin/env bash
# Cohort throughput, radiome against PyRadiomics' batch mode, same cases and extractions, one run:
#   A. plain batch: PyRadiomics' 5 test cases, their tumour labels, wavelet_log (3D);
#   B. study: 3 sequences x 2 regions (tumour, 3 mm ring) on the largest axial cross-section,
#      wavelet_log with force2D (the fixtures have one sequence per case: the study reads each
#      case's image as all three; PyRadiomics runs the 6 extractions per case as 6 manifest rows
#      with the fixtures' _label_maxslice and _label_maxslice_peri3mm masks).
# radiome runs each case 4 times over (20 rows) with --jobs 2, PyRadiomics the 5 cases with
# --jobs 1 and --jobs 2. Wall time, CPU time and peak resident memory from GNU time.
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
manifest "$work/b20.csv" 4 ""
manifest "$work/b_pyrad.csv" 1 _maxslice _maxslice_peri3mm _maxslice _maxslice_peri3mm _maxslice _maxslice_peri3mm
{ cat "$configs/wavelet_log.yaml"; echo "  force2D: true"; echo "  force2Ddimension: 0"; } > "$work/wavelet_log_2d.yaml"
grep -q '^setting:' "$configs/wavelet_log.yaml" || { echo "wavelet_log.yaml has no setting block"; exit 1; }
cat > "$work/study.yaml" <<STUDY
mode: maxslice
regions: {intra: {}, peri: {mm: 3}}
sequences:
  - {name: dce, image: Image, mask: Mask, params: $configs/wavelet_log.yaml}
  - {name: t2fs, image: Image, params: $configs/wavelet_log.yaml}
  - {name: adc, image: Image, params: $configs/wavelet_log.yaml}
STUDY

printf '| run | cases | wall s | CPU s | cases/min | CPU s/case | peak MiB |\n|---|---|---|---|---|---|---|\n'
measure() { # measure LABEL CASES COMMAND...
  local label=$1 n=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/log" || { cat "$work/log"; exit 1; }
  read -r wall user sys kb < "$work/time"
  awk -v l="$label" -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v k="$kb" \
    'BEGIN { printf "| %s | %d | %.1f | %.1f | %.1f | %.2f | %.0f |\n", l, n, w, u + s, n * 60 / w, (u + s) / n, k / 1024 }'
}
measure "A radiome --jobs 2" 20 "$radiome" batch "$work/a20.csv" --params "$configs/wavelet_log.yaml" --jobs 2 -o "$work/a.csv"
measure "A PyRadiomics --jobs 1" 5 "$pyradiomics" "$work/a5.csv" --param "$configs/wavelet_log.yaml" --jobs 1 -f csv -o "$work/pa1.csv"
measure "A PyRadiomics --jobs 2" 5 "$pyradiomics" "$work/a5.csv" --param "$configs/wavelet_log.yaml" --jobs 2 -f csv -o "$work/pa2.csv"
measure "B radiome study --jobs 2" 20 "$radiome" batch "$work/b20.csv" --study "$work/study.yaml" --jobs 2 -o "$work/b.csv"
measure "B PyRadiomics --jobs 1" 5 "$pyradiomics" "$work/b_pyrad.csv" --param "$work/wavelet_log_2d.yaml" --jobs 1 -f csv -o "$work/pb1.csv"
measure "B PyRadiomics --jobs 2" 5 "$pyradiomics" "$work/b_pyrad.csv" --param "$work/wavelet_log_2d.yaml" --jobs 2 -f csv -o "$work/pb2.csv"
rm -rf "$work"
