use crate::extract::Auth;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::response::Html;
use chrono::Timelike;
use tongpin_core::auth::{count_accounts, Power};
use tongpin_core::{audit, clock, org};

pub struct Figure {
    pub label: &'static str,
    pub value: i64,
    pub unit: &'static str,
    pub note: String,
    pub href: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    greeting: &'static str,
    today: String,
    figures: Vec<Figure>,
    items: Vec<crate::todos::Item>,
}

/// The work bench: greeting, the key figures of the caller's scope, to-dos.
pub async fn page(a: Auth) -> Result<Html<String>, PageError> {
    let db = &a.state.db;
    let mut figures = Vec::new();
    if let Some(scope) = a.who.scope(Power::ViewOrgs) {
        let (orgs, branches) = org::counts(db, &scope).await?;
        let manages = a.who.can(Power::ManageOrgs);
        figures.push(Figure {
            label: if manages { "管辖组织" } else { "所在组织" },
            value: orgs,
            unit: "个",
            note: "含下级党组织".into(),
            href: "/orgs",
        });
        figures.push(Figure {
            label: "党支部",
            value: branches,
            unit: "个",
            note: if manages { "在管党支部" } else { "所在党支部" }.into(),
            href: "/orgs",
        });
    }
    if a.who.can(Power::ManageAccounts) {
        let total = a.state.figures.get("accounts", a.now(), count_accounts(db)).await?;
        figures.push(Figure {
            label: "系统账号",
            value: total,
            unit: "个",
            note: "全部账号".into(),
            href: "/admin/accounts",
        });
    }
    if let Some(by) = a.who.capability::<tongpin_core::auth::cap::Audit>() {
        let n = audit::count(db, &by, &audit::Filter::default()).await?;
        figures.push(Figure {
            label: "审计记录",
            value: n,
            unit: "条",
            note: "可筛选、导出、校验".into(),
            href: "/admin/audit",
        });
    }
    let now = clock::beijing(a.now());
    let greeting = match now.hour() {
        5..=11 => "上午好",
        12..=13 => "中午好",
        14..=18 => "下午好",
        _ => "您好",
    };
    let todos = crate::todos::items_for_caller(&a).await?;
    let mut shell = Shell::new(&a, "/", &[]);
    shell.todo_count = todos.len();
    let page = HomePage {
        shell,
        items: todos.into_iter().take(10).collect(),
        greeting,
        today: crate::fmt::cn_date(&now.format("%Y-%m-%d").to_string()),
        figures,
    };
    Ok(Html(render(&page)))
}
