//! Memory budgeting for a batch: each case's footprint is estimated from its files' headers before
//! it is read, and a case is started only when the estimates of the cases in flight plus its own
//! (and the process's measured resident memory plus its own) fit within the budget.

use std::path::Path;

use crate::{Result, io};

/// Fixed cost of a case beyond its voxels (extractor state, matrices, diagnostics), in bytes.
const CASE_BASE_BYTES: u64 = 16 << 20;
/// Bytes per image voxel: the stored image, its f64 widening and the filtered images of the
/// region's box. Measured peaks on PyRadiomics' test cases with the six reference parameter
/// files stay below 16 bytes per voxel (lung2: 16.0 M voxels, 248 MB with `mr_normalized`);
/// 24 leaves a margin.
const BYTES_PER_IMAGE_VOXEL: u64 = 24;
/// Bytes per mask voxel (the stored mask and its region map).
const BYTES_PER_MASK_VOXEL: u64 = 4;

/// The estimated peak memory of extracting one image and mask, in bytes, from their headers.
pub fn estimate_case(image: &Path, mask: &Path) -> Result<u64> {
    let image_voxels = io::element_count(image)? as u64;
    let mask_voxels = io::element_count(mask)? as u64;
    Ok(CASE_BASE_BYTES
        .saturating_add(image_voxels.saturating_mul(BYTES_PER_IMAGE_VOXEL))
        .saturating_add(mask_voxels.saturating_mul(BYTES_PER_MASK_VOXEL)))
}

/// Parses a memory size: a number of bytes with an optional unit `K`, `M`, `G`, `T` (powers of
/// 1024; `KiB`, `MB`, … are accepted as the same), e.g. `512M`, `4G`, `1.5GiB`.
pub fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let bad = || format!("\"{text}\" is not a memory size (e.g. 512M, 4G)");
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let number: f64 = number.parse().map_err(|_| bad())?;
    let unit = unit.trim().to_ascii_uppercase();
    let shift = match unit.trim_end_matches("IB").trim_end_matches('B') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(bad()),
    };
    let bytes = number * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes < 1.0 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

/// Writes `bytes` in MiB or GiB for messages.
pub fn format_size(bytes: u64) -> String {
    let mib = bytes as f64 / (1u64 << 20) as f64;
    if mib >= 1024.0 {
        format!("{:.1} GiB", mib / 1024.0)
    } else {
        format!("{mib:.0} MiB")
    }
}

/// The process's resident memory now (Linux `/proc/self/statm`), when it can be read.
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok()?)
}

/// The memory ceiling of a batch and the estimates of the cases in flight.
#[derive(Debug)]
pub struct Budget {
    limit: Option<u64>,
    in_flight: u64,
}

/// Whether a case may start now.
#[derive(Debug, PartialEq, Eq)]
pub enum Admission {
    Start,
    /// Not now: wait for a case in flight to finish.
    Wait,
    /// Never: the case alone is estimated above the ceiling.
    TooLarge,
}

impl Budget {
    /// A budget of `limit` bytes (`None`: unlimited).
    pub fn new(limit: Option<u64>) -> Budget {
        Budget {
            limit,
            in_flight: 0,
        }
    }

    /// The ceiling, if any.
    pub fn limit(&self) -> Option<u64> {
        self.limit
    }

    /// Whether a case estimated at `estimate` bytes may start, given the estimates in flight and
    /// the resident memory `resident` measured now.
    pub fn admit(&self, estimate: u64, resident: Option<u64>) -> Admission {
        let Some(limit) = self.limit else {
            return Admission::Start;
        };
        if estimate > limit {
            return Admission::TooLarge;
        }
        let used = self.in_flight.max(resident.unwrap_or(0));
        if self.in_flight == 0 || used.saturating_add(estimate) <= limit {
            Admission::Start
        } else {
            Admission::Wait
        }
    }

    /// Records a case started with `estimate` bytes.
    pub fn start(&mut self, estimate: u64) {
        self.in_flight += estimate;
    }

    /// Records a case finished that started with `estimate` bytes.
    pub fn finish(&mut self, estimate: u64) {
        self.in_flight -= estimate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("2kb"), Ok(2048));
        assert_eq!(parse_size("1000"), Ok(1000));
        for bad in ["", "G", "4X", "-1G", "0"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_budget_admits_what_fits_and_refuses_what_never_can() {
        let mut budget = Budget::new(Some(100));
        assert_eq!(budget.admit(120, None), Admission::TooLarge);
        assert_eq!(budget.admit(60, Some(70)), Admission::Start); // nothing in flight
        budget.start(60);
        assert_eq!(budget.admit(50, None), Admission::Wait);
        assert_eq!(budget.admit(40, None), Admission::Start);
        assert_eq!(budget.admit(40, Some(80)), Admission::Wait); // measured memory counts too
        budget.finish(60);
        assert_eq!(budget.admit(100, Some(30)), Admission::Start);
        assert_eq!(Budget::new(None).admit(u64::MAX, None), Admission::Start);
    }

    #[test]
    fn the_estimate_grows_with_the_voxels() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pyradiomics-data");
        let small = estimate_case(
            &data.join("breast1_image.nrrd"),
            &data.join("breast1_label.nrrd"),
        );
        let large = estimate_case(
            &data.join("lung2_image.nrrd"),
            &data.join("lung2_label.nrrd"),
        );
        let (small, large) = (small.unwrap(), large.unwrap());
        assert_eq!(small, CASE_BASE_BYTES + 45 * 120 * 21 * 28);
        assert_eq!(large, CASE_BASE_BYTES + 512 * 512 * 61 * 28);
    }
}
