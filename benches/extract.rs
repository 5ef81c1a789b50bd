//! Whole-case extraction on lung2 (PyRadiomics' largest test case): default settings, and the
//! `wavelet_log` configuration (Original + 8 wavelet sub-bands + LoG 1/3/5 mm, every class).
//!
//! `cargo bench --bench extract`. Side-by-side figures against PyRadiomics are made with the
//! commands in docs/benchmarks.md.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use radiome::Extractor;
use radiome::params::Params;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn bench_lung2(c: &mut Criterion) {
    let data = fixtures().join("pyradiomics-data");
    let (image, mask) = (data.join("lung2_image.nrrd"), data.join("lung2_label.nrrd"));
    let default = Extractor::new(Params::default());
    let wavelet_log = Extractor::new(
        Params::from_file(fixtures().join("pyradiomics-configs/wavelet_log.yaml")).unwrap(),
    );
    let mut group = c.benchmark_group("lung2");
    group.sample_size(10);
    group.bench_function("default", |b| {
        b.iter(|| default.extract_files(&image, &mask).unwrap())
    });
    group.bench_function("wavelet_log", |b| {
        b.iter(|| wavelet_log.extract_files(&image, &mask).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench_lung2);
criterion_main!(benches);
