use super::filter::AuditQuery;
use crate::extract::Auth;
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use tongpin_core::audit::{self, action_label, Event, Outcome, Record};
use tongpin_core::auth::cap;
use tongpin_core::clock::format_beijing;

pub struct Row {
    pub r: Record,
    pub time: String,
    pub action: &'static str,
    pub result: &'static str,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    shell: Shell,
    q: AuditQuery,
    rows: Vec<Row>,
    pager: Pager,
    actions: Vec<(&'static str, &'static str)>,
    export_href: String,
    error: Option<String>,
    verified: Option<(bool, String)>,
}

async fn build(a: &Auth, q: AuditQuery, verified: Option<(bool, String)>) -> Result<Html<String>, PageError> {
    let by = a.capability::<cap::Audit>().await?;
    let db = &a.state.db;
    let (filter, error) = match q.filter() {
        Ok(f) => (f, None),
        Err(e) => (audit::Filter::default(), Some(e.to_string())),
    };
    let total = audit::count(db, &by, &filter).await?;
    let pager = Pager::new(q.page, q.per_page, total, q.query_string());
    let rows = audit::list(db, &by, &filter, pager.offset(), pager.per_page)
        .await?
        .into_iter()
        .map(|r| Row {
            time: format_beijing(r.at),
            action: action_label(&r.action),
            result: Outcome::label(&r.result),
            r,
        })
        .collect();
    let page = AuditPage {
        shell: Shell::new(a, "/admin/audit", &["系统管理", "审计日志"]),
        export_href: format!("/admin/audit/export?{}", q.query_string()),
        q,
        rows,
        pager,
        actions: audit::ACTIONS.to_vec(),
        error,
        verified,
    };
    Ok(Html(render(&page)))
}

pub async fn list(a: Auth, Query(q): Query<AuditQuery>) -> Result<Html<String>, PageError> {
    build(&a, q, None).await
}

/// Walks the whole chain and shows where it breaks, if it does.
pub async fn verify(a: Auth) -> Result<Html<String>, PageError> {
    a.capability::<cap::Audit>().await?;
    let outcome = audit::verify(&a.state.db).await?;
    let (ok, text, ev) = match outcome {
        Ok(v) => (
            true,
            match v.anchors {
                Some(a) => format!(
                    "审计链完整：共校验 {} 条记录，与 {a} 个锚点相符，未发现篡改。",
                    v.records
                ),
                None => format!(
                    "审计链完整：共校验 {} 条记录，未发现篡改（未找到锚点文件，无法发现末尾被截去）。",
                    v.records
                ),
            },
            Event::new("audit.verify", "审计链", Outcome::Ok),
        ),
        Err(b) => (
            false,
            format!("审计链被破坏：第 {} 条记录，{}。", b.seq, b.reason),
            Event::new("audit.verify", "审计链", Outcome::Failed).detail(format!("第 {} 条：{}", b.seq, b.reason)),
        ),
    };
    audit::record(&a.state.db, a.now(), &a.actor(), ev).await?;
    build(&a, AuditQuery::default(), Some((ok, text))).await
}
