#!/usr/bin/env bash
# Submits a cohort as N shards and the merge that waits for them:
#   submit.sh MANIFEST PARAMS OUTDIR N
set -euo pipefail
manifest=$1 params=$2 outdir=$3 shards=$4
here=$(dirname "$0")
array=$(sbatch --parsable --array=0-$((shards - 1)) "$here/batch.sbatch" "$manifest" "$params" "$outdir")
sbatch --parsable --dependency=afterok:"$array" "$here/merge.sbatch" "$manifest" "$outdir" "$outdir/features.csv"
