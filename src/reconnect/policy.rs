//! What follows an ending: the [`Decision`] a reconnect policy returns, and the default policy.

use std::time::Duration;

use super::status::{Disconnect, ReconnectContext};
use crate::CloseCode;

/// What a reconnect policy ([`ReconnectOptions::policy`](crate::ReconnectOptions::policy))
/// decides after an ending the application did not ask for.
///
/// Whatever the policy decides, a [`close`](crate::ReconnectingHandle::close) by the
/// application ends the connection for good, and while the browser is offline no attempt is
/// made (see [`pause_while_offline`](crate::ReconnectOptions::pause_while_offline)).
///
/// ```
/// use std::time::Duration;
/// use browser_ws::{Decision, Disconnect, ReconnectContext, ReconnectOptions};
///
/// // Retry a lost connection at once the first time, then with backoff; stop after ten.
/// let options = ReconnectOptions::new().policy(|context| match context.failures {
///     1 => Decision::RetryAfter(Duration::ZERO),
///     n if n > 10 => Decision::Stop,
///     _ => ReconnectOptions::default_policy(context),
/// });
/// # let _ = options;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Decision {
    /// Close for good: the connection ends in [`ConnectionState::Closed`] with the last
    /// ending's event.
    ///
    /// [`ConnectionState::Closed`]: crate::ConnectionState::Closed
    Stop,
    /// Retry after the backoff's next delay, or stop once
    /// [`max_retries`](crate::Backoff::max_retries) retries were made.
    Retry,
    /// Retry after at least the backoff's maximum delay (its next delay if longer): what the
    /// default policy does for 1013 (try again later). Also stops at `max_retries`.
    RetryLater,
    /// Retry after exactly this delay (`Duration::ZERO`: now). The policy decides alone:
    /// `max_retries` does not apply (the policy sees [`ReconnectContext::failures`]).
    RetryAfter(Duration),
}

impl From<bool> for Decision {
    /// `true`: [`Decision::Retry`]; `false`: [`Decision::Stop`] (the
    /// [`should_reconnect`](crate::ReconnectOptions::should_reconnect) shorthand).
    fn from(retry: bool) -> Decision {
        if retry {
            Decision::Retry
        } else {
            Decision::Stop
        }
    }
}

/// The default policy (see [`ReconnectOptions::default_policy`](crate::ReconnectOptions::default_policy)).
pub(super) fn default_policy(context: &ReconnectContext) -> Decision {
    match &context.cause {
        Disconnect::Closed(close) => match close.code {
            CloseCode::PROTOCOL_ERROR
            | CloseCode::UNSUPPORTED_DATA
            | CloseCode::INVALID_PAYLOAD
            | CloseCode::POLICY_VIOLATION
            | CloseCode::MESSAGE_TOO_BIG
            | CloseCode::MANDATORY_EXTENSION
            | CloseCode::INTERNAL_ERROR => Decision::Stop,
            CloseCode::TRY_AGAIN_LATER => Decision::RetryLater,
            _ => Decision::Retry,
        },
        Disconnect::MessageTooBig(_) => Decision::Stop,
        Disconnect::ConnectTimeout | Disconnect::HeartbeatTimeout | Disconnect::Provider(_) => {
            Decision::Retry
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{default_policy, Decision};
    use crate::{CloseCode, CloseEvent, Disconnect, ReconnectContext};

    fn closed(code: u16) -> ReconnectContext {
        let event = CloseEvent {
            code: CloseCode(code),
            reason: String::new(),
            was_clean: true,
        };
        ReconnectContext::new(Disconnect::Closed(event), 1, None)
    }

    #[test]
    fn the_default_stops_on_the_codes_that_blame_the_client_and_waits_long_on_1013() {
        for code in [1002, 1003, 1007, 1008, 1009, 1010, 1011] {
            assert_eq!(default_policy(&closed(code)), Decision::Stop, "{code}");
        }
        assert_eq!(default_policy(&closed(1013)), Decision::RetryLater);
        for code in [1000, 1001, 1005, 1006, 1012, 1014, 1015, 3000, 4000, 4999] {
            assert_eq!(default_policy(&closed(code)), Decision::Retry, "{code}");
        }
        for cause in [
            Disconnect::ConnectTimeout,
            Disconnect::HeartbeatTimeout,
            Disconnect::Provider("token server down".into()),
        ] {
            let context = ReconnectContext::new(cause, 3, None);
            assert_eq!(default_policy(&context), Decision::Retry);
        }
        let event = CloseEvent {
            code: CloseCode(1009),
            reason: String::new(),
            was_clean: true,
        };
        let too_big = ReconnectContext::new(Disconnect::MessageTooBig(event), 1, None);
        assert_eq!(default_policy(&too_big), Decision::Stop);
        assert_eq!(Decision::from(true), Decision::Retry);
        assert_eq!(Decision::from(false), Decision::Stop);
    }
}
