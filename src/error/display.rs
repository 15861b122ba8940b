//! Lean text for [`Error`](crate::Error) and [`CloseEvent`](crate::CloseEvent), written piece by
//! piece into a [`TextOut`]: one code for `Display` and for the JS `Error`, which then links none
//! of `core::fmt` (ARCHITECTURE.md, Size techniques).

use core::fmt;

/// Where a message is written: a `Formatter` (for `Display`) or a `String`.
pub(crate) trait TextOut {
    /// Appends `text` as is (no width or other flags, as for a `write!`'s fields).
    fn put(&mut self, text: &str) -> fmt::Result;
}

impl TextOut for fmt::Formatter<'_> {
    fn put(&mut self, text: &str) -> fmt::Result {
        self.write_str(text)
    }
}

impl TextOut for String {
    fn put(&mut self, text: &str) -> fmt::Result {
        self.push_str(text);
        Ok(())
    }
}

/// Writes `pieces` one after the other.
pub(crate) fn write_pieces(out: &mut impl TextOut, pieces: &[&str]) -> fmt::Result {
    pieces.iter().try_for_each(|piece| out.put(piece))
}

/// Writes `number` in decimal, as `core::fmt` does without flags.
pub(crate) fn write_decimal(out: &mut impl TextOut, number: u64) -> fmt::Result {
    const DIGITS: &str = "0123456789";
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
    for &digit in digits.iter().take(count).rev() {
        let digit = usize::from(digit);
        out.put(DIGITS.get(digit..=digit).unwrap_or_default())?;
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
