//! The `reconnect`, `queue` and `heartbeat` options of `new Socket(url, ...)` as
//! [`ReconnectOptions`], each field read through `Reflect.get` (a throwing getter or Proxy is
//! caught) and refused with a `TypeError` or `RangeError` naming it.

use std::time::Duration;

use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};

use super::errors::{range_error, type_error};
use super::events::{close_result, report_error};
use crate::{
    Backoff, BinaryType, Decision, Disconnect, Heartbeat, Message, QueueLimits, ReconnectContext,
    ReconnectOptions,
};

/// The longest delay a browser timer honours (2^31 - 1 ms); longer ones are refused here.
const MAX_TIMER_MS: f64 = crate::reconnect::MAX_TIMER_MS as f64;

fn field(object: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(name))
}

/// A plain options object: an object that is not a function.
fn is_object(value: &JsValue) -> bool {
    value.is_object() && !value.is_function()
}

fn number(value: &JsValue, name: &str) -> Result<f64, JsValue> {
    value
        .as_f64()
        .ok_or_else(|| type_error(&format!("{name} must be a number")))
}

/// A duration in milliseconds, finite and at most 2^31 - 1; `positive` also refuses 0.
fn millis(value: &JsValue, name: &str, positive: bool) -> Result<Option<Duration>, JsValue> {
    if value.is_undefined() {
        return Ok(None);
    }
    let ms = number(value, name)?;
    let low_ok = if positive { ms > 0.0 } else { ms >= 0.0 };
    if !(low_ok && ms <= MAX_TIMER_MS) {
        let low = if positive {
            "more than 0"
        } else {
            "at least 0"
        };
        return Err(range_error(&format!(
            "{name} must be {low} and at most 2147483647 (milliseconds), not {}",
            super::values::js_number(ms)
        )));
    }
    Ok(Some(Duration::from_secs_f64(ms / 1000.0)))
}

/// A whole number of at least 0, or `Infinity` (`None`).
fn count(value: &JsValue, name: &str) -> Result<Option<f64>, JsValue> {
    let n = number(value, name)?;
    if n == f64::INFINITY {
        return Ok(None);
    }
    if !(n.is_finite() && n >= 0.0 && n.fract() == 0.0) {
        return Err(range_error(&format!(
            "{name} must be a whole number of at least 0, or Infinity, not {}",
            super::values::js_number(n)
        )));
    }
    Ok(Some(n))
}

fn boolean(value: &JsValue, name: &str) -> Result<Option<bool>, JsValue> {
    if value.is_undefined() {
        return Ok(None);
    }
    value
        .as_bool()
        .map(Some)
        .ok_or_else(|| type_error(&format!("{name} must be a boolean")))
}

fn function(value: &JsValue, name: &str) -> Result<Option<Function>, JsValue> {
    if value.is_undefined() {
        return Ok(None);
    }
    value
        .dyn_ref::<Function>()
        .cloned()
        .map(Some)
        .ok_or_else(|| type_error(&format!("{name} must be a function")))
}

/// An application predicate's truthiness, or `false` if it throws (reported like a listener's).
fn ask(predicate: &Function, argument: &JsValue) -> bool {
    match predicate.call1(&JsValue::UNDEFINED, argument) {
        Ok(answer) => answer.is_truthy(),
        Err(thrown) => {
            report_error(&thrown);
            false
        }
    }
}

/// `policy`'s answer: `"stop"`, `"retry"`, or a delay in ms; a throw or anything else is
/// reported and stops.
fn decide(policy: &Function, context: &JsValue) -> Decision {
    let answer = match policy.call1(&JsValue::UNDEFINED, context) {
        Ok(answer) => answer,
        Err(thrown) => {
            report_error(&thrown);
            return Decision::Stop;
        }
    };
    match (answer.as_string().as_deref(), answer.as_f64()) {
        (Some("stop"), _) => Decision::Stop,
        (Some("retry"), _) => Decision::Retry,
        (_, Some(ms)) if (0.0..=MAX_TIMER_MS).contains(&ms) => {
            Decision::RetryAfter(Duration::from_secs_f64(ms / 1000.0))
        }
        _ => {
            report_error(&type_error(
                "reconnect.policy must return \"stop\", \"retry\" or a delay in milliseconds \
                 (0 to 2147483647); it stops the connection",
            ));
            Decision::Stop
        }
    }
}

/// The policy's `{ cause, close, failures, uptime }` (`close` undefined for a timeout or a
/// provider failure, `uptime` in ms, 0 if never open), and `error` for a provider failure.
fn js_context(context: &ReconnectContext) -> JsValue {
    let cause = match context.cause {
        Disconnect::Closed(_) => "close",
        Disconnect::ConnectTimeout => "connectTimeout",
        Disconnect::HeartbeatTimeout => "heartbeatTimeout",
        Disconnect::MessageTooBig(_) => "messageTooBig",
        Disconnect::Provider(_) => "provider",
    };
    let close = context
        .close_event()
        .map_or(JsValue::UNDEFINED, close_result);
    let uptime = context
        .uptime
        .map_or(0.0, |uptime| uptime.as_secs_f64() * 1000.0);
    let object = js_sys::Object::new();
    for (key, value) in [
        ("cause", JsValue::from_str(cause)),
        ("close", close),
        ("failures", JsValue::from(context.failures)),
        ("uptime", JsValue::from(uptime)),
    ] {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &value);
    }
    if let Disconnect::Provider(error) = &context.cause {
        let _ = js_sys::Reflect::set(&object, &"error".into(), &JsValue::from_str(error));
    }
    object.into()
}

/// A message as `isReply` sees it: a string or an `ArrayBuffer`, never a `Blob` (it is sync).
fn reply_data(message: &Message) -> JsValue {
    match message {
        Message::Text(text) => JsValue::from_str(text),
        Message::Binary(bytes) => js_sys::Uint8Array::from(bytes.as_slice()).buffer().into(),
    }
}

/// `None` when `reconnect` is absent or `false`, and then `queue` and `heartbeat` must be too.
pub(crate) fn reconnect_options(
    options: &JsValue,
    protocols: &[String],
) -> Result<Option<ReconnectOptions>, JsValue> {
    if !is_object(options) {
        return Ok(None);
    }
    let reconnect = field(options, "reconnect")?;
    let queue = field(options, "queue")?;
    let heartbeat = field(options, "heartbeat")?;
    if reconnect.is_undefined() || reconnect.as_bool() == Some(false) {
        for (name, value) in [("queue", &queue), ("heartbeat", &heartbeat)] {
            if !value.is_undefined() {
                return Err(type_error(&format!(
                    "the {name} option needs reconnect (add reconnect: true)"
                )));
            }
        }
        return Ok(None);
    }
    let mut result = ReconnectOptions::new()
        .protocols(protocols.iter().cloned())
        // Messages reach JS as copies either way; ArrayBuffer mode needs no async Blob read.
        .binary_type(BinaryType::ArrayBuffer);
    if reconnect.as_bool() != Some(true) {
        if !is_object(&reconnect) {
            return Err(type_error("reconnect must be true, false or an object"));
        }
        result = backoff_and_policy(&reconnect, result)?;
    }
    if !queue.is_undefined() {
        if !is_object(&queue) {
            return Err(type_error("queue must be an object"));
        }
        let defaults = QueueLimits::default();
        let limit = |name: &str, default: usize| -> Result<usize, JsValue> {
            let value = field(&queue, name)?;
            if value.is_undefined() {
                return Ok(default);
            }
            // Whole and at least 0: the conversion saturates at usize::MAX, which is no bound.
            Ok(count(&value, &format!("queue.{name}"))?.map_or(usize::MAX, |n| n as usize))
        };
        let max_messages = limit("maxMessages", defaults.max_messages())?;
        let max_bytes = limit("maxBytes", defaults.max_bytes())?;
        result = result.queue_limits(QueueLimits::new(max_messages, max_bytes));
    }
    if !heartbeat.is_undefined() {
        result = result.heartbeat(Some(heartbeat_options(&heartbeat)?));
    }
    Ok(Some(result))
}

fn backoff_and_policy(
    reconnect: &JsValue,
    options: ReconnectOptions,
) -> Result<ReconnectOptions, JsValue> {
    let get = |name: &str| field(reconnect, name);
    let mut backoff = Backoff::new();
    if let Some(delay) = millis(&get("initialDelay")?, "reconnect.initialDelay", false)? {
        backoff = backoff.initial_delay(delay);
    }
    let factor = get("factor")?;
    if !factor.is_undefined() {
        let factor = number(&factor, "reconnect.factor")?;
        if !(factor.is_finite() && factor >= 1.0) {
            return Err(range_error(&format!(
                "reconnect.factor must be a finite number of at least 1, not {}",
                super::values::js_number(factor)
            )));
        }
        backoff = backoff.factor(factor);
    }
    if let Some(delay) = millis(&get("maxDelay")?, "reconnect.maxDelay", false)? {
        backoff = backoff.max_delay(delay);
    }
    let max_retries = get("maxRetries")?;
    if !max_retries.is_undefined() {
        let retries = count(&max_retries, "reconnect.maxRetries")?;
        // Whole and at least 0; beyond u32::MAX the limit is never reached.
        backoff = backoff.max_retries(retries.and_then(|n| u32::try_from(n as u64).ok()));
    }
    let mut options = options.backoff(backoff);
    if let Some(uptime) = millis(&get("minUptime")?, "reconnect.minUptime", false)? {
        options = options.min_uptime(uptime);
    }
    let timeout = get("connectTimeout")?;
    if timeout.is_null() {
        options = options.connect_timeout(None);
    } else if let Some(timeout) = millis(&timeout, "reconnect.connectTimeout", true)? {
        options = options.connect_timeout(Some(timeout));
    }
    let policy = function(&get("policy")?, "reconnect.policy")?;
    let predicate = function(&get("shouldReconnect")?, "reconnect.shouldReconnect")?;
    match (policy, predicate) {
        (Some(_), Some(_)) => return Err(type_error(
            "give reconnect.policy or reconnect.shouldReconnect (its yes/no shorthand), not both",
        )),
        (Some(policy), None) => {
            options = options.policy(move |context| decide(&policy, &js_context(context)));
        }
        (None, Some(predicate)) => {
            options =
                options.should_reconnect(move |context| ask(&predicate, &js_context(context)));
        }
        (None, None) => {}
    }
    if let Some(pause) = boolean(&get("pauseWhileOffline")?, "reconnect.pauseWhileOffline")? {
        options = options.pause_while_offline(pause);
    }
    if let Some(check) = boolean(&get("checkOnResume")?, "reconnect.checkOnResume")? {
        options = options.check_on_resume(check);
    }
    Ok(options)
}

fn heartbeat_options(heartbeat: &JsValue) -> Result<Heartbeat, JsValue> {
    if !is_object(heartbeat) {
        return Err(type_error("heartbeat must be an object"));
    }
    let get = |name: &str| field(heartbeat, name);
    let message = get("message")?;
    let message = match super::values::checked_string(&message)? {
        Some(text) => Message::Text(text),
        None => Message::Binary(super::values::binary_bytes(&message)?.ok_or_else(|| {
            type_error("heartbeat.message must be a string, ArrayBuffer or ArrayBufferView")
        })?),
    };
    let interval = get("interval")?;
    if interval.is_undefined() {
        return Err(type_error("heartbeat.interval must be a number"));
    }
    let interval = millis(&interval, "heartbeat.interval", true)?.unwrap_or_default();
    let mut result = Heartbeat::new(message, interval);
    if let Some(timeout) = millis(&get("timeout")?, "heartbeat.timeout", true)? {
        result = result.timeout(timeout);
    }
    if let Some(predicate) = function(&get("isReply")?, "heartbeat.isReply")? {
        result = result.reply(move |message| ask(&predicate, &reply_data(message)));
    }
    if let Some(require) = boolean(&get("requireReply")?, "heartbeat.requireReply")? {
        result = result.require_reply(require);
    }
    Ok(result)
}
