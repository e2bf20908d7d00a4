//! 落实情况 and 督查: an organization's compliance for a period with the
//! members warned for absence, and the superior's view of its subtree,
//! exported to Excel.
use super::calendar::{pick, Pick, PickQuery};
use crate::download::attachment;
use crate::extract::Auth;
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::{Html, Response};
use tongpin_core::auth::Power;
use tongpin_core::life::compliance::{self, Item, OrgCompliance};
use tongpin_core::life::participation::{self, Absence};
use tongpin_core::life::{Kind, Standing};
use tongpin_core::plan::Period;
use tongpin_core::sheet::{to_xlsx, Table};
use tongpin_core::standard::problems::{self as problem_list, ProblemQuery};
use tongpin_core::Error;

fn period_title(p: &str) -> String {
    Period::title_of(p)
}

#[derive(Template)]
#[template(path = "life/compliance.html")]
struct Page {
    shell: Shell,
    p: Pick,
    items: Vec<Item>,
    absences: Vec<Absence>,
    /// (person id, name, attended, missed) in the period.
    taking_part: Vec<(String, String, i64, i64)>,
    title: String,
}

pub async fn page(a: Auth, Query(q): Query<PickQuery>) -> Result<Html<String>, PageError> {
    let p = pick(&a, Power::ViewLife, &q).await?;
    let db = &a.state.db;
    let (_, items) = compliance::compliance(db, &p.scope, &p.org_id, &p.period, a.now()).await?;
    let absences = participation::absences(db, &p.scope, &p.org_id, a.now()).await?;
    let period = Period::parse_any(&p.period)?;
    let (from, to) = (
        period.first_day().format("%Y-%m").to_string(),
        period.last_day().format("%Y-%m").to_string(),
    );
    let taking_part = participation::attendance_counts(db, &p.scope, &p.org_id, &from, &to).await?;
    Ok(Html(render(&Page {
        taking_part,
        shell: Shell::new(&a, "/life/compliance", &["组织生活", "落实情况"]),
        title: period_title(&p.period),
        items,
        absences,
        p,
    })))
}

#[derive(Template)]
#[template(path = "life/supervision.html")]
struct Supervision {
    shell: Shell,
    p: Pick,
    kinds: Vec<(&'static str, &'static str)>,
    /// Per line, the organizations overdue on it (the whole subtree).
    overdue_by_kind: Vec<usize>,
    /// This page of the subtree's organizations.
    rows: Vec<OrgCompliance>,
    pager: Pager,
    overdue_orgs: usize,
    /// Rectification problems (标准化建设) of the subtree past their deadline,
    /// for a caller who may read the problem lists.
    overdue_problems: Option<usize>,
    title: String,
}

impl Supervision {
    fn cell(&self, c: &OrgCompliance, k: &(&'static str, &'static str)) -> (String, &'static str) {
        match c.items.iter().find(|i| i.code == k.0) {
            Some(i) if i.status == Standing::NotApplicable => ("—".into(), "not_applicable"),
            Some(i) => (format!("{}/{}", i.held, i.due), i.status.code()),
            None => ("—".into(), "not_applicable"),
        }
    }
}

/// The lines (code, label) any listed organization owes, in rule order
/// (the secretary's 党课 after the 党课).
fn kinds_of(rows: &[OrgCompliance]) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(usize, &'static str, &'static str)> = Vec::new();
    for i in rows.iter().flat_map(|r| r.items.iter()) {
        if i.status != Standing::NotApplicable && !out.iter().any(|o| o.1 == i.code) {
            let own = i.code != i.kind.code();
            let rank = Kind::ALL.iter().position(|k| *k == i.kind).unwrap_or(0) * 2 + usize::from(own);
            out.push((rank, i.code, if own { i.label } else { i.kind.label() }));
        }
    }
    out.sort_by_key(|o| o.0);
    out.into_iter().map(|(_, c, l)| (c, l)).collect()
}

/// The subtree's open problems past their deadline, when the caller reads
/// the problem lists of the organization.
async fn overdue_problems(a: &Auth, org_id: &str) -> Result<Option<usize>, Error> {
    let Some(scope) = a.who.scope(Power::ViewStandard) else {
        return Ok(None);
    };
    let q = ProblemQuery {
        org_id: Some(org_id.to_string()),
        overdue: true,
        ..Default::default()
    };
    match problem_list::list(&a.state.db, &scope, &q, a.now()).await {
        Ok(list) => Ok(Some(list.len())),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn supervision(a: Auth, Query(q): Query<PickQuery>) -> Result<Html<String>, PageError> {
    let p = pick(&a, Power::ViewLife, &q).await?;
    let overdue_problems = overdue_problems(&a, &p.org_id).await?;
    let r = a.state.db.for_reading().await;
    let mut all = compliance::supervision(&r.db, &p.scope, &p.org_id, &p.period, a.now()).await?;
    // Those with gaps first, most gaps first; then tree order.
    all.sort_by(|x, y| y.overdue().cmp(&x.overdue()).then_with(|| x.org.path.cmp(&y.org.path)));
    let kinds = kinds_of(&all);
    let overdue_by_kind = kinds
        .iter()
        .map(|k| {
            all.iter()
                .filter(|r| r.items.iter().any(|i| i.code == k.0 && i.status == Standing::Overdue))
                .count()
        })
        .collect();
    let num = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse().ok());
    let query = format!(
        "org={}&period={}&",
        percent_encoding::utf8_percent_encode(&p.org_id, percent_encoding::NON_ALPHANUMERIC),
        percent_encoding::utf8_percent_encode(&p.period, percent_encoding::NON_ALPHANUMERIC)
    );
    let pager = Pager::new(num(&q.page), num(&q.per_page), all.len() as i64, query);
    let overdue_orgs = all.iter().filter(|r| r.overdue() > 0).count();
    let rows = all
        .into_iter()
        .skip(usize::try_from(pager.offset()).unwrap_or(0))
        .take(usize::try_from(pager.per_page).unwrap_or(20))
        .collect();
    Ok(Html(render(&Supervision {
        shell: Shell::new(&a, "/life/supervision", &["组织生活", "督查"]).read_from(&r),
        kinds,
        overdue_by_kind,
        overdue_orgs,
        overdue_problems,
        title: period_title(&p.period),
        rows,
        pager,
        p,
    })))
}

/// The supervision table as .xlsx: one row per organization, held/due and the standing per obligation.
pub async fn export(a: Auth, Query(q): Query<PickQuery>) -> Result<Response, PageError> {
    let p = pick(&a, Power::ViewLife, &q).await?;
    let r = a.state.db.for_reading().await;
    let rows = compliance::supervision(&r.db, &p.scope, &p.org_id, &p.period, a.now()).await?;
    let kinds = kinds_of(&rows);
    let mut headers = vec!["组织".to_string(), "逾期项数".to_string()];
    for k in &kinds {
        let unit = if k.0 == "talk" {
            "已谈/应谈"
        } else {
            "已开/应开"
        };
        headers.push(format!("{}（{unit}）", k.1));
        headers.push(format!("{}状态", k.1));
    }
    let table = Table {
        sheet: "组织生活落实情况".into(),
        headers,
        rows: rows
            .iter()
            .map(|r| {
                let mut row = vec![r.org.name.clone(), r.overdue().to_string()];
                for k in &kinds {
                    match r.items.iter().find(|i| i.code == k.0) {
                        Some(i) if i.status != Standing::NotApplicable => {
                            row.push(format!("{}/{}", i.held, i.due));
                            row.push(i.status.label().into());
                        }
                        _ => row.extend(["—".to_string(), Standing::NotApplicable.label().to_string()]),
                    }
                }
                row
            })
            .collect(),
        lists: Vec::new(),
    };
    Ok(attachment(
        to_xlsx(&table)?,
        &format!("{}{}组织生活落实情况.xlsx", p.org_name, period_title(&p.period)),
    ))
}
