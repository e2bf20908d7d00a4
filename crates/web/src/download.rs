//! Files the server hands out: Excel and CSV downloads.
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A download named in UTF-8 (RFC 6266), with an ASCII fallback; the type
/// follows the extension (.xlsx or .csv).
pub fn attachment(bytes: Vec<u8>, name: &str) -> Response {
    let (ext, mime) = if name.ends_with(".csv") {
        ("csv", "text/csv; charset=utf-8")
    } else {
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    };
    let encoded = crate::extract::urlencode(name).replace('+', "%20");
    let disposition = format!("attachment; filename=\"download.{ext}\"; filename*=UTF-8''{encoded}");
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// Standard base64, for the rejected rows' download link.
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for (i, shift) in [18, 12, 6, 0].iter().enumerate() {
            if i <= c.len() {
                out.push(T[(n >> shift & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64(i.as_bytes()), o);
        }
    }
}
