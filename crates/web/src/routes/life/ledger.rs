//! 三会一课台账: a branch's month, quarter or year — every meeting held with
//! time, topic, host, attendance — as a print page and as Excel.
use super::calendar::{pick, Pick, PickQuery};
use crate::download::attachment;
use crate::extract::Auth;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::{Html, Response};
use tongpin_core::auth::Power;
use tongpin_core::clock::beijing;
use tongpin_core::life::{store, Meeting};
use tongpin_core::plan::Period;
use tongpin_core::sheet::{to_xlsx, Table};
use tongpin_core::Error;

/// One line of the ledger.
struct Line {
    m: Meeting,
    present: usize,
    absent: Vec<String>,
}

impl Line {
    /// "2026年8月10日 09:00", as the meeting's own page reads it.
    fn when(&self) -> String {
        let t = beijing(self.m.starts_at);
        format!(
            "{} {}",
            crate::fmt::cn_date(&t.format("%Y-%m-%d").to_string()),
            t.format("%H:%M")
        )
    }
}

/// The chosen period (a month, a quarter or a year); `pick` has checked it.
fn period_of(p: &Pick) -> Result<Period, Error> {
    Period::parse_any(&p.period)
}

async fn lines(a: &Auth, p: &Pick) -> Result<Vec<Line>, Error> {
    let db = &a.state.db;
    let period = period_of(p)?;
    let (from, to) = (
        period.first_day().format("%Y-%m").to_string(),
        period.last_day().format("%Y-%m").to_string(),
    );
    let list = store::list(db, &p.scope, &p.org_id, &from, &to, false).await?;
    let mut out = Vec::new();
    for m in list.into_iter().filter(|m| m.status == "held") {
        let att = store::attendance(db, &p.scope, &m.id).await?;
        out.push(Line {
            present: att.iter().filter(|x| x.present).count(),
            absent: att
                .iter()
                .filter(|x| !x.present)
                .map(|x| format!("{}（{}）", x.name, x.reason_text()))
                .collect(),
            m,
        });
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "life/ledger.html")]
struct Page {
    shell: Shell,
    p: Pick,
    lines: Vec<Line>,
    /// "2026年11月", "2026年第三季度", "2026年度".
    title: String,
    /// "本月", "本季度", "本年度": the empty table's words.
    span: &'static str,
}

/// The period asked for (`period`, or the older `month`), this month by default.
fn period_query(a: &Auth, q: PickQuery) -> PickQuery {
    let period = q
        .period
        .clone()
        .filter(|p| !p.trim().is_empty())
        .or_else(|| q.month.clone().filter(|m| !m.trim().is_empty()))
        .unwrap_or_else(|| super::this_month(a.now()));
    PickQuery {
        org: q.org,
        month: None,
        period: Some(period),
        ..PickQuery::default()
    }
}

pub async fn page(a: Auth, Query(q): Query<PickQuery>) -> Result<Html<String>, PageError> {
    let q = period_query(&a, q);
    let p = pick(&a, Power::ViewLife, &q).await?;
    let lines = lines(&a, &p).await?;
    let period = period_of(&p)?;
    Ok(Html(render(&Page {
        shell: Shell::new(&a, "/life", &["组织生活", "三会一课台账"]),
        title: period.title(),
        span: match period.kind {
            tongpin_core::plan::PeriodKind::Month => "本月",
            tongpin_core::plan::PeriodKind::Quarter => "本季度",
            tongpin_core::plan::PeriodKind::Year => "本年度",
        },
        lines,
        p,
    })))
}

pub async fn export(a: Auth, Query(q): Query<PickQuery>) -> Result<Response, PageError> {
    let q = period_query(&a, q);
    let p = pick(&a, Power::ViewLife, &q).await?;
    let lines = lines(&a, &p).await?;
    let title = period_of(&p)?.title();
    let table = Table {
        sheet: "三会一课台账".into(),
        headers: [
            "时间",
            "类型",
            "主题",
            "地点",
            "主持人",
            "记录人",
            "实到人数",
            "缺席人员及原因",
        ]
        .map(String::from)
        .to_vec(),
        rows: lines
            .iter()
            .map(|l| {
                vec![
                    l.when(),
                    l.m.kind_label().into(),
                    l.m.topic_text().to_string(),
                    l.m.place.clone(),
                    l.m.host.clone(),
                    l.m.recorder.clone(),
                    l.present.to_string(),
                    l.absent.join("、"),
                ]
            })
            .collect(),
        lists: Vec::new(),
    };
    let name = format!("{}{title}三会一课台账.xlsx", p.org_name);
    Ok(attachment(to_xlsx(&table)?, &name))
}
