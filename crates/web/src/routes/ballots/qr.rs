//! A ballot's QR code as an inline SVG, made on the server (no network).
use axum::http::{header, HeaderMap};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The SVG element of a QR code for `text`; empty if it cannot be encoded.
pub fn svg(text: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // Inline in the page: without the XML declaration.
    match image.find("<svg") {
        Some(i) => image[i..].to_string(),
        None => String::new(),
    }
}

/// The site's address as the request reached it: "https://host".
pub fn site(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    let scheme = if secure { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// The public link of a ballot.
pub fn link(site: &str, token: &str) -> String {
    format!("{site}/ballot/{token}")
}
