use crate::error::PageError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use tongpin_core::Error;

/// An urlencoded form body. The CSRF token (`_csrf`) was already checked by
/// the middleware; a field that cannot be parsed, or holds a character no
/// stored text may hold, is named in Chinese.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| PageError(Error::invalid("表单", "提交的内容过大或无法读取")).into_response())?;
        super::text::check_pairs(&bytes).map_err(|e| PageError(e).into_response())?;
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&bytes));
        serde_path_to_error::deserialize(de).map(Form).map_err(|e| {
            let field = e.path().to_string();
            let field = if field == "." { "表单".to_string() } else { field };
            PageError(Error::invalid(&field, "格式不正确，请检查后重新填写")).into_response()
        })
    }
}

/// Posted fields, repeated keys kept (KPI rows, organizations).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, k: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    pub fn all(&self, k: &str) -> Vec<String> {
        self.0.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect()
    }
    pub fn on(&self, k: &str) -> bool {
        matches!(self.get(k), "on" | "1" | "true")
    }
}
