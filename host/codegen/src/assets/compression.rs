//! gzip copies of embedded files, made when the image is generated: which files get one, the
//! deterministic compression, and the copy as a Rust byte-string literal.

use std::io::Write;

use flate2::{Compression, GzBuilder};

/// Files smaller than this are sent as they are: the headers would eat most of the saving.
pub const SMALLEST: u64 = 1024;
/// Files larger than this get no copy: the copy is written into the generated source as a
/// byte-string literal (about three source bytes per compressed byte), and rustc's time and
/// memory for literals grow with them.
pub const LARGEST: u64 = 8 * 1024 * 1024;
/// A copy is kept only when it saves at least this share of the file, in percent.
pub const SAVING_PERCENT: u64 = 10;

/// Whether a `Content-Type` names a format gzip shrinks: text, JSON, JavaScript, XML, SVG,
/// WebAssembly and similar; images, audio, video, fonts in WOFF and archives are compressed
/// already.
pub fn is_compressible(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
        || matches!(
            essence.as_str(),
            "application/json"
                | "application/javascript"
                | "application/xml"
                | "application/wasm"
                | "application/x-javascript"
                | "application/manifest+json"
                | "image/svg+xml"
                | "image/x-icon"
                | "image/vnd.microsoft.icon"
                | "font/ttf"
                | "font/otf"
        )
}

/// The gzip copy of `bytes` when it is worth keeping: the type is compressible, the file is
/// from [`SMALLEST`] to [`LARGEST`] bytes, and the copy saves [`SAVING_PERCENT`] at least.
/// Deterministic: best compression, no file name, modification time 0, the same bytes for the
/// same input (RFC 1952's header with `MTIME` 0 and `OS` 255, "unknown").
pub fn gzip_copy(content_type: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let length = bytes.len() as u64;
    if !is_compressible(content_type) || !(SMALLEST..=LARGEST).contains(&length) {
        return None;
    }
    let mut encoder = GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), Compression::best());
    encoder.write_all(bytes).ok()?;
    let compressed = encoder.finish().ok()?;
    let saved = length.saturating_sub(compressed.len() as u64);
    (saved * 100 >= length * SAVING_PERCENT).then_some(compressed)
}

/// `bytes` as a Rust byte-string literal: printable ASCII as itself (`"` and `\` escaped),
/// everything else as `\xNN`.
pub fn byte_string_literal(bytes: &[u8]) -> String {
    let mut literal = String::with_capacity(bytes.len() * 3 + 3);
    literal.push_str("b\"");
    for byte in bytes {
        match byte {
            b'"' => literal.push_str("\\\""),
            b'\\' => literal.push_str("\\\\"),
            b' '..=b'~' => literal.push(char::from(*byte)),
            _ => literal.push_str(&format!("\\x{byte:02x}")),
        }
    }
    literal.push('"');
    literal
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn text(length: usize) -> Vec<u8> {
        b"<p>SauceOS serves this page.</p>\n"
            .iter()
            .copied()
            .cycle()
            .take(length)
            .collect()
    }

    #[test]
    fn compressible_text_gets_a_deterministic_copy_that_inflates_back() {
        let page = text(4096);
        let copy = gzip_copy("text/html; charset=utf-8", &page).unwrap();
        assert_eq!(copy, gzip_copy("text/html; charset=utf-8", &page).unwrap());
        assert!(copy.len() < page.len() / 4);
        assert_eq!(&copy[..2], b"\x1f\x8b");
        assert_eq!(&copy[4..8], &[0, 0, 0, 0], "MTIME is 0");
        assert_eq!(copy[9], 255, "OS is unknown");
        let mut inflated = Vec::new();
        flate2::read::GzDecoder::new(&copy[..])
            .read_to_end(&mut inflated)
            .unwrap();
        assert_eq!(inflated, page);
    }

    #[test]
    fn small_incompressible_or_random_files_get_none() {
        assert!(gzip_copy("text/css", &text(1023)).is_none());
        assert!(gzip_copy("image/png", &text(4096)).is_none());
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        assert!(
            gzip_copy("text/plain", &noise).is_none(),
            "saves under 10 %"
        );
    }

    #[test]
    fn types() {
        for compressible in [
            "text/plain",
            "application/json",
            "application/ld+json",
            "image/svg+xml",
            "application/javascript; charset=utf-8",
            "Text/CSS",
        ] {
            assert!(is_compressible(compressible), "{compressible}");
        }
        for compressed in [
            "image/png",
            "font/woff2",
            "application/zip",
            "video/mp4",
            "",
        ] {
            assert!(!is_compressible(compressed), "{compressed}");
        }
    }

    #[test]
    fn literals_escape_what_rust_needs() {
        assert_eq!(
            byte_string_literal(b"a\"\\\x00\xff~"),
            r#"b"a\"\\\x00\xff~""#
        );
    }
}
