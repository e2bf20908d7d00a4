//! The meeting form: kind, time, topic, who attended and who was absent and
//! why, minutes, resolutions with votes, appraisal grades, the goals it
//! served and attachments. One form records a held meeting or plans one.
use crate::extract::{Auth, Fields};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::life::{record, store, Absentee, Grade, Kind, NewGrade, NewMeeting, NewResolution, ReasonKind};
use tongpin_core::org::Scope;
use tongpin_core::plan::{goals, Goal};
use tongpin_core::rules::life::MEETING_FORM_LIST_MAX;
use tongpin_core::{files, org, Error};

pub const MAX_FILES: usize = 5;
const RESOLUTION_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "life/form.html")]
struct Page {
    shell: Shell,
    org_id: String,
    org_name: String,
    /// Some when recording how a planned meeting went, or correcting one.
    id: Option<String>,
    m: NewMeeting,
    kinds: Vec<Kind>,
    grades: [Grade; 4],
    reasons: [ReasonKind; 4],
    /// The members listed (all, or in a large organization the committee
    /// and those on the record), committee first for a 支委会.
    roster: Vec<store::Listed>,
    /// How many members the organization has.
    members: i64,
    /// More members than the form lists: the others are found by name.
    large: bool,
    goals: Vec<Goal>,
    resolutions: Vec<NewResolution>,
    error: Option<String>,
}

impl Page {
    fn att(&self, id: &str) -> &'static str {
        if self.m.attendee_ids.iter().any(|a| a == id) {
            "present"
        } else if self.m.absentees.iter().any(|a| a.person_id == id) {
            "absent"
        } else {
            ""
        }
    }
    fn reason(&self, id: &str) -> &str {
        self.m
            .absentees
            .iter()
            .find(|a| a.person_id == id)
            .map(|a| a.reason.as_str())
            .unwrap_or("")
    }
    fn reason_kind(&self, id: &str) -> &str {
        self.m
            .absentees
            .iter()
            .find(|a| a.person_id == id)
            .map(|a| a.reason_kind.as_str())
            .unwrap_or("")
    }
    fn grade(&self, id: &str) -> &str {
        self.m
            .grades
            .iter()
            .find(|g| g.person_id == id)
            .map(|g| g.grade.as_str())
            .unwrap_or("")
    }
    fn linked(&self, id: &str) -> bool {
        self.m.goal_ids.iter().any(|g| g == id)
    }
    fn picker_url(&self) -> String {
        format!("/api/v1/people/pick?for=life&org={}", self.org_id)
    }
    fn status_label(&self, code: &str) -> &'static str {
        if code == "full" {
            "正式党员"
        } else {
            "预备党员"
        }
    }
}

fn meeting_of(f: &Fields) -> NewMeeting {
    let mut attendee_ids = Vec::new();
    let mut absentees = Vec::new();
    let mut grades = Vec::new();
    for (k, v) in &f.0 {
        if let Some(id) = k.strip_prefix("att_") {
            match v.as_str() {
                "present" => attendee_ids.push(id.to_string()),
                "absent" => absentees.push(Absentee {
                    person_id: id.into(),
                    reason: f.get(&format!("reason_{id}")).into(),
                    reason_kind: f.get(&format!("reasonkind_{id}")).into(),
                }),
                _ => {}
            }
        }
        if let Some(id) = k.strip_prefix("grade_") {
            if !v.is_empty() {
                grades.push(NewGrade {
                    person_id: id.into(),
                    grade: v.clone(),
                });
            }
        }
    }
    let num = |k: &str| f.get(k).trim().parse::<i64>().unwrap_or(0);
    let resolutions = (1..=RESOLUTION_ROWS)
        .filter(|i| !f.get(&format!("r{i}_title")).trim().is_empty())
        .map(|i| NewResolution {
            title: f.get(&format!("r{i}_title")).into(),
            votes_for: num(&format!("r{i}_for")),
            votes_against: num(&format!("r{i}_against")),
            abstentions: num(&format!("r{i}_abstain")),
        })
        .collect();
    NewMeeting {
        org_id: f.get("org_id").into(),
        kind: f.get("kind").into(),
        held_at: f.get("held_at").into(),
        topic: f.get("topic").into(),
        status: f.get("status").into(),
        place: f.get("place").into(),
        host: f.get("host").into(),
        recorder: f.get("recorder").into(),
        host_person_id: f.get("host_person_id").into(),
        recorder_person_id: f.get("recorder_person_id").into(),
        agenda: f.get("agenda").into(),
        minutes: f.get("minutes").into(),
        attendee_ids,
        absentees,
        goal_ids: f.all("goal_id"),
        task_ids: Vec::new(),
        resolutions,
        grades,
        dual_life: f.on("dual_life"),
        lecturer_id: f.get("lecturer_id").into(),
    }
}

async fn form(a: &Auth, id: Option<String>, m: NewMeeting, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManageLife).await?;
    let db = &a.state.db;
    let o = org::get(db, &scope, &m.org_id).await?;
    let year = m.held_at.get(..4).and_then(|y| y.parse().ok()).unwrap_or_else(|| {
        i64::from(chrono::Datelike::year(
            &tongpin_core::clock::beijing(a.now()).date_naive(),
        ))
    });
    let mut resolutions = m.resolutions.clone();
    let keep: Vec<String> = m
        .attendee_ids
        .iter()
        .cloned()
        .chain(m.absentees.iter().map(|x| x.person_id.clone()))
        .collect();
    let (mut roster, members) = store::form_roster(db, &scope, &o.id, MEETING_FORM_LIST_MAX, &keep).await?;
    if m.kind == Kind::CommitteeMeeting.code() {
        // Stable: by pinyin within each part.
        roster.sort_by_key(|p| !p.committee);
    }
    resolutions.resize(RESOLUTION_ROWS.max(resolutions.len()), NewResolution::default());
    Ok(Html(render(&Page {
        shell: Shell::new(
            a,
            "/life",
            &[
                "组织生活",
                "三会一课",
                if id.is_some() {
                    "登记召开情况"
                } else {
                    "登记会议"
                },
            ],
        ),
        large: members > MEETING_FORM_LIST_MAX,
        roster,
        members,
        goals: goals::linkable(db, &o.path, year).await?,
        org_id: o.id,
        org_name: o.name,
        kinds: Kind::offered_to(&o.kind),
        grades: Grade::ALL,
        reasons: ReasonKind::ALL,
        resolutions,
        id,
        m,
        error,
    })))
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    org: Option<String>,
    kind: Option<String>,
    status: Option<String>,
}

pub async fn new_page(a: Auth, Query(q): Query<NewQuery>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ManageLife).await?;
    let org_id = match q.org.filter(|s| !s.trim().is_empty()) {
        Some(o) => o,
        None => crate::org_choice::chosen(&a.state.db, &scope, None).await?.0.id,
    };
    let now = tongpin_core::clock::beijing(a.now());
    let m = NewMeeting {
        org_id,
        kind: q.kind.unwrap_or_else(|| "theme_day".into()),
        status: q.status.unwrap_or_else(|| "held".into()),
        held_at: now.format("%Y-%m-%dT%H:00").to_string(),
        ..NewMeeting::default()
    };
    Ok(form(&a, None, m, None).await?)
}

/// Reads the multipart form: fields, and attachments saved as evidence files
/// once the meeting's organization is known to be in `scope` (nothing is
/// stored for an organization the caller may not record for).
/// In a large organization's form, "the others all present" (rest_present)
/// lists every member not marked otherwise as present.
async fn read(a: &Auth, scope: &Scope, mp: Multipart) -> Result<(NewMeeting, Vec<files::Stored>), Error> {
    let form = crate::upload::evidence_form(mp, &a.state.config, "attachment", MAX_FILES).await?;
    let fields = Fields(form.fields);
    let mut m = meeting_of(&fields);
    if fields.on("rest_present") {
        let scope = a.require(Power::ManageLife).await?;
        for id in store::member_ids(&a.state.db, &scope, &m.org_id).await? {
            if !m.attendee_ids.contains(&id) && !m.absentees.iter().any(|x| x.person_id == id) {
                m.attendee_ids.push(id);
            }
        }
    }
    let mut stored = Vec::new();
    if !form.files.is_empty() {
        org::get(&a.state.db, scope, &m.org_id).await?;
    }
    for spool in form.files {
        stored.push(files::save(&a.state.db, a.now(), &a.who.account_id, spool).await?);
    }
    Ok((m, stored))
}

pub async fn create(a: Auth, mp: Multipart) -> Response {
    let scope = match a.require(Power::ManageLife).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let (m, stored) = match read(&a, &scope, mp).await {
        Ok(x) => x,
        Err(e) => return PageError(e).into_response(),
    };
    match record::record(&a.state.db, a.now(), &a.actor(), &scope, &m, stored).await {
        Ok((id, new)) => Redirect::to(&format!(
            "/life/meetings/{id}?done={}",
            if new { "saved" } else { "duplicate" }
        ))
        .into_response(),
        Err(e) => {
            let msg = e.to_string();
            crate::error::refused(e, form(&a, None, m, Some(msg))).await
        }
    }
}

pub async fn edit_page(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ManageLife).await?;
    let db = &a.state.db;
    let mt = store::get(db, &scope, &id).await?;
    let att = store::attendance(db, &scope, &mt.id).await?;
    let links = store::links(db, &scope, &mt.id).await?;
    let m = NewMeeting {
        org_id: mt.org_id.clone(),
        kind: mt.kind.clone(),
        held_at: tongpin_core::clock::beijing(mt.starts_at)
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        topic: mt.topic.clone(),
        status: "held".into(),
        place: mt.place.clone(),
        host: mt.host.clone(),
        recorder: mt.recorder.clone(),
        host_person_id: mt.host_person_id.clone().unwrap_or_default(),
        recorder_person_id: mt.recorder_person_id.clone().unwrap_or_default(),
        agenda: mt.agenda.clone(),
        minutes: mt.minutes.clone(),
        attendee_ids: att.iter().filter(|x| x.present).map(|x| x.person_id.clone()).collect(),
        absentees: att
            .iter()
            .filter(|x| !x.present)
            .map(|x| Absentee {
                person_id: x.person_id.clone(),
                reason: x.reason.clone(),
                reason_kind: x.reason_kind.clone(),
            })
            .collect(),
        goal_ids: links
            .into_iter()
            .filter(|(k, _, _)| k == "goal")
            .map(|(_, i, _)| i)
            .collect(),
        dual_life: mt.dual_life,
        lecturer_id: mt.lecturer_id.clone().unwrap_or_default(),
        ..NewMeeting::default()
    };
    Ok(form(&a, Some(mt.id), m, None).await?)
}

pub async fn update(a: Auth, Path(id): Path<String>, mp: Multipart) -> Response {
    let scope = match a.require(Power::ManageLife).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    // The meeting must be the caller's to change before its files are read.
    if let Err(e) = store::get(&a.state.db, &scope, &id).await {
        return PageError(e).into_response();
    }
    let (m, stored) = match read(&a, &scope, mp).await {
        Ok(x) => x,
        Err(e) => return PageError(e).into_response(),
    };
    match record::update(&a.state.db, a.now(), &a.actor(), &scope, &id, &m, stored).await {
        Ok(()) => Redirect::to(&format!("/life/meetings/{id}?done=saved")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            crate::error::refused(e, form(&a, Some(id.clone()), m, Some(msg))).await
        }
    }
}
