//! Excel of the ledger and of the problem list, from the same queries as
//! their pages.
use super::grade_short;
use super::ledger::{choose, Params};
use super::problems::{selected, source_label, status_label, title_of, ListQuery};
use crate::download::attachment;
use crate::extract::Auth;
use crate::PageError;
use axum::extract::Query;
use axum::response::Response;
use tongpin_core::sheet::{to_xlsx, Table};

fn table(sheet: &str, headers: &[&str], rows: Vec<Vec<String>>) -> Table {
    Table {
        sheet: sheet.into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
        lists: Vec::new(),
    }
}

pub async fn ledger(a: Auth, Query(q): Query<Params>) -> Result<Response, PageError> {
    let c = choose(&a, &q).await?;
    let headers = [
        "组织",
        "所属",
        "状态",
        "定级",
        "轮次",
        "未达到的达标项",
        "提升项得分率",
        "未销号问题",
        "逾期问题",
    ];
    let (name, rows) = match &c.ledger {
        Some(l) => {
            let rows = l
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.org_name.clone(),
                        super::ledger::group_name(l, r),
                        r.status.label().to_string(),
                        r.grade.map_or("—", |g| grade_short(g.code())).to_string(),
                        format!("第{}轮", r.round),
                        r.baseline_unmet.to_string(),
                        super::share_text(r.share_bp),
                        r.open_problems.to_string(),
                        r.overdue_problems.to_string(),
                    ]
                })
                .collect();
            (
                format!("{}{}达标定级台账.xlsx", l.root_name, l.standard.display()),
                rows,
            )
        }
        None => (format!("{}年度达标定级台账.xlsx", c.year), Vec::new()),
    };
    Ok(attachment(to_xlsx(&table("达标定级台账", &headers, rows))?, &name))
}

pub async fn problems(a: Auth, Query(q): Query<ListQuery>) -> Result<Response, PageError> {
    let list = selected(&a, &q).await?;
    let title = title_of(&a, &q).await?;
    let headers = [
        "组织",
        "项目编号",
        "项目",
        "问题原因",
        "整改措施",
        "责任人",
        "整改时限",
        "是否逾期",
        "来源",
        "轮次",
        "状态",
        "整改情况",
        "核验意见",
    ];
    let rows = list
        .into_iter()
        .map(|p| {
            vec![
                p.org_name,
                p.item_code,
                p.item_title,
                p.cause,
                p.measure,
                p.owner_name,
                p.deadline,
                if p.overdue { "已逾期" } else { "" }.to_string(),
                source_label(&p.source).to_string(),
                format!("第{}轮", p.round),
                status_label(&p.status).to_string(),
                p.report_note,
                p.verify_comment,
            ]
        })
        .collect();
    Ok(attachment(
        to_xlsx(&table("问题清单", &headers, rows))?,
        &format!("{title}.xlsx"),
    ))
}
