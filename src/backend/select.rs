//! Choosing where the heavy work runs: `--device cpu|gpu|auto` (or `RADIOME_DEVICE`).

use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use super::{Backend, CpuBackend, GpuBackend};
use crate::gpu::{Gpu, GpuError};
use crate::{Error, Result};

/// Where the heavy work runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceChoice {
    /// The CPU reference.
    Cpu,
    /// A GPU adapter, a software one (llvmpipe) included; an error when there is none.
    Gpu,
    /// A hardware GPU when there is one (a software adapter counts as none), else the CPU.
    Auto,
}

impl FromStr for DeviceChoice {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        match text {
            "cpu" => Ok(DeviceChoice::Cpu),
            "gpu" => Ok(DeviceChoice::Gpu),
            "auto" => Ok(DeviceChoice::Auto),
            other => Err(Error::params(
                "RADIOME_DEVICE",
                format!("'{other}' is not one of cpu, gpu, auto"),
            )),
        }
    }
}

/// The GPU of this process, opened once (pipelines compiled once): hardware only, or any.
fn shared_gpu(allow_software: bool) -> std::result::Result<Arc<Gpu>, String> {
    static HARDWARE: OnceLock<std::result::Result<Arc<Gpu>, String>> = OnceLock::new();
    static ANY: OnceLock<std::result::Result<Arc<Gpu>, String>> = OnceLock::new();
    let slot = if allow_software { &ANY } else { &HARDWARE };
    slot.get_or_init(|| {
        Gpu::open(allow_software)
            .map(Arc::new)
            .map_err(|e: GpuError| e.to_string())
    })
    .clone()
}

/// The backend for `choice`, and a line saying what was picked.
pub fn select_backend(choice: DeviceChoice) -> Result<(Box<dyn Backend>, String)> {
    match choice {
        DeviceChoice::Cpu => Ok((Box::new(CpuBackend), "cpu".into())),
        DeviceChoice::Gpu => {
            let gpu =
                shared_gpu(true).map_err(|e| Error::Unsupported(format!("--device gpu: {e}")))?;
            let picked = gpu.description();
            Ok((Box::new(GpuBackend::new(gpu, false)), picked))
        }
        DeviceChoice::Auto => Ok(match shared_gpu(false) {
            Ok(gpu) => {
                let picked = format!("--device auto picked {}", gpu.description());
                (Box::new(GpuBackend::new(gpu, true)), picked)
            }
            Err(why) => (
                Box::new(CpuBackend),
                format!("--device auto picked the CPU ({why})"),
            ),
        }),
    }
}
