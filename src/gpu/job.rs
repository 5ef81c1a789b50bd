//! One compute job: upload its inputs, dispatch, read its output back. Errors raised on the way
//! are caught in error scopes and returned, never left to wgpu's panicking default handler.

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
    /// [`Binding::Output`].
    pub(super) fn run(
        &self,
        pipeline: &wgpu::ComputePipeline,
        bindings: &[Binding],
        workgroups: [u32; 2],
    ) -> Result<Vec<u8>, GpuError> {
        self.check_alive()?;
        let memory = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let submitted = self.submit(pipeline, bindings, workgroups);
        let errors = [validation.pop(), memory.pop()].map(pollster::block_on);
        if let Some(e) = errors.into_iter().flatten().next() {
            return Err(GpuError::Job(first_line(e)));
        }
        let (readback, index) = submitted?;
        self.read_back(&readback, index)
    }

    /// Records and submits the job; returns the buffer its output is copied into.
    fn submit(
        &self,
        pipeline: &wgpu::ComputePipeline,
        bindings: &[Binding],
        workgroups: [u32; 2],
    ) -> Result<(wgpu::Buffer, wgpu::SubmissionIndex), GpuError> {
        let buffers: Vec<wgpu::Buffer> = bindings.iter().map(|b| self.buffer(b)).collect();
        let output = bindings
            .iter()
            .position(|b| matches!(b, Binding::Output(_)))
            .ok_or_else(|| GpuError::Job("a job without output".into()))?;
        let size = buffers[output].size();
        let readback = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let entries: Vec<wgpu::BindGroupEntry> = buffers
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry {
                binding: i as u32,
                resource: b.as_entire_binding(),
            })
            .collect();
        let group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &pipeline.get_bind_group_layout(0),
            entries: &entries,
        });
        let mut encoder = self.device.create_command_encoder(&Default::default());
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, &group, &[]);
            pass.dispatch_workgroups(workgroups[0], workgroups[1], 1);
        }
        encoder.copy_buffer_to_buffer(&buffers[output], 0, &readback, 0, size);
        let index = self.queue.submit([encoder.finish()]);
        Ok((readback, index))
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
