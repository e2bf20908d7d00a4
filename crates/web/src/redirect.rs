//! Redirects (303 See Other) whose Location is always a valid header value.
//! axum's `Redirect` answers 500 when the location holds a newline or other
//! control character, which a redirect after a committed write would then
//! report as a failure; here every byte outside visible ASCII (controls,
//! space, DEL, and each byte of a non-ASCII character) is percent-encoded.
//! `%` itself is kept, so an already encoded location is unchanged.
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct Redirect(String);

impl Redirect {
    pub fn to(uri: &str) -> Redirect {
        Redirect(location(uri))
    }
}

/// `uri` with every byte a header value or a URI cannot hold percent-encoded.
pub fn location(uri: &str) -> String {
    let mut out = String::with_capacity(uri.len());
    for b in uri.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl IntoResponse for Redirect {
    fn into_response(self) -> Response {
        let to = HeaderValue::from_str(&self.0).unwrap_or(HeaderValue::from_static("/"));
        (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newline_or_chinese_in_a_location_is_encoded() {
        assert_eq!(location("/plan/tasks/a\nb?done=x"), "/plan/tasks/a%0Ab?done=x");
        assert_eq!(
            location("/orgs?ok=已保存 1"),
            "/orgs?ok=%E5%B7%B2%E4%BF%9D%E5%AD%98%201"
        );
        assert_eq!(location("/orgs?ok=%E5%B7%B2&x=1"), "/orgs?ok=%E5%B7%B2&x=1");
        let res = Redirect::to("/a\r\nSet-Cookie: x=1").into_response();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()[header::LOCATION], "/a%0D%0ASet-Cookie:%20x=1");
        assert!(res.headers().get(header::SET_COOKIE).is_none());
    }
}
