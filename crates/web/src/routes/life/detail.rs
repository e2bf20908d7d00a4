//! One meeting record, on screen and as a printable 会议记录.
use crate::extract::Auth;
use crate::fmt::cn_date;
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Html;
use tongpin_core::auth::Power;
use tongpin_core::clock::{beijing, format_beijing};
use tongpin_core::files;
use tongpin_core::life::{record, store, Attendance, Grade, Meeting, Resolution};

struct Record {
    m: Meeting,
    attendance: Vec<Attendance>,
    resolutions: Vec<Resolution>,
    grades: Vec<(String, String)>,
    links: Vec<(String, String, String)>,
    attachments: Vec<files::Attachment>,
}

impl Record {
    fn present(&self) -> Vec<&Attendance> {
        self.attendance.iter().filter(|a| a.present).collect()
    }
    fn absent(&self) -> Vec<&Attendance> {
        self.attendance.iter().filter(|a| !a.present).collect()
    }
    fn when(&self) -> String {
        let t = beijing(self.m.starts_at);
        format!("{} {}", cn_date(&t.format("%Y-%m-%d").to_string()), t.format("%H:%M"))
    }
    fn grade_label(&self, code: &str) -> &'static str {
        Grade::parse(code).map(Grade::label).unwrap_or("")
    }
}

async fn load(a: &Auth, id: &str) -> Result<Record, PageError> {
    let scope = a.require(Power::ViewLife).await?;
    let db = &a.state.db;
    let m = store::get(db, &scope, id).await?;
    Ok(Record {
        attendance: store::attendance(db, &scope, &m.id).await?,
        resolutions: store::resolutions(db, &scope, &m.id).await?,
        grades: store::grades(db, &scope, &m.id).await?,
        links: store::links(db, &scope, &m.id).await?,
        attachments: files::list(db, record::OWNER, std::slice::from_ref(&m.id)).await?,
        m,
    })
}

#[derive(Template)]
#[template(path = "life/detail.html")]
struct Page {
    shell: Shell,
    r: Record,
    can_manage: bool,
    notice: Option<&'static str>,
}

impl Page {
    fn at(&self, ms: &i64) -> String {
        format_beijing(*ms)
    }
    fn size(&self, n: &i64) -> String {
        files::size_label(u64::try_from(*n).unwrap_or(0))
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(a: Auth, Path(id): Path<String>, Query(q): Query<Done>) -> Result<Html<String>, PageError> {
    let r = load(&a, &id).await?;
    let notice = match q.done.as_deref() {
        Some("saved") => Some("已保存"),
        Some("duplicate") => Some("该会议此前已登记，未重复保存"),
        Some("cancelled") => Some("已取消"),
        _ => None,
    };
    Ok(Html(render(&Page {
        shell: Shell::new(&a, "/life", &["组织生活", "三会一课", r.m.kind_label()]),
        can_manage: a
            .who
            .scope(Power::ManageLife)
            .is_some_and(|s| s.contains_path(&r.m.org_path)),
        r,
        notice,
    })))
}

#[derive(Template)]
#[template(path = "life/print.html")]
struct Print {
    r: Record,
    printed: String,
}

/// The record laid out as a 会议记录 sheet, for printing.
pub async fn print(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let r = load(&a, &id).await?;
    Ok(Html(render(&Print {
        r,
        printed: format_beijing(a.now()),
    })))
}

pub async fn cancel(a: Auth, Path(id): Path<String>) -> Result<Redirect, PageError> {
    let scope = a.require(Power::ManageLife).await?;
    store::cancel(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(Redirect::to(&format!("/life/meetings/{id}?done=cancelled")))
}

/// An attachment of a meeting, to whoever may read the meeting.
pub async fn attachment(a: Auth, Path(id): Path<String>) -> Result<axum::response::Response, PageError> {
    let scope = a.require(Power::ViewLife).await?;
    let db = &a.state.db;
    let att = store::attachment(db, &scope, &id).await?;
    Ok(crate::download::stream_attachment(db, &att))
}
