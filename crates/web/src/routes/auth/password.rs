use crate::extract::{Auth, Form};
use crate::shell::{render, Shell};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::{self, Policy};
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    shell: Shell,
    must_change: Option<&'static str>,
    error: Option<String>,
    done: bool,
    rule: String,
}

async fn rule_text(a: &Auth) -> String {
    let p = Policy::load(&a.state.db).await.unwrap_or_default();
    format!(
        "至少 {} 位，包含大写字母、小写字母、数字、符号中的至少 {} 类，不能包含用户名，不能与最近 {} 次的密码相同。",
        p.password_min_length, p.password_min_classes, p.password_history
    )
}

pub async fn page(a: Auth) -> Html<String> {
    let page = PasswordPage {
        shell: Shell::new(&a, "/password", &["修改密码"]),
        must_change: a.who.must_change,
        error: None,
        done: false,
        rule: rule_text(&a).await,
    };
    Html(render(&page))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    old_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn submit(a: Auth, Form(f): Form<PasswordForm>) -> Response {
    let result = if f.new_password != f.confirm_password {
        Err(Error::invalid("确认新密码", "两次输入的新密码不一致"))
    } else {
        auth::change_password(&a.state.db, a.now(), &a.who, &a.addr, &f.old_password, &f.new_password).await
    };
    let (status, error, done) = match result {
        Ok(()) => (StatusCode::OK, None, true),
        Err(Error::Db(_) | Error::Internal { .. }) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Some("系统繁忙，请稍后重试".into()),
            false,
        ),
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, Some(e.to_string()), false),
    };
    let page = PasswordPage {
        shell: Shell::new(&a, "/password", &["修改密码"]),
        must_change: if done { None } else { a.who.must_change },
        error,
        done,
        rule: rule_text(&a).await,
    };
    (status, Html(render(&page))).into_response()
}
