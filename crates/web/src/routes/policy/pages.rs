use crate::extract::{Auth, Form};
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::{self, cap, Policy};
use tongpin_core::clock::format_beijing;
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "admin/policy.html")]
struct PolicyPage {
    shell: Shell,
    p: Policy,
    ok: Option<&'static str>,
    error: Option<String>,
    locks: Vec<(String, String)>,
}

/// Accounts locked now: (username, lock end in Beijing time).
async fn locks(a: &Auth) -> Result<Vec<(String, String)>, Error> {
    Ok(auth::list_locks(&a.state.db, a.now())
        .await?
        .into_iter()
        .map(|(u, until)| (u, format_beijing(until)))
        .collect())
}

async fn render_page(
    a: &Auth,
    p: Policy,
    ok: Option<&'static str>,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let shell = Shell::new(a, "/admin/policy", &["系统管理", "安全策略"]);
    Ok(Html(render(&PolicyPage {
        shell,
        p,
        ok,
        error,
        locks: locks(a).await?,
    })))
}

pub async fn edit(a: Auth) -> Result<Html<String>, PageError> {
    a.capability::<cap::Policy>().await?;
    let p = Policy::load(&a.state.db).await?;
    Ok(render_page(&a, p, None, None).await?)
}

/// Every field arrives as text so a bad number is named, not a generic 400.
#[derive(Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    password_min_length: String,
    #[serde(default)]
    password_min_classes: String,
    #[serde(default)]
    password_max_age_days: String,
    #[serde(default)]
    password_history: String,
    #[serde(default)]
    session_idle_minutes: String,
    #[serde(default)]
    session_absolute_hours: String,
    #[serde(default)]
    lockout_threshold: String,
    #[serde(default)]
    lockout_minutes: String,
    #[serde(default)]
    audit_hash: String,
    #[serde(default)]
    upload_quota_mib: String,
    #[serde(default)]
    throttle_failures: String,
    #[serde(default)]
    throttle_minutes: String,
}

fn num(field: &str, v: &str) -> Result<i64, Error> {
    v.trim().parse().map_err(|_| Error::invalid(field, "请填写整数"))
}

impl PolicyForm {
    fn parse(&self) -> Result<Policy, Error> {
        Ok(Policy {
            password_min_length: num("密码最小长度", &self.password_min_length)?,
            password_min_classes: num("密码字符类别数", &self.password_min_classes)?,
            password_max_age_days: num("密码有效期（天）", &self.password_max_age_days)?,
            password_history: num("不得重复使用的历史密码数", &self.password_history)?,
            session_idle_minutes: num("空闲超时（分钟）", &self.session_idle_minutes)?,
            session_absolute_hours: num("会话最长时间（小时）", &self.session_absolute_hours)?,
            lockout_threshold: num("连续失败锁定次数", &self.lockout_threshold)?,
            lockout_minutes: num("锁定时长（分钟）", &self.lockout_minutes)?,
            audit_hash: self.audit_hash.trim().to_string(),
            upload_quota_mib: num("每个账号的上传配额（MiB）", &self.upload_quota_mib)?,
            throttle_failures: num("同一地址登录失败上限（次）", &self.throttle_failures)?,
            throttle_minutes: num("同一地址失败计数时段（分钟）", &self.throttle_minutes)?,
        })
    }
}

pub async fn update(a: Auth, Form(f): Form<PolicyForm>) -> Response {
    let by = match a.capability::<cap::Policy>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    let result = match f.parse() {
        Ok(p) => p.save(&a.state.db, a.now(), &a.actor(), &by).await.map(|_| p),
        Err(e) => Err(e),
    };
    let page = match result {
        Ok(p) => render_page(&a, p, Some("安全策略已保存，并已记入审计日志。"), None)
            .await
            .map(IntoResponse::into_response),
        Err(e @ Error::Invalid { .. }) => {
            let p = Policy::load(&a.state.db).await.unwrap_or_default();
            let html = render_page(&a, p, None, Some(e.to_string())).await;
            html.map(|h| (StatusCode::UNPROCESSABLE_ENTITY, h).into_response())
        }
        Err(e) => Err(e),
    };
    page.unwrap_or_else(|e| PageError(e).into_response())
}

#[derive(Deserialize)]
pub struct UnlockForm {
    #[serde(default)]
    username: String,
}

/// 解除锁定: the security admin lifts a login lock early.
pub async fn unlock(a: Auth, Form(f): Form<UnlockForm>) -> Response {
    let by = match a.capability::<cap::Policy>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    let page = match auth::unlock(&a.state.db, a.now(), &a.actor(), &by, &f.username).await {
        Ok(()) => {
            let p = Policy::load(&a.state.db).await.unwrap_or_default();
            render_page(&a, p, Some("已解除锁定。"), None)
                .await
                .map(IntoResponse::into_response)
        }
        Err(e @ Error::NotFound(_)) => {
            let p = Policy::load(&a.state.db).await.unwrap_or_default();
            render_page(&a, p, None, Some(e.to_string()))
                .await
                .map(|h| (StatusCode::NOT_FOUND, h).into_response())
        }
        Err(e) => Err(e),
    };
    page.unwrap_or_else(|e| PageError(e).into_response())
}
