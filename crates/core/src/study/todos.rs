//! Study to-dos: a filed plan awaiting the superior's review (for the
//! reviewer), a returned plan (for its organization), and a branch with no
//! plan filed for the year (for the branch, due by the end of January; its
//! superiors see the branches without one on the review list).
use super::rules::filing_due;
use super::today;
use crate::db::Db;
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::todo::Todo;
use crate::{bind_all, with_db, Result};
use chrono::Datelike;

const LIMIT: i64 = 200;

/// The study to-dos of a ManageStudy scope.
pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let today = today(now);
    let mut out = Vec::new();
    let mut w = Where::default();
    w.push_raw("s.status IN ('filed', 'returned')".into());
    scope.restrict(&mut w, "o.path");
    let lim = w.param(Param::I(LIMIT));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT s.id, s.org_id, o.name, o.path, s.year, s.status, s.review_comment FROM study_plans s \
         JOIN orgs o ON o.id = s.org_id {cond} ORDER BY s.year, o.path LIMIT {lim}"
    );
    let rows: Vec<(String, String, String, String, i64, String, String)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    for (id, org_id, org, path, year, status, comment) in rows {
        let below = scope.contains_below(&path);
        if status == "filed" && below {
            out.push(Todo {
                kind: "study",
                title: format!("审核学习计划：{org}{year}年度学习计划"),
                detail: "下级党组织已报备年度学习计划，请审核通过或提出意见退回".into(),
                due: None,
                from: None,
                overdue: false,
                href: format!("/study/plans/{id}"),
            });
        } else if status == "returned" && !below {
            out.push(Todo {
                kind: "study",
                title: format!("修改学习计划：{org}{year}年度学习计划被退回"),
                detail: format!("上级意见：{comment}；请修改后重新报备"),
                due: None,
                from: None,
                overdue: false,
                href: format!("/study/plans?org={org_id}&year={year}"),
            });
        }
    }
    let year = today.year();
    let Some(due) = filing_due(year) else {
        return Ok(out);
    };
    let overdue = today > due;
    let mut w = Where::default();
    w.push_raw("o.kind = 'branch' AND o.dissolved_at IS NULL".into());
    scope.restrict(&mut w, "o.path");
    let y = w.param(Param::I(i64::from(year)));
    w.push_raw(format!(
        "NOT EXISTS (SELECT 1 FROM study_plans s WHERE s.org_id = o.id AND s.year = {y} AND s.status <> 'draft')"
    ));
    let lim = w.param(Param::I(LIMIT));
    let (cond, _) = w.sql();
    let sql = format!("SELECT o.id, o.name, o.path FROM orgs o {cond} ORDER BY o.path LIMIT {lim}");
    let rows: Vec<(String, String, String)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    for (id, name, path) in rows {
        // The branch's own to-do; its superiors see it on the review list.
        if scope.contains_below(&path) {
            continue;
        }
        out.push(Todo {
            kind: "study",
            title: format!("报备学习计划：{name}{year}年度学习计划"),
            detail: format!("年度学习计划应于 {due} 前报上级党组织备案"),
            due: Some(due.to_string()),
            from: None,
            overdue,
            href: format!("/study/plans?org={id}&year={year}"),
        });
    }
    Ok(out)
}
