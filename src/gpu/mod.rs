//! The GPU runtime (wgpu): the adapters a machine offers, the one device a process uses with its
//! compute pipelines compiled once, and the buffers a job moves. Every failure — no adapter, a
//! shader that does not validate, an out-of-memory, a lost device, a job that never finishes —
//! comes back as a [`GpuError`], never as a panic in a callback or a hang.

pub mod discretise;
mod filters;
pub mod glcm;
pub mod glrlm;
mod job;
pub mod log;
pub mod neighbours;
pub mod point;
mod submit;
pub mod wavelet;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use job::Binding;
pub use job::{Dispatch, split_batches};
pub use submit::COALESCE_WINDOW;

/// A case in flight on a [`Gpu`] ([`Gpu::participate`]), until dropped.
pub type CaseInFlight<'a> = submit::Participant<'a, wgpu::CommandBuffer, wgpu::SubmissionIndex>;

/// What went wrong on the GPU.
#[derive(Clone, Debug, thiserror::Error)]
pub enum GpuError {
    /// No adapter of the wanted kind.
    #[error("no usable GPU adapter (backends tried: {0})")]
    NoAdapter(String),
    /// The adapter refused a device or a pipeline.
    #[error("GPU {0}")]
    Setup(String),
    /// A job failed on the device (validation, out of memory, lost device, time-out).
    #[error("GPU job failed: {0}")]
    Job(String),
    /// The job does not fit the device's limits; the CPU runs it instead.
    #[error("GPU declined the job: {0}")]
    Declined(String),
}

/// The arithmetic the shaders use: f64 where the adapter has `SHADER_F64`, else f32 (or when
/// `RADIOME_GPU_PRECISION=f32` forces it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    F64,
    F32,
}

impl Precision {
    /// Bytes per sample in this precision.
    pub fn bytes(self) -> usize {
        match self {
            Precision::F64 => 8,
            Precision::F32 => 4,
        }
    }
}

/// One adapter as `radiome devices` lists it.
#[derive(Clone, Debug)]
pub struct AdapterSummary {
    pub name: String,
    /// wgpu's device type: `DiscreteGpu`, `IntegratedGpu`, `VirtualGpu`, `Cpu` or `Other`.
    pub device_type: String,
    pub driver: String,
    /// The API it runs through: Vulkan, Metal, Dx12.
    pub backend: String,
    /// Whether shaders can compute in f64 (`SHADER_F64`).
    pub f64: bool,
    /// A software rasteriser such as llvmpipe (device type `Cpu`).
    pub software: bool,
}

impl AdapterSummary {
    fn of(adapter: &wgpu::Adapter) -> Self {
        let info = adapter.get_info();
        AdapterSummary {
            name: info.name,
            device_type: format!("{:?}", info.device_type),
            driver: format!("{} {}", info.driver, info.driver_info)
                .trim()
                .to_string(),
            backend: format!("{:?}", info.backend),
            f64: adapter.features().contains(wgpu::Features::SHADER_F64),
            software: info.device_type == wgpu::DeviceType::Cpu,
        }
    }
}

fn instance() -> wgpu::Instance {
    wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle())
}

/// The backends this build can use (Vulkan, Metal, DX12, as the platform has them).
pub fn backends_tried() -> String {
    let enabled = wgpu::Instance::enabled_backend_features();
    let names = [
        (wgpu::Backends::VULKAN, "Vulkan"),
        (wgpu::Backends::METAL, "Metal"),
        (wgpu::Backends::DX12, "DX12"),
    ];
    let tried: Vec<&str> = names
        .iter()
        .filter(|(backend, _)| enabled.contains(*backend))
        .map(|&(_, name)| name)
        .collect();
    tried.join(", ")
}

/// Every adapter the machine offers, hardware first.
pub fn adapters() -> Vec<AdapterSummary> {
    list().iter().map(AdapterSummary::of).collect()
}

fn list() -> Vec<wgpu::Adapter> {
    let mut adapters = pollster::block_on(instance().enumerate_adapters(wgpu::Backends::all()));
    adapters.sort_by_key(|a| a.get_info().device_type == wgpu::DeviceType::Cpu);
    adapters
}

/// The device a process computes on, with its pipelines.
pub struct Gpu {
    device: wgpu::Device,
    queue: wgpu::Queue,
    pub adapter: AdapterSummary,
    pub precision: Precision,
    /// Set by the device-lost callback and by errors no scope caught.
    failure: Arc<Mutex<Option<String>>>,
    lost: Arc<AtomicBool>,
    glcm: wgpu::ComputePipeline,
    glrlm: wgpu::ComputePipeline,
    ngtdm: wgpu::ComputePipeline,
    gldm: wgpu::ComputePipeline,
    glszm: wgpu::ComputePipeline,
    log: wgpu::ComputePipeline,
    /// The filter kernels (wavelet, point filters and gradient), in f32 and the device's precision.
    filters: filters::FilterPipelines,
    discretise: wgpu::ComputePipeline,
    /// Sends the rounds of the cases in flight to the queue together.
    submitter: submit::Submitter<wgpu::CommandBuffer, wgpu::SubmissionIndex>,
}

impl Gpu {
    /// Opens the first hardware adapter, or with `allow_software` a software one (llvmpipe) when
    /// there is no hardware.
    pub fn open(allow_software: bool) -> Result<Gpu, GpuError> {
        let forced_f32 = std::env::var("RADIOME_GPU_PRECISION").is_ok_and(|p| p == "f32");
        Gpu::open_with(allow_software, forced_f32)
    }

    /// [`Gpu::open`], computing in f32 when `forced_f32` is set whatever the adapter offers
    /// (what `RADIOME_GPU_PRECISION=f32` does).
    pub fn open_with(allow_software: bool, forced_f32: bool) -> Result<Gpu, GpuError> {
        let adapter = list()
            .into_iter()
            .find(|a| allow_software || a.get_info().device_type != wgpu::DeviceType::Cpu)
            .ok_or_else(|| GpuError::NoAdapter(backends_tried()))?;
        let summary = AdapterSummary::of(&adapter);
        let precision = if summary.f64 && !forced_f32 {
            Precision::F64
        } else {
            Precision::F32
        };
        let features = match precision {
            Precision::F64 => wgpu::Features::SHADER_F64,
            Precision::F32 => wgpu::Features::empty(),
        };
        let descriptor = wgpu::DeviceDescriptor {
            label: Some("radiome"),
            required_features: features,
            required_limits: adapter.limits(),
            ..Default::default()
        };
        let (device, queue) = pollster::block_on(adapter.request_device(&descriptor))
            .map_err(|e| GpuError::Setup(format!("device request on {}: {e}", summary.name)))?;
        let (failure, lost) = watch(&device);
        let glcm = job::pipeline(&device, "glcm", include_str!("../../shaders/glcm.wgsl"))?;
        let glrlm = job::pipeline(&device, "glrlm", include_str!("../../shaders/glrlm.wgsl"))?;
        let neighbours = |name, kernel| {
            let source = format!("{}{kernel}", include_str!("../../shaders/neighbours.wgsl"));
            job::pipeline(&device, name, &source)
        };
        let ngtdm = neighbours("ngtdm", include_str!("../../shaders/ngtdm.wgsl"))?;
        let gldm = neighbours("gldm", include_str!("../../shaders/gldm.wgsl"))?;
        let glszm = neighbours("glszm", include_str!("../../shaders/glszm.wgsl"))?;
        let log = job::pipeline(&device, "log", &log::shader(precision))?;
        let filters = filters::FilterPipelines::compile(&device, precision)?;
        let discretise = job::pipeline(
            &device,
            "discretise",
            include_str!("../../shaders/discretise.wgsl"),
        )?;
        Ok(Gpu {
            device,
            queue,
            adapter: summary,
            precision,
            failure,
            lost,
            glcm,
            glrlm,
            ngtdm,
            gldm,
            glszm,
            log,
            filters,
            discretise,
            submitter: submit::Submitter::new(COALESCE_WINDOW),
        })
    }

    /// How the diagnostics name it: `gpu: NAME (Vulkan, f64)`.
    pub fn description(&self) -> String {
        let precision = match self.precision {
            Precision::F64 => "f64",
            Precision::F32 => "f32",
        };
        format!(
            "gpu: {} ({}, {precision})",
            self.adapter.name, self.adapter.backend
        )
    }

    /// Compiles a WGSL compute shader (entry point `main`); a shader that does not validate is an
    /// error naming it.
    pub fn compile(&self, name: &str, source: &str) -> Result<wgpu::ComputePipeline, GpuError> {
        job::pipeline(&self.device, name, source)
    }

    /// The device's limits (buffer sizes, workgroup counts).
    pub fn limits(&self) -> wgpu::Limits {
        self.device.limits()
    }

    /// Registers a case in flight until the guard is dropped: while cases are in flight, a round
    /// ([`Gpu::run_batch`]) waits up to the coalescing window for theirs, and all go to the
    /// device in one submission. With one case or none in flight, a round is submitted at once.
    pub fn participate(&self) -> CaseInFlight<'_> {
        self.submitter.participate()
    }

    /// Sets how long a round waits for the other cases' rounds ([`COALESCE_WINDOW`] unless set;
    /// zero submits every round on its own).
    pub fn set_coalesce_window(&self, window: Duration) {
        self.submitter.set_window(window);
    }

    /// How many submissions (`queue.submit` calls) this device has made.
    pub fn queue_submissions(&self) -> usize {
        self.submitter.submissions()
    }

    /// How many of those submissions went out when the window ran out before every case in
    /// flight had handed in a round.
    pub fn expired_windows(&self) -> usize {
        self.submitter.expired_windows()
    }

    /// Fails when the device was lost or reported an error outside any job.
    fn check_alive(&self) -> Result<(), GpuError> {
        if self.lost.load(Ordering::Acquire) {
            let why = self.failure.lock().map(|f| f.clone()).unwrap_or_default();
            return Err(GpuError::Job(format!(
                "device lost: {}",
                why.unwrap_or_default()
            )));
        }
        Ok(())
    }
}

/// Installs the callbacks that would otherwise panic (uncaptured errors) or go unseen (a lost
/// device): both record what happened for the next job to report.
fn watch(device: &wgpu::Device) -> (Arc<Mutex<Option<String>>>, Arc<AtomicBool>) {
    let failure = Arc::new(Mutex::new(None));
    let lost = Arc::new(AtomicBool::new(false));
    let record = Arc::clone(&failure);
    device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
        if let Ok(mut slot) = record.lock() {
            *slot = Some(e.to_string().lines().next().unwrap_or("").to_string());
        }
    }));
    let (record, flag) = (Arc::clone(&failure), Arc::clone(&lost));
    device.set_device_lost_callback(move |reason, message| {
        if let Ok(mut slot) = record.lock() {
            *slot = Some(format!("{reason:?}: {message}"));
        }
        flag.store(true, Ordering::Release);
    });
    (failure, lost)
}
