//! numpy's `nanmean`, with which PyRadiomics averages texture features over angles.

/// Mean of the non-NaN values; NaN when there are none (`numpy.nanmean`).
pub fn nanmean(values: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, count) = values
        .into_iter()
        .filter(|v| !v.is_nan())
        .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    if count == 0 {
        f64::NAN
    } else {
        sum / count as f64
    }
}
