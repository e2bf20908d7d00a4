//! An assessment's page: the key facts and its indicator sheet by dimension,
//! with links to scoring and results (and the slots of ballots and appeals).
use super::{pts, status_tag};
use crate::extract::Auth;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Html;
use tongpin_core::assess::rules::share_text;
use tongpin_core::assess::{read, Assessment, Indicator, Kind, Tier};
use tongpin_core::auth::Power;

/// A dimension and its indicators, in sheet order.
pub type Dimension = crate::group::Group<Indicator>;

/// How an indicator scores, in words: its source, or its groups and weights.
pub fn how(i: &Indicator) -> String {
    match i.kind {
        Kind::Computed => format!("按记录计算：{}", i.metric.map_or("—", |m| m.label())),
        Kind::Entered => "考核组织录入".into(),
        Kind::Rated => {
            let parts: Vec<String> = i
                .weights
                .groups()
                .map(|(g, w)| format!("{} {}", g.label(), share_text(w)))
                .collect();
            format!("评价打分：{}", parts.join("、"))
        }
    }
}

#[derive(Template)]
#[template(path = "assess/detail.html")]
struct DetailPage {
    shell: Shell,
    x: Assessment,
    dims: Vec<Dimension>,
    targets: Vec<String>,
    full: String,
    bonus_full: String,
    notice: Option<&'static str>,
    /// The assessor's staff issue the masses' ballots (群众评议) when a line has that group.
    ballots: bool,
}

impl DetailPage {
    fn tag(&self) -> (&'static str, &'static str) {
        status_tag(&self.x)
    }
    fn how(&self, i: &Indicator) -> String {
        how(i)
    }
    fn p(&self, h: &i64) -> String {
        pts(Some(*h))
    }
    fn pct(&self, bp: &i64) -> String {
        share_text(*bp)
    }
    fn tier_tone(&self, i: &Indicator) -> &'static str {
        match i.tier {
            Tier::Baseline => "red",
            Tier::Bonus => "gold",
            Tier::Normal => "grey",
        }
    }
    fn at(&self, ms: &Option<i64>) -> String {
        ms.map(super::when).unwrap_or_else(|| "—".into())
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(a: Auth, Path(id): Path<String>, Query(q): Query<Done>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewAssessment).await?;
    let db = &a.state.db;
    let x = read::get(db, &scope, &id).await?;
    let inds = read::indicators(db, &x.id).await?;
    let targets = read::targets(db, &x.id).await?.into_iter().map(|t| t.name).collect();
    let ballots = !x.closed && inds.iter().any(|i| i.weights.masses > 0) && super::manages(&a, &x);
    let full = inds
        .iter()
        .filter(|i| i.tier != Tier::Bonus)
        .map(|i| i.full_points)
        .sum();
    let bonus_full = inds
        .iter()
        .filter(|i| i.tier == Tier::Bonus)
        .map(|i| i.full_points)
        .sum();
    let notice = match q.done.as_deref() {
        Some("created") => Some("考评任务已创建。考核组织可以开始评议打分；按记录计算的指标随记录自动更新。"),
        _ => None,
    };
    Ok(Html(render(&DetailPage {
        shell: Shell::new(&a, "/assessments", &["考评", "指标体系"]),
        dims: crate::group::by(inds, |i| &i.dimension),
        full: pts(Some(full)),
        bonus_full: pts(Some(bonus_full)),
        targets,
        x,
        notice,
        ballots,
    })))
}
