//! [`validate_close`]: the arguments of `close()` checked as the browser checks them. Apart
//! from `close.rs` so that the close types need nothing from [`Error`] (no import cycle).

use crate::close::{CloseCode, MAX_REASON_BYTES};
use crate::Error;

/// Checks a close code and reason exactly as the browser's `close()` would, before the
/// browser sees them.
///
/// # Errors
/// [`Error::InvalidCloseCode`] unless the code [is sendable](CloseCode::is_sendable);
/// [`Error::ReasonTooLong`] when the reason has more than [`MAX_REASON_BYTES`] UTF-8 bytes.
///
/// ```
/// use browser_ws::{validate_close, CloseCode, Error};
///
/// assert!(validate_close(CloseCode::NORMAL, "bye").is_ok());
/// assert!(matches!(validate_close(CloseCode(1001), ""), Err(Error::InvalidCloseCode(_))));
/// assert!(matches!(validate_close(CloseCode(4000), &"é".repeat(62)), Err(Error::ReasonTooLong { bytes: 124 })));
/// ```
pub fn validate_close(code: CloseCode, reason: &str) -> Result<(), Error> {
    if !code.is_sendable() {
        return Err(Error::InvalidCloseCode(code));
    }
    if reason.len() > MAX_REASON_BYTES {
        return Err(Error::ReasonTooLong {
            bytes: reason.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::close::CloseCodeKind;

    #[test]
    fn every_u16_is_classified_and_only_1000_and_3000_to_4999_are_sendable() {
        let mut counts = [0usize; 6];
        for raw in 0..=u16::MAX {
            let code = CloseCode(raw);
            let kind = code.kind();
            let slot = match kind {
                CloseCodeKind::Unused => 0,
                CloseCodeKind::Normal => 1,
                CloseCodeKind::Protocol => 2,
                CloseCodeKind::Registered => 3,
                CloseCodeKind::Private => 4,
                CloseCodeKind::OutOfRange => 5,
            };
            counts[slot] += 1;
            let expected = raw == 1000 || (3000..=4999).contains(&raw);
            assert_eq!(code.is_sendable(), expected, "code {raw}");
            assert_eq!(validate_close(code, "").is_ok(), expected, "code {raw}");
        }
        assert_eq!(counts, [1000, 1, 1999, 1000, 1000, 60536]);
    }

    #[test]
    fn reason_limit_counts_utf8_bytes_not_chars() {
        let ascii_ok = "a".repeat(123);
        let ascii_long = "a".repeat(124);
        assert!(validate_close(CloseCode::NORMAL, &ascii_ok).is_ok());
        assert_eq!(
            validate_close(CloseCode::NORMAL, &ascii_long),
            Err(Error::ReasonTooLong { bytes: 124 })
        );
        // 41 three-byte characters = 123 bytes, one more two-byte character = 125 bytes.
        let euro_ok = "€".repeat(41);
        assert_eq!(euro_ok.len(), 123);
        assert!(validate_close(CloseCode(3000), &euro_ok).is_ok());
        let euro_long = format!("{euro_ok}é");
        assert_eq!(
            validate_close(CloseCode(3000), &euro_long),
            Err(Error::ReasonTooLong { bytes: 125 })
        );
        // 30 four-byte emoji = 120 bytes plus three ASCII = 123; one more ASCII = 124.
        let emoji = format!("{}abc", "🦀".repeat(30));
        assert_eq!(emoji.len(), 123);
        assert!(validate_close(CloseCode(4999), &emoji).is_ok());
        assert_eq!(
            validate_close(CloseCode(4999), &format!("{emoji}d")),
            Err(Error::ReasonTooLong { bytes: 124 })
        );
        // 62 two-byte characters = 124 bytes, though only 62 chars.
        assert_eq!(
            validate_close(CloseCode(4000), &"é".repeat(62)),
            Err(Error::ReasonTooLong { bytes: 124 })
        );
    }

    #[test]
    fn code_is_checked_before_reason() {
        assert_eq!(
            validate_close(CloseCode(1001), &"x".repeat(200)),
            Err(Error::InvalidCloseCode(CloseCode(1001)))
        );
    }
}
