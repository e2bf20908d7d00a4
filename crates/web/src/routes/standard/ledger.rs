//! 提升定级 / 台账: the superior's ledger of a standard — counts by status
//! and grade, by the organizations right below (sub-committees), year over
//! year, every organization's row with its drill-down, and the overrides
//! of computed items to review; its print page. Every figure comes from
//! the core's aggregate queries.
use super::{grade_short, share_text, status_tone, this_year};
use crate::extract::Auth;
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use tongpin_core::auth::Power;
use tongpin_core::standard::ledger::{self, Ledger, LedgerQuery, LedgerRow, Override, YearFigures};
use tongpin_core::standard::{standards, warnings, Standard, StandardStatus, Status};
use tongpin_core::{org, Error};

#[derive(serde::Deserialize, Default, Clone)]
pub struct Params {
    pub standard: Option<String>,
    pub org: Option<String>,
    pub status: Option<String>,
    pub year: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// The organization right below the ledger's root a row lies under ("—" when it is one itself).
pub fn group_name(l: &Ledger, r: &LedgerRow) -> String {
    if r.group_id == r.org_id {
        return "—".into();
    }
    l.groups
        .iter()
        .find(|g| g.org_id == r.group_id)
        .map_or_else(|| "—".into(), |g| g.org_name.clone())
}

fn some(v: &Option<String>) -> Option<String> {
    v.clone().filter(|s| !s.trim().is_empty())
}

/// The ledger the query names: its standard (the one asked for, or the
/// first published for the year whose area meets the organization's), the
/// candidates to choose from, and the ledger itself (None when no standard fits).
pub struct Chosen {
    pub candidates: Vec<Standard>,
    pub ledger: Option<Ledger>,
    pub year: i64,
    pub org_name: Option<String>,
}

pub async fn choose(a: &Auth, q: &Params) -> Result<Chosen, Error> {
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| this_year(a));
    let root = match some(&q.org) {
        Some(id) => Some(org::get(db, &scope, &id).await?),
        None => None,
    };
    let meets = |s: &Standard| match &root {
        Some(o) => o.path.starts_with(&s.org_path) || s.org_path.starts_with(&o.path),
        None => true,
    };
    let wanted = match some(&q.standard) {
        Some(id) => Some(standards::get(db, &scope, &id).await?),
        None => None,
    };
    let year = wanted.as_ref().map_or(year, |s| s.year);
    let candidates: Vec<Standard> = standards::list(db, &scope, Some(year))
        .await?
        .into_iter()
        .filter(|s| s.status() != StandardStatus::Draft && meets(s))
        .collect();
    let standard = wanted.or_else(|| {
        candidates
            .iter()
            .find(|s| s.status() == StandardStatus::Published)
            .cloned()
    });
    let ledger = match standard {
        Some(s) => {
            let lq = LedgerQuery {
                org_id: root.as_ref().map(|o| o.id.clone()),
                status: some(&q.status),
                limit: None,
            };
            Some(ledger::ledger(db, &scope, &s.id, &lq, a.now()).await?)
        }
        None => None,
    };
    Ok(Chosen {
        candidates,
        ledger,
        year,
        org_name: root.map(|o| o.name),
    })
}

/// The page's helpers shared with the print page.
pub trait LedgerText {
    fn l(&self) -> Option<&Ledger>;
    fn status_label(&self, s: &Status) -> &'static str {
        s.label()
    }
    fn tone(&self, s: &Status) -> &'static str {
        status_tone(s.code())
    }
    fn grade(&self, r: &LedgerRow) -> &'static str {
        r.grade.map_or("—", |g| grade_short(g.code()))
    }
    fn share(&self, bp: &i64) -> String {
        share_text(*bp)
    }
    /// Whether every organization is itself right below the root (a 党总支's
    /// ledger of its branches): no grouping to show.
    fn flat(&self) -> bool {
        self.l().is_none_or(|l| l.rows.iter().all(|r| r.group_id == r.org_id))
    }
    /// The organization right below the ledger's root a row lies under ("—" when it is one itself).
    fn group_of(&self, r: &LedgerRow) -> String {
        match self.l() {
            Some(l) => group_name(l, r),
            None => String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "standard/ledger.html")]
struct Page {
    shell: Shell,
    q: Params,
    c: Chosen,
    rows: Vec<LedgerRow>,
    pager: Pager,
    statuses: Vec<(&'static str, &'static str)>,
    /// The filter's organization path (empty: the standard's own organization).
    org_path: String,
    years: Vec<i64>,
    trend: Vec<YearFigures>,
    overrides: Vec<Override>,
    /// The organizations of the ledger flagged 软弱涣散.
    weak: Vec<String>,
    /// The query string of the ledger shown (standard and organization).
    here: String,
}

impl LedgerText for Page {
    fn l(&self) -> Option<&Ledger> {
        self.c.ledger.as_ref()
    }
}

impl Page {
    fn picked(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
    fn at(&self, ms: &i64) -> String {
        super::when(*ms)
    }
    fn is_weak(&self, org_id: &str) -> bool {
        self.weak.iter().any(|w| w == org_id)
    }
}

/// The flagged organizations under the ledger's root (none when the root lies outside the scope).
async fn weak_of(a: &Auth, scope: &org::Scope, l: &Ledger) -> Result<Vec<String>, Error> {
    match warnings::weak_orgs(&a.state.db, scope, &l.root_id, a.now()).await {
        Ok(list) => Ok(list.into_iter().map(|w| w.org_id).collect()),
        Err(Error::NotFound(_)) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

fn here(l: &Ledger, q: &Params) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("standard", &l.standard.id);
    if let Some(o) = some(&q.org) {
        s.append_pair("org", &o);
    }
    s.finish()
}

pub async fn page(a: Auth, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    let c = choose(&a, &q).await?;
    let scope = a.require(Power::ViewStandard).await?;
    let db = &a.state.db;
    let (trend, overrides, here_q) = match &c.ledger {
        Some(l) if scope.contains_path(&l.standard.org_path) => (
            ledger::trend(db, &scope, &l.standard.org_id).await?,
            ledger::overrides(db, &scope, &l.standard.id).await?,
            here(l, &q),
        ),
        Some(l) => (
            Vec::new(),
            ledger::overrides(db, &scope, &l.standard.id).await?,
            here(l, &q),
        ),
        None => (Vec::new(), Vec::new(), String::new()),
    };
    let weak = match &c.ledger {
        Some(l) => weak_of(&a, &scope, l).await?,
        None => Vec::new(),
    };
    let all = c.ledger.as_ref().map(|l| l.rows.clone()).unwrap_or_default();
    let num = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse().ok());
    let mut pq = here_q.clone();
    if let Some(s) = some(&q.status) {
        pq.push_str(&format!("&status={s}"));
    }
    if !pq.is_empty() {
        pq.push('&');
    }
    let pager = Pager::new(num(&q.page), num(&q.per_page), all.len() as i64, pq);
    let rows = all
        .into_iter()
        .skip(usize::try_from(pager.offset()).unwrap_or(0))
        .take(usize::try_from(pager.per_page).unwrap_or(20))
        .collect();
    let org_path = crate::org_choice::shown(db, &scope, q.org.as_deref().unwrap_or("")).await?;
    let now_year = this_year(&a);
    Ok(Html(render(&Page {
        shell: Shell::new(&a, "/standards/ledger", &["标准化建设", "提升定级"]),
        statuses: Status::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        years: (now_year - 3..=now_year + 1).rev().collect(),
        here: here_q,
        q,
        c,
        rows,
        pager,
        org_path,
        trend,
        overrides,
        weak,
    })))
}

#[derive(Template)]
#[template(path = "standard/ledger_print.html")]
struct PrintPage {
    c: Chosen,
    printed: String,
}

impl LedgerText for PrintPage {
    fn l(&self) -> Option<&Ledger> {
        self.c.ledger.as_ref()
    }
}

pub async fn print(a: Auth, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    let c = choose(&a, &q).await?;
    Ok(Html(render(&PrintPage {
        c,
        printed: super::when(a.now()),
    })))
}
