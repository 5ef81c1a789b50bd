#!/usr/bin/env bash
# The HER2 study's cohort throughput, radiome against PyRadiomics' batch mode in one run:
# a synthetic cohort (`radiome synth`, study geometry), 3 sequences (DCE, T2FS, ADC) x 2 regions
# (tumour, 3 mm ring), wavelet_log params, in `maxslice` mode (force2D) and in `3d` mode.
#   - radiome: `batch --study --jobs 2` over all CASES cases;
#   - PyRadiomics: batch mode, --jobs 1 and --jobs 2, over the first 5 cases, the same 6
#     extractions per case from the masks `radiome mask` derives (resample onto each sequence's
#     grid, maxslice, ring), as 6 manifest rows per case;
#   - radiome's features on those 5 cases are checked against PyRadiomics' (relative 1e-6).
# Wall time, CPU time and peak resident memory from GNU time.
#   benches/study-cohort.sh [CASES] [PYRADIOMICS]   (defaults: 100, /tmp/pyrad-venv/bin/pyradiomics)
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-100}
pyradiomics=${2:-/tmp/pyrad-venv/bin/pyradiomics}
python=$(dirname "$pyradiomics")/python
radiome=${RADIOME:-$PWD/target/release/radiome}
params=$PWD/fixtures/pyradiomics-configs/wavelet_log.yaml
work=$(mktemp -d /tmp/radiome-study-bench.XXXXXX)
cores=$(nproc)
"$radiome" synth --cases "$cases" --seed 7 -o "$work/cohort" >/dev/null
sample=$(tail -n +2 "$work/cohort/manifest.csv" | head -5 | cut -d, -f1)

study() { # study MODE
  cat <<STUDY
mode: $1
regions: {intra: {}, peri: {mm: 3}}
sequences:
  - {name: dce, image: dce, mask: mask, params: $params}
  - {name: t2fs, image: t2fs, params: $params}
  - {name: adc, image: adc, params: $params}
STUDY
}

pyradiomics_inputs() { # pyradiomics_inputs MODE: masks, manifest and params for PyRadiomics
  local mode=$1 dir=$work/pyrad-$1
  mkdir -p "$dir"
  echo "Image,Mask" > "$dir/manifest.csv"
  for case in $sample; do
    for seq in dce t2fs adc; do
      local image=$work/cohort/$case/$seq.nrrd tumour=$dir/$case-$seq-tumour.nrrd
      local intra=$dir/$case-$seq-intra.nrrd peri=$dir/$case-$seq-peri.nrrd plane=""
      "$radiome" mask resample "$work/cohort/$case/mask.nrrd" --onto "$image" -o "$tumour" >/dev/null
      if [ "$mode" = maxslice ]; then
        "$radiome" mask maxslice "$tumour" -o "$intra" >/dev/null; plane=--in-plane
      else
        cp "$tumour" "$intra"
      fi
      "$radiome" mask ring "$intra" --mm 3 $plane -o "$peri" >/dev/null
      printf '%s,%s\n%s,%s\n' "$image" "$intra" "$image" "$peri" >> "$dir/manifest.csv"
    done
  done
  cp "$params" "$dir/params.yaml"
  if [ "$mode" = maxslice ]; then
    printf '  force2D: true\n  force2Ddimension: 0\n' >> "$dir/params.yaml"
  fi
}

measure() { # measure LABEL CASES COMMAND...: one table row
  local label=$1 n=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/log" || { tail -3 "$work/log"; exit 1; }
  read -r wall user sys kb < "$work/time"
  awk -v l="$label" -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v k="$kb" -v c="$cores" \
    'BEGIN { cpu = (u + s) / n; printf "| %s | %d | %.1f | %.1f | %.2f | %.2f | %.0f%% | %.0f |\n",
             l, n, w, u + s, n * 60 / w, cpu, 100 * (n / w) / (c / cpu), k / 1024 }'
}

echo "cohort: $cases cases, $cores cores; PyRadiomics on 5 of them"
printf '| run | cases | wall s | CPU s | cases/min | CPU s/case | cores busy | peak MiB |\n|---|---|---|---|---|---|---|---|\n'
for mode in maxslice 3d; do
  study $mode > "$work/study-$mode.yaml"
  pyradiomics_inputs $mode
  measure "$mode radiome --jobs 2" "$cases" "$radiome" batch "$work/cohort/manifest.csv" \
    --study "$work/study-$mode.yaml" --jobs 2 -o "$work/radiome-$mode.csv"
  for jobs in 1 2; do
    measure "$mode PyRadiomics --jobs $jobs" "$(echo $sample | wc -w)" "$pyradiomics" "$work/pyrad-$mode/manifest.csv" \
      --param "$work/pyrad-$mode/params.yaml" --jobs $jobs -f csv -o "$work/pyrad-$mode-$jobs.csv"
  done
done
for mode in maxslice 3d; do
  "$python" "$PWD/benches/study_agreement.py" "$work/radiome-$mode.csv" "$work/pyrad-$mode-1.csv" "$mode"
done
rm -rf "$work"
