//! Writes the example study report (deterministic stand-in data) to an HTML file.
//!
//! `cargo run --release --example report_demo -- [OUT.html]` (default `report_demo.html`).

use radiome::model::report::{example, write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "report_demo.html".into());
    write(&example::report_data(), std::path::Path::new(&out))?;
    println!("{out}");
    Ok(())
}
