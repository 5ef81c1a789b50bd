//! `radiome mask`: region masks derived from a label (peritumoral ring, maximum slice, the label
//! on another image's grid), written as NRRD or NIfTI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use radiome::image::Volume;
use radiome::image::regions::{
    RingOptions, max_slice, resample_mask_to, restrict_to_mask, restrict_to_window, ring,
};
use radiome::image::resample::Grid;
use radiome::io::{read_image, read_mask, read_stored_image, write_mask};
use radiome::preprocess::mask::label_region;

#[derive(Args)]
pub struct MaskArgs {
    #[command(subcommand)]
    command: MaskCommand,
}

#[derive(Subcommand)]
enum MaskCommand {
    /// The peritumoral ring: voxels outside the label within R mm of it (exact Euclidean
    /// distance in physical spacing).
    Ring(RingArgs),
    /// The label's axial slice (last voxel axis) with the most voxels; ties: the lowest index.
    Maxslice(MaxSliceArgs),
    /// The label carried onto another image's grid through physical space (nearest neighbour),
    /// as a study carries the reference tumour onto a sequence without its own mask; the output
    /// has that image's geometry.
    Resample(ResampleArgs),
}

/// The label mask read, and where the derived mask goes.
#[derive(Args)]
struct Source {
    /// The label mask (NRRD or NIfTI).
    mask: PathBuf,
    /// Label value of the tumour in MASK.
    #[arg(long, default_value_t = 1)]
    label: i64,
    /// Output mask: value 1, uint8, on MASK's grid (resample: on IMAGE's); `.nrrd`, `.nii` or `.nii.gz`.
    #[arg(short, long)]
    output: PathBuf,
}

#[derive(Args)]
struct RingArgs {
    #[command(flatten)]
    source: Source,
    /// Ring width R in mm outside the tumour.
    #[arg(long, default_value_t = 3.0)]
    mm: f64,
    /// Inner margin a in mm: tumour voxels within a mm of the background join the ring.
    #[arg(long, default_value_t = 0.0)]
    inner_mm: f64,
    /// Measure distances within each axial slice (2D modes).
    #[arg(long)]
    in_plane: bool,
    /// Keep only ring voxels inside this tissue mask (on MASK's grid) [default: no tissue mask].
    #[arg(long, value_name = "FILE")]
    tissue: Option<PathBuf>,
    /// Label value of the tissue in --tissue.
    #[arg(long, default_value_t = 1)]
    tissue_label: i64,
    /// Image for --window (on MASK's grid) [default: none].
    #[arg(long, value_name = "FILE", requires = "window")]
    image: Option<PathBuf>,
    /// Keep only ring voxels whose --image value lies in [LO, HI] [default: no window].
    #[arg(long, num_args = 2, value_names = ["LO", "HI"], allow_negative_numbers = true, requires = "image")]
    window: Option<Vec<f64>>,
}

#[derive(Args)]
struct MaxSliceArgs {
    #[command(flatten)]
    source: Source,
}

#[derive(Args)]
struct ResampleArgs {
    #[command(flatten)]
    source: Source,
    /// The image (NRRD or NIfTI) whose grid the label is carried onto.
    #[arg(long, value_name = "IMAGE")]
    onto: PathBuf,
}

pub fn run(args: MaskArgs) -> anyhow::Result<ExitCode> {
    let (source, region) = match &args.command {
        MaskCommand::Ring(ring_args) => (&ring_args.source, ring_region(ring_args)?),
        MaskCommand::Maxslice(max) => (
            &max.source,
            named(
                &max.source.mask,
                max_slice(&read_label(&max.source.mask, max.source.label)?),
            )?,
        ),
        MaskCommand::Resample(resample) => (&resample.source, resampled(resample)?),
    };
    write_mask(&source.output, &region)?;
    let count = region.voxels.iter().filter(|&&v| v).count();
    println!("{}: {count} voxels", source.output.display());
    Ok(ExitCode::SUCCESS)
}

/// The ring of [`RingArgs`], restricted as asked.
fn ring_region(args: &RingArgs) -> anyhow::Result<Volume<bool>> {
    let options = RingOptions {
        outer_mm: args.mm,
        inner_mm: args.inner_mm,
        in_plane: args.in_plane,
    };
    let mask = &args.source.mask;
    let mut region = named(mask, ring(&read_label(mask, args.source.label)?, &options))?;
    if let Some(tissue) = &args.tissue {
        let tissue_region = read_label(tissue, args.tissue_label)?;
        region = named(tissue, restrict_to_mask(&region, &tissue_region))?;
    }
    if let (Some(image), Some(window)) = (&args.image, &args.window) {
        let volume = read_image(image)?.volume;
        region = named(
            image,
            restrict_to_window(&region, &volume, window[0], window[1]),
        )?;
    }
    Ok(region)
}

/// The label of [`ResampleArgs`] on the grid of its image.
fn resampled(args: &ResampleArgs) -> anyhow::Result<Volume<bool>> {
    let image = read_stored_image(&args.onto)?;
    let grid = Grid {
        size: image.size(),
        geometry: image.geometry().clone(),
    };
    let mask = &args.source.mask;
    named(
        mask,
        resample_mask_to(&read_label(mask, args.source.label)?, &grid),
    )
}

/// The voxels of `label` in the mask file at `path`.
fn read_label(path: &Path, label: i64) -> anyhow::Result<Volume<bool>> {
    let mask = read_mask(path, 0)?;
    named(path, label_region(&mask, label))
}

/// A library error that does not name its file, prefixed with `path`.
fn named<T>(path: &Path, result: radiome::Result<T>) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}
