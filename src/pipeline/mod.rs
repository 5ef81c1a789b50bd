//! One case, end to end, as PyRadiomics' `RadiomicsFeatureExtractor.execute` runs it:
//! load → preprocess (normalise, resample or pre-crop; check, correct and resegment the mask) →
//! shape → for each image type: filter → crop → discretise → matrices → features.

mod diagnostics;
mod exact_bins;
mod image_types;
mod planar;
mod save_filtered;
mod select;
mod texture;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::backend::{Backend, CpuBackend};
use crate::features;
use crate::image::bbox::BoundingBox;
use crate::image::crop::crop;
use crate::image::source::SourceImage;
use crate::image::{Dimensionality, Image, Volume};
use crate::io::{StoredImage, StoredMask};
use crate::output::{ResultRow, Value};
use crate::params::{FeatureClass, ImageTypeKind, Params, TextureSettings};
use crate::preprocess::{self, Diagnostics, Prepared};
use crate::{Error, Result, io};
use exact_bins::{Approximate, Region, settle};
use rayon::prelude::*;
use save_filtered::FilteredOutput;
use texture::{Batches, texture_rows};

/// Extracts PyRadiomics features with fixed parameters; reuse one extractor for many cases.
///
/// ```
/// use radiome::{Extractor, params::Params};
/// let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pyradiomics-data");
/// let extractor = Extractor::new(Params::default());
/// let row = extractor
///     .extract_files(&data.join("breast1_image.nrrd"), &data.join("breast1_label.nrrd"))
///     .unwrap();
/// let contrast = row["original_glcm_Contrast"].as_number().unwrap();
/// assert!(contrast > 0.0);
/// ```
pub struct Extractor {
    params: Params,
    backend: Arc<dyn Backend>,
    filtered_output: Option<FilteredOutput>,
    warn: Box<dyn Fn(&str) + Send + Sync>,
}

/// The default warning handler: one line on standard error.
fn warn_on_stderr(message: &str) {
    eprintln!("radiome: warning: {message}");
}

impl Extractor {
    /// An extractor on the CPU reference backend.
    pub fn new(params: Params) -> Self {
        Extractor {
            params,
            backend: Arc::new(CpuBackend),
            filtered_output: None,
            warn: Box::new(warn_on_stderr),
        }
    }

    /// Runs the texture matrices on `backend` (see [`crate::backend::select_backend`]).
    pub fn with_backend(mut self, backend: Box<dyn Backend>) -> Self {
        self.backend = Arc::from(backend);
        self
    }

    /// Runs the texture matrices on `backend`, shared with other extractors (a cohort's).
    pub fn with_shared_backend(mut self, backend: Arc<dyn Backend>) -> Self {
        self.backend = backend;
        self
    }

    /// Sends warnings (e.g. a mask that looks like an image) to `handler` instead of standard
    /// error. Warnings never change the features.
    pub fn with_warning_handler(mut self, handler: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.warn = Box::new(handler);
        self
    }

    /// Also writes, for every case extracted, each image type's filtered image as the feature
    /// classes get it (cropped to the region's bounding box, no padding) to
    /// `dir/<image type name>.nii.gz` (e.g. `original.nii.gz`, `wavelet-LLH.nii.gz`), and the
    /// cropped mask once as `dir/mask.nii.gz`; `dir` is created if needed. Files of an earlier
    /// case in the same folder are overwritten.
    pub fn with_filtered_output(mut self, dir: impl Into<PathBuf>) -> Self {
        self.filtered_output = Some(FilteredOutput::new(dir.into()));
        self
    }

    /// An extractor for a PyRadiomics parameter file (YAML or JSON).
    pub fn from_params_file(path: &Path) -> Result<Self> {
        Ok(Self::new(Params::from_file(path)?))
    }

    /// The parameters in use.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Reads `image` and `mask` (NRRD or NIfTI) and extracts every enabled feature, with
    /// PyRadiomics' `Image`, `Mask` and `diagnostics_*` entries first.
    ///
    /// The image is kept in its stored type and the mask read straight into its region, so
    /// that only what needs it is widened to f64 ([`preprocess::prepare_stored`]); the voxel
    /// hashes of the diagnostics are computed while the case is extracted.
    pub fn extract_files(&self, image: &Path, mask: &Path) -> Result<ResultRow> {
        let settings = &self.params.settings().preprocess;
        let (image_data, mask_data) = self.read_case(image, mask)?;
        let mut row = ResultRow::new();
        row.insert("Image".into(), Value::Text(image.display().to_string()));
        row.insert("Mask".into(), Value::Text(mask.display().to_string()));
        let only_original = self.only_original();
        // The voxel hashes run beside the whole extraction. The mask's (SHA-1 of the UInt32
        // mask, the longest single task) starts at once on one thread; the other hashes the image
        // first, then extracts, and the first thread joins in once its hash is done.
        let (pending_image, pending_mask) = (image_data.pending_hash(), mask_data.pending_hash());
        let info = settings.additional_info;
        let (mask_hash, (image_hash, extracted)) = rayon::join(
            || info.then(|| pending_mask.compute()),
            || {
                let image_hash = info.then(|| pending_image.compute());
                let extracted = mask_data
                    .region_and_labels(settings.label)
                    .and_then(|(region, labels)| {
                        self.warn_if_image_like(mask, &mask_data, &region, &labels);
                        preprocess::prepare_stored(
                            image_data,
                            region,
                            &labels,
                            settings,
                            only_original,
                        )
                    })
                    .and_then(|prepared| self.features_of(prepared));
                (image_hash, extracted)
            },
        );
        // Name the file the problem comes from: the mask for the ROI, the image for a setting
        // its intensities cannot satisfy (e.g. far too many bins).
        let extracted = extracted.map_err(|e| e.in_case(image, mask))?;
        let hashes = match (image_hash, mask_hash) {
            (Some(image), Some(mask)) => Some(io::VoxelHashes {
                image: image?,
                mask: mask?,
            }),
            _ => None,
        };
        self.assemble(&mut row, extracted, hashes);
        Ok(row)
    }

    /// Extracts many cases, `(image, mask)` each, side by side on this extractor's backend (as
    /// many at a time as rayon has threads; each case runs in parallel inside, on the shared
    /// rayon pool): one result per case, in order; a failed case does not stop the others. On
    /// the GPU, the rounds of the cases in flight go to the device together.
    pub fn extract_many<P: AsRef<Path> + Sync>(&self, cases: &[(P, P)]) -> Vec<Result<ResultRow>> {
        let next = AtomicUsize::new(0);
        let extract_next = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((image, mask)) = cases.get(i) else {
                    return done;
                };
                done.push((i, self.extract_files(image.as_ref(), mask.as_ref())));
            }
        };
        let workers = rayon::current_num_threads().min(cases.len());
        let mut done: Vec<(usize, Result<ResultRow>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers).map(|_| scope.spawn(extract_next)).collect();
            let joined = handles.into_iter().map(|handle| handle.join());
            let joined = joined.map(|done| done.unwrap_or_else(|p| std::panic::resume_unwind(p)));
            joined.flatten().collect()
        });
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, result)| result).collect()
    }

    /// Reads `image` and `mask` (in parallel) and checks that they, and `resampledPixelSpacing`,
    /// have the same dimensionality.
    fn read_case(&self, image: &Path, mask: &Path) -> Result<(StoredImage, StoredMask)> {
        let settings = &self.params.settings().preprocess;
        let (image_data, mask_data) = rayon::join(
            || io::read_stored_image(image),
            || io::read_stored_mask(mask, settings.label_channel),
        );
        let (image_data, mask_data) = (image_data?, mask_data?);
        let dimensionality = image_data.dimensionality();
        if mask_data.dimensionality() != dimensionality {
            return Err(Error::format(
                mask,
                format!(
                    "is a {}D mask, but the image is {}D (SimpleITK: the dimensions do not match)",
                    mask_data.dimensionality().axes(),
                    dimensionality.axes()
                ),
            ));
        }
        settings
            .resampling(dimensionality)
            .map_err(|e| e.in_case(image, mask))?;
        Ok((image_data, mask_data))
    }

    /// Warns, naming the file, when the mask looks like an image (see
    /// [`preprocess::plausible::implausible_mask`]).
    fn warn_if_image_like(
        &self,
        path: &Path,
        mask: &io::StoredMask,
        region: &Volume<bool>,
        labels: &[u32],
    ) {
        let label = self.params.settings().preprocess.label;
        let fractions = mask.holds_fractions();
        if let Some(why) = preprocess::plausible::implausible_mask(labels, fractions, region, label)
        {
            (self.warn)(&format!(
                "{}: the mask looks like an image, not a label map ({why}; {} voxels): \
                 are image and mask swapped?",
                path.display(),
                mask.pixel_type().name()
            ));
        }
    }

    /// Extracts every enabled feature from a 3D image and mask already in memory
    /// (`diagnostics_*` entries first, then features).
    pub fn extract(&self, image: &Image, mask: &Image) -> Result<ResultRow> {
        let settings = self.params.settings();
        let (hashes, extracted) = rayon::join(
            || {
                settings
                    .preprocess
                    .additional_info
                    .then(|| io::VoxelHashes::of(image, mask))
            },
            || {
                preprocess::prepare(image, mask, &settings.preprocess)
                    .and_then(|prepared| self.features_of(prepared))
            },
        );
        let mut row = ResultRow::new();
        self.assemble(&mut row, extracted?, hashes);
        Ok(row)
    }

    /// Extracts every enabled feature of `image` in each of `regions` (masks on the image's
    /// grid), one result per region, as [`Self::extract`] gives them for the image and each
    /// region as a 0/1 UInt32 mask (its `Mask-original_Hash` included).
    ///
    /// The image is read and hashed once. When preprocessing leaves the image as it is for every
    /// region ([`Self::filters_are_shared`]), each image type is filtered once for all regions.
    pub fn extract_regions(
        &self,
        image: &StoredImage,
        regions: Vec<Volume<bool>>,
    ) -> Vec<Result<ResultRow>> {
        let info = self.params.settings().preprocess.additional_info;
        // The voxel hashes (the image's, then each region's mask's) run beside the extraction.
        let ((image_hash, mask_hashes), extracted) = rayon::join(
            || {
                let image_hash = info.then(|| image.pending_hash().compute());
                let mask = |region| info.then(|| io::region_hash(region));
                (image_hash, regions.iter().map(mask).collect::<Vec<_>>())
            },
            || self.features_of_regions(image, &regions),
        );
        let image_hash = match image_hash.transpose() {
            Ok(hash) => hash,
            Err(e) => return extracted.into_iter().map(|_| Err(e.clone())).collect(),
        };
        extracted
            .into_iter()
            .zip(mask_hashes)
            .map(|(extracted, mask)| {
                let hashes = image_hash
                    .clone()
                    .zip(mask)
                    .map(|(image, mask)| io::VoxelHashes { image, mask });
                let mut row = ResultRow::new();
                self.assemble(&mut row, extracted?, hashes);
                Ok(row)
            })
            .collect()
    }

    /// Whether Original is the only image type (nothing is filtered).
    fn only_original(&self) -> bool {
        (self.params.image_types().keys()).all(|&kind| kind == ImageTypeKind::Original)
    }

    /// Whether the filtered images are the same whatever the region: nothing crops or resamples
    /// the image around the region first, no LBP3D (it samples the mask), and filtered images
    /// are not written out.
    fn filters_are_shared(&self) -> bool {
        let settings = &self.params.settings().preprocess;
        settings.resampled_pixel_spacing.is_none()
            && !settings.pre_crop
            && self.filtered_output.is_none()
            && !self
                .params
                .image_types()
                .contains_key(&ImageTypeKind::LBP3D)
    }

    /// The diagnostics and features of `image` in each region ([`Self::extract_regions`]).
    fn features_of_regions(
        &self,
        image: &StoredImage,
        regions: &[Volume<bool>],
    ) -> Vec<Result<(Option<Diagnostics>, ResultRow)>> {
        let settings = &self.params.settings().preprocess;
        let shared = self.filters_are_shared() && regions.len() > 1;
        // Each region's image may be cut to its box early only when no filter reads it whole and
        // no other region reads the same image.
        let crop_early = !shared && self.only_original();
        let prepared: Vec<Result<Prepared>> = regions
            .iter()
            .map(|region| {
                let (region, labels) = (region.clone(), labels_of(region));
                preprocess::prepare_stored(image.clone(), region, &labels, settings, crop_early)
            })
            .collect();
        if !shared {
            return prepared
                .into_iter()
                .map(|p| p.and_then(|p| self.features_of(p)))
                .collect();
        }
        let ready: Vec<&Prepared> = prepared.iter().filter_map(|p| p.as_ref().ok()).collect();
        let (shapes, mut image_types) = rayon::join(
            || {
                ready
                    .par_iter()
                    .map(|p| self.shape_row(p))
                    .collect::<Vec<_>>()
            },
            || match ready.first() {
                Some(first) => {
                    let targets: Vec<Target> = ready.iter().map(|p| Target::of(p)).collect();
                    self.image_type_features_in((&first.image, first.dimensionality), &targets)
                }
                None => Vec::new(),
            },
        );
        let mut features = shapes.into_iter().zip(image_types.drain(..));
        prepared
            .into_iter()
            .map(|p| {
                let p = p?;
                let (shape, image_types) = features.next().expect("one per prepared region");
                let mut row = shape?;
                row.extend(image_types?);
                Ok((p.diagnostics, row))
            })
            .collect()
    }

    /// Appends to `row` the diagnostics (with `hashes`; when `additionalInfo` is on), then the
    /// features.
    fn assemble(
        &self,
        row: &mut ResultRow,
        (diagnostics, features): (Option<Diagnostics>, ResultRow),
        hashes: Option<io::VoxelHashes>,
    ) {
        if let (Some(diagnostics), Some(hashes)) = (diagnostics, hashes) {
            let device = self.backend.device();
            diagnostics::write(row, &self.params, &diagnostics, &hashes, device);
        }
        row.extend(features);
    }

    /// Every enabled feature of a preprocessed case, with the case's diagnostics (when
    /// `additionalInfo` is on; written before the features, with the voxel hashes).
    fn features_of(&self, prepared: Prepared<'_>) -> Result<(Option<Diagnostics>, ResultRow)> {
        // Shape needs the mask only: it runs beside the image types. Its error comes first, as
        // PyRadiomics computes shape before any image type.
        let (shape, image_types) = rayon::join(
            || self.shape_row(&prepared),
            || self.image_type_features(&prepared),
        );
        let mut row = shape?;
        row.extend(image_types?);
        Ok((prepared.diagnostics, row))
    }

    /// The features of every enabled image type but shape, in the image types' order.
    fn image_type_features(&self, prepared: &Prepared<'_>) -> Result<ResultRow> {
        let image = (&prepared.image, prepared.dimensionality);
        let mut rows = self.image_type_features_in(image, &[Target::of(prepared)]);
        rows.pop().unwrap_or_else(|| Ok(ResultRow::new()))
    }

    /// [`Self::image_type_features`] of one image in each of `targets`: each image type is
    /// filtered once, over the targets' joint bounding box, and cut to each target's box (the
    /// filters compute a box's voxels as they compute the whole image's). Each target's images
    /// are gathered into batches of at most [`Backend::batch_voxels`] voxels (one image each on
    /// the CPU), whose features are computed while the next images are filtered. LBP3D samples
    /// the first target's mask. The filtered images are written out only with one target.
    fn image_type_features_in(
        &self,
        (image, dimensionality): (&SourceImage, Dimensionality),
        targets: &[Target],
    ) -> Vec<Result<ResultRow>> {
        let _in_flight = self.backend.case_started();
        let joint = joint_box(targets);
        let filtered_output = match self.filtered_output_for(targets) {
            Ok(output) => output,
            Err(e) => return vec![Err(e)],
        };
        let classes = self.texture_classes();
        let filtered = rayon::scope(|scope| {
            let classes = &classes;
            let spawn = |index: usize, (at, batch): (usize, Vec<_>)| {
                let target: &Target = &targets[index];
                scope.spawn(move |_| {
                    target.results.run(at, || {
                        texture_rows(&*self.backend, classes, &batch, &target.cropped_mask)
                    })
                })
            };
            let budget = self.backend.batch_voxels();
            let mut batches: Vec<Batches> = targets.iter().map(|_| Batches::new(budget)).collect();
            let filtered = image_types::for_each(
                &self.params,
                image,
                targets[0].mask,
                &joint,
                dimensionality,
                |name, filtered, settings, approximate| {
                    if targets.iter().all(|t| t.results.any_failed()) {
                        // Never reported: the failing image type's own error is.
                        return Err(Error::setting(
                            name,
                            "not computed after an earlier failure",
                        ));
                    }
                    let settings = planar::matrix_settings(settings, dimensionality);
                    let filtered =
                        &exact_bins(filtered, approximate, (&joint, targets), &settings)?;
                    if let Some(output) = filtered_output {
                        output.write_image(name, &filtered.volume)?;
                    }
                    for (index, batches) in batches.iter_mut().enumerate() {
                        let part = cut(filtered, &joint, &targets[index].bounding_box);
                        if let Some(batch) = batches.push(name, part, settings.clone()) {
                            spawn(index, batch);
                        }
                    }
                    Ok(())
                },
                &*self.backend,
            );
            let last = batches.into_iter().map(Batches::last).enumerate();
            last.for_each(|(index, batch)| batch.into_iter().for_each(|b| spawn(index, b)));
            filtered
        });
        // A failed image type's own error comes before the filter error that stopped the rest.
        let rows = targets.iter().map(|t| t.results.take_row());
        rows.map(|row| row.and_then(|row| filtered.clone().map(|()| row)))
            .collect()
    }

    /// Where the filtered images are written: `with_filtered_output`'s folder, with one target
    /// only, its cropped mask written there first.
    fn filtered_output_for(&self, targets: &[Target]) -> Result<Option<&FilteredOutput>> {
        let output = self.filtered_output.as_ref().filter(|_| targets.len() == 1);
        if let Some(output) = output {
            output.write_mask(&targets[0].cropped_mask)?;
        }
        Ok(output)
    }

    /// The shape features of a prepared region, as a row.
    fn shape_row(&self, prepared: &Prepared) -> Result<ResultRow> {
        let mut row = ResultRow::new();
        self.shape_features(prepared, &mut row).map(|()| row)
    }

    /// `shape` and `shape2D`, on the mask cropped to the bounding box (PyRadiomics' `computeShape`).
    /// A 2D image gets no `shape` and gets `shape2D` of its one slice, with or without `force2D`.
    fn shape_features(&self, prepared: &Prepared, row: &mut ResultRow) -> Result<()> {
        let settings = &self.params.settings().texture;
        let bbox = &prepared.bounding_box;
        let mask = crop(prepared.shape_region(), bbox.lower, bbox.upper);
        let spacing = mask.geometry.spacing;
        let planar = prepared.dimensionality == Dimensionality::Two;
        for class in [FeatureClass::Shape, FeatureClass::Shape2D] {
            let Some(names) = self.params.enabled_features(class) else {
                continue;
            };
            let computed = match class {
                FeatureClass::Shape if planar => continue,
                FeatureClass::Shape => features::shape::compute(&mask.voxels, spacing),
                _ if planar => features::shape2d::compute(&mask.voxels, spacing, 0)?,
                _ if select::shape2d_applies(settings, bbox) => {
                    features::shape2d::compute(&mask.voxels, spacing, settings.force_2d_dimension)?
                }
                _ => continue,
            };
            select::insert(row, "original", class, &names, &computed)?;
        }
        Ok(())
    }

    /// The enabled classes but shape (PyRadiomics bins for these only), with their features.
    fn texture_classes(&self) -> Vec<(FeatureClass, Vec<&str>)> {
        self.params
            .feature_classes
            .keys()
            .filter(|c| !matches!(c, FeatureClass::Shape | FeatureClass::Shape2D))
            .filter_map(|&c| Some((c, self.params.enabled_features(c)?)))
            .collect()
    }
}

/// A region whose image type features are computed.
struct Target<'a> {
    /// Its mask on the image's grid.
    mask: &'a Volume<bool>,
    bounding_box: BoundingBox,
    /// The mask cut to the bounding box, as the feature classes read it.
    cropped_mask: Volume<bool>,
    /// Its features, image type by image type.
    results: OrderedResults,
}

impl<'a> Target<'a> {
    /// Its box and cropped mask, as [`settle`] reads them.
    fn region(&self) -> Region<'_> {
        Region {
            bounding_box: self.bounding_box,
            mask: &self.cropped_mask.voxels,
        }
    }

    fn of(prepared: &'a Prepared) -> Self {
        let bounding_box = prepared.bounding_box;
        Target {
            mask: &prepared.mask,
            bounding_box,
            cropped_mask: crop(&prepared.mask, bounding_box.lower, bounding_box.upper),
            results: OrderedResults::new(),
        }
    }
}

/// `image` (cut to `joint`), its values in doubt made exact where they are `approximate`, so
/// that each target bins it as the CPU would ([`settle`]).
fn exact_bins<'i>(
    image: &'i Image,
    approximate: Option<&Approximate>,
    (joint, targets): (&BoundingBox, &[Target]),
    settings: &TextureSettings,
) -> Result<Cow<'i, Image>> {
    let Some(approximate) = approximate else {
        return Ok(Cow::Borrowed(image));
    };
    let regions: Vec<Region> = targets.iter().map(Target::region).collect();
    Ok(Cow::Owned(settle(
        image,
        approximate,
        joint,
        &regions,
        settings,
    )?))
}

/// The smallest box holding every target's bounding box.
fn joint_box(targets: &[Target]) -> BoundingBox {
    let mut boxes = targets.iter().map(|t| t.bounding_box);
    let first = boxes.next().expect("at least one target");
    boxes.fold(first, |joint, b| joint.union(&b))
}

/// The label values a 0/1 mask of `region` holds (as [`StoredMask::region_and_labels`] lists
/// them).
fn labels_of(region: &Volume<bool>) -> Vec<u32> {
    let inside = region.voxels.iter().any(|&v| v);
    let outside = region.voxels.iter().any(|&v| !v);
    [(outside, 0), (inside, 1)]
        .into_iter()
        .filter_map(|(present, label)| present.then_some(label))
        .collect()
}

/// The part of `image`, a filtered image cut to `joint`, that lies in `region` (within `joint`).
fn cut(image: &Image, joint: &BoundingBox, region: &BoundingBox) -> Image {
    if region == joint {
        return image.clone();
    }
    let lower = [0, 1, 2].map(|a| region.lower[a] - joint.lower[a]);
    let upper = [0, 1, 2].map(|a| region.upper[a] - joint.lower[a]);
    Image {
        volume: crop(&image.volume, lower, upper),
        pixel_type: image.pixel_type,
    }
}

/// The rows of the image types' features, computed in parallel and joined in the image types'
/// order. Once an image type's features fail, no later image type's features start (PyRadiomics
/// stops at the first error too); the first failure in order is the one reported.
struct OrderedResults {
    computed: Mutex<Vec<(usize, Result<ResultRow>)>>,
    first_failed: AtomicUsize,
}

impl OrderedResults {
    fn new() -> Self {
        OrderedResults {
            computed: Mutex::new(Vec::new()),
            first_failed: AtomicUsize::new(usize::MAX),
        }
    }

    /// Whether any image type's features failed.
    fn any_failed(&self) -> bool {
        self.first_failed.load(Ordering::Relaxed) != usize::MAX
    }

    /// Computes the row of the image type at position `at` with `compute`, unless an earlier
    /// one failed.
    fn run(&self, at: usize, compute: impl FnOnce() -> Result<ResultRow>) {
        if self.first_failed.load(Ordering::Relaxed) < at {
            return; // an earlier image type failed: its error is reported
        }
        let result = compute();
        if result.is_err() {
            self.first_failed.fetch_min(at, Ordering::Relaxed);
        }
        lock(&self.computed).push((at, result));
    }

    /// The rows in order, or the first failure in order; leaves the results empty.
    fn take_row(&self) -> Result<ResultRow> {
        let mut computed = std::mem::take(&mut *lock(&self.computed));
        computed.sort_by_key(|(at, _)| *at);
        let mut row = ResultRow::new();
        for (_, part) in computed {
            row.extend(part?);
        }
        Ok(row)
    }
}

/// The lock's contents; a panic elsewhere cannot leave a list of results half-written.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
