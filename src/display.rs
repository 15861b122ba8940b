//! Lean formatting for the crate's error texts: numbers are written digit by digit, so
//! formatting an [`Error`](crate::Error) does not pull `core::fmt`'s integer machinery
//! (padding, radix and sign handling) into every application's wasm.

use core::fmt::{self, Write};

/// Writes `number` in decimal, as `core::fmt` does without flags.
pub(crate) fn write_decimal(f: &mut fmt::Formatter<'_>, number: u64) -> fmt::Result {
    let mut digits = [0u8; 20];
    let mut count = 0;
    let mut rest = number;
    loop {
        // `rest % 10` is below 10, so the cast keeps it; 20 digits hold every u64.
        if let Some(slot) = digits.get_mut(count) {
            *slot = (rest % 10) as u8;
        }
        count += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for digit in digits.iter().take(count).rev() {
        f.write_char(char::from(b'0' + digit))?;
    }
    Ok(())
}

/// A number shown through [`write_decimal`], for the tests.
#[cfg(test)]
mod tests_support {
    pub(super) struct Decimal(pub(super) u64);

    impl core::fmt::Display for Decimal {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            super::write_decimal(f, self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::Decimal;

    #[test]
    fn decimal_matches_core_fmt() {
        for number in [0, 1, 9, 10, 99, 100, 1000, 4999, 65535, 1 << 40, u64::MAX] {
            assert_eq!(Decimal(number).to_string(), number.to_string());
        }
    }
}

/// Property test: every `u64` is written exactly as `core::fmt` writes it.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use proptest::prelude::*;

    use super::tests_support::Decimal;

    proptest! {
        #[test]
        fn decimal_is_core_fmt(number in any::<u64>()) {
            prop_assert_eq!(Decimal(number).to_string(), number.to_string());
        }
    }
}
