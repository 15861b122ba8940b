//! Exponential backoff with full jitter: the pure arithmetic behind reconnecting, kept apart
//! from timers and sockets so it is unit-tested natively.

use std::time::Duration;

/// When to retry after a connection ends: exponential growth from an initial delay, capped at
/// a maximum, with *full jitter* (each delay is uniformly random between zero and the capped
/// exponential), so that many clients dropped together do not reconnect together.
///
/// Retry `n` (counting from 0) waits a random time in `[0, min(max_delay, initial_delay ×
/// factor^n)]`. After `max_retries` consecutive failed attempts (if set) there is no next
/// delay: the connection is closed for good.
///
/// ```
/// use std::time::Duration;
/// use browser_ws::Backoff;
///
/// let backoff = Backoff::new()
///     .initial_delay(Duration::from_millis(100))
///     .factor(2.0)
///     .max_delay(Duration::from_secs(5))
///     .max_retries(Some(10));
/// assert_eq!(backoff.ceiling(0), Duration::from_millis(100));
/// assert_eq!(backoff.ceiling(3), Duration::from_millis(800));
/// assert_eq!(backoff.ceiling(9), Duration::from_secs(5));
/// // `random` is a number in [0, 1], for example from `js_sys::Math::random()`.
/// assert_eq!(backoff.delay(3, 0.5), Some(Duration::from_millis(400)));
/// assert_eq!(backoff.delay(10, 0.5), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    initial_delay: Duration,
    factor: f64,
    max_delay: Duration,
    max_retries: Option<u32>,
}

impl Default for Backoff {
    /// 500 ms initial delay, factor 2, at most 30 s, retrying for ever.
    fn default() -> Self {
        Backoff {
            initial_delay: Duration::from_millis(500),
            factor: 2.0,
            max_delay: Duration::from_secs(30),
            max_retries: None,
        }
    }
}

impl Backoff {
    /// The default policy: 500 ms initial delay, factor 2, at most 30 s, unlimited retries.
    #[must_use]
    pub fn new() -> Self {
        Backoff::default()
    }

    /// The ceiling of the first retry's delay.
    #[must_use]
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// How much the ceiling grows per retry. Values below 1 (or not a number) count as 1: a
    /// constant ceiling.
    #[must_use]
    pub fn factor(mut self, factor: f64) -> Self {
        self.factor = if factor >= 1.0 { factor } else { 1.0 };
        self
    }

    /// The largest ceiling any retry can have.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// How many consecutive failed attempts to retry before giving up (`None`: never give up;
    /// `Some(0)`: never retry). A connection that closes sooner than the
    /// [`min_uptime`](crate::ReconnectOptions::min_uptime) is a failed attempt too; the count
    /// restarts only after one stayed open that long.
    #[must_use]
    pub fn max_retries(mut self, retries: Option<u32>) -> Self {
        self.max_retries = retries;
        self
    }

    /// The configured initial delay.
    #[must_use]
    pub fn get_initial_delay(&self) -> Duration {
        self.initial_delay
    }

    /// The configured growth factor (at least 1).
    #[must_use]
    pub fn get_factor(&self) -> f64 {
        self.factor
    }

    /// The configured maximum delay.
    #[must_use]
    pub fn get_max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The configured retry limit.
    #[must_use]
    pub fn get_max_retries(&self) -> Option<u32> {
        self.max_retries
    }

    /// The upper bound of retry `retry`'s delay: `min(max_delay, initial_delay × factor^retry)`,
    /// saturating instead of overflowing.
    #[must_use]
    pub fn ceiling(&self, retry: u32) -> Duration {
        if self.initial_delay.is_zero() {
            return Duration::ZERO;
        }
        let grown = self.initial_delay.as_secs_f64() * self.factor.powf(f64::from(retry));
        if grown.is_finite() && grown < self.max_delay.as_secs_f64() {
            Duration::try_from_secs_f64(grown).unwrap_or(self.max_delay)
        } else {
            self.max_delay
        }
    }

    /// The delay before retry `retry` (counting from 0), given `random` in `[0, 1]` (values
    /// outside are clamped, not-a-number counts as 0), or `None` once `max_retries` retries
    /// were made.
    #[must_use]
    pub fn delay(&self, retry: u32, random: f64) -> Option<Duration> {
        if self.max_retries.is_some_and(|limit| retry >= limit) {
            return None;
        }
        let random = if random > 0.0 { random.min(1.0) } else { 0.0 };
        let ceiling = self.ceiling(retry);
        // The f64 round trip can land a nanosecond above the ceiling: clamp.
        let jittered = Duration::try_from_secs_f64(ceiling.as_secs_f64() * random);
        Some(jittered.map_or(ceiling, |delay| delay.min(ceiling)))
    }
}

#[cfg(test)]
mod tests {
    use super::Backoff;
    use std::time::Duration;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn ceilings_grow_exponentially_up_to_the_maximum() {
        let backoff = Backoff::new()
            .initial_delay(ms(100))
            .factor(3.0)
            .max_delay(ms(2_000));
        let ceilings: Vec<_> = (0..5).map(|n| backoff.ceiling(n)).collect();
        assert_eq!(ceilings, [ms(100), ms(300), ms(900), ms(2_000), ms(2_000)]);
    }

    #[test]
    fn huge_retry_counts_and_factors_saturate_at_the_maximum() {
        let backoff = Backoff::new().factor(1e300).max_delay(ms(7_000));
        assert_eq!(backoff.ceiling(u32::MAX), ms(7_000));
        assert_eq!(backoff.delay(u32::MAX, 1.0), Some(ms(7_000)));
        let huge_initial = Backoff::new().initial_delay(Duration::MAX).max_delay(ms(9));
        assert_eq!(huge_initial.ceiling(0), ms(9));
    }

    #[test]
    fn full_jitter_scales_the_ceiling_by_the_random_number() {
        let backoff = Backoff::new().initial_delay(ms(1_000)).factor(2.0);
        assert_eq!(backoff.delay(1, 0.0), Some(ms(0)));
        assert_eq!(backoff.delay(1, 0.25), Some(ms(500)));
        assert_eq!(backoff.delay(1, 1.0), Some(ms(2_000)));
    }

    #[test]
    fn out_of_range_random_numbers_are_clamped() {
        let backoff = Backoff::new().initial_delay(ms(1_000));
        assert_eq!(backoff.delay(0, -3.0), Some(ms(0)));
        assert_eq!(backoff.delay(0, f64::NAN), Some(ms(0)));
        assert_eq!(backoff.delay(0, 7.0), Some(ms(1_000)));
        assert_eq!(backoff.delay(0, f64::INFINITY), Some(ms(1_000)));
    }

    #[test]
    fn the_retry_limit_ends_the_delays() {
        let backoff = Backoff::new().max_retries(Some(2));
        assert!(backoff.delay(0, 0.5).is_some());
        assert!(backoff.delay(1, 0.5).is_some());
        assert_eq!(backoff.delay(2, 0.5), None);
        assert_eq!(Backoff::new().max_retries(Some(0)).delay(0, 0.5), None);
        assert!(Backoff::new().delay(u32::MAX, 0.5).is_some());
    }

    #[test]
    fn factors_below_one_or_nan_mean_a_constant_ceiling() {
        for factor in [0.5, 0.0, -2.0, f64::NAN, f64::NEG_INFINITY] {
            let backoff = Backoff::new().initial_delay(ms(250)).factor(factor);
            assert_eq!(backoff.get_factor(), 1.0, "factor {factor}");
            assert_eq!(backoff.ceiling(10), ms(250));
        }
    }

    #[test]
    fn a_zero_initial_delay_retries_at_once() {
        let backoff = Backoff::new().initial_delay(Duration::ZERO).factor(1e300);
        assert_eq!(backoff.ceiling(u32::MAX), Duration::ZERO);
        assert_eq!(backoff.delay(5, 1.0), Some(Duration::ZERO));
    }

    #[test]
    fn a_maximum_below_the_initial_delay_wins() {
        let backoff = Backoff::new().initial_delay(ms(5_000)).max_delay(ms(1_000));
        assert_eq!(backoff.ceiling(0), ms(1_000));
        assert_eq!(backoff.ceiling(4), ms(1_000));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests {
    use super::Backoff;
    use proptest::prelude::*;
    use std::time::Duration;

    fn any_duration() -> impl Strategy<Value = Duration> {
        prop_oneof![
            Just(Duration::ZERO),
            Just(Duration::MAX),
            (0u64..100_000_000).prop_map(Duration::from_micros),
            any::<u64>().prop_map(Duration::from_nanos),
        ]
    }

    fn any_f64() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            0.0..1.0f64,
            1.0..10.0f64,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any inputs: no panic, delays within ceilings that grow up to the maximum, `None`
        /// exactly past the retry limit.
        #[test]
        fn delays_are_bounded_monotone_and_limited(
            initial in any_duration(),
            factor in any_f64(),
            max in any_duration(),
            limit in proptest::option::of(0u32..50),
            retry in prop_oneof![0u32..64, any::<u32>()],
            random in any_f64(),
        ) {
            let backoff = Backoff::new()
                .initial_delay(initial)
                .factor(factor)
                .max_delay(max)
                .max_retries(limit);
            let ceiling = backoff.ceiling(retry);
            prop_assert!(ceiling <= max);
            prop_assert!(ceiling <= backoff.ceiling(retry.saturating_add(1)));
            match backoff.delay(retry, random) {
                Some(delay) => {
                    prop_assert!(limit.is_none_or(|limit| retry < limit));
                    prop_assert!(delay <= ceiling, "{delay:?} > {ceiling:?}");
                }
                None => prop_assert!(limit.is_some_and(|limit| retry >= limit)),
            }
        }
    }
}
