//! One person's development: the 25 steps as a timeline, and the form that
//! records the next one.
use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use tongpin_core::auth::Power;
use tongpin_core::develop::{
    self, Body, Due, KeptRecord, NewKept, NewStep, RecordKind, Stage, StepDef, StepRecord, STEPS,
};
use tongpin_core::people::{self, Person};
use tongpin_core::rules::development as dr;
use tongpin_core::{clock, org, Error};

/// The form as posted: every value as text, numbers parsed here.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StepForm {
    step: String,
    done_on: String,
    body: String,
    responsible: String,
    document: String,
    note: String,
    introducer1: String,
    introducer2: String,
    training_days: String,
    training_hours: String,
    extension_months: String,
}

fn number(field: &str, raw: &str) -> Result<Option<i64>, Error> {
    match raw.trim() {
        "" => Ok(None),
        s => s
            .parse()
            .map(Some)
            .map_err(|_| Error::invalid(field, format!("“{s}”不是整数，请填写数字"))),
    }
}

impl StepForm {
    /// The form for `def`, filled with what the rules expect.
    fn fresh(def: &StepDef, today: NaiveDate) -> StepForm {
        StepForm {
            step: def.no.to_string(),
            done_on: today.format("%Y-%m-%d").to_string(),
            body: def.body.code().into(),
            document: def.document.into(),
            ..StepForm::default()
        }
    }

    fn to_new(&self) -> Result<NewStep, Error> {
        Ok(NewStep {
            step: number("步骤", &self.step)?.unwrap_or(0),
            done_on: self.done_on.clone(),
            body: self.body.clone(),
            responsible: self.responsible.clone(),
            document: self.document.clone(),
            note: self.note.clone(),
            introducers: vec![self.introducer1.clone(), self.introducer2.clone()],
            training_days: number("培训天数", &self.training_days)?,
            training_hours: number("培训学时", &self.training_hours)?,
            extension_months: number("延长预备期", &self.extension_months)?,
        })
    }
}

/// One of the 25 steps on the timeline.
pub struct StepView {
    pub def: &'static StepDef,
    /// The stage's title, on the first step of each stage.
    pub stage_head: Option<&'static str>,
    pub rec: Option<StepRecord>,
    pub warnings: Vec<String>,
    pub next: bool,
}

impl StepView {
    pub fn introducers(&self) -> String {
        self.rec.as_ref().map(|r| r.introducers.clone()).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "develop/person.html")]
struct PersonPage {
    shell: Shell,
    p: Person,
    org: String,
    steps: Vec<StepView>,
    done_count: usize,
    next: Option<&'static StepDef>,
    form: StepForm,
    bodies: Vec<(&'static str, &'static str)>,
    dues: Vec<Due>,
    /// Why there is no form, when there is none.
    closed: Option<&'static str>,
    error: Option<String>,
    error_field: String,
    saved: Option<String>,
    /// Reviews, reports and an extension, oldest first.
    kept: Vec<KeptRecord>,
    /// Which kept record may be added now: reviews and reports for an
    /// activist, an extension once probation has ended.
    keep_kinds: Vec<RecordKind>,
    keep_form: KeptForm,
    /// The form asks for months (an extension).
    keep_months: bool,
    keep_error: Option<String>,
    rules: Rules,
}

/// The rule table's numbers the page shows.
pub struct Rules {
    pub training_days: u32,
    pub training_hours: u32,
    pub extension_min: u32,
    pub extension_max: u32,
    pub review_every: u32,
    pub report_every: u32,
}

const RULES: Rules = Rules {
    training_days: dr::TRAINING_MIN_DAYS,
    training_hours: dr::TRAINING_MIN_CLASS_HOURS,
    extension_min: dr::EXTENSION_MIN_MONTHS,
    extension_max: dr::EXTENSION_MAX_MONTHS,
    review_every: dr::ACTIVIST_REVIEW_EVERY_MONTHS,
    report_every: dr::ACTIVIST_REPORT_EVERY_MONTHS,
};

/// The kept-record form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct KeptForm {
    kind: String,
    done_on: String,
    months: String,
    note: String,
}

impl KeptForm {
    fn to_new(&self) -> Result<NewKept, Error> {
        Ok(NewKept {
            kind: self.kind.clone(),
            done_on: self.done_on.clone(),
            months: number("延长预备期", &self.months)?,
            note: self.note.clone(),
        })
    }
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    done: Option<u8>,
    kept: Option<String>,
}

/// What may be kept now, from the steps done.
fn keep_kinds(recs: &[StepRecord], kept: &[KeptRecord], can_manage: bool) -> Vec<RecordKind> {
    let has = |no: i64| recs.iter().any(|r| r.step == no);
    if !can_manage {
        return Vec::new();
    }
    if has(3) && !has(7) {
        return vec![RecordKind::Review, RecordKind::Report];
    }
    let extended = kept.iter().any(|k| k.kind == RecordKind::Extension.code())
        || recs.iter().any(|r| r.extension_months.is_some());
    if has(17) && !has(23) && !extended {
        return vec![RecordKind::Extension];
    }
    Vec::new()
}

/// The timeline: each step with its record, if done; the stage's title on
/// its first step; warnings that did not refuse a step.
fn timeline(recs: &[StepRecord], next: Option<u8>) -> Vec<StepView> {
    let mut prev: Option<Stage> = None;
    STEPS
        .iter()
        .map(|def| {
            let rec = recs.iter().find(|r| r.step == i64::from(def.no)).cloned();
            let warnings = rec
                .as_ref()
                .and_then(StepRecord::date)
                .map(|on| {
                    let before: Vec<(u8, NaiveDate)> = recs
                        .iter()
                        .filter(|r| r.step < i64::from(def.no))
                        .filter_map(|r| Some((u8::try_from(r.step).ok()?, r.date()?)))
                        .collect();
                    develop::step_warnings(&before, def.no, on)
                })
                .unwrap_or_default();
            let stage_head = (prev != Some(def.stage)).then(|| def.stage.label());
            prev = Some(def.stage);
            StepView {
                def,
                stage_head,
                rec,
                warnings,
                next: next == Some(def.no),
            }
        })
        .collect()
}

/// What the page shows after a post: the step form or the kept-record form
/// as posted, with the error that refused it.
#[derive(Default)]
struct Posted {
    form: Option<StepForm>,
    error: Option<Error>,
    keep_form: Option<KeptForm>,
    keep_error: Option<Error>,
    saved: Option<String>,
}

async fn render_page(a: &Auth, id: &str, posted: Posted) -> Result<Html<String>, Error> {
    let Posted {
        form,
        error,
        keep_form,
        keep_error,
        saved,
    } = posted;
    let scope = a.require(Power::ViewPeople).await?;
    let db = &a.state.db;
    let p = people::get(db, &scope, id).await?;
    let recs = develop::steps(db, &scope, id).await?;
    let today = clock::beijing(a.now()).date_naive();
    let kept = develop::kept_records(db, &scope, id).await?;
    let (next, dues) = develop::progress(&recs, &kept, &p.status, today);
    let can_manage = a
        .who
        .scope(Power::ManagePeople)
        .is_some_and(|s| s.contains_path(&p.org_path));
    let is_full = p.status == Stage::Full.code();
    let closed = match next {
        None => Some("发展党员工作的 25 个步骤已全部办结。"),
        Some(d) if is_full && d.stage != Stage::Full => Some("该同志已是正式党员，未在本系统办理发展过程。"),
        _ if !can_manage => Some("您可以查看发展过程；登记步骤需由党务管理员或支部书记办理。"),
        _ => None,
    };
    let org = org::name_path_of(db, &p.org_id).await?.unwrap_or_default();
    let error_field = match error.as_ref().or(keep_error.as_ref()) {
        Some(Error::Invalid { field, .. }) => field.clone(),
        _ => String::new(),
    };
    let keep_kinds = keep_kinds(&recs, &kept, can_manage);
    let keep_form = keep_form.unwrap_or_else(|| KeptForm {
        kind: keep_kinds.first().map_or("", |k| k.code()).into(),
        done_on: today.format("%Y-%m-%d").to_string(),
        ..KeptForm::default()
    });
    let page = PersonPage {
        shell: Shell::new(a, "/develop", &["党员管理", "发展党员", p.name.as_str()]),
        org,
        steps: timeline(&recs, next.map(|d| d.no)),
        done_count: recs.len(),
        // A form posted for another step (a second click, a stale page)
        // is not shown again: the next step's starts fresh.
        form: form
            .filter(|f| next.is_some_and(|d| f.step.trim() == d.no.to_string()))
            .unwrap_or_else(|| next.map(|d| StepForm::fresh(d, today)).unwrap_or_default()),
        next,
        bodies: Body::ALL.iter().map(|b| (b.code(), b.label())).collect(),
        dues,
        closed,
        error: error.map(|e| e.to_string()),
        error_field,
        saved,
        kept,
        keep_months: keep_kinds.contains(&RecordKind::Extension),
        keep_kinds,
        keep_form,
        keep_error: keep_error.map(|e| e.to_string()),
        rules: RULES,
        p,
    };
    Ok(Html(render(&page)))
}

pub async fn page(a: Auth, Path(id): Path<String>, Query(q): Query<PageQuery>) -> Result<Html<String>, PageError> {
    let saved = q
        .done
        .and_then(develop::step_def)
        .map(|d| format!("已登记第 {} 步「{}」。", d.no, d.name))
        .or_else(|| {
            q.kept
                .as_deref()
                .and_then(RecordKind::from_code)
                .map(|k| format!("已登记{}。", k.label()))
        });
    let posted = Posted {
        saved,
        ..Posted::default()
    };
    Ok(render_page(&a, &id, posted).await?)
}

/// Records a review, a report or an extension; a refused one shows the form
/// again with the rule.
pub async fn keep(a: Auth, Path(id): Path<String>, Form(f): Form<KeptForm>) -> Response {
    let scope = match a.require(Power::ManagePeople).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let r = match f.to_new() {
        Ok(k) => develop::record_kept(&a.state.db, a.now(), &a.actor(), &scope, &id, &k).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => {
            let code = RecordKind::from_code(f.kind.trim()).map_or("", RecordKind::code);
            Redirect::to(&format!("/develop/{id}?kept={code}")).into_response()
        }
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let posted = Posted {
                keep_form: Some(f),
                keep_error: Some(e),
                ..Posted::default()
            };
            match render_page(&a, &id, posted).await {
                Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// Records the next step; a refused step shows the form again with the rule.
pub async fn record(a: Auth, Path(id): Path<String>, Form(f): Form<StepForm>) -> Response {
    let scope = match a.require(Power::ManagePeople).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let r = match f.to_new() {
        Ok(s) => develop::record_step(&a.state.db, a.now(), &a.actor(), &scope, &id, &s)
            .await
            .map(|_| s.step),
        Err(e) => Err(e),
    };
    match r {
        Ok(no) => Redirect::to(&format!("/develop/{id}?done={no}")).into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let posted = Posted {
                form: Some(f),
                error: Some(e),
                ..Posted::default()
            };
            match render_page(&a, &id, posted).await {
                Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}
