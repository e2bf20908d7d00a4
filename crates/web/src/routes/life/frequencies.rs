//! 组织生活频次: the rule table's frequencies per organization type, which
//! the top organization may change (each change audited).
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::response::Html;
use tongpin_core::auth::Power;
use tongpin_core::life::{frequencies, Kind};
use tongpin_core::org::OrgKind;

struct Row {
    org_kind: OrgKind,
    kind: Kind,
    label: &'static str,
    period: String,
    times: i64,
}

#[derive(Template)]
#[template(path = "life/frequencies.html")]
struct Page {
    shell: Shell,
    rows: Vec<Row>,
    /// Only the top organization changes them.
    can_set: bool,
}

pub async fn page(a: Auth) -> Result<Html<String>, PageError> {
    a.require(Power::ViewLife).await?;
    let t = frequencies::table(&a.state.db).await?;
    let can_set = match a.who.scope(Power::ManageLife) {
        Some(s) => frequencies::may_set(&a.state.db, &s).await?,
        None => false,
    };
    let mut rows = Vec::new();
    for ok in OrgKind::ALL {
        // What an organization of the kind records; all of it may be required.
        for k in Kind::offered_to(ok.code()) {
            let f = t.get(&(ok.code().to_string(), k));
            rows.push(Row {
                org_kind: ok,
                kind: k,
                label: k.label_for(ok.code()),
                period: f.map(|f| f.period.code().to_string()).unwrap_or_else(|| "month".into()),
                times: f.map(|f| f.times).unwrap_or(0),
            });
        }
    }
    Ok(Html(render(&Page {
        shell: Shell::new(&a, "/life/frequencies", &["组织生活", "频次设置"]),
        rows,
        can_set,
    })))
}

pub async fn save(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Result<Redirect, PageError> {
    let scope = a.require(Power::ManageLife).await?;
    let f = Fields(f);
    let times = f.get("times").trim().parse().unwrap_or(-1);
    frequencies::set(
        &a.state.db,
        a.now(),
        &a.actor(),
        &scope,
        f.get("org_kind"),
        f.get("kind"),
        f.get("period"),
        times,
    )
    .await?;
    Ok(Redirect::to("/life/frequencies"))
}
