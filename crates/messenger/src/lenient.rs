//! Deserializers that accept what real webhook bodies contain rather than what the docs say:
//! ids as numbers or strings, timestamps and watermarks as numbers or numeric strings.
//! A value of an unusable type becomes `None` instead of failing the whole event.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Any scalar as a string; `null`, arrays and objects as `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(scalar_to_string(&Value::deserialize(d)?))
}

/// A number or a numeric string as `i64`; anything else as `None`.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(value_to_i64(&Value::deserialize(d)?))
}

/// A number or a numeric string (underscores tolerated) as `f64`.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.replace('_', "").trim().parse().ok(),
        _ => None,
    })
}

/// An array of scalars as strings; a lone scalar as a one-element list.
pub fn vec_string<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items.iter().filter_map(scalar_to_string).collect(),
        other => scalar_to_string(&other).into_iter().collect(),
    })
}

pub fn scalar_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Meta sends milliseconds; the App Dashboard's "Test" button and feed changes send seconds.
/// Anything below 10^11 (which in ms would be March 1973) is taken as seconds.
pub fn to_millis(t: i64) -> i64 {
    // `unsigned_abs`: a hostile i64::MIN has no positive counterpart.
    if t.unsigned_abs() < 100_000_000_000 {
        t * 1000
    } else {
        t
    }
}
