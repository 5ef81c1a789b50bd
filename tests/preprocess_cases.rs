//! PyRadiomics' preprocessing of the other test cases (brain2, breast1, lung1, lung2, the prostate
//! phantom) with the `resampled_ct` settings (B-spline to 1 mm, padDistance 10) and the
//! `mr_normalized` ones (normalise ×100, then B-spline to 2 mm), `correctMask` with every case's
//! single-slice `_label_2D` mask, and brain1 with `preCrop`: our preprocessed and cropped image and
//! mask against summaries of pyrad-dump.py's output (fixtures/preprocess/cases.json).

mod common;
use common::{data, fixture_json};

#[path = "preprocess_support/summary.rs"]
mod summary;

use radiome::io::{read_image, read_mask};
use radiome::params::{Interpolator, PreprocessSettings};
use radiome::preprocess::{crop_to_tumor_mask, prepare};
use summary::{check_image, check_mask_summary};

#[test]
fn other_cases_match_pyradiomics() {
    let cases = fixture_json("preprocess/cases.json");
    for (name, e) in cases.as_object().expect("cases") {
        let path = |k: &str| data().join(e[k].as_str().expect(k));
        let image = read_image(&path("image")).expect("image");
        let mask = read_mask(&path("mask"), 0).expect("mask");
        let config = name.rsplit('/').next().expect("config");
        let normalize = config == "mr_normalized";
        let settings = match config {
            "resampled_ct" => PreprocessSettings {
                resampled_pixel_spacing: Some(vec![1.0; 3]),
                interpolator: Interpolator::BSpline,
                pad_distance: 10,
                ..PreprocessSettings::default()
            },
            "mr_normalized" => PreprocessSettings {
                normalize: true,
                normalize_scale: 100.0,
                resampled_pixel_spacing: Some(vec![2.0; 3]),
                interpolator: Interpolator::BSpline,
                ..PreprocessSettings::default()
            },
            "correct_2d" => PreprocessSettings {
                correct_mask: true,
                ..PreprocessSettings::default()
            },
            "precrop" => PreprocessSettings {
                pre_crop: true,
                pad_distance: 5,
                ..PreprocessSettings::default()
            },
            other => panic!("unknown configuration {other}"),
        };
        let prepared = prepare(&image, &mask, &settings).expect("preprocessed");
        let rel = if normalize { 1e-10 } else { 0.0 };
        check_image(
            name,
            &prepared.image.widened(),
            &e["preprocessed_image"],
            rel,
        );
        // pyrad-dump saves loadImage's mask, which checkMask corrects only afterwards.
        if config != "correct_2d" {
            check_mask_summary(name, &prepared.mask, &e["preprocessed_mask"]);
        }
        let (cropped, cropped_mask) = crop_to_tumor_mask(
            &prepared.image.widened(),
            &prepared.mask,
            &prepared.bounding_box,
            0,
        );
        check_image(name, &cropped, &e["cropped_image"], rel);
        check_mask_summary(name, &cropped_mask, &e["cropped_mask"]);
    }
}
