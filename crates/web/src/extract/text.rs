//! The edge refuses characters no stored text may hold
//! (`tongpin_core::text::unstorable`: U+0000 and the other C0 controls but
//! tab/LF/CR, DEL and C1, noncharacters such as U+FFFE/U+FFFF) in every form
//! field, JSON string, query value and path segment, with a 422 naming the
//! field. Refused rather than stripped: the characters are invisible, so a
//! silently changed value (a username, a password) would not be what the
//! caller believes they sent.
use crate::{ApiError, PageError};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tongpin_core::text::refuse_unstorable;
use tongpin_core::Error;

/// The field named for a path segment.
const PATH_FIELD: &str = "地址";
/// The field named for a form or query key.
const KEY_FIELD: &str = "表单";

/// Every decoded key and value of an urlencoded body or query string.
pub fn check_pairs(bytes: &[u8]) -> Result<(), Error> {
    for (k, v) in form_urlencoded::parse(bytes) {
        refuse_unstorable(KEY_FIELD, &k)?;
        refuse_unstorable(&k, &v)?;
    }
    Ok(())
}

/// Every key and string of a JSON document, named by its path (`items[2].name`).
pub fn check_json(v: &Value) -> Result<(), Error> {
    fn walk(v: &Value, path: &mut String) -> Result<(), Error> {
        let field = |p: &str| {
            if p.is_empty() {
                "请求体".to_string()
            } else {
                p.to_string()
            }
        };
        match v {
            Value::String(s) => refuse_unstorable(&field(path), s),
            Value::Array(items) => items.iter().enumerate().try_for_each(|(i, item)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let r = walk(item, path);
                path.truncate(len);
                r
            }),
            Value::Object(map) => map.iter().try_for_each(|(k, item)| {
                refuse_unstorable(&field(path), k)?;
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                let r = walk(item, path);
                path.truncate(len);
                r
            }),
            _ => Ok(()),
        }
    }
    walk(v, &mut String::new())
}

/// The decoded path segments and query of a request.
fn check_uri(uri: &axum::http::Uri) -> Result<(), Error> {
    for seg in uri.path().split('/') {
        let decoded = percent_encoding::percent_decode_str(seg).decode_utf8_lossy();
        refuse_unstorable(PATH_FIELD, &decoded)?;
    }
    check_pairs(uri.query().unwrap_or("").as_bytes())
}

/// Middleware: path segments and query values are checked before any route
/// (and its `Path`/`Query` extractors) sees them.
pub async fn refuse_unstorable_uri(req: Request, next: Next) -> Response {
    match check_uri(req.uri()) {
        Ok(()) => next.run(req).await,
        Err(e) if req.uri().path().starts_with("/api/") => ApiError(e).into_response(),
        Err(e) => PageError(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<(), Error>) -> String {
        match r {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_strings_and_keys_are_named_by_path() {
        let v: Value = serde_json::from_str(r#"{"a": {"items": [{"name": "x"}, {"name": "y\uffff"}]}}"#).unwrap();
        assert_eq!(field(check_json(&v)), "a.items[1].name");
        let v: Value = serde_json::from_str(r#"{"a\u0000": 1}"#).unwrap();
        assert_eq!(field(check_json(&v)), "请求体");
        let v: Value = serde_json::from_str(r#"["ok", "a\u0007"]"#).unwrap();
        assert_eq!(field(check_json(&v)), "[1]");
        let v: Value = serde_json::from_str(r#"{"note": "第一行\n第二行\t"}"#).unwrap();
        assert!(check_json(&v).is_ok());
    }

    #[test]
    fn form_values_are_named_by_key() {
        assert_eq!(field(check_pairs(b"username=a%00b&password=x")), "username");
        assert_eq!(field(check_pairs(b"x%EF%BF%BE=1")), "表单");
        assert!(check_pairs(b"note=a%0D%0Ab%09c&name=%E5%BC%A0").is_ok());
    }

    #[test]
    fn path_segments_and_query_values_are_checked() {
        let uri = |s: &str| s.parse::<axum::http::Uri>().unwrap();
        assert_eq!(field(check_uri(&uri("/people/a%00b"))), "地址");
        assert_eq!(field(check_uri(&uri("/people?q=%EF%BF%BF"))), "q");
        assert!(check_uri(&uri("/people/%E5%BC%A0?q=%E5%BC%A0+%E4%B8%89")).is_ok());
    }
}
