//! Computed items (计算项): a standard's items answered from the records
//! for an organization and the standard's year as of a moment — never
//! self-declared. Each rule is judged for many organizations at once from
//! aggregate queries over the subtree of one root, so the ledger of a
//! whole committee costs a few queries, not one per organization.
//!
//! - `life_compliance`: every obligation met in every period of the year
//!   that has closed (life::compliance; a month counts once it has ended);
//! - `study_plan_approved`: the organization's study plan for the year approved;
//! - `difficult_goals_supported`: every difficulty (难点) goal of the
//!   organization for the year is supported there (plan::support, the one definition);
//! - `dues_no_arrears`: no member owes the dues of the last ended month of the year;
//! - `committee_seated`: a secretary in post and, from 7 full members, a
//!   committee within the seats the rules allow.
use super::computed_life::life;
use super::computed_roster::{committee, dues};
use super::model::{Evaluation, Record, Rule};
use crate::db::Db;
use crate::org::{Org, Scope};
use crate::plan::support::{Lines, Node};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use std::collections::{HashMap, HashSet};

/// An organization a rule is judged for.
#[derive(Clone, Debug)]
pub struct Target {
    pub id: String,
    pub path: String,
    pub kind: String,
}

impl Target {
    pub fn of(o: &Org) -> Target {
        Target {
            id: o.id.clone(),
            path: o.path.clone(),
            kind: o.kind.clone(),
        }
    }
}

/// Judgements by organization, then rule.
pub type Judgements = HashMap<String, HashMap<Rule, Evaluation>>;

/// Judges `rules` for `targets` (all under `root`, itself included) for
/// `year` as of `now`. With `records`, each judgement lists the records
/// behind it (for one organization's page); without, only met and a detail.
#[allow(clippy::too_many_arguments)]
pub async fn evaluate(
    db: &Db,
    scope: &Scope,
    rules: &[Rule],
    year: i64,
    root: &Org,
    targets: &[Target],
    now: i64,
    records: bool,
) -> Result<Judgements> {
    let mut out: Judgements = targets.iter().map(|t| (t.id.clone(), HashMap::new())).collect();
    for rule in rules {
        let got = match rule {
            Rule::LifeCompliance => life(db, scope, year, root, targets, now, records).await?,
            Rule::StudyPlanApproved => study(db, year, root, targets, now).await?,
            Rule::DifficultGoalsSupported => goals(db, year, root, targets, records).await?,
            Rule::DuesNoArrears => dues(db, year, root, targets, now, records).await?,
            Rule::CommitteeSeated => committee(db, root, targets).await?,
        };
        for (org, e) in got {
            if let Some(m) = out.get_mut(&org) {
                m.insert(*rule, e);
            }
        }
    }
    Ok(out)
}

/// Only whether each rule is met, by organization.
pub fn met_only(j: &Judgements) -> HashMap<String, HashMap<Rule, bool>> {
    j.iter()
        .map(|(org, m)| (org.clone(), m.iter().map(|(r, e)| (*r, e.met)).collect()))
        .collect()
}

pub(super) fn eval(met: bool, detail: impl Into<String>, records: Vec<Record>) -> Evaluation {
    Evaluation {
        met,
        detail: detail.into(),
        records,
    }
}

/// The year's study plans under the root: approved (by now) or not.
async fn study(db: &Db, year: i64, root: &Org, targets: &[Target], now: i64) -> Result<HashMap<String, Evaluation>> {
    let mut w = Where::default();
    w.prefix("o.path", &root.path);
    w.push("s.year = {}", Param::I(year));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT s.org_id, s.id, s.status, s.reviewed_at FROM study_plans s JOIN orgs o ON o.id = s.org_id {cond}"
    );
    let rows: Vec<(String, String, String, Option<i64>)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let plans: HashMap<String, (String, String, Option<i64>)> =
        rows.into_iter().map(|(o, id, s, at)| (o, (id, s, at))).collect();
    Ok(targets
        .iter()
        .map(|t| {
            let e = match plans.get(&t.id) {
                Some((id, status, at)) => {
                    let approved = status == "approved" && at.is_some_and(|a| a <= now);
                    let label = crate::study::Status::parse(status).map_or("未报备", |s| s.label());
                    let record = Record {
                        kind: "study_plan",
                        id: id.clone(),
                        label: format!("{year}年度学习计划：{label}"),
                    };
                    let detail = if approved {
                        "年度学习计划已审核通过".to_string()
                    } else {
                        format!("年度学习计划{label}，尚未审核通过")
                    };
                    eval(approved, detail, vec![record])
                }
                None => eval(false, format!("尚未编制{year}年度学习计划"), Vec::new()),
            };
            (t.id.clone(), e)
        })
        .collect())
}

/// Difficulty goals of each target and whether a Party task supports them
/// there, along their breakdown (plan::support::Lines).
async fn goals(
    db: &Db,
    year: i64,
    root: &Org,
    targets: &[Target],
    records: bool,
) -> Result<HashMap<String, Evaluation>> {
    // The goals a task under the root may serve: those under it and above it.
    let above: Vec<String> = root
        .path
        .split('/')
        .filter(|s| !s.is_empty() && *s != root.id)
        .map(String::from)
        .collect();
    let mut w = Where::default();
    w.push("g.year = {}", Param::I(year));
    let under = w.prefix_cond("o.path", &root.path);
    if above.is_empty() {
        w.push_raw(under);
    } else {
        let list = w.in_list(&above);
        w.push_raw(format!("({under} OR g.org_id IN ({list}))"));
    }
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT g.id, g.parent_id, g.org_id, o.path, g.difficult, g.title FROM goals g JOIN orgs o ON o.id = g.org_id {cond}"
    );
    type GoalRow = (String, Option<String>, String, String, bool, String);
    let all: Vec<GoalRow> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let mut w = Where::default();
    w.prefix("o.path", &root.path);
    w.push("t.year = {}", Param::I(year));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT o.path, tg.goal_id FROM task_goals tg JOIN tasks t ON t.id = tg.task_id JOIN orgs o ON o.id = t.org_id {cond}"
    );
    let links: Vec<(String, String)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let lines = Lines::new(all.iter().map(|g| Node {
        id: &g.0,
        parent_id: g.1.as_deref(),
        org_id: &g.2,
        org_path: &g.3,
    }));
    let mut supported: HashSet<&str> = HashSet::new();
    for (path, goal) in &links {
        supported.extend(lines.supported_by(path, goal));
    }
    let wanted: HashSet<&str> = targets.iter().map(|t| t.id.as_str()).collect();
    let mut unsupported: HashMap<&str, Vec<&GoalRow>> = HashMap::new();
    let mut difficult: HashMap<&str, i64> = HashMap::new();
    for g in all.iter().filter(|g| g.4 && wanted.contains(g.2.as_str())) {
        *difficult.entry(g.2.as_str()).or_default() += 1;
        if !supported.contains(g.0.as_str()) {
            unsupported.entry(g.2.as_str()).or_default().push(g);
        }
    }
    Ok(targets
        .iter()
        .map(|t| {
            let n = difficult.get(t.id.as_str()).copied().unwrap_or(0);
            let missing = unsupported.get(t.id.as_str()).cloned().unwrap_or_default();
            let e = if n == 0 {
                eval(true, format!("{year}年度计划中没有业务难点"), Vec::new())
            } else if missing.is_empty() {
                eval(true, format!("{n} 项业务难点均有党建任务支撑"), Vec::new())
            } else {
                let recs = if records {
                    missing
                        .iter()
                        .map(|g| Record {
                            kind: "goal",
                            id: g.0.clone(),
                            label: format!("业务难点“{}”尚无党建任务支撑", g.5),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                eval(
                    false,
                    format!("{n} 项业务难点中 {} 项尚无党建任务支撑", missing.len()),
                    recs,
                )
            };
            (t.id.clone(), e)
        })
        .collect())
}
