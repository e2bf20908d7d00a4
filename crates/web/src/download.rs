//! Files the server hands out: Excel and CSV downloads, and evidence files
//! (佐证材料) streamed from the database piece by piece.
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tongpin_core::db::Db;
use tongpin_core::files::{self, Attachment};

/// Served with every evidence file: no script, no plugins, no same-origin
/// access even if a browser were to render it.
pub const ATTACHMENT_CSP: &str = "sandbox; default-src 'none'";

/// A download named in UTF-8 (RFC 6266), with an ASCII fallback; the type
/// follows the extension (.xlsx or .csv). Whatever the name holds, the header
/// is valid (`disposition`), so a download never fails after its export was
/// recorded.
pub fn attachment(bytes: Vec<u8>, name: &str) -> Response {
    let mime = if name.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    let disposition = HeaderValue::from_str(&disposition(name)).unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// An evidence file as a download: streamed in stored pieces (memory stays
/// bounded), always `attachment`, typed from the allow-list (never HTML; text
/// as text/plain or text/csv), with nosniff and a sandboxing CSP.
pub fn stream_attachment(db: &Db, att: &Attachment) -> Response {
    let mime = served_mime(att);
    let (db, hash) = (db.clone(), att.hash.clone());
    let pieces = futures_util::stream::unfold(Some(0i64), move |seq| {
        let (db, hash) = (db.clone(), hash.clone());
        async move {
            let seq = seq?;
            match files::chunk(&db, &hash, seq).await {
                Ok(Some(piece)) => Some((Ok(Bytes::from(piece)), Some(seq + 1))),
                Ok(None) => None,
                Err(e) => {
                    tracing::error!("evidence file {hash} piece {seq}: {e}");
                    Some((Err(std::io::Error::other(e.to_string())), None))
                }
            }
        }
    });
    let mut res = Response::new(Body::from_stream(pieces));
    *res.status_mut() = StatusCode::OK;
    let h = res.headers_mut();
    let mime = HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, mime);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(att.size.max(0) as u64));
    if let Ok(v) = HeaderValue::from_str(&disposition(&att.name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    } else {
        h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(ATTACHMENT_CSP),
    );
    res
}

/// The type the allow-list gives the attachment's name (so never a page);
/// text keeps the charset found when it was checked.
fn served_mime(att: &Attachment) -> String {
    match files::served_type(&att.name) {
        Some(t) if t.starts_with("text/") => {
            let charset = att.mime.rsplit_once("charset=").map(|(_, c)| c.trim());
            match charset {
                Some(c @ ("utf-8" | "gb18030")) => format!("{t}; charset={c}"),
                _ => format!("{t}; charset=utf-8"),
            }
        }
        Some(t) => t.to_string(),
        None => "application/octet-stream".to_string(),
    }
}

/// `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 / 5987):
/// visible ASCII only, whatever the name (a newline, quotes, Chinese).
pub fn disposition(name: &str) -> String {
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.() ".contains(c));
    let fallback = match files::extension(name) {
        _ if plain && !name.trim().is_empty() => name.to_string(),
        ext if ext.is_empty() || !ext.chars().all(|c| c.is_ascii_alphanumeric()) => "download".to_string(),
        ext => format!("download.{ext}"),
    };
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
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
    fn dispositions_are_attachments_in_utf8_with_an_ascii_fallback() {
        assert_eq!(
            super::disposition("会议纪要 2026.pdf"),
            "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81%202026.pdf"
        );
        assert_eq!(
            super::disposition("纪要.txt"),
            "attachment; filename=\"download.txt\"; filename*=UTF-8''%E7%BA%AA%E8%A6%81.txt"
        );
        assert!(super::disposition("a\"b;c*.pdf")
            .starts_with("attachment; filename=\"download.pdf\"; filename*=UTF-8''a%22b%3Bc%2A.pdf"));
        assert_eq!(
            super::disposition("report-1.pdf"),
            "attachment; filename=\"report-1.pdf\"; filename*=UTF-8''report-1.pdf"
        );
    }

    #[test]
    fn a_name_with_a_newline_still_makes_a_valid_header() {
        use axum::http::HeaderValue;
        for name in ["会议\n纪要.pdf", "a.p\r\ndf", "名册\n.csv", "\n", "x\u{7f}.xlsx"] {
            let d = super::disposition(name);
            assert!(HeaderValue::from_str(&d).is_ok(), "{d}");
            assert!(d.is_ascii() && !d.contains('\n') && !d.contains('\r'), "{d}");
        }
        assert_eq!(
            super::disposition("a.p\r\ndf"),
            "attachment; filename=\"download\"; filename*=UTF-8''a.p%0D%0Adf"
        );
        let res = super::attachment(b"x".to_vec(), "党员名册\n2026.csv");
        assert_eq!(res.status(), axum::http::StatusCode::OK);
        assert_eq!(
            res.headers()["content-disposition"],
            "attachment; filename=\"download.csv\"; filename*=UTF-8''%E5%85%9A%E5%91%98%E5%90%8D%E5%86%8C%0A2026.csv"
        );
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    }

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
