//! Python's `repr`/`str` of numbers and tuples, so that our CSV and diagnostics read like PyRadiomics'.

/// Python's `repr(float)`: the shortest digits that round-trip, positional when the decimal
/// exponent is in `-4..16`, otherwise scientific (`1e-05`, `1.5e+16`); integral values keep `.0`.
pub fn python_float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits, e.g. "1.2345e-5".
    let sci = format!("{x:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..16).contains(&exponent) {
        let positional = format!("{x}");
        if positional.contains('.') {
            positional
        } else {
            positional + ".0"
        }
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::python_float_repr as r;

    #[test]
    fn matches_python_repr() {
        assert_eq!(r(632.0), "632.0");
        assert_eq!(r(0.1), "0.1");
        assert_eq!(r(1e-5), "1e-05");
        assert_eq!(r(0.0001), "0.0001");
        assert_eq!(r(-2.5e-7), "-2.5e-07");
        assert_eq!(r(1e16), "1e+16");
        assert_eq!(r(11579797135.314934), "11579797135.314934");
        assert_eq!(r(1234567890123456.7), "1234567890123456.8");
        assert_eq!(r(2.220446049250313e-16), "2.220446049250313e-16");
        assert_eq!(r(f64::NAN), "nan");
        assert_eq!(r(-0.0), "-0.0");
    }
}

/// Python's `str` of a tuple of floats: `(0.78125, 0.78125, 6.5)`.
pub fn python_float_tuple(values: &[f64]) -> String {
    python_tuple(values.iter().map(|&v| python_float_repr(v)))
}

/// Python's `str` of a tuple of numpy float64 scalars (numpy 2): `(np.float64(1.5), ...)`.
pub fn numpy_float_tuple(values: &[f64]) -> String {
    python_tuple(
        values
            .iter()
            .map(|&v| format!("np.float64({})", python_float_repr(v))),
    )
}

/// Python's `str` of a tuple of integers: `(256, 256, 25)`.
pub fn python_int_tuple<T: std::fmt::Display>(values: &[T]) -> String {
    python_tuple(values.iter().map(|v| v.to_string()))
}

fn python_tuple(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    if items.len() == 1 {
        format!("({},)", items[0])
    } else {
        format!("({})", items.join(", "))
    }
}

#[cfg(test)]
mod tuple_tests {
    use super::*;

    #[test]
    fn tuples_read_like_python() {
        assert_eq!(
            python_float_tuple(&[0.7812499999999999, 6.499999999999998]),
            "(0.7812499999999999, 6.499999999999998)"
        );
        assert_eq!(python_int_tuple(&[256, 256, 25]), "(256, 256, 25)");
        assert_eq!(numpy_float_tuple(&[1.5]), "(np.float64(1.5),)");
    }
}
