//! 软弱涣散预警: the superior's view of the flagged grassroots organizations
//! of its subtree, each flag linked to the records behind it; the direct
//! superior's rectification round (整顿) for a flagged organization, with
//! the problems it lists, as after a failed acceptance; the JSON list.
use super::decide::found;
use super::{direct_superior, this_year, today};
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::{ApiError, PageError};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use tongpin_core::auth::Power;
use tongpin_core::org::{self, Org};
use tongpin_core::standard::warnings::{self, WeakOrg};
use tongpin_core::standard::{catalog, Item, Record, Standard};
use tongpin_core::Error;

#[derive(serde::Deserialize, Default)]
pub struct Params {
    pub org: Option<String>,
    pub done: Option<String>,
}

/// Where a flag's record is kept: the organization's page, its roster,
/// the compliance of the period, the problem.
pub fn record_href(flag: &str, r: &Record) -> Option<String> {
    match r.kind {
        "org" if flag == "few_members" => Some(format!("/people?org={}", r.id)),
        "org" => Some(format!("/orgs/{}", r.id)),
        "problem" => Some(format!("/standards/problems/{}", r.id)),
        "person" => Some(format!("/people/{}", r.id)),
        "study_plan" => Some(format!("/study/plans/{}", r.id)),
        "standard" => Some(format!("/standards/{}", r.id)),
        "life_window" => {
            let mut parts = r.id.splitn(3, ':');
            let (org, _, period) = (parts.next()?, parts.next()?, parts.next()?);
            Some(format!("/life/compliance?org={org}&period={period}"))
        }
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "standard/warnings.html")]
struct Page {
    shell: Shell,
    root: Org,
    root_path: String,
    weak: Vec<WeakOrg>,
    /// The flagged organizations the caller may give a rectification round.
    superior_of: Vec<String>,
    done: bool,
}

impl Page {
    fn href(&self, flag: &str, r: &Record) -> String {
        record_href(flag, r).unwrap_or_default()
    }
    fn may_rectify(&self, org_id: &str) -> bool {
        self.superior_of.iter().any(|o| o == org_id)
    }
    fn flags_total(&self) -> usize {
        self.weak.iter().map(|w| w.flags.len()).sum()
    }
}

pub async fn page(a: Auth, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let (root, root_path) = crate::org_choice::chosen(db, &scope, q.org.as_deref()).await?;
    let weak = warnings::weak_orgs(db, &scope, &root.id, a.now()).await?;
    let manage = a.who.scope(Power::ManageStandard);
    let mut superior_of = Vec::new();
    if let Some(m) = &manage {
        for w in &weak {
            let o = org::get(db, &scope, &w.org_id).await?;
            if direct_superior(m, &o.path) {
                superior_of.push(o.id);
            }
        }
    }
    Ok(Html(render(&Page {
        shell: Shell::new(&a, "/standards/warnings", &["标准化建设", "软弱涣散预警"]),
        root_path,
        done: q.done.as_deref() == Some("rectified"),
        root,
        weak,
        superior_of,
    })))
}

#[derive(Template)]
#[template(path = "standard/rectify.html")]
struct RectifyPage {
    shell: Shell,
    org: Org,
    flags: Vec<warnings::Flag>,
    standards: Vec<Standard>,
    items: Vec<Item>,
    rows: Vec<usize>,
    today: String,
    f: Fields,
    error: Option<String>,
}

impl RectifyPage {
    fn href(&self, flag: &str, r: &Record) -> String {
        record_href(flag, r).unwrap_or_default()
    }
    fn val(&self, k: &str) -> String {
        self.f.get(k).to_string()
    }
    fn picked(&self, k: &str, v: &str) -> bool {
        self.f.get(k) == v
    }
    /// The value of problem row `n`'s field `k` as posted.
    fn row(&self, n: &usize, k: &str) -> String {
        self.f.get(&format!("p{n}_{k}")).to_string()
    }
}

/// The organization to rectify: in the scope, and the caller the staff of its direct superior.
async fn subject(a: &Auth, id: &str) -> Result<Org, Error> {
    let scope = a.require(Power::ManageStandard).await?;
    let o = org::get(&a.state.db, &scope, id).await?;
    tongpin_core::standard::check_direct_superior(&a.state.db, &scope, &o, "整顿").await?;
    Ok(o)
}

async fn rectify_form(a: &Auth, id: &str, f: Fields, error: Option<String>) -> Result<Html<String>, Error> {
    let o = subject(a, id).await?;
    let scope = a.require(Power::ManageStandard).await?;
    let db = &a.state.db;
    let flags = warnings::flags_of(db, &scope, &o.id, a.now()).await?;
    let standards = catalog::applicable(db, &scope, &o.id, this_year(a)).await?;
    let chosen = standards
        .iter()
        .find(|s| s.id == f.get("standard_id"))
        .or(standards.first());
    let items = match chosen {
        Some(s) => catalog::items_of(db, &s.id).await?,
        None => Vec::new(),
    };
    Ok(Html(render(&RectifyPage {
        shell: Shell::new(a, "/standards/warnings", &["标准化建设", "软弱涣散预警", "整顿"]),
        org: o,
        flags,
        standards,
        items,
        rows: (1..=3).collect(),
        today: today(a),
        f,
        error,
    })))
}

pub async fn rectify_page(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    Ok(rectify_form(&a, &id, Fields(Vec::new()), None).await?)
}

pub async fn rectify(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let o = subject(&a, &id).await?;
        let scope = a.require(Power::ManageStandard).await?;
        if f.get("standard_id").trim().is_empty() {
            return Err(Error::invalid("建设标准", "请选择整顿所依据的建设标准"));
        }
        let (db, now, actor) = (&a.state.db, a.now(), a.actor());
        let problems = found(&f);
        warnings::rectify(
            db,
            now,
            &actor,
            &scope,
            &o.id,
            f.get("standard_id"),
            f.get("reason"),
            problems,
        )
        .await?;
        Ok::<_, Error>(o)
    }
    .await;
    match res {
        Ok(o) => {
            let parent = o.parent_id.clone().unwrap_or_default();
            Redirect::to(&format!("/standards/warnings?org={parent}&done=rectified")).into_response()
        }
        Err(e) => {
            let msg = e.to_string();
            refused(e, rectify_form(&a, &id, f, Some(msg))).await
        }
    }
}

/// GET /api/v1/orgs/{id}/weak-orgs → the flagged organizations of the subtree.
pub async fn api(a: Auth, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let scope = a.require(Power::ViewStandard).await?;
    let weak = warnings::weak_orgs(&a.state.db, &scope, &id, a.now()).await?;
    let items: Vec<Value> = weak
        .iter()
        .map(|w| {
            let flags: Vec<Value> = w
                .flags
                .iter()
                .map(|f| {
                    let records: Vec<Value> = f
                        .records
                        .iter()
                        .map(
                            |r| json!({ "kind": r.kind, "id": r.id, "label": r.label, "href": record_href(f.code, r) }),
                        )
                        .collect();
                    json!({ "code": f.code, "label": f.label, "detail": f.detail, "records": records })
                })
                .collect();
            json!({ "org_id": w.org_id, "org_name": w.org_name, "kind": w.kind, "flags": flags })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}
