//! One mutation of an input. Mostly structural, on the JSON (what a confused or hostile sender
//! would change: a value's type, an absurd number, a huge or odd string, a key gone or
//! renamed, an element repeated, deep nesting), sometimes on the bytes (truncated, a bit
//! flipped, a slice repeated), which mostly tests that unreadable bodies are refused cleanly.

use serde_json::{Map, Value, json};

use fastrand::Rng;

/// Strings that have broken parsers and databases elsewhere.
const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "a\u{0}b",
    "\n\r\t",
    "%0A",
    "'; DROP TABLE messages; --",
    "<script>alert(1)</script>",
    "{{first_name}}",
    "مرحبا \u{202e}evil",
    "Đặt lịch cắt tóc",
    "👍🏽‍♀️",
    "\u{fffd}\u{feff}",
    "-1",
    "1e309",
    "9999999999999999999999",
    "2026-02-30T25:61:00Z",
    "null",
    "https://",
    "m.me/",
];

const ODD_NUMBERS: &[i128] = &[
    0,
    -1,
    1,
    i64::MAX as i128,
    i64::MIN as i128,
    u64::MAX as i128,
    253_402_300_800_000, // year 10000 in ms
    -62_135_596_800_000, // year 1 in ms
    1_700_000_000,       // seconds where ms are expected
];

/// Returns `input` changed once.
pub fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    if rng.u8(..100) < 75
        && let Ok(mut value) = serde_json::from_slice::<Value>(input)
    {
        mutate_json(rng, &mut value);
        return serde_json::to_vec(&value).expect("a Value serializes");
    }
    mutate_bytes(rng, input)
}

fn mutate_json(rng: &mut Rng, root: &mut Value) {
    let donor = {
        let n = count(root);
        node(root, rng.usize(..n)).clone()
    };
    let n = count(root);
    let target = node(root, rng.usize(..n));
    *target = match rng.usize(..12) {
        0 => Value::Null,
        1 => json!(rng.bool()),
        2 => number(rng),
        3 => Value::String(rng.choice(ODD_STRINGS).expect("not empty").to_string()),
        4 => Value::String("x".repeat(1 + rng.usize(..70_000))),
        5 => json!([]),
        6 => json!({}),
        7 => donor,
        8 => return remove_child(rng, target),
        9 => return repeat_child(rng, target),
        10 => return rename_key(rng, target),
        _ => nest(rng, target.take()),
    };
}

fn number(rng: &mut Rng) -> Value {
    match rng.usize(..3) {
        0 => {
            let n = *rng.choice(ODD_NUMBERS).expect("not empty");
            i64::try_from(n)
                .map(Value::from)
                .unwrap_or_else(|_| json!(n as u64))
        }
        1 => json!(-0.5),
        _ => json!(1e300),
    }
}

fn remove_child(rng: &mut Rng, v: &mut Value) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            let key = m
                .keys()
                .nth(rng.usize(..m.len()))
                .cloned()
                .expect("in range");
            m.remove(&key);
        }
        Value::Array(a) if !a.is_empty() => {
            a.remove(rng.usize(..a.len()));
        }
        other => *other = Value::Null,
    }
}

fn repeat_child(rng: &mut Rng, v: &mut Value) {
    if let Value::Array(a) = v
        && !a.is_empty()
    {
        let item = a[rng.usize(..a.len())].clone();
        let times = 1 + rng.usize(..300);
        a.extend(std::iter::repeat_n(item, times));
    } else if let Value::Object(m) = v {
        m.insert("unexpected".into(), json!({"nested": [1, "two", null]}));
    }
}

fn rename_key(rng: &mut Rng, v: &mut Value) {
    if let Value::Object(m) = v
        && !m.is_empty()
    {
        let key = m
            .keys()
            .nth(rng.usize(..m.len()))
            .cloned()
            .expect("in range");
        let value = m.remove(&key).expect("present");
        let renamed = match rng.usize(..3) {
            0 => key.to_uppercase(),
            1 => format!("{key}_"),
            _ => rng.choice(ODD_STRINGS).expect("not empty").to_string(),
        };
        m.insert(renamed, value);
    }
}

fn nest(rng: &mut Rng, mut v: Value) -> Value {
    for _ in 0..1 + rng.usize(..40) {
        v = if rng.bool() {
            Value::Array(vec![v])
        } else {
            Value::Object(Map::from_iter([("x".to_owned(), v)]))
        };
    }
    v
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(m) => m.values().map(count).sum(),
        _ => 0,
    }
}

/// The `k`-th node in pre-order (0 is `v` itself).
fn node(v: &mut Value, mut k: usize) -> &mut Value {
    if k == 0 {
        return v;
    }
    k -= 1;
    let children: Vec<&mut Value> = match v {
        Value::Array(a) => a.iter_mut().collect(),
        Value::Object(m) => m.values_mut().collect(),
        _ => unreachable!("k is below the node count"),
    };
    for child in children {
        let size = count(child);
        if k < size {
            return node(child, k);
        }
        k -= size;
    }
    unreachable!("k is below the node count")
}

fn mutate_bytes(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    if b.is_empty() {
        return vec![rng.u8(..)];
    }
    match rng.usize(..5) {
        0 => b.truncate(rng.usize(..b.len())),
        1 => {
            let i = rng.usize(..b.len());
            b[i] ^= 1 << rng.usize(..8);
        }
        2 => {
            let i = rng.usize(..b.len());
            b.insert(i, *rng.choice(b"{}[]\",:\\\0\xff").expect("not empty"));
        }
        3 => {
            let (from, len) = (rng.usize(..b.len()), 1 + rng.usize(..64));
            let slice: Vec<u8> = b[from..(from + len).min(b.len())].to_vec();
            let at = rng.usize(..b.len());
            b.splice(at..at, slice);
        }
        _ => {
            let from = rng.usize(..b.len());
            let to = (from + 1 + rng.usize(..32)).min(b.len());
            b.drain(from..to);
        }
    }
    b
}
