//! 摸底自查: an organization answers every item of a standard — met or not,
//! a note, evidence files. Computed items answer themselves from the
//! records; the organization may override one only with a recorded reason,
//! which stays on the item for the superior to see.
use super::catalog;
use super::computed::{self, met_only, Target};
use super::figures::{self, Sel, Standing};
use super::model::{Evaluation, Grade, Item, Record, Stage, Standard, StandardStatus, Status};

pub use super::answers::{set_item, SetItem};
use super::rules::{judge, suggested_grade};
use super::CHECK_FILES;
use crate::db::Db;
use crate::files::Attachment;
use crate::org::{self, Org, Scope};
use crate::{with_db, Error, Result};
use serde::Serialize;
use std::collections::HashMap;

/// One item of an organization's self-check.
#[derive(Clone, Debug, Serialize)]
pub struct CheckItem {
    #[serde(flatten)]
    pub item: Item,
    /// What counts: the override, else the records (computed), else the answer.
    pub met: Option<bool>,
    pub computed: bool,
    /// What the records say, for a computed item.
    pub computed_met: Option<bool>,
    pub detail: Option<String>,
    pub records: Vec<Record>,
    pub note: String,
    /// Why a computed item's result was overridden (empty when it was not).
    pub override_reason: String,
    pub files: Vec<Attachment>,
    pub updated_by: Option<String>,
    pub updated_at: Option<i64>,
    /// Problems on the item not yet closed.
    pub open_problems: i64,
}

/// An organization's self-check against a standard.
#[derive(Clone, Debug, Serialize)]
pub struct SelfCheck {
    pub org_id: String,
    pub org_name: String,
    pub standard: Standard,
    pub status: Status,
    pub stage: Stage,
    pub grade: Option<Grade>,
    pub round: i64,
    /// The refined items' share of points met (basis points) and the grade it suggests.
    pub share_bp: i64,
    pub suggested_grade: Grade,
    /// What keeps it from applying, in words (empty when nothing does).
    pub missing: Vec<String>,
    pub open_problems: i64,
    pub overdue_problems: i64,
    /// The superior returned the problem list: (reason, by, at).
    pub list_returned: Option<(String, String, i64)>,
    /// Moved back by the superior for this reason, until the next self-check answer.
    pub recheck_reason: Option<String>,
    pub items: Vec<CheckItem>,
}

pub(super) type Row = (String, String, Option<bool>, String, String, String, i64);

pub(super) async fn rows(db: &Db, standard_id: &str, org_id: &str) -> Result<HashMap<String, Row>> {
    let rows: Vec<Row> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, code, met, note, override_reason, updated_by, updated_at FROM standard_checks \
         WHERE standard_id = $1 AND org_id = $2"
    )
    .bind(standard_id)
    .bind(org_id)
    .fetch_all(p)
    .await?);
    Ok(rows.into_iter().map(|r| (r.1.clone(), r)).collect())
}

/// The organization a self-check is read for: the standard applies to it and is not a draft.
async fn readable(db: &Db, scope: &Scope, standard: &Standard, org_id: &str) -> Result<Org> {
    let o = org::get(db, scope, org_id.trim()).await?;
    if standard.status() == StandardStatus::Draft || !standard.applies_to(&o.kind, &o.path) {
        return Err(Error::invalid(
            "组织",
            format!("“{}”不适用于{}", standard.display(), o.name),
        ));
    }
    Ok(o)
}

/// An organization's self-check as of `now`: every item with its answer or
/// its computed judgement (and the records behind it), the status and what
/// is missing before it may apply.
pub async fn self_check(db: &Db, scope: &Scope, org_id: &str, standard_id: &str, now: i64) -> Result<SelfCheck> {
    let standard = catalog::get(db, scope, standard_id).await?;
    let org = readable(db, scope, &standard, org_id).await?;
    let items = catalog::items_of(db, &standard.id).await?;
    let answers = rows(db, &standard.id, &org.id).await?;
    let ids: Vec<String> = answers.values().map(|r| r.0.clone()).collect();
    let mut files: HashMap<String, Vec<Attachment>> = HashMap::new();
    for a in crate::files::list(db, CHECK_FILES, &ids).await? {
        files.entry(a.owner_id.clone()).or_default().push(a);
    }
    let rules = figures::rules_of(&items);
    let evaluated = computed::evaluate(db, scope, &rules, standard.year, &org, &[Target::of(&org)], now, true).await?;
    let mine: HashMap<_, Evaluation> = evaluated.get(&org.id).cloned().unwrap_or_default();
    let today = super::today(now).to_string();
    let sel = Sel::One(&org.id);
    let fig = figures::figures(db, &standard.id, sel, &today)
        .await?
        .remove(&org.id)
        .unwrap_or_default();
    let over = figures::overrides(db, &standard.id, sel)
        .await?
        .remove(&org.id)
        .unwrap_or_default();
    let standing: Standing = figures::standings(db, &standard.id, sel)
        .await?
        .remove(&org.id)
        .unwrap_or_default();
    let computed_met = met_only(&evaluated).remove(&org.id).unwrap_or_default();
    let judged = judge(
        &items,
        &fig,
        &over,
        &computed_met,
        standing.stage,
        standing.recheck.is_some(),
    );
    let per_item: Vec<(String, i64)> = with_db!(db, |p| sqlx::query_as(
        "SELECT item_code, COUNT(*) FROM standard_problems WHERE standard_id = $1 AND org_id = $2 \
         AND status <> 'closed' GROUP BY item_code"
    )
    .bind(&standard.id)
    .bind(&org.id)
    .fetch_all(p)
    .await?);
    let per_item: HashMap<String, i64> = per_item.into_iter().collect();
    let mut missing = Vec::new();
    let list: Vec<CheckItem> = items
        .into_iter()
        .map(|item| {
            let row = answers.get(&item.code);
            let eval = item.rule().and_then(|r| mine.get(&r));
            let overridden = row.filter(|r| !r.4.is_empty() && r.2.is_some());
            let met = match (eval, overridden) {
                (_, Some(r)) => r.2,
                (Some(e), None) => Some(e.met),
                (None, None) => row.and_then(|r| r.2),
            };
            if item.tier() == super::Tier::Baseline && met != Some(true) {
                missing.push(format!(
                    "{} {}（{}）",
                    item.code,
                    item.title,
                    if met.is_none() { "未自查" } else { "未达标" }
                ));
            }
            CheckItem {
                met,
                computed: item.rule.is_some(),
                computed_met: eval.map(|e| e.met),
                detail: eval.map(|e| e.detail.clone()),
                records: eval.map(|e| e.records.clone()).unwrap_or_default(),
                note: row.map(|r| r.3.clone()).unwrap_or_default(),
                override_reason: row.map(|r| r.4.clone()).unwrap_or_default(),
                files: row.and_then(|r| files.get(&r.0).cloned()).unwrap_or_default(),
                updated_by: row.map(|r| r.5.clone()),
                updated_at: row.map(|r| r.6),
                open_problems: per_item.get(&item.code).copied().unwrap_or(0),
                item,
            }
        })
        .collect();
    if fig.open_problems > 0 {
        missing.push(format!("{} 个问题尚未销号", fig.open_problems));
    }
    if let Some(r) = &standing.recheck {
        missing.push(format!("上级党组织已动态调整为未达标（{r}），请重新自查"));
    }
    Ok(SelfCheck {
        org_id: org.id.clone(),
        org_name: org.name.clone(),
        status: judged.status,
        stage: standing.stage,
        grade: standing.grade,
        round: standing.round,
        share_bp: judged.share_bp,
        suggested_grade: suggested_grade(
            judged.share_bp,
            standard.grade_ii_bp,
            standard.grade_iii_bp,
            fig.reopened > 0,
        ),
        missing,
        open_problems: fig.open_problems,
        overdue_problems: fig.overdue_problems,
        list_returned: standing.returned,
        recheck_reason: standing.recheck,
        items: list,
        standard,
    })
}
