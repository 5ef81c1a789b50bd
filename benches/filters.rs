//! The recursive Gaussian passes behind the LoG image type, one axis at a time, on a volume of
//! lung2's size (512 x 512 x 61 `int16`), keeping lung2's tumour box along the filtered axis as
//! the LoG's first pass of each term does (every line is filtered, a few samples kept), into a
//! buffer reused from pass to pass as the LoG reuses it.
//!
//! `cargo bench --bench filters`.

use criterion::{Criterion, criterion_group, criterion_main};
use radiome::filters::recursive_gaussian::{Axis, Coefficients, Order, filter_axis};

fn bench_recursive_gaussian(c: &mut Criterion) {
    let dims = [61, 512, 512];
    let voxels: Vec<i16> = (0..dims.iter().product::<usize>())
        .map(|i| ((i * 7919) % 2003) as i16 - 1000)
        .collect();
    let second = Coefficients::new(3.0, 0.7, Order::Second, true).unwrap();
    let mut group = c.benchmark_group("recursive_gaussian");
    group.sample_size(20);
    for (axis, keep) in [(Axis::X, 318..405), (Axis::Y, 333..399), (Axis::Z, 15..26)] {
        let mut output = Vec::new();
        group.bench_function(format!("{axis:?}"), |b| {
            b.iter(|| filter_axis(&voxels, dims, axis, &second, keep.clone(), &mut output))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_recursive_gaussian);
criterion_main!(benches);
