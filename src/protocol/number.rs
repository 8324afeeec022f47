//! Whole numbers written as decimal text (`"91.0"`, `"9.1e1"`), read exactly without the
//! standard library's float parser: its tables and slow path were 14 KB of the gzipped wasm,
//! and ids only ever need "is this text a whole number, and which".

/// The largest whole number a float holds exactly (2^53 − 1); beyond it ids are noise.
pub const MAX_SAFE: u64 = (1 << 53) - 1;

/// What `text.parse::<f64>()` followed by "finite, whole and within ±(2^53 − 1)" gives, computed
/// exactly: the same grammar as Rust's float parsing (sign, digits with an optional point, an
/// optional exponent; `inf` and `NaN` are never whole) and the same correctly rounded result,
/// so `"91.0"` is 91, `"0.99999999999999999"` is 1 (it rounds to 1.0), `"1e-400"` is 0 (it
/// rounds to 0.0) and `"1.5"` is `None`. Callers bound the text's length (24 bytes).
pub fn whole_decimal(text: &str) -> Option<i64> {
    let (negative, digits, exponent) = split(text.as_bytes())?;
    let magnitude = whole_magnitude(digits, exponent)?;
    let n = i64::try_from(magnitude).ok()?;
    Some(if negative { -n } else { n })
}

/// Sign, the digits' value `D` and the power of ten `E` with the text's value `D × 10^E`;
/// `None` for text outside the grammar (or with more digits than fit, which bounded callers
/// never pass).
fn split(b: &[u8]) -> Option<(bool, u128, i64)> {
    let (negative, b) = match b {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, b),
    };
    let mut digits: u128 = 0;
    let (mut seen, mut fraction_digits, mut i) = (0usize, 0i64, 0usize);
    let mut point = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                digits = digits.checked_mul(10)?.checked_add(u128::from(c - b'0'))?;
                seen += 1;
                fraction_digits += i64::from(point);
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if seen == 0 {
        return None;
    }
    let mut exponent: i64 = 0;
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let negative_exponent = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while let Some(c @ b'0'..=b'9') = b.get(i) {
            // Saturates far beyond any value that matters (10^±100 000 is 0 or infinite).
            exponent = (exponent * 10 + i64::from(c - b'0')).min(100_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        if negative_exponent {
            exponent = -exponent;
        }
    }
    (i == b.len()).then_some((negative, digits, exponent - fraction_digits))
}

/// `round(D × 10^E)` (to the nearest float, ties to even) when that float is a whole number
/// of at most [`MAX_SAFE`].
fn whole_magnitude(digits: u128, exponent: i64) -> Option<u64> {
    if digits == 0 {
        return Some(0);
    }
    if exponent >= 0 {
        // D ≥ 1, so 10^17 and beyond are past MAX_SAFE; a whole value rounds to itself when it
        // fits in 53 bits, and to at least 2^53 when it does not.
        let value = digits.checked_mul(10u128.checked_pow(u32::try_from(exponent).ok()?)?)?;
        return u64::try_from(value).ok().filter(|v| *v <= MAX_SAFE);
    }
    let k = exponent.unsigned_abs();
    if k > 24 {
        // D < 10^24, so the value is below 1: whole only if it rounds to 0.0, which needs
        // D × 10^−k ≤ 2^−1075 (half the smallest float, a tie going to the even 0).
        return rounds_to_zero(digits, k).then_some(0);
    }
    let scale = 10u128.pow(k as u32);
    let (floor, rest) = (digits / scale, digits % scale);
    if rest == 0 {
        return u64::try_from(floor).ok().filter(|v| *v <= MAX_SAFE);
    }
    let twice = rest * 2;
    if twice == scale {
        // Exactly halfway between two integers: a float only below 2^52 (spacing ≤ ½);
        // above it the tie goes to the even neighbour.
        if floor < 1 << 52 {
            return None;
        }
        let even = if floor % 2 == 0 { floor } else { floor + 1 };
        return u64::try_from(even).ok().filter(|v| *v <= MAX_SAFE);
    }
    // The nearest integer n, the distance d / 10^k to it, and whether the value lies above n.
    let (n, d, above) = if twice < scale {
        (floor, rest, true)
    } else {
        (floor + 1, scale - rest, false)
    };
    if n == 0 || n > u128::from(MAX_SAFE) {
        // Below ½ but at least 10^−24: not rounded to 0.0. Nearest integer past MAX_SAFE: the
        // value is at least 2^53 − ½ and rounds to 2^53 or more.
        return None;
    }
    // n < 2^53 is a float with exponent e (2^e ≤ n); floats near n are 2^(e−52) apart, or
    // 2^(e−53) just below a power of two. The value rounds to n when within half of that.
    let e = 127 - n.leading_zeros();
    let below_power_of_two = !above && n.is_power_of_two();
    let half_spacing_log = i64::from(e) - if below_power_of_two { 54 } else { 53 };
    // d / 10^k against 2^half_spacing_log (always negative here: e ≤ 52).
    let shift = half_spacing_log.unsigned_abs() as u32;
    let lhs = d.checked_mul(1u128 << shift); // d × 2^shift, None when ≥ 2^128 > 10^k
    let inside = match lhs {
        Some(lhs) if lhs < scale => true,
        // On the boundary: a tie, to n when n's last significand bit is 0. n's significand is
        // n × 2^(52−e), odd only when e = 52 and n is odd.
        Some(lhs) if lhs == scale => e < 52 || n % 2 == 0,
        _ => false,
    };
    inside.then_some(n as u64)
}

/// Whether `D × 10^−k` (D ≥ 1, k > 24) is at most 2^−1075, i.e. `D × 2^1075 ≤ 10^k`, exactly.
fn rounds_to_zero(digits: u128, k: u64) -> bool {
    // 10^k ≥ 2^1075 needs k ≥ 324; with D < 10^24, k ≥ 348 always suffices.
    if k < 324 {
        return false;
    }
    if k >= 348 {
        return true;
    }
    // D × 2^1075 ≤ 2^k × 5^k  ⇔  D × 2^(1075−k) ≤ 5^k, in base-2^32 limbs (little-endian).
    let k = k as u32;
    let mut five_pow = vec![1u32];
    for _ in 0..k {
        let mut carry = 0u64;
        for limb in &mut five_pow {
            let v = u64::from(*limb) * 5 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            five_pow.push(carry as u32);
        }
    }
    let shift = 1075 - k;
    let mut lhs = vec![0u32; (shift / 32) as usize];
    let mut carry = 0u64;
    for i in 0..5 {
        let limb = if i < 4 {
            (digits >> (32 * i)) as u32
        } else {
            0
        };
        let v = (u64::from(limb) << (shift % 32)) | carry;
        lhs.push(v as u32);
        carry = v >> 32;
    }
    while lhs.last() == Some(&0) {
        lhs.pop();
    }
    while five_pow.last() == Some(&0) {
        five_pow.pop();
    }
    if lhs.len() != five_pow.len() {
        return lhs.len() < five_pow.len();
    }
    lhs.iter().rev().cmp(five_pow.iter().rev()) != std::cmp::Ordering::Greater
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the app did before: the standard library's parse, then the whole-number check.
    fn std_whole(text: &str) -> Option<i64> {
        let f: f64 = text.parse().ok()?;
        (f.is_finite() && f.fract() == 0.0 && f.abs() <= MAX_SAFE as f64).then_some(f as i64)
    }

    #[test]
    fn known_cases() {
        for (text, want) in [
            ("91.0", Some(91)),
            ("9.1e1", Some(91)),
            ("910e-1", Some(91)),
            ("+5.", Some(5)),
            (".5e1", Some(5)),
            ("-7.000", Some(-7)),
            ("-0.0", Some(0)),
            ("0e999999999999", Some(0)),
            ("1e-400", Some(0)),
            ("-1e-400", Some(0)),
            ("1.5", None),
            ("1e300", None),
            ("NaN", None),
            ("inf", None),
            ("-infinity", None),
            ("", None),
            (".", None),
            ("e5", None),
            ("1e", None),
            ("1e+", None),
            ("1..0", None),
            ("1_0", None),
            (" 1", None),
            ("9007199254740991", Some(9_007_199_254_740_991)),
            ("9007199254740992", None),
            ("9007199254740991.4", Some(9_007_199_254_740_991)),
            ("9007199254740991.5", None),
            ("9007199254740990.5", Some(9_007_199_254_740_990)),
            ("4503599627370496.5", Some(4_503_599_627_370_496)),
            ("4503599627370497.5", Some(4_503_599_627_370_498)),
            ("4503599627370495.5", None),
            ("4503599627370495.75", Some(4_503_599_627_370_496)),
            ("4503599627370495.76", Some(4_503_599_627_370_496)),
            ("4503599627370495.74", None),
            ("0.99999999999999999", Some(1)),
            ("0.9999999999999999", None),
            ("91.00000000000000001", Some(91)),
            ("2.4703282292062327e-324", Some(0)),
            ("2.4703282292062328e-324", None),
            ("2.47032822920623272e-324", Some(0)),
            ("2.47032822920623273e-324", None),
        ] {
            assert_eq!(whole_decimal(text), want, "{text}");
            assert_eq!(whole_decimal(text), std_whole(text), "{text} (std)");
        }
    }
}

/// Against the standard library's parser, which it replaced: the same answer on any text.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod against_std {
    use super::*;
    use proptest::prelude::*;

    fn std_whole(text: &str) -> Option<i64> {
        let f: f64 = text.parse().ok()?;
        (f.is_finite() && f.fract() == 0.0 && f.abs() <= MAX_SAFE as f64).then_some(f as i64)
    }

    /// Decimal-shaped text: mostly digits, points, exponents and signs, at most 24 bytes.
    fn shaped() -> impl Strategy<Value = String> {
        "[+-]?[0-9]{0,12}\\.?[0-9]{0,10}([eE][+-]?[0-9]{1,3})?"
            .prop_filter("bounded", |s| s.len() <= 24)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(50_000))]

        #[test]
        fn shaped_text_agrees(text in shaped()) {
            prop_assert_eq!(whole_decimal(&text), std_whole(&text), "{}", text);
        }

        #[test]
        fn any_text_agrees(text in "[0-9eE.+-]{0,24}|\\PC{0,24}") {
            prop_assert_eq!(whole_decimal(&text), std_whole(&text), "{}", text);
        }

        #[test]
        fn near_whole_numbers_agree(n in 0u64..(1 << 54), frac in "[0-9]{1,8}", neg in any::<bool>()) {
            let text = format!("{}{n}.{frac}", if neg { "-" } else { "" });
            if text.len() <= 24 {
                prop_assert_eq!(whole_decimal(&text), std_whole(&text), "{}", text);
            }
        }

        #[test]
        fn near_zero_agrees(d in 1u128..10u128.pow(20), k in 300u32..360) {
            let text = format!("{d}e-{k}");
            prop_assert_eq!(whole_decimal(&text), std_whole(&text), "{}", text);
        }

        #[test]
        fn floats_printed_back_agree(f in any::<f64>()) {
            for text in [format!("{f}"), format!("{f:e}"), format!("{f:.1}")] {
                if text.len() <= 24 {
                    prop_assert_eq!(whole_decimal(&text), std_whole(&text), "{}", text);
                }
            }
        }
    }
}
