//! JSON as Meta sends webhook bodies: every non-ASCII character escaped as `\uXXXX` (UTF-16,
//! surrogate pairs for astral characters). The signature is computed over exactly these bytes.

use std::io;

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};

struct AsciiFormatter;

impl Formatter for AsciiFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, ch) in fragment.char_indices() {
            if ch.is_ascii() {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = i + ch.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        serde_json::ser::CompactFormatter.write_char_escape(writer, escape)
    }
}

pub fn to_vec<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, AsciiFormatter);
    value.serialize(&mut ser).expect("JSON values serialize");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_non_ascii_and_round_trips() {
        let v = serde_json::json!({"text": "Xin chào 👋 \"quoted\"\n"});
        let bytes = super::to_vec(&v);
        let s = String::from_utf8(bytes.clone()).unwrap();
        assert!(s.is_ascii(), "{s}");
        assert!(
            s.contains("ch\\u00e0o")
                && s.contains("\\ud83d\\udc4b")
                && s.contains("\\\"quoted\\\"\\n"),
            "{s}"
        );
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(),
            v
        );
    }
}
