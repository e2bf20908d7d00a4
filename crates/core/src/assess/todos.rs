//! Assessment to-dos: an appeal waiting for the caller's decision (staff of
//! the organization above the assessor, or of the assessor at the top), and
//! an assessment still open after its period ended (for the assessor: check
//! the points, then close and publish).
use super::scope_cond;
use crate::db::Db;
use crate::org::Scope;
use crate::plan::Period;
use crate::sql::{Param, Where};
use crate::todo::Todo;
use crate::{bind_all, with_db, Result};

const LIMIT: i64 = 200;

/// The assessment to-dos of a ManageAssessment scope.
pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let mut out = Vec::new();
    let mut w = Where::default();
    w.push_raw("x.status = 'pending'".into());
    let c = scope_cond(scope, &mut w, "COALESCE(po.path, o.path)");
    w.push_raw(c);
    let lim = w.param(Param::I(LIMIT));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT a.id, a.title, COALESCE(p.name, tor.name), x.filed_at FROM assessment_appeals x \
         JOIN assessments a ON a.id = x.assessment_id JOIN orgs o ON o.id = a.org_id \
         LEFT JOIN orgs po ON po.id = o.parent_id \
         JOIN assessment_targets t ON t.assessment_id = x.assessment_id AND t.target_id = x.target_id \
         JOIN orgs tor ON tor.id = t.org_id LEFT JOIN people p ON p.id = x.target_id \
         {cond} ORDER BY x.filed_at LIMIT {lim}"
    );
    let rows: Vec<(String, String, String, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    for (id, title, target, filed_at) in rows {
        out.push(Todo {
            kind: "assess",
            title: format!("处理考核申诉：{target}（{title}）"),
            detail: format!(
                "{} 提出申诉；申诉由考核组织的上级党组织维持或改判，处理结果向申诉方公开",
                crate::clock::beijing(filed_at).date_naive()
            ),
            due: None,
            from: None,
            overdue: false,
            href: format!("/assessments/{id}/appeals"),
        });
    }
    let mut w = Where::default();
    w.push_raw("a.status = 'open'".into());
    let c = scope_cond(scope, &mut w, "o.path");
    w.push_raw(c);
    let lim = w.param(Param::I(LIMIT));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT a.id, a.title, a.period FROM assessments a JOIN orgs o ON o.id = a.org_id {cond} \
         ORDER BY a.period, a.created_at LIMIT {lim}"
    );
    let rows: Vec<(String, String, String)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let today = super::today(now);
    for (id, title, period) in rows {
        let Ok(p) = Period::parse_any(&period) else { continue };
        let Some(from) = p.last_day().succ_opt().filter(|d| *d <= today) else {
            continue;
        };
        out.push(Todo {
            kind: "assess",
            title: format!("结束考核并公布结果：{title}"),
            detail: format!("{}已结束，请核对录入和评价后结束考核、封存并公布结果", p.title()),
            due: None,
            from: Some(from.to_string()),
            overdue: false,
            href: format!("/assessments/{id}"),
        });
    }
    Ok(out)
}
