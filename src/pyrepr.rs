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
    let (digits, exponent) = shortest_digits(x.abs());
    let sign = if x < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exponent) {
        let point = exponent + 1; // digits before the decimal point
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if digits.len() <= point as usize {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            let (whole, fraction) = digits.split_at(point as usize);
            format!("{whole}.{fraction}")
        };
        format!("{sign}{text}")
    } else {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{first}{point}{rest}e{exp_sign}{:02}", exponent.abs())
    }
}

/// The shortest significant digits that round-trip to `x` (positive, finite) and the decimal
/// exponent of the first one (`x ≈ d.ddd × 10^exponent`), choosing as Python's `repr` does
/// (David Gay's `dtoa`): when `x` lies exactly halfway between two shortest candidates, the one
/// whose last digit is even. Rust's shortest formatting rounds such ties up; they are common
/// for float32 values widened to f64 (e.g. 585.46783447265625: Python `585.4678344726562`).
fn shortest_digits(x: f64) -> (String, i32) {
    let (digits, exponent) = scientific_parts(&format!("{x:e}"));
    match halfway_even(x, &digits) {
        Some(even) => even,
        None => (digits, exponent),
    }
}

/// The significant digits and the decimal exponent of Rust's `{:e}` text (`"1.25e-3"` →
/// `("125", -3)`).
fn scientific_parts(sci: &str) -> (String, i32) {
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci, "0"));
    let digits = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, exponent.parse().unwrap_or(0))
}

/// When `x` is exactly the midpoint between the `n`-digit decimals around it (`n` the length of
/// its shortest `digits`), the one of the two with an even last digit, if it round-trips.
fn halfway_even(x: f64, digits: &str) -> Option<(String, i32)> {
    let n = digits.len();
    // x to n + 1 significant digits, correctly rounded; a tie needs it to end in 5 ...
    let (longer_digits, longer_exponent) = scientific_parts(&format!("{x:.n$e}"));
    if !longer_digits.ends_with('5') {
        return None;
    }
    // ... and to be exact: x = m 2^e (m odd) has its last non-zero decimal at 10^e when e < 0,
    // so x printed with -e decimals (or as an integer) is its exact expansion.
    let (mut m, mut e) = (
        x.to_bits() & ((1 << 52) - 1),
        ((x.to_bits() >> 52) & 0x7ff) as i32,
    );
    if e == 0 {
        e = 1;
    } else {
        m |= 1 << 52;
    }
    e -= 1075;
    e += m.trailing_zeros() as i32;
    let decimals = if e < 0 { e.unsigned_abs() as usize } else { 0 };
    let exact: String = format!("{x:.decimals$}")
        .chars()
        .filter(char::is_ascii_digit)
        .skip_while(|&c| c == '0')
        .collect();
    if exact.trim_end_matches('0') != longer_digits.trim_end_matches('0') {
        return None;
    }
    // The lower candidate is the first n digits of the exact value, the upper one the next.
    let lower = &longer_digits[..n];
    let (mut even, mut even_exponent) = (lower.to_string(), longer_exponent);
    if (lower.as_bytes()[n - 1] - b'0') % 2 == 1 {
        (even, even_exponent) = increment(lower, even_exponent);
    }
    let text = format!("{}.{}e{even_exponent}", &even[..1], &even[1..]);
    (text.parse::<f64>().ok()? == x).then_some((even, even_exponent))
}

/// `digits` plus one in the last place (carrying; `99` → `10` with the exponent raised).
fn increment(digits: &str, exponent: i32) -> (String, i32) {
    let mut bytes = digits.as_bytes().to_vec();
    for b in bytes.iter_mut().rev() {
        if *b == b'9' {
            *b = b'0';
        } else {
            *b += 1;
            return (String::from_utf8_lossy(&bytes).into_owned(), exponent);
        }
    }
    bytes.insert(0, b'1');
    bytes.pop();
    (String::from_utf8_lossy(&bytes).into_owned(), exponent + 1)
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
        assert_eq!(r(-1234.5), "-1234.5");
        assert_eq!(r(1.5e-7), "1.5e-07");
        assert_eq!(r(123456789012345680.0), "1.2345678901234568e+17");
    }

    #[test]
    fn exact_ties_round_to_even_as_python() {
        // float32 values widened to f64: exactly halfway between two 16/17-digit candidates.
        let exact = |text: &str| text.parse::<f64>().unwrap();
        assert_eq!(r(exact("585.46783447265625")), "585.4678344726562");
        assert_eq!(r(exact("2.23600006103515625")), "2.2360000610351562");
        assert_eq!(r(exact("-585.46783447265625")), "-585.4678344726562");
        assert_eq!(r(exact("1361.19781494140625")), "1361.1978149414062");
        // Not ties: the shortest digits as they are.
        assert_eq!(r(0.7), "0.7");
        assert_eq!(r(0.699999988079071), "0.699999988079071");
        assert_eq!(r(f64::from(0.7f32)), "0.699999988079071");
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
