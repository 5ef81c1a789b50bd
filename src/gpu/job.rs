//! One compute job: upload its inputs, dispatch, read its output back. Errors raised on the way
//! are caught in error scopes and returned, never left to wgpu's panicking default handler.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::mpsc;
use std::time::Duration;

use wgpu::util::DeviceExt;

use super::{Gpu, GpuError};

/// How long a job may run before it counts as hung.
const JOB_TIMEOUT: Duration = Duration::from_secs(300);

/// Invocations per workgroup (every shader's `@workgroup_size`).
const WORKGROUP: u32 = 64;

/// One binding of a job, in `@group(0) @binding(i)` order.
pub enum Binding<'a> {
    /// A small `var<uniform>` block.
    Uniform(&'a [u8]),
    /// A `var<storage, read>` array.
    Read(&'a [u8]),
    /// The job's one `var<storage, read_write>` output, zeroed, of this many bytes.
    Output(u64),
}

/// The first line of a wgpu error (its messages run over several lines).
pub(super) fn first_line(error: impl std::fmt::Display) -> String {
    error.to_string().lines().next().unwrap_or("").to_string()
}

/// Compiles `source` (entry point `main`) into a compute pipeline.
pub(super) fn pipeline(
    device: &wgpu::Device,
    name: &str,
    source: &str,
) -> Result<wgpu::ComputePipeline, GpuError> {
    let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(name),
        source: wgpu::ShaderSource::Wgsl(source.into()),
    });
    let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(name),
        layout: None,
        module: &module,
        entry_point: Some("main"),
        compilation_options: Default::default(),
        cache: None,
    });
    match pollster::block_on(scope.pop()) {
        Some(e) => Err(GpuError::Setup(format!(
            "shader {name}.wgsl: {}",
            first_line(e)
        ))),
        None => Ok(pipeline),
    }
}

impl Gpu {
    /// Runs `pipeline` over `workgroups` with `bindings` and returns the bytes of its
    /// [`Binding::Output`], which must be the last binding.
    pub fn run(
        &self,
        pipeline: &wgpu::ComputePipeline,
        bindings: &[Binding],
        workgroups: [u32; 2],
    ) -> Result<Vec<u8>, GpuError> {
        let Some((Binding::Output(output), inputs)) = bindings.split_last() else {
            return Err(GpuError::Job(
                "a job whose last binding is not its output".into(),
            ));
        };
        let inputs = inputs
            .iter()
            .map(|binding| match *binding {
                Binding::Uniform(bytes) => Ok(Input::Uniform(bytes.into())),
                Binding::Read(bytes) => Ok(Input::Read(bytes.into())),
                Binding::Output(_) => Err(GpuError::Job("a job with two outputs".into())),
            })
            .collect::<Result<_, _>>()?;
        let dispatch = Dispatch {
            pipeline,
            inputs,
            output: *output,
            workgroups,
        };
        let words = self.run_batch(&[dispatch])?;
        Ok(bytemuck::cast_slice(&words[0]).to_vec())
    }

    /// A device buffer for one binding (at least 4 bytes: bindings cannot be empty).
    pub(super) fn buffer(&self, binding: &Binding) -> wgpu::Buffer {
        let storage = wgpu::BufferUsages::STORAGE;
        let init = |contents: &[u8], usage| {
            let padded;
            let contents = if contents.is_empty() {
                padded = [0u8; 4];
                &padded[..]
            } else {
                contents
            };
            self.device
                .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: None,
                    contents,
                    usage,
                })
        };
        match *binding {
            Binding::Uniform(bytes) => init(bytes, wgpu::BufferUsages::UNIFORM),
            Binding::Read(bytes) => init(bytes, storage),
            Binding::Output(size) => self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("output"),
                size: size.max(4),
                usage: storage | wgpu::BufferUsages::COPY_SRC,
                mapped_at_creation: false,
            }),
        }
    }

    /// Waits for submission `index` (at most [`JOB_TIMEOUT`]) and copies `readback` out.
    pub(super) fn read_back(
        &self,
        readback: &wgpu::Buffer,
        index: wgpu::SubmissionIndex,
    ) -> Result<Vec<u8>, GpuError> {
        let (sender, receiver) = mpsc::channel();
        readback.map_async(wgpu::MapMode::Read, .., move |result| {
            let _ = sender.send(result);
        });
        self.device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(index),
                timeout: Some(JOB_TIMEOUT),
            })
            .map_err(|e| GpuError::Job(first_line(e)))?;
        match receiver.recv_timeout(JOB_TIMEOUT) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(GpuError::Job(first_line(e))),
            Err(_) => return Err(GpuError::Job("no result from the device".into())),
        }
        let bytes = readback
            .get_mapped_range(..)
            .map_err(|e| GpuError::Job(first_line(e)))?
            .to_vec();
        readback.unmap();
        self.check_alive()?;
        Ok(bytes)
    }
}

/// Declines buffers larger than the device binds (or counts whose flat index overflows `u32`).
pub(super) fn fits(gpu: &Gpu, output_bytes: usize, input_bytes: usize) -> Result<(), GpuError> {
    let limits = gpu.limits();
    let binding = limits
        .max_storage_buffer_binding_size
        .min(limits.max_buffer_size);
    let largest = output_bytes.max(input_bytes) as u64;
    if largest > binding || output_bytes / 4 > u32::MAX as usize {
        return Err(GpuError::Declined(format!(
            "a {largest}-byte buffer exceeds the device's {binding}-byte limit"
        )));
    }
    Ok(())
}

/// Workgroups `[x, y]` covering `invocations` in a 2D grid within the device's per-dimension
/// limit, and the invocations per row.
pub(super) fn dispatch(gpu: &Gpu, invocations: u32) -> ([u32; 2], u32) {
    let groups = invocations.div_ceil(WORKGROUP).max(1);
    let x = groups.min(gpu.limits().max_compute_workgroups_per_dimension);
    ([x, groups.div_ceil(x)], x * WORKGROUP)
}

/// One input of a batched dispatch, in `@group(0) @binding(i)` order (the output comes last).
pub enum Input<'a> {
    /// A small `var<uniform>` block.
    Uniform(Cow<'a, [u8]>),
    /// A `var<storage, read>` array.
    Read(Cow<'a, [u8]>),
}

/// One compute job of a batch: its pipeline, inputs, one zeroed output of `output` bytes (the
/// last binding) and workgroups.
pub struct Dispatch<'a> {
    pub(super) pipeline: &'a wgpu::ComputePipeline,
    pub(super) inputs: Vec<Input<'a>>,
    pub(super) output: u64,
    pub(super) workgroups: [u32; 2],
}

impl Dispatch<'_> {
    /// Device memory the dispatch takes in a batch: its inputs, its output and the output's
    /// share of the read-back buffer.
    pub fn bytes(&self) -> u64 {
        let inputs: usize = self
            .inputs
            .iter()
            .map(|input| match input {
                Input::Uniform(bytes) | Input::Read(bytes) => bytes.len().max(4),
            })
            .sum();
        inputs as u64 + 2 * self.output.max(4)
    }
}

/// Consecutive groups of items whose `sizes` add up to at most `limit` each (an item above
/// `limit` forms a group alone): the submissions of a batch.
pub fn split_batches(sizes: &[u64], limit: u64) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let (mut start, mut total) = (0, 0u64);
    for (i, &size) in sizes.iter().enumerate() {
        if i > start && total.saturating_add(size) > limit {
            groups.push(start..i);
            (start, total) = (i, 0);
        }
        total = total.saturating_add(size);
    }
    if start < sizes.len() {
        groups.push(start..sizes.len());
    }
    groups
}

impl Gpu {
    /// The bytes one submission of a batch may take by default: the device's largest buffer
    /// (the read-back buffer, which holds every output of the submission, must fit in one).
    pub fn batch_limit(&self) -> u64 {
        self.limits().max_buffer_size
    }

    /// Runs `dispatches` in one round and returns each one's output words, in order. The caller
    /// keeps the batch within [`Gpu::batch_limit`] ([`split_batches`]). The round goes to the
    /// device with the rounds of the other cases in flight ([`Gpu::participate`]).
    pub fn run_batch(&self, dispatches: &[Dispatch]) -> Result<Vec<Vec<u32>>, GpuError> {
        if dispatches.is_empty() {
            return Ok(Vec::new());
        }
        self.check_alive()?;
        let ((readback, offsets), index) = self.submit_round(|| self.record_batch(dispatches))?;
        let bytes = self.read_back(&readback, index)?;
        Ok(dispatches
            .iter()
            .zip(offsets)
            .map(|(d, at)| {
                bytemuck::pod_collect_to_vec(&bytes[at as usize..(at + d.output) as usize])
            })
            .collect())
    }

    /// Records a round with `record` and sends its commands to the device with the rounds of the
    /// other cases in flight ([`Gpu::participate`]); returns what `record` kept beside the
    /// commands (its read-back buffer) and the submission. Errors in either step are caught.
    pub(super) fn submit_round<T>(
        &self,
        record: impl FnOnce() -> (wgpu::CommandBuffer, T),
    ) -> Result<(T, wgpu::SubmissionIndex), GpuError> {
        let (commands, kept) = self.scoped(record)?;
        let index = self
            .submitter
            .submit(commands, |rounds| self.scoped(|| self.queue.submit(rounds)))?;
        Ok((kept, index))
    }

    /// Runs `work` in validation and out-of-memory error scopes (this thread's): an error either
    /// catches is returned as one line.
    fn scoped<T>(&self, work: impl FnOnce() -> T) -> Result<T, GpuError> {
        let memory = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let value = work();
        let errors = [validation.pop(), memory.pop()].map(pollster::block_on);
        match errors.into_iter().flatten().next() {
            Some(e) => Err(GpuError::Job(first_line(e))),
            None => Ok(value),
        }
    }

    /// Records every dispatch in one compute pass and copies the outputs into one read-back
    /// buffer (at 8-byte aligned offsets); returns the commands, and that buffer with the offsets.
    fn record_batch(
        &self,
        dispatches: &[Dispatch],
    ) -> (wgpu::CommandBuffer, (wgpu::Buffer, Vec<u64>)) {
        let mut offsets = Vec::with_capacity(dispatches.len());
        let mut total = 0;
        for d in dispatches {
            offsets.push(total);
            total += d.output.max(4).next_multiple_of(8);
        }
        let readback = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("batch readback"),
            size: total,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let recorded: Vec<(wgpu::BindGroup, wgpu::Buffer)> =
            dispatches.iter().map(|d| self.bind(d)).collect();
        let mut encoder = self.device.create_command_encoder(&Default::default());
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            for (d, (group, _)) in dispatches.iter().zip(&recorded) {
                pass.set_pipeline(d.pipeline);
                pass.set_bind_group(0, group, &[]);
                pass.dispatch_workgroups(d.workgroups[0], d.workgroups[1], 1);
            }
        }
        for ((_, output), &at) in recorded.iter().zip(&offsets) {
            encoder.copy_buffer_to_buffer(output, 0, &readback, at, output.size());
        }
        (encoder.finish(), (readback, offsets))
    }

    /// The buffers and bind group of one dispatch; returns the group and the output buffer.
    fn bind(&self, dispatch: &Dispatch) -> (wgpu::BindGroup, wgpu::Buffer) {
        let mut buffers: Vec<wgpu::Buffer> = dispatch
            .inputs
            .iter()
            .map(|input| match input {
                Input::Uniform(bytes) => self.buffer(&Binding::Uniform(bytes)),
                Input::Read(bytes) => self.buffer(&Binding::Read(bytes)),
            })
            .collect();
        buffers.push(self.buffer(&Binding::Output(dispatch.output)));
        let group = self.bind_group(dispatch.pipeline, &buffers.iter().collect::<Vec<_>>());
        let output = buffers.pop().expect("the output buffer");
        (group, output)
    }

    /// A bind group of `buffers` for `pipeline`, in binding order.
    pub(super) fn bind_group(
        &self,
        pipeline: &wgpu::ComputePipeline,
        buffers: &[&wgpu::Buffer],
    ) -> wgpu::BindGroup {
        let entries: Vec<wgpu::BindGroupEntry> = buffers
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry {
                binding: i as u32,
                resource: b.as_entire_binding(),
            })
            .collect();
        self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &pipeline.get_bind_group_layout(0),
            entries: &entries,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_split_to_fit_the_limit() {
        assert_eq!(split_batches(&[], 10), Vec::<Range<usize>>::new());
        assert_eq!(split_batches(&[4, 4, 4], 100), vec![0..3]);
        assert_eq!(split_batches(&[4, 4, 4], 8), vec![0..2, 2..3]);
        assert_eq!(split_batches(&[4, 4, 4], 4), vec![0..1, 1..2, 2..3]);
        // An item above the limit goes alone; its neighbours are not held back by it.
        assert_eq!(split_batches(&[3, 20, 3, 3], 6), vec![0..1, 1..2, 2..4]);
        assert_eq!(split_batches(&[u64::MAX, 1], 6), vec![0..1, 1..2]);
    }
}
