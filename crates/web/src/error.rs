use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use tongpin_core::Error;

fn status(e: &Error) -> StatusCode {
    match e {
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Forbidden(_) | Error::PasswordChangeRequired(_) => StatusCode::FORBIDDEN,
        Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        Error::Locked(_) => StatusCode::LOCKED,
        Error::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
        Error::Db(_) | Error::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn code(e: &Error) -> &'static str {
    match e {
        Error::NotFound(_) => "not_found",
        Error::Forbidden(_) => "forbidden",
        Error::PasswordChangeRequired(_) => "password_change_required",
        Error::Invalid { .. } => "invalid",
        Error::Conflict(_) => "conflict",
        Error::Unauthorized(_) => "unauthorized",
        Error::Locked(_) => "locked",
        Error::Throttled(_) => "too_many_requests",
        Error::Db(_) | Error::Internal { .. } => "internal",
    }
}

/// What a user sees when the server failed inside: never the cause.
pub const INTERNAL_MESSAGE: &str = "系统繁忙，请稍后重试；如持续出现请联系系统管理员";

/// The message a user sees; an internal failure's cause and its chain stay in
/// the server log.
fn message(e: &Error) -> String {
    match e {
        Error::Db(_) | Error::Internal { .. } => {
            tracing::error!("internal error: {}", e.report());
            INTERNAL_MESSAGE.into()
        }
        e => e.to_string(),
    }
}

/// An error answered as JSON: {"code", "field"?, "message"}.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "code": code(&self.0), "message": message(&self.0) });
        if let Error::Invalid { field, .. } = &self.0 {
            body["field"] = serde_json::Value::String(field.clone());
        }
        (status(&self.0), Json(body)).into_response()
    }
}

/// An error answered as a page in the shell's plain error layout.
#[derive(Debug)]
pub struct PageError(pub Error);

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let st = status(&self.0);
        let page = crate::shell::ErrorPage {
            status: st.as_u16(),
            message: message(&self.0),
            change_password: matches!(self.0, Error::PasswordChangeRequired(_)),
        };
        (st, Html(crate::shell::render(&page))).into_response()
    }
}

/// A refused form: an input or conflict error re-renders the form (422) with
/// the message and what was typed; anything else is the error page.
pub async fn refused(e: Error, page: impl std::future::Future<Output = Result<Html<String>, Error>>) -> Response {
    match (&e, page.await) {
        (Error::Invalid { .. } | Error::Conflict(_), Ok(html)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, html).into_response()
        }
        _ => PageError(e).into_response(),
    }
}
