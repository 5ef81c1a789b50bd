//! The subcommands of the `radiome` binary, one file each: argument structs (clap) and printing.
//! The work itself is in the library.

pub mod batch;
pub mod compare;
pub mod demo;
pub mod devices;
pub mod extract;
pub mod mask;
pub mod merge;
pub mod model;
pub mod stats;
pub mod synth;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Standard output, or a created file, buffered.
pub fn output_writer(path: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(path) => Box::new(BufWriter::new(File::create(path).map_err(|e| {
            anyhow::anyhow!("{}: cannot create output file: {e}", path.display())
        })?)),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    })
}
