//! `radiome devices`: the GPU adapters this machine offers.

use std::process::ExitCode;

use clap::Args;

use radiome::gpu::{adapters, backends_tried};

#[derive(Args)]
pub struct DevicesArgs {}

pub fn run(_: DevicesArgs) -> anyhow::Result<ExitCode> {
    let found = adapters();
    if found.is_empty() {
        println!("no GPU adapter (backends tried: {})", backends_tried());
    }
    for a in found {
        let kind = if a.software {
            format!("{}, software: --device auto skips it", a.device_type)
        } else {
            a.device_type
        };
        let f64 = if a.f64 { "f64" } else { "f32 only" };
        println!(
            "{} ({kind}; {}; driver {}; {f64})",
            a.name, a.backend, a.driver
        );
    }
    Ok(ExitCode::SUCCESS)
}
