//! 评议打分: the assessor's staff enter the points of entered indicators and
//! give 组织评价 on rated ones, one target and indicator at a time; peers
//! and the target itself rate by account. Each sees only their own points.
use super::api::Caller;
use super::{manages, pts};
use crate::error::refused;
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::assess::ratings::{self, RatingInput};
use tongpin_core::assess::results::{self, Query as ResultsQuery};
use tongpin_core::assess::scores::{self, ScoreInput};
use tongpin_core::assess::{read, Assessment, Basis, Group, Indicator, Kind, Tier};
use tongpin_core::auth::Power;
use tongpin_core::Error;

/// One cell of the assessor's grid: what is entered so far.
pub struct Cell {
    pub points: String,
    pub passed: Option<bool>,
    pub note: String,
}

pub struct TargetRow {
    pub id: String,
    pub name: String,
    pub cells: Vec<Cell>,
}

/// A target the caller rates as a peer or itself, with their points so far.
pub struct ToRate {
    pub id: String,
    pub name: String,
    pub group: Group,
    /// (indicator, points so far).
    pub items: Vec<(Indicator, String)>,
    pub note: String,
}

#[derive(Template)]
#[template(path = "assess/score.html")]
struct ScorePage {
    shell: Shell,
    x: Assessment,
    /// Indicators the assessor scores: entered ones, and rated ones with 组织评价.
    columns: Vec<Indicator>,
    rows: Vec<TargetRow>,
    to_rate: Vec<ToRate>,
    manage: bool,
    notice: Option<&'static str>,
    error: Option<String>,
}

impl ScorePage {
    fn baseline(&self, i: &Indicator) -> bool {
        i.tier == Tier::Baseline && i.full_points == 0
    }
    fn entered(&self, i: &Indicator) -> bool {
        i.kind == Kind::Entered
    }
    fn full(&self, i: &Indicator) -> String {
        pts(Some(i.full_points))
    }
    fn col(&self, k: &usize) -> &Indicator {
        &self.columns[*k]
    }
}

fn superior_mean(b: &Basis) -> Option<i64> {
    match b {
        Basis::Rated { groups } => groups.iter().find(|g| g.group == Group::Superior).and_then(|g| g.mean),
        _ => None,
    }
}

async fn page_of(
    a: &Auth,
    id: &str,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let x = read::get(db, &scope, id).await?;
    let inds = read::indicators(db, &x.id).await?;
    let manage = manages(a, &x) && !x.closed;
    let columns: Vec<Indicator> = inds
        .iter()
        .filter(|i| i.kind == Kind::Entered || (i.kind == Kind::Rated && i.weights.superior > 0))
        .cloned()
        .collect();
    let mut rows = Vec::new();
    if manage {
        let q = ResultsQuery {
            target_id: None,
            offset: 0,
            limit: 1000,
        };
        let r = results::results(db, &scope, &x.id, a.now(), &q).await?;
        let mut items = r.items;
        items.sort_by(|p, q| {
            p.target
                .org_name
                .cmp(&q.target.org_name)
                .then(p.target.id.cmp(&q.target.id))
        });
        for it in items {
            let cells = columns
                .iter()
                .map(|c| {
                    let line = it.lines.iter().find(|l| l.code == c.code);
                    let (points, passed, note) = match line.map(|l| &l.basis) {
                        Some(Basis::Entered { note, .. }) => (
                            line.and_then(|l| l.points).map(|p| pts(Some(p))).unwrap_or_default(),
                            line.and_then(|l| l.passed),
                            note.clone(),
                        ),
                        Some(b) => (
                            superior_mean(b).map(|p| pts(Some(p))).unwrap_or_default(),
                            None,
                            String::new(),
                        ),
                        None => (String::new(), None, String::new()),
                    };
                    Cell { points, passed, note }
                })
                .collect();
            rows.push(TargetRow {
                id: it.target.id,
                name: it.target.name,
                cells,
            });
        }
    }
    let caller = Caller::of(a);
    let rater = caller.rater();
    let mut to_rate = Vec::new();
    if !x.closed {
        let mine = ratings::my_ratings(db, &rater, &x.id).await?;
        for (t, g) in ratings::to_rate(db, &rater, &x.id).await? {
            let items = inds
                .iter()
                .filter(|i| i.kind == Kind::Rated && i.weights.of(g) > 0)
                .map(|i| {
                    let p = mine
                        .iter()
                        .find(|m| m.target_id == t.id && m.code == i.code && m.source == g.code())
                        .and_then(|m| m.points);
                    (i.clone(), p.map(|p| pts(Some(p))).unwrap_or_default())
                })
                .collect::<Vec<_>>();
            if items.is_empty() {
                continue;
            }
            let note = mine
                .iter()
                .find(|m| m.target_id == t.id && m.source == g.code())
                .map(|m| m.note.clone())
                .unwrap_or_default();
            to_rate.push(ToRate {
                id: t.id,
                name: t.name,
                group: g,
                items,
                note,
            });
        }
    }
    Ok(Html(render(&ScorePage {
        shell: Shell::new(a, "/assessments", &["考评", "评议打分"]),
        x,
        columns,
        rows,
        to_rate,
        manage,
        notice,
        error,
    })))
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(a: Auth, Path(id): Path<String>, Query(q): Query<Done>) -> Result<Html<String>, PageError> {
    let notice = match q.done.as_deref() {
        Some("scored") => Some("已保存。"),
        Some("rated") => Some("评价已提交。提交前后，其他评价人都看不到您的分数。"),
        _ => None,
    };
    Ok(page_of(&a, &id, notice, None).await?)
}

/// After a change: back to the page with `done`, or the page again with the message.
async fn answer(a: Auth, id: String, done: &str, res: Result<(), Error>) -> Response {
    match res {
        Ok(()) => Redirect::to(&format!("/assessments/{id}/score?done={done}")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            refused(e, page_of(&a, &id, None, Some(msg))).await
        }
    }
}

/// POST /assessments/{id}/score: one target's entry on one indicator.
pub async fn save(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ManageAssessment).await?;
        let input = ScoreInput {
            target_id: f.get("target_id").into(),
            indicator_code: f.get("code").into(),
            points: f.get("points").into(),
            passed: match f.get("passed") {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
            figure: String::new(),
            note: f.get("note").into(),
        };
        let account = a.who.account_id.clone();
        scores::score(&a.state.db, a.now(), &a.actor(), &scope, &account, &id, input).await
    }
    .await;
    answer(a, id, "scored", res).await
}

/// POST /assessments/{id}/rate: a peer's or the target's own points (`p.CODE`).
pub async fn rate(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let res = async {
        let scope = a.require(Power::ViewAssessment).await?;
        let db = &a.state.db;
        let x = read::get(db, &scope, &id).await?;
        let caller = Caller::of(&a);
        let rater = caller.rater();
        let points =
            f.0.iter()
                .filter_map(|(k, v)| k.strip_prefix("p.").map(|c| (c.to_string(), v.clone())))
                .filter(|(_, v)| !v.trim().is_empty())
                .collect();
        let input = RatingInput {
            target_id: f.get("target_id").into(),
            group: f.get("group").into(),
            points,
            note: f.get("note").into(),
        };
        ratings::rate(db, a.now(), &a.actor(), &rater, &x.id, input).await
    }
    .await;
    answer(a, id, "rated", res).await
}
