//! The pipeline (发展党员队伍): people in development by stage, each with the
//! last step done and what comes due next; and the to-dos it gives.
use super::due::{due_steps_with_extension, due_tracked};
use super::kept::{tracked_of, KeptRecord};
use super::model::{RecordKind, Stage, StepDef, Tracked};
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
    /// The step it belongs to (6 for an activist's reviews and reports).
    pub step: u8,
    /// `step`, or a `RecordKind` code (review, report).
    pub kind: &'static str,
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
        7 => (format!("{on} 起可确定为发展对象"), rule::ACTIVIST_YEAR),
        17 => (format!("{on} 前上级党委审批"), rule::APPROVAL),
        23 => (format!("{on} 预备期满，支部大会讨论转正"), rule::PROBATION),
        n => (
            format!("{on} 前办理{}", step_def(n).map(|d| d.name).unwrap_or("")),
            rule::STEPS,
        ),
    }
}

/// What a due review or report asks, in words.
fn describe_kept(kind: RecordKind, on: NaiveDate) -> String {
    match kind {
        RecordKind::Review => format!(
            "{on} 前进行半年考察（每 {} 个月一次）",
            crate::rules::development::ACTIVIST_REVIEW_EVERY_MONTHS
        ),
        RecordKind::Report => format!(
            "{on} 前提交思想汇报（每 {} 个月一次）",
            crate::rules::development::ACTIVIST_REPORT_EVERY_MONTHS
        ),
        RecordKind::Extension => format!("{on} 延长预备期"),
    }
}

/// Everything coming due for one history and its kept records, most
/// pressing first.
pub fn dues(done: &[(u8, NaiveDate)], tracked: &Tracked, today: NaiveDate) -> Vec<Due> {
    let ymd = |on: NaiveDate| on.format("%Y-%m-%d").to_string();
    let mut all: Vec<Due> = due_steps_with_extension(done, today, tracked.extension_months)
        .into_iter()
        .map(|(step, on, overdue)| {
            let (text, rule) = describe(step, on);
            Due {
                step,
                kind: "step",
                on: ymd(on),
                overdue,
                text,
                rule,
            }
        })
        .collect();
    all.extend(
        due_tracked(done, tracked, today)
            .into_iter()
            .map(|(kind, on, overdue)| Due {
                step: 6,
                kind: kind.code(),
                on: ymd(on),
                overdue,
                text: describe_kept(kind, on),
                rule: rule::ACTIVIST_ONLY,
            }),
    );
    all.sort_by(|a, b| (!a.overdue, &a.on).cmp(&(!b.overdue, &b.on)));
    all
}

/// A person's next step and what comes due for them (nothing once full),
/// from their steps and kept records.
pub fn progress(
    recs: &[StepRecord],
    kept: &[KeptRecord],
    status: &str,
    today: NaiveDate,
) -> (Option<&'static StepDef>, Vec<Due>) {
    let last = recs.iter().map(|r| r.step).max().unwrap_or(0);
    let next = u8::try_from(last + 1).ok().and_then(step_def);
    if status == Stage::Full.code() {
        return (next, Vec::new());
    }
    let done: Vec<(u8, NaiveDate)> = recs
        .iter()
        .filter_map(|r| Some((u8::try_from(r.step).ok()?, r.date()?)))
        .collect();
    let at_23 = recs
        .iter()
        .find(|r| r.step == 23)
        .and_then(|r| r.extension_months)
        .and_then(|m| u32::try_from(m).ok());
    let mut tracked = tracked_of(kept);
    tracked.extension_months = tracked.extension_months.or(at_23);
    (next, dues(&done, &tracked, today))
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
pub(super) type StepRow = (String, i64, String, Option<i64>);

/// The steps done and what is tracked beside them (the extension from step
/// 23 where it was recorded there), from one person's rows.
pub(super) fn history(steps: &[StepRow], kept: &[KeptRecord]) -> (Vec<(u8, NaiveDate)>, Tracked) {
    let (done, at_23) = done_of(steps);
    let mut t = tracked_of(kept);
    t.extension_months = t.extension_months.or(at_23);
    (done, t)
}

/// Per person: the steps, and what the kept records say.
pub(super) struct Loaded {
    people: Vec<Row>,
    steps: HashMap<String, Vec<StepRow>>,
    kept: HashMap<String, Vec<KeptRecord>>,
}

impl Loaded {
    fn of(&self, person_id: &str) -> (Vec<(u8, NaiveDate)>, Tracked) {
        history(
            self.steps.get(person_id).map(Vec::as_slice).unwrap_or(&[]),
            self.kept.get(person_id).map(Vec::as_slice).unwrap_or(&[]),
        )
    }
}

/// Which of the filter's people `load` reads.
pub(super) enum Only<'a> {
    All,
    /// Those with something due by that day (`next_due`).
    DueBy(NaiveDate),
    /// These (one page).
    Ids(&'a [String]),
}

/// The filter's people (in the scope, at its stage or in development).
pub(super) async fn filtered(db: &Db, scope: &Scope, f: &PipelineFilter) -> Result<Where> {
    let mut w = to_where(db, scope, f).await?;
    match f.stage {
        Some(Stage::Full) => w.push_raw(APPROVED_HERE.into()),
        Some(s) => w.push("p.status = {}", Param::S(s.code().into())),
        None => w.push_raw(IN_DEVELOPMENT.into()),
    }
    Ok(w)
}

/// The people of the filter, their steps and kept records.
pub(super) async fn load(db: &Db, scope: &Scope, f: &PipelineFilter, only: Only<'_>) -> Result<Loaded> {
    let mut w = filtered(db, scope, f).await?;
    match only {
        Only::All => {}
        Only::DueBy(day) => super::next_due::narrow(&mut w, day),
        Only::Ids(ids) => {
            let list = if ids.is_empty() {
                "NULL".to_string()
            } else {
                w.in_list(ids)
            };
            w.push_raw(format!("p.id IN ({list})"));
        }
    }
    let (cond, _) = w.sql();
    let sql = format!("SELECT p.id, p.name, p.org_id, p.status FROM people p {cond} ORDER BY p.name_pinyin, p.id");
    let people: Vec<Row> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let sql = format!(
        "SELECT d.person_id, d.step, d.done_on, d.extension_months FROM development_steps d \
         JOIN people p ON p.id = d.person_id {cond}"
    );
    let rows: Vec<StepRow> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let sql = format!("SELECT d.* FROM development_records d JOIN people p ON p.id = d.person_id {cond}");
    let records: Vec<KeptRecord> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let (steps, kept) = by_person(rows, records);
    Ok(Loaded { people, steps, kept })
}

/// Steps and kept records grouped by person.
pub(super) type ByPerson = (HashMap<String, Vec<StepRow>>, HashMap<String, Vec<KeptRecord>>);

pub(super) fn by_person(rows: Vec<StepRow>, records: Vec<KeptRecord>) -> ByPerson {
    let mut steps: HashMap<String, Vec<StepRow>> = HashMap::new();
    for r in rows {
        steps.entry(r.0.clone()).or_default().push(r);
    }
    let mut kept: HashMap<String, Vec<KeptRecord>> = HashMap::new();
    for r in records {
        kept.entry(r.person_id.clone()).or_default().push(r);
    }
    (steps, kept)
}

/// Counts per stage (in the scope and the filter's organization) and the
/// people of the filter's stage, or of every stage but `Full`.
pub async fn pipeline(db: &Db, scope: &Scope, f: &PipelineFilter, now: i64) -> Result<Pipeline> {
    let counts = stage_counts(db, scope, f).await?;
    let loaded = load(db, scope, f, Only::All).await?;
    let mut people = loaded.rows(crate::clock::beijing(now).date_naive());
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

/// Every stage, in order, with how many people of the filter's scope and
/// organization are at it.
pub(super) async fn stage_counts(db: &Db, scope: &Scope, f: &PipelineFilter) -> Result<Vec<StageCount>> {
    let mut w = to_where(db, scope, f).await?;
    w.push_raw(format!("({IN_DEVELOPMENT} OR {APPROVED_HERE})"));
    let (cond, _) = w.sql();
    let sql = format!("SELECT p.status, COUNT(*) FROM people p {cond} GROUP BY p.status");
    let by_status: Vec<(String, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(Stage::ALL
        .iter()
        .map(|s| StageCount {
            stage: *s,
            label: s.label(),
            count: by_status
                .iter()
                .find(|(code, _)| code == s.code())
                .map_or(0, |(_, n)| *n),
        })
        .collect())
}

impl Loaded {
    /// Each person loaded with their last step and what comes due first,
    /// in the order they were read.
    pub(super) fn rows(&self, today: NaiveDate) -> Vec<InDevelopment> {
        self.people
            .iter()
            .cloned()
            .filter_map(|(person_id, name, org_id, status)| {
                let stage = Stage::from_code(&status)?;
                let (done, tracked) = self.of(&person_id);
                let last = done.iter().max_by_key(|(n, _)| *n).copied();
                let next = last.map_or(Some(1), |(n, _)| step_def(n + 1).map(|d| d.no));
                let due = if stage == Stage::Full {
                    None
                } else {
                    dues(&done, &tracked, today).into_iter().next()
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
            .collect()
    }
}

/// Step 7 (确定发展对象) may be taken once the activist has trained a
/// year: its date is a start (起可), not a deadline.
const OPENS_ON_ITS_DATE: u8 = 7;

/// The development to-dos of everyone in development in the scope: steps
/// overdue, or due within `REMINDER_DAYS`; overdue first.
pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let today = crate::clock::beijing(now).date_naive();
    let horizon = today + Duration::days(REMINDER_DAYS);
    let loaded = load(db, scope, &PipelineFilter::default(), Only::DueBy(horizon)).await?;
    let mut out = Vec::new();
    for (person_id, name, _, _) in &loaded.people {
        let (done, tracked) = loaded.of(person_id);
        for d in dues(&done, &tracked, today) {
            let soon = NaiveDate::parse_from_str(&d.on, "%Y-%m-%d").is_ok_and(|on| on <= horizon);
            if !(d.overdue || soon) {
                continue;
            }
            let step = STEPS.get(usize::from(d.step).saturating_sub(1)).map_or("", |s| s.name);
            let title = match RecordKind::from_code(d.kind) {
                Some(k) => format!("{name}：{}（入党积极分子）", k.label()),
                None => format!("{name}：{step}（第 {} 步）", d.step),
            };
            // A step that may be taken from a date (起可) has no deadline.
            let opens = d.step == OPENS_ON_ITS_DATE;
            out.push(Todo {
                kind: "develop",
                title,
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
