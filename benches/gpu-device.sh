#!/usr/bin/env bash
# CPU against GPU on a GPU machine, from a bench binary built beforehand (no cargo needed there).
#
#   benches/gpu-device.sh prepare   # here: builds benches/gpu.rs, copies it to target/gpu-device/
#   benches/gpu-device.sh           # there, in the repository root (x86-64 Linux, NVIDIA + Vulkan)
#
# On the GPU machine it unpacks the Vulkan loader from Debian's libvulkan1 .deb (in .gl/, see
# docs/benchmarks.md) when the machine has none, points the loader at NVIDIA's ICD when the
# default search finds no driver, prints the adapter, then per-kernel times (GLCM, GLRLM, GLSZM,
# GLDM, NGTDM on a ~40,000-voxel ROI) and whole-case times (synthetic 352 x 352 x 160 breast-sized
# MR case, wavelet_log: Original + wavelet + LoG 1/3/5 mm, every class) on the CPU (all cores)
# and on the GPU, alone and as a batch of 16 side by side, and the cases per second of each.
# Under 5 minutes with the default MEASURE_S=2.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=target/gpu-device/gpu-bench

if [[ "${1:-}" == prepare ]]; then
    built=$(cargo bench --bench gpu --no-run --message-format=json \
        | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
    mkdir -p target/gpu-device
    cp "$built" "$binary"
    strip --strip-debug "$binary"
    echo "prepared $binary ($(du -h "$binary" | cut -f1)); carry target/gpu-device (and .gl)"
    exit 0
fi

if ! ldconfig -p | grep -q 'libvulkan\.so\.1'; then
    for deb in .gl/*.deb; do dpkg -x "$deb" /; done
    ldconfig
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [[ -z "${VK_DRIVER_FILES:-}" && -e "$nvidia_icd" ]]; then
    export VK_DRIVER_FILES="$nvidia_icd"
fi
export RADIOME_REQUIRE_GPU=1
echo "machine: $(nproc) CPU cores; $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi')"

measure=${MEASURE_S:-2}
log=$(mktemp)
"$binary" --bench --warm-up-time 1 --measurement-time "$measure" --noplot 2>&1 \
    | grep -v XDG_RUNTIME_DIR | tee "$log" | grep -E '^(GPU:|no GPU)|^(kernels|filters|breast_sized_case)/|time:' || true

# Cases per second: the cases of each whole-case bench (1, or N for wavelet_log_batch_N) over
# its median time.
echo "breast-sized case, wavelet_log (median time -> cases/s):"
awk '/^breast_sized_case\/wavelet_log/ { name = $1; n = 1; if (match(name, /batch_[0-9]+/)) n = substr(name, RSTART + 6, RLENGTH - 6) }
     name && /time:/ {
         split($0, t, "[][]"); split(t[2], v, " "); median = v[3]; unit = v[4]
         s = (unit == "ms") ? median / 1e3 : (unit == "µs" || unit == "us") ? median / 1e6 : median
         printf "  %-40s %10.3f s  %8.2f cases/s\n", name, s, n / s; name = ""
     }' "$log"
rm -f "$log"
