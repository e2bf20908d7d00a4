//! 三会一课台账: a branch's month — every meeting with time, topic, host,
//! attendance — as a print page and as Excel.
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
use tongpin_core::sheet::{to_xlsx, Table};
use tongpin_core::Error;

/// One line of the ledger.
struct Line {
    m: Meeting,
    present: usize,
    absent: Vec<String>,
}

impl Line {
    fn when(&self) -> String {
        beijing(self.m.starts_at).format("%Y-%m-%d %H:%M").to_string()
    }
}

async fn lines(a: &Auth, p: &Pick) -> Result<Vec<Line>, Error> {
    let db = &a.state.db;
    let month = p.period.get(..7).unwrap_or(&p.period).to_string();
    let list = store::list(db, &p.scope, &p.org_id, &month, &month, false).await?;
    let mut out = Vec::new();
    for m in list.into_iter().filter(|m| m.status == "held") {
        let att = store::attendance(db, &m.id).await?;
        out.push(Line {
            present: att.iter().filter(|x| x.present).count(),
            absent: att
                .iter()
                .filter(|x| !x.present)
                .map(|x| format!("{}（{}）", x.name, x.reason))
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
    month: String,
}

fn month_query(a: &Auth, q: PickQuery) -> PickQuery {
    PickQuery {
        month: q.month.or_else(|| Some(super::this_month(a.now()))),
        ..q
    }
}

pub async fn page(a: Auth, Query(q): Query<PickQuery>) -> Result<Html<String>, PageError> {
    let q = month_query(&a, q);
    let p = pick(&a, Power::ViewLife, &q).await?;
    let lines = lines(&a, &p).await?;
    Ok(Html(render(&Page {
        shell: Shell::new(&a, "/life", &["组织生活", "三会一课台账"]),
        month: crate::fmt::cn_month(&p.period),
        lines,
        p,
    })))
}

pub async fn export(a: Auth, Query(q): Query<PickQuery>) -> Result<Response, PageError> {
    let q = month_query(&a, q);
    let p = pick(&a, Power::ViewLife, &q).await?;
    let lines = lines(&a, &p).await?;
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
                    l.m.topic.clone(),
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
    let name = format!("{}{}三会一课台账.xlsx", p.org_name, crate::fmt::cn_month(&p.period));
    Ok(attachment(to_xlsx(&table)?, &name))
}
