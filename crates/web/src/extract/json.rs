use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use tongpin_core::Error;

/// A JSON body whose every failure (wrong content type, too large, malformed,
/// wrong type, unknown or missing field, a character no stored text may hold)
/// answers 4xx in Chinese, naming the field.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            let e = Error::invalid("Content-Type", "请求体须为 JSON，请设置 Content-Type: application/json");
            return Err((axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE, ApiError(e)).into_response());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|_| {
            let e = Error::invalid("请求体", "超过大小上限（默认 10 MiB），请缩小后重试");
            (axum::http::StatusCode::PAYLOAD_TOO_LARGE, ApiError(e)).into_response()
        })?;
        parse(&bytes).map(ApiJson).map_err(|e| ApiError(e).into_response())
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let out: T = serde_path_to_error::deserialize(&mut de).map_err(|e| explain(&e))?;
    de.end().map_err(|e| {
        Error::invalid(
            "请求体",
            format!("JSON 之后还有多余内容（第 {} 行第 {} 列）", e.line(), e.column()),
        )
    })?;
    // Parsed once more, untyped, so a refused character is named by its path.
    let untyped: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| Error::invalid("请求体", "JSON 格式错误，请检查"))?;
    super::text::check_json(&untyped)?;
    Ok(out)
}

fn explain(e: &serde_path_to_error::Error<serde_json::Error>) -> Error {
    let inner = e.inner();
    let path = e.path().to_string();
    let msg = inner.to_string();
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    if inner.is_syntax() || inner.is_eof() {
        return Error::invalid(
            "请求体",
            format!(
                "JSON 格式错误（第 {} 行第 {} 列），请检查括号、引号和逗号",
                inner.line(),
                inner.column()
            ),
        );
    }
    if msg.starts_with("unknown field") {
        let f = quoted(&msg).unwrap_or(path);
        return Error::invalid(&f, "是不允许的字段，请删除");
    }
    if msg.starts_with("missing field") {
        let f = quoted(&msg).unwrap_or(path);
        return Error::invalid(&f, "缺少必填字段，请补充");
    }
    if msg.starts_with("invalid type") || msg.starts_with("invalid value") || msg.starts_with("invalid length") {
        return Error::invalid(&path, "类型或取值不正确，请按接口文档填写");
    }
    if msg.starts_with("unknown variant") {
        return Error::invalid(&path, "取值不在允许的范围内，请按接口文档填写");
    }
    Error::invalid(&path, "内容不正确，请按接口文档填写")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Login {
        username: String,
        password: String,
    }

    fn field(r: Result<Login, Error>) -> String {
        match r.unwrap_err() {
            Error::Invalid { field, .. } => field,
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn every_failure_names_its_field() {
        assert_eq!(field(parse(br#"{"username": 1, "password": "x"}"#)), "username");
        assert_eq!(
            field(parse(br#"{"username": "a", "password": "x", "role": "x"}"#)),
            "role"
        );
        assert_eq!(field(parse(br#"{"username": "a"}"#)), "password");
        assert_eq!(field(parse(br#"{"username": "a", "#)), "请求体");
        assert_eq!(field(parse(br#"{"username": "a", "password": "b"} x"#)), "请求体");
    }
}
