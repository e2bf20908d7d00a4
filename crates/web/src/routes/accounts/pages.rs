use crate::extract::{urlencode, Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::{self, cap, Account, NewAccount, Role};
use tongpin_core::clock::format_beijing;
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "admin/accounts.html")]
struct AccountsPage {
    shell: Shell,
    q: String,
    rows: Vec<Row>,
    pager: Pager,
    ok: Option<String>,
    error: Option<String>,
}

struct Row {
    a: Account,
    roles: String,
    /// Holds another admin kind: the system admin has no control over it.
    other_kind: bool,
    changed: String,
    created: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
    ok: Option<String>,
}

async fn render_list(a: &Auth, q: ListQuery, error: Option<String>) -> Result<Html<String>, PageError> {
    a.capability::<cap::Accounts>().await?;
    let db = &a.state.db;
    let text = q.q.clone().unwrap_or_default();
    let (_, total) = auth::list_accounts(db, Some(&text), 0, 1).await?;
    let query = if text.is_empty() {
        String::new()
    } else {
        format!("q={}&", urlencode(&text))
    };
    let pager = Pager::new(q.page, q.per_page, total, query);
    let (accounts, _) = auth::list_accounts(db, Some(&text), pager.offset(), pager.per_page).await?;
    let grants = auth::list_grants(db, None).await?;
    let rows = accounts
        .into_iter()
        .map(|acc| {
            let other_kind = grants.iter().any(|g| {
                g.account_id == acc.id
                    && Role::from_code(&g.role).is_some_and(|r| r.is_separated_admin() && r != Role::SystemAdmin)
            });
            let roles: Vec<String> = grants
                .iter()
                .filter(|g| g.account_id == acc.id)
                .map(|g| match &g.org_name {
                    Some(o) => format!("{}（{o}）", g.role_label()),
                    None => g.role_label().to_string(),
                })
                .collect();
            Row {
                other_kind,
                roles: if roles.is_empty() {
                    "—".into()
                } else {
                    roles.join("；")
                },
                changed: format_beijing(acc.password_changed_at),
                created: format_beijing(acc.created_at),
                a: acc,
            }
        })
        .collect();
    let page = AccountsPage {
        shell: Shell::new(a, "/admin/accounts", &["系统管理", "账号管理"]),
        q: text,
        rows,
        pager,
        ok: q.ok.map(|m| m.chars().take(60).collect()),
        error,
    };
    Ok(Html(render(&page)))
}

pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    render_list(&a, q, None).await
}

/// After a failed action: the list again, with the reason on top.
async fn failed(a: &Auth, e: Error) -> Response {
    let status = match e {
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    match e {
        Error::Invalid { .. } | Error::Conflict(_) | Error::NotFound(_) | Error::Forbidden(_) => {
            let msg = e.to_string();
            match render_list(a, ListQuery::default(), Some(msg)).await {
                Ok(html) => (status, html).into_response(),
                Err(e) => e.into_response(),
            }
        }
        e => PageError(e).into_response(),
    }
}

fn done(msg: &str) -> Response {
    Redirect::to(&format!("/admin/accounts?ok={}", urlencode(msg))).into_response()
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

pub async fn create(a: Auth, Form(f): Form<CreateForm>) -> Response {
    let by = match a.capability::<cap::Accounts>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    let new = NewAccount {
        username: f.username,
        display_name: f.display_name,
        password: f.password,
        must_change: true,
    };
    match auth::create_account(&a.state.db, a.now(), &a.actor(), &by, new).await {
        Ok(_) => done("账号已新增，首次登录须修改初始密码"),
        Err(e) => failed(&a, e).await,
    }
}

async fn toggle(a: Auth, id: String, disabled: bool) -> Response {
    let by = match a.capability::<cap::Accounts>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    match auth::set_disabled(&a.state.db, a.now(), &a.actor(), &by, &id, disabled).await {
        Ok(()) => done(if disabled {
            "账号已停用，其登录已全部退出"
        } else {
            "账号已启用"
        }),
        Err(e) => failed(&a, e).await,
    }
}

pub async fn disable(a: Auth, Path(id): Path<String>) -> Response {
    toggle(a, id, true).await
}

pub async fn enable(a: Auth, Path(id): Path<String>) -> Response {
    toggle(a, id, false).await
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

pub async fn reset(a: Auth, Path(id): Path<String>, Form(f): Form<ResetForm>) -> Response {
    let by = match a.capability::<cap::Accounts>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    match auth::reset_password(&a.state.db, a.now(), &a.actor(), &by, &id, &f.password).await {
        Ok(()) => done("密码已重置，该账号下次登录须修改密码"),
        Err(e) => failed(&a, e).await,
    }
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    citizen_id: String,
}

/// The answer to 关联人员, the same whether or not the ID is on the roster
/// (the system admin cannot read the roster, nor probe it through here).
const LINK_DONE: &str = "已提交关联：如名册中有该身份证号的在册人员且未关联其他账号，即已关联此账号";

/// Links the account to its holder on the roster, by citizen ID.
pub async fn link(a: Auth, Path(id): Path<String>, Form(f): Form<LinkForm>) -> Response {
    let by = match a.capability::<cap::Accounts>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    match auth::link_by_citizen_id(&a.state.db, a.now(), &a.actor(), &by, &id, &f.citizen_id).await {
        Ok(()) => done(LINK_DONE),
        Err(e) => failed(&a, e).await,
    }
}
