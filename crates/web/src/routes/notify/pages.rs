use super::form::ChannelForm;
use crate::extract::{urlencode, Auth, Form};
use crate::org_choice;
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::{cap, Power};
use tongpin_core::clock::format_beijing;
use tongpin_core::notify::{self, ChannelView, Client, Kind, OutboxItem};
use tongpin_core::Error;

struct Sent {
    item: OutboxItem,
    status: &'static str,
    created: String,
    next: String,
}

#[derive(Template)]
#[template(path = "admin/notify.html")]
struct ListPage {
    shell: Shell,
    channels: Vec<ChannelView>,
    sent: Vec<Sent>,
    total: i64,
    kinds: Vec<(&'static str, &'static str)>,
    /// The name path of the channel's organization (empty: the whole system).
    org_path: String,
    f: ChannelForm,
    ok: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/notify_edit.html")]
struct EditPage {
    shell: Shell,
    id: String,
    kind_label: &'static str,
    secret: &'static str,
    /// The name path of the channel's organization (empty: the whole system).
    org_path: String,
    f: ChannelForm,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    ok: Option<String>,
}

/// The name path of the organization a channel belongs to (empty: the whole system).
async fn org_path(a: &Auth, f: &ChannelForm) -> Result<String, Error> {
    let scope = a.require(Power::ViewOrgs).await?;
    org_choice::shown(&a.state.db, &scope, &f.org_id).await
}

/// A channel's organization must be one the caller sees (or none: the whole system).
async fn check_org(a: &Auth, f: &ChannelForm) -> Result<(), Error> {
    let scope = a.require(Power::ViewOrgs).await?;
    org_choice::submitted(&a.state.db, &scope, &f.org_id, "所属组织").await?;
    Ok(())
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    Kind::ALL.iter().map(|k| (k.code(), k.label())).collect()
}

async fn render_list(
    a: &Auth,
    ok: Option<String>,
    error: Option<String>,
    f: ChannelForm,
) -> Result<Html<String>, Error> {
    let db = &a.state.db;
    let channels = notify::list_channels(db).await?;
    let (items, total) = notify::list_outbox(db, None, 50, 0).await?;
    let sent = items
        .into_iter()
        .map(|item| Sent {
            status: item.status().label(),
            created: format_beijing(item.created_at),
            next: if item.status == "pending" {
                format_beijing(item.next_attempt_at)
            } else {
                "—".into()
            },
            item,
        })
        .collect();
    Ok(Html(render(&ListPage {
        shell: Shell::new(a, "/admin/notify", &["系统管理", "通知渠道"]),
        channels,
        sent,
        total,
        kinds: kinds(),
        org_path: org_path(a, &f).await?,
        f,
        ok: ok.map(|m| m.chars().take(200).collect()),
        error,
    })))
}

pub async fn list(a: Auth, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    a.capability::<cap::Channels>().await?;
    Ok(render_list(&a, q.ok, None, ChannelForm::default()).await?)
}

fn done(msg: &str) -> Response {
    Redirect::to(&format!("/admin/notify?ok={}", urlencode(msg))).into_response()
}

async fn failed(a: &Auth, e: Error, f: ChannelForm) -> Response {
    match e {
        Error::Invalid { .. } | Error::Conflict(_) | Error::NotFound(_) => {
            match render_list(a, None, Some(e.to_string()), f).await {
                Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
                Err(e) => PageError(e).into_response(),
            }
        }
        e => PageError(e).into_response(),
    }
}

pub async fn create(a: Auth, Form(f): Form<ChannelForm>) -> Response {
    let by = match a.capability::<cap::Channels>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    if let Err(e) = check_org(&a, &f).await {
        return failed(&a, e, f).await;
    }
    match notify::create_channel(&a.state.db, a.now(), &a.actor(), &by, &f.input()).await {
        Ok(_) => done("通知渠道已新增，可点击“发送测试消息”检查配置"),
        Err(e) => failed(&a, e, f).await,
    }
}

async fn render_edit(a: &Auth, id: &str, f: Option<ChannelForm>, error: Option<String>) -> Result<Html<String>, Error> {
    let v = notify::channel(&a.state.db, id).await?;
    let f = f.unwrap_or_else(|| ChannelForm::from_view(&v));
    Ok(Html(render(&EditPage {
        shell: Shell::new(a, "/admin/notify", &["系统管理", "通知渠道", "编辑"]),
        id: v.id.clone(),
        kind_label: v.kind_label,
        secret: v.secret,
        org_path: org_path(a, &f).await?,
        f,
        error,
    })))
}

pub async fn edit(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    a.capability::<cap::Channels>().await?;
    Ok(render_edit(&a, &id, None, None).await?)
}

pub async fn update(a: Auth, Path(id): Path<String>, Form(f): Form<ChannelForm>) -> Response {
    let by = match a.capability::<cap::Channels>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    let checked = match check_org(&a, &f).await {
        Ok(()) => notify::update_channel(&a.state.db, a.now(), &a.actor(), &by, &id, &f.input()).await,
        Err(e) => Err(e),
    };
    match checked {
        Ok(()) => done("通知渠道已保存"),
        Err(e @ Error::Invalid { .. }) => match render_edit(&a, &id, Some(f), Some(e.to_string())).await {
            Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

async fn toggle(a: Auth, id: String, enabled: bool) -> Response {
    let by = match a.capability::<cap::Channels>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    match notify::set_enabled(&a.state.db, a.now(), &a.actor(), &by, &id, enabled).await {
        Ok(()) => done(if enabled {
            "通知渠道已启用"
        } else {
            "通知渠道已停用，不再发送消息"
        }),
        Err(e) => failed(&a, e, ChannelForm::default()).await,
    }
}

pub async fn enable(a: Auth, Path(id): Path<String>) -> Response {
    toggle(a, id, true).await
}

pub async fn disable(a: Auth, Path(id): Path<String>) -> Response {
    toggle(a, id, false).await
}

pub async fn delete(a: Auth, Path(id): Path<String>) -> Response {
    let by = match a.capability::<cap::Channels>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    match notify::delete_channel(&a.state.db, a.now(), &a.actor(), &by, &id).await {
        Ok(()) => done("通知渠道已删除"),
        Err(e) => failed(&a, e, ChannelForm::default()).await,
    }
}

/// 发送测试消息: queues a test message and sends it now.
pub async fn test(a: Auth, Path(id): Path<String>) -> Response {
    let by = match a.capability::<cap::Channels>().await {
        Ok(by) => by,
        Err(e) => return PageError(e).into_response(),
    };
    let client = match Client::new(&a.state.config.trust) {
        Ok(c) => c,
        Err(e) => return PageError(e).into_response(),
    };
    match notify::send_test(&a.state.db, &by, &client, a.now(), &id).await {
        Ok(item) if item.status == "sent" => done("测试消息已发送成功"),
        Ok(item) => done(&format!(
            "测试消息发送失败：{}（将按重试规则再次发送）",
            item.last_error.unwrap_or_default()
        )),
        Err(e) => failed(&a, e, ChannelForm::default()).await,
    }
}
