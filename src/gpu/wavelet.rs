//! PyRadiomics' wavelet image type on the GPU (`shaders/wavelet.wgsl`). The CPU reference
//! ([`crate::filters::wavelet`]) plans the decomposition (the positions of each level that the
//! region's box depends on, each output's terms in PyWavelets' order) and walks its filtering
//! tree; here that walk records every axis pass of every level as one compute dispatch, one
//! invocation per output sample adding the same terms in the same order, on arrays that stay on
//! the device (the approximation of a level is the next level's input there). The gathered image
//! is uploaded once, and the whole decomposition goes to the device in one round, which reads
//! back only the sub-bands (each computed on the box alone) and the last approximation.

use std::cell::RefCell;
use std::ops::Range;

use ndarray::Array3;
use wgpu::util::DeviceExt;

use super::job::{Binding, dispatch, fits};
use super::{Gpu, GpuError, Precision};
use crate::filters::wavelet::{
    AxisFilter, AxisPlan, Sample, filter_bank, sub_band_geometry, sub_band_pixel_type,
    wavelet_axes, wavelet_images_on,
};
use crate::image::bbox::BoundingBox;
use crate::image::source::SourceImage;
use crate::image::{Dimensionality, PixelType, Volume};
use crate::params::Settings;
use crate::{Error, Result, with_source_volume};

/// The sub-bands [`crate::filters::wavelet::wavelet_images`] hands to its sink, in its order,
/// computed on `gpu` in one round. Declines images with non-finite voxels where the sub-bands
/// read them, and sub-bands that come back non-finite (GPUs need not keep NaN and infinities as
/// IEEE does), buffers beyond the device's limits, and settings the CPU rejects (so that it
/// reports them).
pub fn wavelet_images(
    gpu: &Gpu,
    image: &SourceImage,
    settings: &Settings,
    region: &BoundingBox,
    dimensionality: Dimensionality,
) -> std::result::Result<Vec<(String, Volume<f64>)>, GpuError> {
    let on_gpu = OnGpu {
        gpu,
        recording: RefCell::new(Recording::default()),
        failure: RefCell::new(None),
    };
    let mut pending = Vec::new();
    let collect = |name: &str, band: PendingBand| {
        pending.push((name.to_string(), band));
        Ok(())
    };
    let place = (region, dimensionality);
    let stored = image.pixel_type();
    let done = with_source_volume!(image, volume => wavelet_images_on(
        &on_gpu, volume, stored, settings, place, collect,
    ));
    match (on_gpu.failure.into_inner(), done) {
        (Some(failure), _) => return Err(failure),
        (None, Err(e)) => return Err(GpuError::Declined(e.to_string())),
        (None, Ok(())) => {}
    }
    let mut bands = on_gpu.recording.into_inner().run(gpu)?;
    let geometry = sub_band_geometry(image.geometry(), region);
    let volume = |(name, band): (String, PendingBand)| {
        let voxels = std::mem::take(&mut bands[band.0]);
        let geometry = geometry.clone();
        (name, Volume { voxels, geometry })
    };
    Ok(pending.into_iter().map(volume).collect())
}

/// A bound on the absolute difference between every sub-band value [`wavelet_images`] gives on
/// `gpu` and the CPU's, for an image held as `stored`, as a multiple of the image's largest
/// absolute value `max_abs` (infinite when the settings are the CPU's to reject).
///
/// Each level filters along each transformed axis: `P` passes in all, each output a sum of `F`
/// products (filter length `F`). A pass evaluated with unit roundoff `u` errs by at most
/// `(F + 2)·u` times the sum of its terms' magnitudes (the sum's `F` roundings, the rounding of
/// the coefficient and of the input), and carries its input's error times the filter's 1-norm
/// `N` (the larger of the two filters'). As no value exceeds `N^k·max_abs` after `k` passes,
/// each side errs from the exact transform by at most `P·(F + 2)·u·N^P·max_abs`, to first
/// order; the bound is the sum for the GPU's and the CPU's unit roundoffs, doubled for the
/// higher-order terms.
pub fn error_bound(
    gpu: &Gpu,
    stored: PixelType,
    settings: &Settings,
    dimensionality: Dimensionality,
) -> f64 {
    let (Ok(bank), Ok(axes)) = (
        filter_bank(settings.filters.wavelet.name()),
        wavelet_axes(settings, dimensionality),
    ) else {
        return f64::INFINITY;
    };
    let passes = (axes.len() * (settings.filters.start_level + settings.filters.level)) as f64;
    let taps = bank.dec_lo.len() as f64;
    let norm = |filter: &[f64]| filter.iter().map(|c| c.abs()).sum::<f64>();
    let gain = norm(bank.dec_lo).max(norm(bank.dec_hi)).powf(passes);
    let in_f32 = sub_band_pixel_type(stored) == PixelType::F32;
    let cpu = if in_f32 { F32_ROUNDOFF } else { F64_ROUNDOFF };
    let on_gpu = if in_f32 || gpu.precision == Precision::F32 {
        F32_ROUNDOFF
    } else {
        F64_ROUNDOFF
    };
    2.0 * passes * (taps + 2.0) * (cpu + on_gpu) * gain
}

/// The unit roundoffs of float32 and float64.
const F32_ROUNDOFF: f64 = f32::EPSILON as f64 / 2.0;
const F64_ROUNDOFF: f64 = f64::EPSILON / 2.0;

/// An array of samples on the device, numbered by the [`Recording`] (none until a pass fills
/// it).
#[derive(Default)]
pub(crate) struct DeviceArray {
    id: Option<usize>,
    len: usize,
}

impl DeviceArray {
    /// Its number (the walk only reads arrays that a load or a pass has filled).
    fn id(&self) -> usize {
        self.id.expect("the walk reads only arrays it has filled")
    }
}

/// A sub-band to come: its index among the [`Recording`]'s read-backs.
pub(crate) struct PendingBand(usize);

/// One recorded axis pass: array `input` filtered into array `output` (the window of the pass's
/// output that `params` names), with each output's terms (coefficients in the device's precision,
/// and local sources).
struct Pass {
    params: [u32; 16],
    coefficients: Vec<u8>,
    sources: Vec<u32>,
    input: usize,
    output: usize,
    workgroups: [u32; 2],
}

/// The passes of one decomposition as the walk records them, run in one round by
/// [`Recording::run`].
#[derive(Default)]
struct Recording {
    /// Bytes per sample on the device: 8 (f64) or 4 (f32).
    width: usize,
    /// The gathered image in the device's precision: array 0.
    image: Vec<u8>,
    /// Every array's length in samples, by number.
    arrays: Vec<usize>,
    passes: Vec<Pass>,
    /// The arrays read back, with their shapes, by [`PendingBand`] index.
    reads: Vec<(usize, [usize; 3])>,
}

/// Records the walk's passes on the GPU; the first failure is kept to be returned as it is.
struct OnGpu<'g> {
    gpu: &'g Gpu,
    recording: RefCell<Recording>,
    failure: RefCell<Option<GpuError>>,
}

impl OnGpu<'_> {
    /// `result`, its failure kept and reported to the CPU's walk as an error.
    fn keep<V>(&self, result: std::result::Result<V, GpuError>) -> Result<V> {
        result.map_err(|e| {
            let message = e.to_string();
            self.failure.borrow_mut().get_or_insert(e);
            Error::Unsupported(message)
        })
    }

    /// Array 0: `data` in the device's precision (f64 samples in f64 where the device computes
    /// in f64, everything else in f32).
    fn upload<T: Sample>(&self, data: Vec<T>) -> std::result::Result<DeviceArray, GpuError> {
        let (_, precision) = self.gpu.filters.wavelet.for_sample(size_of::<T>());
        let width = precision.bytes();
        let len = data.len();
        let image = on_device(data.into_iter(), width)
            .ok_or_else(|| GpuError::Declined("non-finite samples".into()))?;
        fits(self.gpu, 0, image.len())?;
        let mut recording = self.recording.borrow_mut();
        *recording = Recording {
            width,
            image,
            arrays: vec![len],
            ..Recording::default()
        };
        Ok(DeviceArray { id: Some(0), len })
    }

    /// A new array of `len` samples (declined beyond the device's limits).
    fn allocate(&self, len: usize) -> std::result::Result<DeviceArray, GpuError> {
        let mut recording = self.recording.borrow_mut();
        fits(self.gpu, len * recording.width, 0)?;
        recording.arrays.push(len);
        let id = Some(recording.arrays.len() - 1);
        Ok(DeviceArray { id, len })
    }

    /// Records the pass that writes into `output` the part within `window` of `input` (shape
    /// `shape`) filtered along `plan.axis` with `terms`.
    fn record<T: Sample>(
        &self,
        (input, shape): (&DeviceArray, [usize; 3]),
        plan: &AxisPlan<T>,
        terms: &[(T, usize)],
        window: &[Range<usize>; 3],
        output: &DeviceArray,
    ) -> std::result::Result<(), GpuError> {
        let extent = window.clone().map(|r| r.len());
        let total = extent.iter().product::<usize>() as u32;
        let (workgroups, row_stride) = dispatch(self.gpu, total);
        let [nz, ny, nx] = shape.map(|n| n as u32);
        let [oz, oy, ox] = window.clone().map(|r| r.start as u32);
        let [ez, ey, ex] = extent.map(|n| n as u32);
        let (axis, taps) = (plan.axis as u32, (terms.len() / plan.outputs) as u32);
        let params = [
            nz, ny, nx, axis, taps, total, row_stride, 0, oz, oy, ox, 0, ez, ey, ex, 0,
        ];
        let mut recording = self.recording.borrow_mut();
        let coefficients = on_device(terms.iter().map(|&(c, _)| c), recording.width)
            .ok_or_else(|| GpuError::Declined("non-finite coefficients".into()))?;
        fits(self.gpu, 0, coefficients.len())?;
        recording.passes.push(Pass {
            params,
            coefficients,
            sources: terms.iter().map(|&(_, source)| source as u32).collect(),
            input: input.id(),
            output: output.id(),
            workgroups,
        });
        Ok(())
    }

    /// Reads `array` (of `shape`) back at the end of the round.
    fn read_back(&self, array: &DeviceArray, shape: [usize; 3]) -> PendingBand {
        let mut recording = self.recording.borrow_mut();
        recording.reads.push((array.id(), shape));
        PendingBand(recording.reads.len() - 1)
    }
}

impl AxisFilter for OnGpu<'_> {
    type Samples<T: Sample> = DeviceArray;
    type Band = PendingBand;

    fn load<T: Sample>(&self, data: Vec<T>) -> Result<DeviceArray> {
        self.keep(self.upload(data))
    }

    /// Records the pass into `out`, reused when it has the output's length (the walk reuses
    /// its buffers as the CPU does; the passes run in order).
    fn filter<T: Sample>(
        &self,
        input: &DeviceArray,
        shape: [usize; 3],
        plan: &AxisPlan<T>,
        terms: &[(T, usize)],
        out: &mut DeviceArray,
    ) -> Result<()> {
        let whole = plan.output_shape(shape);
        let len = whole.iter().product();
        if out.id.is_none() || out.len != len {
            *out = self.keep(self.allocate(len))?;
        }
        let window = whole.map(|n| 0..n);
        self.keep(self.record((input, shape), plan, terms, &window, out))
    }

    /// Records the pass on the window alone, into a new array read back at the end.
    fn filter_window<T: Sample>(
        &self,
        input: &DeviceArray,
        shape: [usize; 3],
        plan: &AxisPlan<T>,
        terms: &[(T, usize)],
        window: &[Range<usize>; 3],
    ) -> Result<PendingBand> {
        let extent = window.clone().map(|r| r.len());
        let output = self.keep(self.allocate(extent.iter().product()))?;
        self.keep(self.record((input, shape), plan, terms, window, &output))?;
        Ok(self.read_back(&output, extent))
    }

    fn approximation<T: Sample>(
        &self,
        data: DeviceArray,
        shape: [usize; 3],
    ) -> Result<PendingBand> {
        Ok(self.read_back(&data, shape))
    }
}

/// The bytes of `values` on a device with samples of `width` bytes: f64 as they are (8), or
/// rounded to f32 (4); `None` when one is not finite there.
fn on_device<T: Sample>(values: impl Iterator<Item = T>, width: usize) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(values.size_hint().0 * width);
    for v in values.map(|v| v.to_f64()) {
        if width == 8 {
            v.is_finite()
                .then(|| bytes.extend_from_slice(&v.to_ne_bytes()))?;
        } else {
            let single = v as f32;
            single
                .is_finite()
                .then(|| bytes.extend_from_slice(&single.to_ne_bytes()))?;
        }
    }
    Some(bytes)
}

impl Recording {
    /// Runs the recorded passes in one round and returns the arrays read back, widened to f64,
    /// in [`PendingBand`] order. Declines a read-back beyond the device's largest buffer and
    /// non-finite values.
    fn run(self, gpu: &Gpu) -> std::result::Result<Vec<Array3<f64>>, GpuError> {
        let sizes = self
            .reads
            .iter()
            .map(|(_, shape)| shape.iter().product::<usize>());
        let sizes: Vec<u64> = sizes.map(|len| (len * self.width) as u64).collect();
        let offsets: Vec<u64> = sizes
            .iter()
            .scan(0, |at, &size| {
                let start = *at;
                *at += size.next_multiple_of(8);
                Some(start)
            })
            .collect();
        let total = offsets.last().map_or(0, |&at| at + sizes[sizes.len() - 1]);
        if total > gpu.limits().max_buffer_size {
            return Err(GpuError::Declined(format!(
                "a {total}-byte read-back exceeds the device's largest buffer"
            )));
        }
        gpu.check_alive()?;
        let (readback, index) = gpu.submit_round(|| self.commands(gpu, &offsets, total))?;
        let bytes = gpu.read_back(&readback, index)?;
        let read = |(&(_, shape), &at): (&(usize, [usize; 3]), &u64)| {
            let len = shape.iter().product::<usize>();
            let bytes = &bytes[at as usize..][..len * self.width];
            let values: Vec<f64> = match self.width {
                8 => bytemuck::pod_collect_to_vec(bytes),
                _ => bytemuck::pod_collect_to_vec::<u8, f32>(bytes)
                    .into_iter()
                    .map(f64::from)
                    .collect(),
            };
            if !values.iter().all(|v| v.is_finite()) {
                return Err(GpuError::Declined("non-finite sub-band values".into()));
            }
            let [z, y, x] = shape;
            Ok(Array3::from_shape_vec((z, y, x), values).expect("the band's shape"))
        };
        self.reads.iter().zip(&offsets).map(read).collect()
    }

    /// The round's commands: every pass in one compute pass (in recorded order; each dispatch
    /// sees the writes of those before it), then each array read back copied into one buffer
    /// of `total` bytes at `offsets`, which is returned beside them.
    fn commands(
        &self,
        gpu: &Gpu,
        offsets: &[u64],
        total: u64,
    ) -> (wgpu::CommandBuffer, wgpu::Buffer) {
        let pipeline = gpu.filters.wavelet.for_sample(self.width).0;
        let arrays = self.device_arrays(gpu);
        let groups: Vec<wgpu::BindGroup> = self
            .passes
            .iter()
            .map(|pass| {
                let params = gpu.buffer(&Binding::Uniform(bytemuck::cast_slice(&pass.params)));
                let coefficients = gpu.buffer(&Binding::Read(&pass.coefficients));
                let sources = gpu.buffer(&Binding::Read(bytemuck::cast_slice(&pass.sources)));
                let (input, output) = (&arrays[pass.input], &arrays[pass.output]);
                gpu.bind_group(pipeline, &[&params, input, &coefficients, &sources, output])
            })
            .collect();
        let readback = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("wavelet read-back"),
            size: total.max(8),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut encoder = gpu.device.create_command_encoder(&Default::default());
        {
            let mut compute = encoder.begin_compute_pass(&Default::default());
            compute.set_pipeline(pipeline);
            for (pass, group) in self.passes.iter().zip(&groups) {
                compute.set_bind_group(0, group, &[]);
                compute.dispatch_workgroups(pass.workgroups[0], pass.workgroups[1], 1);
            }
        }
        for (&(id, shape), &at) in self.reads.iter().zip(offsets) {
            let bytes = (shape.iter().product::<usize>() * self.width) as u64;
            encoder.copy_buffer_to_buffer(&arrays[id], 0, &readback, at, bytes);
        }
        (encoder.finish(), readback)
    }

    /// The device buffers of the arrays: the image uploaded, the others uninitialised.
    fn device_arrays(&self, gpu: &Gpu) -> Vec<wgpu::Buffer> {
        let usage = wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC;
        let image = gpu
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("wavelet image"),
                contents: &self.image,
                usage,
            });
        let array = |&len: &usize| {
            gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("wavelet array"),
                size: ((len * self.width) as u64).max(4),
                usage,
                mapped_at_creation: false,
            })
        };
        std::iter::once(image)
            .chain(self.arrays[1..].iter().map(array))
            .collect()
    }
}
