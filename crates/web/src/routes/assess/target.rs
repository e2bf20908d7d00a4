//! 得分明细: one target's result with every line down to its figures (the
//! parts of a computed share, each rater group's weight and mean, the
//! entry and its note), and for a chosen line the records behind it.
use super::results::{grade_text, short_of_ballots};
use super::{grade_tone, pts};
use crate::extract::Auth;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Html;
use tongpin_core::assess::evidence::{self, Record};
use tongpin_core::assess::results::{self, ResultItem};
use tongpin_core::assess::rules::share_text;
use tongpin_core::assess::{read, Assessment, Basis, Indicator, Line};
use tongpin_core::auth::Power;

/// A line with its indicator.
pub struct Row {
    pub ind: Indicator,
    pub line: Line,
    /// The figures behind it: (what, value).
    pub figures: Vec<(String, String)>,
}

fn figures(l: &Line) -> Vec<(String, String)> {
    match &l.basis {
        Basis::Computed {
            parts,
            done,
            due,
            share_bp,
            ..
        } => {
            let mut v: Vec<(String, String)> = parts
                .iter()
                .map(|p| (p.label.clone(), format!("{} / {}", p.done, p.due)))
                .collect();
            v.push(("合计".into(), format!("{done} / {due}")));
            v.push(("比率".into(), share_bp.map(share_text).unwrap_or_else(|| "—".into())));
            v
        }
        Basis::Rated { groups } => groups
            .iter()
            .map(|g| {
                let mean = match g.mean {
                    Some(m) => format!("平均 {} 分", pts(Some(m))),
                    None if g.group.code() == "masses" => "样本不足".into(),
                    None => "尚未评价".into(),
                };
                (
                    format!("{}（权重 {}）", g.group.label(), share_text(g.weight_bp)),
                    format!("{} 人 · {mean}", g.raters),
                )
            })
            .collect(),
        Basis::Entered { .. } => Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "assess/target.html")]
struct TargetPage {
    shell: Shell,
    x: Assessment,
    it: ResultItem,
    rows: Vec<Row>,
    /// The line whose records are shown, and the records.
    open: Option<(String, Vec<Record>)>,
}

impl TargetPage {
    fn p(&self, h: &Option<i64>) -> String {
        pts(*h)
    }
    fn pv(&self, h: &i64) -> String {
        pts(Some(*h))
    }
    fn full(&self, i: &Indicator) -> String {
        pts(Some(i.full_points))
    }
    fn grade(&self) -> &'static str {
        grade_text(&self.it)
    }
    fn tone(&self) -> &'static str {
        self.it.grade.map_or("grey", grade_tone)
    }
    fn short(&self) -> bool {
        short_of_ballots(&self.it)
    }
    fn day(&self, d: &str) -> String {
        crate::fmt::cn_dates_in(d)
    }
    fn is_open(&self, code: &str) -> bool {
        self.open.as_ref().is_some_and(|(c, _)| c == code)
    }
}

#[derive(serde::Deserialize, Default)]
pub struct LineQuery {
    line: Option<String>,
}

pub async fn page(
    a: Auth,
    Path((id, target)): Path<(String, String)>,
    Query(q): Query<LineQuery>,
) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let x = read::get(db, &scope, &id).await?;
    let it = results::result(db, &scope, &x.id, &target, a.now()).await?;
    let inds = read::indicators(db, &x.id).await?;
    let rows = inds
        .into_iter()
        .filter_map(|ind| {
            let line = it.lines.iter().find(|l| l.code == ind.code)?.clone();
            Some(Row {
                figures: figures(&line),
                ind,
                line,
            })
        })
        .collect();
    let open = match q.line.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some((
            code.to_string(),
            evidence::evidence(db, &scope, &x.id, &it.target.id, code, a.now()).await?,
        )),
        None => None,
    };
    Ok(Html(render(&TargetPage {
        shell: Shell::new(&a, "/assessments", &["考评", "考评结果", "得分明细"]),
        x,
        it,
        rows,
        open,
    })))
}
