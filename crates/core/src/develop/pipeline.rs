//! The pipeline (发展党员队伍): people in development by stage, each with the
//! last step done and what comes due next; and the to-dos it gives.
use super::due::due_steps_with_extension;
use super::model::{Stage, StepDef};
use super::record::StepRecord;
use super::rules::{rule, step_def, STEPS};
use super::store::done_of;
use crate::db::Db;
use crate::org::{self, Scope};
use crate::rules::development::REMINDER_DAYS;
use crate::sql::{like_prefix, Param, Where};
use crate::todo::Todo;
use crate::{bind_all, with_db, Error, Result};
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

/// What the pipeline is narrowed to.
#[derive(Clone, Debug, Default)]
pub struct PipelineFilter {
    /// Only this organization's subtree.
    pub org_id: Option<String>,
    /// Only this stage; `Full` lists those whose full membership was
    /// approved here (step 24 recorded).
    pub stage: Option<Stage>,
}

/// Something coming due for one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Due {
    pub step: u8,
    /// YYYY-MM-DD.
    pub on: String,
    pub overdue: bool,
    /// "2026-12-10 前谈话", "2026-03-01 起可确定为发展对象".
    pub text: String,
    /// The rule it comes from.
    pub rule: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct InDevelopment {
    pub person_id: String,
    pub name: String,
    pub org_id: String,
    /// The person's status (a stage).
    pub stage: Stage,
    pub last_step: Option<u8>,
    pub last_name: Option<&'static str>,
    /// YYYY-MM-DD.
    pub last_on: Option<String>,
    pub next_step: Option<u8>,
    pub next_name: Option<&'static str>,
    /// The most pressing date: overdue first, else the earliest.
    pub due: Option<Due>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StageCount {
    pub stage: Stage,
    pub label: &'static str,
    pub count: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Pipeline {
    /// Every stage, in order, even when none.
    pub counts: Vec<StageCount>,
    /// Overdue first, then by date.
    pub people: Vec<InDevelopment>,
}

const IN_DEVELOPMENT: &str = "p.status IN ('applicant', 'activist', 'candidate', 'probationary')";
const APPROVED_HERE: &str =
    "(p.status = 'full' AND EXISTS (SELECT 1 FROM development_steps a WHERE a.person_id = p.id AND a.step = 24))";

/// What a due step asks, in words, and the rule behind it.
fn describe(step: u8, on: NaiveDate) -> (String, &'static str) {
    match step {
        2 => (format!("{on} 前谈话"), rule::TALK),
        6 => (format!("{on} 前进行半年考察"), "支部每半年对入党积极分子进行一次考察"),
        7 => (format!("{on} 起可确定为发展对象"), rule::ACTIVIST_YEAR),
        17 => (format!("{on} 前上级党委审批"), rule::APPROVAL),
        23 => (format!("{on} 预备期满，支部大会讨论转正"), rule::PROBATION),
        n => (
            format!("{on} 前办理{}", step_def(n).map(|d| d.name).unwrap_or("")),
            rule::STEPS,
        ),
    }
}

/// Everything coming due for one history, most pressing first.
pub fn dues(done: &[(u8, NaiveDate)], today: NaiveDate, extension: Option<u32>) -> Vec<Due> {
    let mut all: Vec<Due> = due_steps_with_extension(done, today, extension)
        .into_iter()
        .map(|(step, on, overdue)| {
            let (text, rule) = describe(step, on);
            Due {
                step,
                on: on.format("%Y-%m-%d").to_string(),
                overdue,
                text,
                rule,
            }
        })
        .collect();
    all.sort_by(|a, b| (!a.overdue, &a.on).cmp(&(!b.overdue, &b.on)));
    all
}

/// A person's next step and what comes due for them (nothing once full),
/// from their records.
pub fn progress(recs: &[StepRecord], status: &str, today: NaiveDate) -> (Option<&'static StepDef>, Vec<Due>) {
    let last = recs.iter().map(|r| r.step).max().unwrap_or(0);
    let next = u8::try_from(last + 1).ok().and_then(step_def);
    if status == Stage::Full.code() {
        return (next, Vec::new());
    }
    let done: Vec<(u8, NaiveDate)> = recs
        .iter()
        .filter_map(|r| Some((u8::try_from(r.step).ok()?, r.date()?)))
        .collect();
    let ext = recs
        .iter()
        .find(|r| r.step == 23)
        .and_then(|r| r.extension_months)
        .and_then(|m| u32::try_from(m).ok());
    (next, dues(&done, today, ext))
}

async fn to_where(db: &Db, scope: &Scope, f: &PipelineFilter) -> Result<Where> {
    let mut w = Where::default();
    scope.restrict(&mut w, "p.org_path");
    if let Some(org_id) = f.org_id.as_deref().filter(|s| !s.is_empty()) {
        let o = org::get(db, scope, org_id)
            .await
            .map_err(|_| Error::invalid("组织", "不存在或不在您的管理范围内"))?;
        w.push("p.org_path LIKE {} ESCAPE '\\'", Param::S(like_prefix(&o.path)));
    }
    Ok(w)
}

type Row = (String, String, String, String);
type StepRow = (String, i64, String, Option<i64>);

/// The people of the filter and their steps.
async fn load(db: &Db, scope: &Scope, f: &PipelineFilter) -> Result<(Vec<Row>, HashMap<String, Vec<StepRow>>)> {
    let mut w = to_where(db, scope, f).await?;
    match f.stage {
        Some(Stage::Full) => w.push_raw(APPROVED_HERE.into()),
        Some(s) => w.push("p.status = {}", Param::S(s.code().into())),
        None => w.push_raw(IN_DEVELOPMENT.into()),
    }
    let (cond, _) = w.sql();
    let sql = format!("SELECT p.id, p.name, p.org_id, p.status FROM people p {cond} ORDER BY p.name_pinyin, p.id");
    let people: Vec<Row> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let sql = format!(
        "SELECT d.person_id, d.step, d.done_on, d.extension_months FROM development_steps d \
         JOIN people p ON p.id = d.person_id {cond}"
    );
    let rows: Vec<StepRow> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let mut steps: HashMap<String, Vec<StepRow>> = HashMap::new();
    for r in rows {
        steps.entry(r.0.clone()).or_default().push(r);
    }
    Ok((people, steps))
}

/// Counts per stage (in the scope and the filter's organization) and the
/// people of the filter's stage, or of every stage but `Full`.
pub async fn pipeline(db: &Db, scope: &Scope, f: &PipelineFilter, now: i64) -> Result<Pipeline> {
    let today = crate::clock::beijing(now).date_naive();
    let mut w = to_where(db, scope, f).await?;
    w.push_raw(format!("({IN_DEVELOPMENT} OR {APPROVED_HERE})"));
    let (cond, _) = w.sql();
    let sql = format!("SELECT p.status, COUNT(*) FROM people p {cond} GROUP BY p.status");
    let by_status: Vec<(String, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let counts = Stage::ALL
        .iter()
        .map(|s| StageCount {
            stage: *s,
            label: s.label(),
            count: by_status
                .iter()
                .find(|(code, _)| code == s.code())
                .map_or(0, |(_, n)| *n),
        })
        .collect();
    let (rows, steps) = load(db, scope, f).await?;
    let mut people: Vec<InDevelopment> = rows
        .into_iter()
        .filter_map(|(person_id, name, org_id, status)| {
            let stage = Stage::from_code(&status)?;
            let (done, ext) = done_of(steps.get(&person_id).map(Vec::as_slice).unwrap_or(&[]));
            let last = done.iter().max_by_key(|(n, _)| *n).copied();
            let next = last.map_or(Some(1), |(n, _)| step_def(n + 1).map(|d| d.no));
            let due = if stage == Stage::Full {
                None
            } else {
                dues(&done, today, ext).into_iter().next()
            };
            Some(InDevelopment {
                person_id,
                name,
                org_id,
                stage,
                last_step: last.map(|(n, _)| n),
                last_name: last.and_then(|(n, _)| step_def(n)).map(|d| d.name),
                last_on: last.map(|(_, d)| d.format("%Y-%m-%d").to_string()),
                next_step: next,
                next_name: next.and_then(step_def).map(|d| d.name),
                due,
            })
        })
        .collect();
    people.sort_by(|a, b| {
        let key = |x: &InDevelopment| {
            x.due
                .as_ref()
                .map_or((2, String::new()), |d| (u8::from(!d.overdue), d.on.clone()))
        };
        key(a).cmp(&key(b))
    });
    Ok(Pipeline { counts, people })
}

/// Step 7 (确定发展对象) may be taken once the activist has trained a
/// year: its date is a start (起可), not a deadline.
const OPENS_ON_ITS_DATE: u8 = 7;

/// The development to-dos of everyone in development in the scope: steps
/// overdue, or due within `REMINDER_DAYS`; overdue first.
pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let today = crate::clock::beijing(now).date_naive();
    let horizon = today + Duration::days(REMINDER_DAYS);
    let (rows, steps) = load(db, scope, &PipelineFilter::default()).await?;
    let mut out = Vec::new();
    for (person_id, name, _, _) in rows {
        let (done, ext) = done_of(steps.get(&person_id).map(Vec::as_slice).unwrap_or(&[]));
        for d in dues(&done, today, ext) {
            let soon = NaiveDate::parse_from_str(&d.on, "%Y-%m-%d").is_ok_and(|on| on <= horizon);
            if !(d.overdue || soon) {
                continue;
            }
            let step = STEPS.get(usize::from(d.step).saturating_sub(1)).map_or("", |s| s.name);
            // A step that may be taken from a date (起可) has no deadline.
            let opens = d.step == OPENS_ON_ITS_DATE;
            out.push(Todo {
                kind: "develop",
                title: format!("{name}：{step}（第 {} 步）", d.step),
                detail: format!("{}；依据「{}」", d.text, d.rule),
                due: (!opens).then(|| d.on.clone()),
                from: opens.then(|| d.on.clone()),
                overdue: d.overdue,
                href: format!("/develop/{person_id}"),
            });
        }
    }
    out.sort_by(|a, b| (!a.overdue, &a.due).cmp(&(!b.overdue, &b.due)));
    Ok(out)
}
