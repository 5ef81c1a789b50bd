//! Parameter files against PyRadiomics 3.1: every example and project config parses (YAML and
//! its JSON twin) to the configuration PyRadiomics reports, and bad files give one-line errors.

mod common;
use common::fixtures;

use std::path::{Path, PathBuf};

use radiome::filters::lbp2d::LbpMethod;
use radiome::image::Dimensionality;
use radiome::params::{
    FeatureClass, FilterSettings, ImageTypeKind, Interpolator, Params, PyValue, ResegmentMode,
    WeightingNorm,
};

fn fixture(rel: &str) -> PathBuf {
    fixtures().join(rel)
}

/// The YAML file a name in `expected.json` refers to.
fn yaml_path(name: &str) -> PathBuf {
    ["params/examples", "params/edge", "pyradiomics-configs"]
        .iter()
        .map(|dir| fixture(&format!("{dir}/{name}")))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

/// The LoG sigmas (mm) of `filters`.
fn sigmas(filters: &FilterSettings) -> Vec<f64> {
    filters.sigma.iter().map(|s| s.mm).collect()
}

fn load(path: &Path) -> Params {
    Params::from_file(path).unwrap_or_else(|e| panic!("{e}"))
}

/// `fixtures/params/expected.json`: per file, PyRadiomics' settings / image types strings and
/// enabled features.
fn expected() -> Vec<(String, PyValue)> {
    let text = std::fs::read_to_string(fixture("params/expected.json")).unwrap();
    match serde_json::from_str::<PyValue>(&text).unwrap() {
        PyValue::Dict(d) => d.into_iter().collect(),
        _ => panic!("expected.json is not a dict"),
    }
}

fn field<'a>(entry: &'a PyValue, key: &str) -> &'a PyValue {
    match entry {
        PyValue::Dict(d) => &d[key],
        _ => panic!("not a dict"),
    }
}

fn text(v: &PyValue) -> &str {
    match v {
        PyValue::Str(s) => s,
        _ => panic!("not a string: {v}"),
    }
}

/// PyRadiomics' enabled features as ours: `[]` and `None` both enable the defaults.
fn features_of(v: &PyValue) -> Vec<(FeatureClass, Option<Vec<String>>)> {
    let PyValue::Dict(d) = v else {
        panic!("features")
    };
    d.iter()
        .map(|(class, names)| {
            let names = match names {
                PyValue::List(l) if !l.is_empty() => {
                    Some(l.iter().map(|n| text(n).to_string()).collect())
                }
                _ => None,
            };
            (FeatureClass::from_name(class).unwrap(), names)
        })
        .collect()
}

#[test]
fn files_give_the_configuration_pyradiomics_reports() {
    let expected = expected();
    assert_eq!(expected.len(), 16);
    for (name, entry) in expected {
        let yaml = load(&yaml_path(&name));
        let json = load(&fixture(&format!(
            "params/json/{}",
            name.replace(".yaml", ".json")
        )));
        assert_eq!(
            yaml.settings_repr(),
            text(field(&entry, "settings")),
            "{name}"
        );
        assert_eq!(
            yaml.image_types_repr(),
            text(field(&entry, "image_types")),
            "{name}"
        );
        let features: Vec<_> = yaml.feature_classes.clone().into_iter().collect();
        assert_eq!(features, features_of(field(&entry, "features")), "{name}");
        // Debug output, as `initValue: nan` makes a NaN (never equal to itself).
        assert_eq!(
            format!("{yaml:?}"),
            format!("{json:?}"),
            "{name}: YAML and JSON differ"
        );
    }
}

#[test]
fn diagnostics_match_the_pyradiomics_batch_outputs() {
    let dir = fixture("pyradiomics-filters");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let config = stem.split("__").next().unwrap();
        let params = load(&fixture(&format!("pyradiomics-configs/{config}.yaml")));
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (settings, image_types) = (
            column("diagnostics_Configuration_Settings"),
            column("diagnostics_Configuration_EnabledImageTypes"),
        );
        for class in params.feature_classes.keys() {
            let prefix = format!("original_{}_", class.name());
            let columns: Vec<&str> = headers
                .iter()
                .filter_map(|h| h.strip_prefix(prefix.as_str()))
                .collect();
            let wanted = params.enabled_features(*class).unwrap();
            // shape2D columns only exist for 2D extraction; the rest always do.
            assert!(columns == wanted || columns.is_empty(), "{stem} {class:?}");
        }
        for record in reader.records() {
            let record = record.unwrap();
            assert_eq!(params.settings_repr(), &record[settings], "{stem}");
            assert_eq!(params.image_types_repr(), &record[image_types], "{stem}");
            checked += 1;
        }
    }
    assert_eq!(checked, 40);
}

#[test]
fn bad_files_give_one_line_errors() {
    let cases = [
        (
            "unknown_setting.yaml",
            "/setting/binwidth: unknown setting (allowed: minimumROIDimensions, minimumROISize, geometryTolerance, correctMask, additionalInfo, label, label_channel, binWidth, binCount, normalize, normalizeScale, removeOutliers, resampledPixelSpacing, interpolator, padDistance, distances, force2D, force2Ddimension, resegmentRange, resegmentMode, resegmentShape, preCrop, sigma, start_level, level, wavelet, gradientUseSpacing, lbp2DRadius, lbp2DSamples, lbp2DMethod, lbp3DLevels, lbp3DIcosphereRadius, lbp3DIcosphereSubdivision, voxelArrayShift, symmetricalGLCM, weightingNorm, gldm_a)",
        ),
        (
            "bad_interpolator.yaml",
            "/setting/interpolator: 'sitkCubic' is not allowed (allowed: sitkNearestNeighbor, sitkLinear, sitkBSpline, sitkGaussian, sitkLabelGaussian, sitkHammingWindowedSinc, sitkCosineWindowedSinc, sitkWelchWindowedSinc, sitkLanczosWindowedSinc, sitkBlackmanWindowedSinc)",
        ),
        (
            "bad_interpolator_number.yaml",
            "/setting/interpolator: interpolator number 11 is not in 1-10 (allowed: sitkNearestNeighbor, sitkLinear, sitkBSpline, sitkGaussian, sitkLabelGaussian, sitkHammingWindowedSinc, sitkCosineWindowedSinc, sitkWelchWindowedSinc, sitkLanczosWindowedSinc, sitkBlackmanWindowedSinc or 1-10)",
        ),
        (
            "negative_binwidth.yaml",
            "/setting/binWidth: must be > 0, got -5",
        ),
        (
            "zero_binwidth.json",
            "/setting/binWidth: must be > 0, got 0",
        ),
        (
            "wrong_type_bool.yaml",
            "/setting/normalize: must be true or false, got str 'true'",
        ),
        (
            "wrong_type_int.yaml",
            "/setting/binCount: must be an integer, got float 2.5",
        ),
        (
            "wrong_type_list.yaml",
            "/setting/distances: must be a list, got int 1",
        ),
        (
            "zero_distance.yaml",
            "/setting/distances: item must be > 0, got 0",
        ),
        (
            "zero_sigma.yaml",
            "/imageType/LoG/sigma: item must be > 0, got 0",
        ),
        (
            "force2d_dimension.yaml",
            "/setting/force2Ddimension: must be in [0, 2], got 3",
        ),
        (
            "bad_voxel.yaml",
            "/voxelSetting/kernelRadius: must be > 0, got 0",
        ),
        (
            "bad_weighting.yaml",
            "/setting/weightingNorm: 'l2' is not allowed (allowed: euclidean, manhattan, infinity, no_weighting)",
        ),
        (
            "bad_resegment_mode.yaml",
            "/setting/resegmentMode: 'percent' is not allowed (allowed: absolute, relative, sigma)",
        ),
        (
            "unknown_feature.yaml",
            "/featureClass/glcm: unknown feature 'Contrastt' (glcm features: Autocorrelation, ClusterProminence, ClusterShade, ClusterTendency, Contrast, Correlation, DifferenceAverage, DifferenceEntropy, DifferenceVariance, Dissimilarity, Homogeneity1, Homogeneity2, Id, Idm, Idmn, Idn, Imc1, Imc2, InverseVariance, JointAverage, JointEnergy, JointEntropy, MCC, MaximumProbability, SumAverage, SumEntropy, SumSquares, SumVariance)",
        ),
        (
            "feature_list_not_list.yaml",
            "/featureClass/glcm: must be a list of feature names or empty, got str 'Contrast'",
        ),
        (
            "unknown_feature_class.yaml",
            "/featureClass/texture: unknown feature class (allowed: firstorder, glcm, gldm, glrlm, glszm, ngtdm, shape, shape2D)",
        ),
        (
            "unknown_image_type.yaml",
            "/imageType/Gabor: unknown image type (allowed: Exponential, Gradient, LBP2D, LBP3D, LoG, Logarithm, Original, Square, SquareRoot, Wavelet)",
        ),
        (
            "unknown_top_level.yaml",
            "/settings: unknown key (allowed: imageType, featureClass, setting, voxelSetting)",
        ),
        (
            "image_type_not_mapping.yaml",
            "/imageType: must be a mapping, got list []",
        ),
        (
            "enable_c_extensions.yaml",
            "/setting/enableCExtensions: unknown setting (allowed: minimumROIDimensions",
        ),
        (
            "setting_not_top.yaml",
            "/setting/imageType: unknown setting (allowed: minimumROIDimensions",
        ),
        (
            "bad_wavelet.yaml",
            "/imageType/Wavelet/wavelet: 'coif99' is not allowed (allowed: bior1.1, bior1.3,",
        ),
        ("bad_yaml.yaml", "invalid YAML: "),
        (
            "bad_json.json",
            "invalid JSON: trailing comma at line 1 column 29",
        ),
    ];
    let dir = fixture("params/bad");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), cases.len());
    for (file, want) in cases {
        let path = dir.join(file);
        let message = Params::from_file(&path).unwrap_err().to_string();
        let want = format!("{}: {want}", path.display());
        assert!(
            message.starts_with(&want),
            "{file}:\n got  {message}\n want {want}"
        );
        assert!(!message.contains('\n'), "{file}: {message}");
    }
}

#[test]
fn every_setting_reaches_its_field() {
    let params = load(&fixture("params/edge/all_settings.yaml"));
    let s = &params.settings().preprocess;
    assert_eq!(
        (
            s.minimum_roi_dimensions,
            s.minimum_roi_size,
            s.geometry_tolerance
        ),
        (3, Some(10), Some(1e-4))
    );
    assert!(s.correct_mask && !s.additional_info && s.normalize && s.pre_crop);
    assert_eq!((s.label, s.label_channel), (2, 1));
    assert_eq!((s.normalize_scale, s.remove_outliers), (2.5, Some(3.0)));
    assert_eq!(
        s.resampling(Dimensionality::Three).unwrap(),
        Some(([0.5, 0.75, 0.0], Interpolator::Linear))
    );
    assert_eq!(s.pad_distance, 0);
    assert_eq!(s.resegment_range, Some(vec![-3.0, 3.5]));
    assert_eq!(s.resegment_mode, ResegmentMode::Sigma);
    assert!(s.resegment_shape);
    let t = &params.settings().texture;
    assert_eq!((t.bin_width, t.bin_count), (12.5, Some(64)));
    assert_eq!(t.distances, vec![1, 2, 3]);
    assert_eq!(t.force_2d_axis(), Some(2));
    assert!(!t.symmetrical_glcm);
    assert_eq!(t.voxel_array_shift, -1000.0);
    assert_eq!(t.weighting_norm, Some(WeightingNorm::Manhattan));
    assert_eq!(t.gldm_a, 1.0);
    let f = &params.settings().filters;
    assert_eq!((sigmas(f), f.wavelet.name()), (vec![3.0], "haar"));

    // Image-type settings override the global ones for that image type only.
    let square = &params.image_types()[&ImageTypeKind::Square];
    assert_eq!(
        (square.texture.bin_width, square.texture.bin_count),
        (10.0, Some(64))
    );
    let log = &params.image_types()[&ImageTypeKind::LoG].filters;
    assert_eq!(sigmas(log), vec![0.5, 1.0, 2.5]);
    let texts: Vec<&str> = log.sigma.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts, ["0.5", "1", "2.5"]);
    let wavelet = &params.image_types()[&ImageTypeKind::Wavelet].filters;
    assert_eq!(
        (wavelet.wavelet.name(), wavelet.start_level, wavelet.level),
        ("db2", 1, 2)
    );
    let gradient = &params.image_types()[&ImageTypeKind::Gradient].filters;
    assert!(!gradient.gradient_use_spacing);
    let lbp2d = &params.image_types()[&ImageTypeKind::LBP2D].filters;
    assert_eq!((lbp2d.lbp2d_radius, lbp2d.lbp2d_samples), (2.0, 16));
    assert_eq!(lbp2d.lbp2d_method, LbpMethod::Default);
    let lbp3d = &params.image_types()[&ImageTypeKind::LBP3D].filters;
    assert_eq!(
        (
            lbp3d.lbp3d_levels,
            lbp3d.lbp3d_icosphere_radius,
            lbp3d.lbp3d_icosphere_subdivision
        ),
        (3, 1.5, 2)
    );
    assert_eq!(
        &params.image_types()[&ImageTypeKind::Original],
        params.settings()
    );

    let v = &params.voxel();
    assert_eq!(
        (
            v.kernel_radius,
            v.masked_kernel,
            v.init_value,
            v.voxel_batch
        ),
        (3, false, -1.5, Some(500))
    );
}

#[test]
fn nulls_and_empty_sections_behave_like_pyradiomics() {
    let params = load(&fixture("params/edge/nulls_and_empties.yaml"));
    // A null interpolator disables resampling.
    assert_eq!(
        params
            .settings()
            .preprocess
            .resampling(Dimensionality::Three)
            .unwrap(),
        None
    );
    assert_eq!(params.settings().texture.weighting_norm, None);
    assert_eq!(params.settings().texture.bin_count, None);
    // No image type: Original only; no feature class: all of them, shape2D included.
    assert_eq!(
        params.image_types().keys().copied().collect::<Vec<_>>(),
        [ImageTypeKind::Original]
    );
    assert_eq!(params.feature_classes.len(), 8);
    assert!(params.feature_classes.values().all(Option::is_none));

    let voxel = load(&fixture("params/examples/exampleVoxel.yaml"));
    assert!(voxel.voxel().init_value.is_nan());
    assert_eq!(voxel.voxel().kernel_radius, 2);
    assert_eq!(voxel.settings().texture.force_2d_axis(), Some(0));
}

#[test]
fn builder_validates_like_files() {
    let mut params = Params::default();
    assert_eq!(
        params.settings_repr(),
        "{'minimumROIDimensions': 2, 'minimumROISize': None, 'normalize': False, 'normalizeScale': 1, 'removeOutliers': None, 'resampledPixelSpacing': None, 'interpolator': 'sitkBSpline', 'preCrop': False, 'padDistance': 5, 'distances': [1], 'force2D': False, 'force2Ddimension': 0, 'resegmentRange': None, 'label': 1, 'additionalInfo': True}"
    );
    assert_eq!(params.settings().texture.force_2d_axis(), None);
    let err = params.set("binWidth", -1.0).unwrap_err().to_string();
    assert_eq!(err, "settings: /setting/binWidth: must be > 0, got -1");
    let err = params
        .enable_feature_class(FeatureClass::Ngtdm, Some(&["Busy"]))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("settings: /featureClass/ngtdm: unknown feature 'Busy'"),
        "{err}"
    );
    let err = params
        .enable_image_type_with(ImageTypeKind::LoG, [("sigma", PyValue::from(vec![0.0]))])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "settings: /imageType/LoG/sigma: item must be > 0, got 0"
    );

    // A global setting set after an image type still reaches it, unless overridden there.
    params
        .enable_image_type_with(ImageTypeKind::Square, [("binWidth", 5)])
        .unwrap();
    params.set("binWidth", 10).unwrap().set("label", 3).unwrap();
    let square = &params.image_types()[&ImageTypeKind::Square];
    assert_eq!(
        (square.texture.bin_width, square.preprocess.label),
        (5.0, 3)
    );
    let original = &params.image_types()[&ImageTypeKind::Original];
    assert_eq!(original.texture.bin_width, 10.0);
    params.disable_image_type(ImageTypeKind::Original);
    assert_eq!(params.image_types_repr(), "{'Square': {'binWidth': 5}}");
    params.set_voxel("voxelBatch", 100).unwrap();
    assert_eq!(params.voxel().voxel_batch, Some(100));
    assert!(
        params
            .settings_repr()
            .ends_with("'binWidth': 10, 'voxelBatch': 100}")
    );
}

#[test]
fn command_line_overrides_follow_pyradiomics() {
    let mut params = load(&fixture("pyradiomics-configs/wavelet_log.yaml"));
    params.set_override("binWidth:10").unwrap();
    params.set_override("label_channel:1").unwrap();
    assert!(
        params
            .settings_repr()
            .ends_with("'additionalInfo': True, 'binWidth': 10.0, 'label_channel': 1}")
    );
    let log = &params.image_types()[&ImageTypeKind::LoG];
    assert_eq!(log.texture.bin_width, 10.0);
    let err = params.set_override("binWidth").unwrap_err().to_string();
    assert_eq!(
        err,
        "settings: setting override \"binWidth\" is not KEY:VALUE"
    );
    let err = params.set_override("binWidth:0").unwrap_err().to_string();
    assert_eq!(err, "settings: /setting/binWidth: must be > 0, got 0");
}

#[test]
fn enabled_features_follow_pyradiomics_order() {
    let params = load(&fixture("params/edge/all_settings.yaml"));
    assert_eq!(
        params.enabled_features(FeatureClass::Shape),
        Some(vec!["Compactness1", "VoxelVolume"])
    );
    let glcm = params.enabled_features(FeatureClass::Glcm).unwrap();
    assert_eq!(glcm.len(), 24);
    assert_eq!(
        &glcm[..3],
        ["Autocorrelation", "ClusterProminence", "ClusterShade"]
    );
    assert_eq!(
        params.enabled_features(FeatureClass::Ngtdm),
        Some(vec![
            "Busyness",
            "Coarseness",
            "Complexity",
            "Contrast",
            "Strength"
        ])
    );
    assert_eq!(params.enabled_features(FeatureClass::FirstOrder), None);
}
