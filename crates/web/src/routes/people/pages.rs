use crate::extract::{urlencode, Auth};
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Html;
use serde::Deserialize;
use tongpin_core::auth::Power;
use tongpin_core::org;
use tongpin_core::people::{self, Filter, Person, Status};

/// The roster's query: the same for the list, the export and the API.
#[derive(Deserialize, Default, Clone)]
pub struct PeopleQuery {
    pub q: Option<String>,
    pub org: Option<String>,
    pub status: Option<String>,
    pub post: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl PeopleQuery {
    pub fn filter(&self) -> Filter {
        let s = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.chars().take(50).collect())
        };
        Filter {
            q: s(&self.q),
            org_id: s(&self.org),
            status: self.status.as_deref().and_then(Status::parse),
            post: s(&self.post),
        }
    }

    /// `k=v&` pairs of the filters, for pager and export links.
    pub fn query_string(&self) -> String {
        [
            ("q", &self.q),
            ("org", &self.org),
            ("status", &self.status),
            ("post", &self.post),
        ]
        .into_iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}&", urlencode(v)))
        })
        .collect()
    }
}

pub struct Row {
    pub p: Person,
    pub org: String,
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    shell: Shell,
    q: PeopleQuery,
    rows: Vec<Row>,
    pager: Pager,
    /// The organization filter: (id, name path).
    org: Option<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    can_reveal: bool,
    export_query: String,
    error: Option<String>,
}

pub async fn list(a: Auth, Query(q): Query<PeopleQuery>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewPeople).await?;
    let db = &a.state.db;
    let mut f = q.filter();
    let mut error = None;
    // The chosen organization, checked in scope and shown by its name path.
    let mut chosen = None;
    if let Some(id) = f.org_id.clone() {
        match org::get(db, &scope, &id).await {
            Ok(o) => {
                let path = org::name_paths_of(db, std::slice::from_ref(&o))
                    .await?
                    .pop()
                    .unwrap_or_default();
                chosen = Some((o.id, path));
            }
            Err(_) => {
                error = Some("所选组织不在您的管理范围内".to_string());
                f.org_id = None;
            }
        }
    }
    let cap = people::COUNT_CAP;
    let counted = people::count_capped(db, &scope, &f, cap).await?;
    let pager = Pager::capped(q.page, q.per_page, counted, cap, q.query_string());
    let found = people::page(db, &scope, &f, counted, pager.offset(), pager.per_page).await?;
    let ids: Vec<String> = found.iter().map(|p| p.org_id.clone()).collect();
    let short = org::names_of(db, &ids).await?;
    let rows = found
        .into_iter()
        .map(|p| Row {
            org: short.get(&p.org_id).cloned().unwrap_or_default(),
            p,
        })
        .collect();
    let page = ListPage {
        shell: Shell::new(&a, "/people", &["党员管理", "党员名册"]),
        export_query: q.query_string(),
        q,
        rows,
        pager,
        org: chosen,
        statuses: Status::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        can_manage: a.who.can(Power::ManagePeople),
        can_reveal: a.who.can(Power::RevealPersonal),
        error,
    };
    Ok(Html(render(&page)))
}

#[derive(Template)]
#[template(path = "people/detail.html")]
struct DetailPage {
    shell: Shell,
    p: Person,
    org: String,
    revealed: bool,
    can_manage: bool,
    can_reveal: bool,
}

async fn detail_page(a: &Auth, p: Person, revealed: bool) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewPeople).await?;
    let org = crate::org_choice::shown(&a.state.db, &scope, &p.org_id).await?;
    let page = DetailPage {
        shell: Shell::new(a, "/people", &["党员管理", "党员名册", p.name.as_str()]),
        can_manage: a
            .who
            .scope(Power::ManagePeople)
            .is_some_and(|s| s.contains_path(&p.org_path)),
        can_reveal: a
            .who
            .scope(Power::RevealPersonal)
            .is_some_and(|s| s.contains_path(&p.org_path)),
        org,
        p,
        revealed,
    };
    Ok(Html(render(&page)))
}

pub async fn detail(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewPeople).await?;
    let p = people::get(&a.state.db, &scope, &id).await?;
    detail_page(&a, p, false).await
}

/// 查看完整信息: the full citizen ID and phone, for a role allowed to see them.
pub async fn reveal(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::RevealPersonal).await?;
    let p = people::reveal(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    detail_page(&a, p, true).await
}
