use super::filter::AuditQuery;
use crate::extract::Auth;
use crate::PageError;
use axum::extract::Query;
use axum::response::Response;
use tongpin_core::audit::{self, action_label, Event, Outcome};
use tongpin_core::auth::cap;
use tongpin_core::clock::format_beijing;
use tongpin_core::sheet::{to_xlsx, Table};
use tongpin_core::Error;

/// Rows one export may hold; narrow the filter for more.
const MAX_ROWS: i64 = 100_000;

/// The filtered audit log as an .xlsx file; the export itself is audited.
pub async fn xlsx(a: Auth, Query(q): Query<AuditQuery>) -> Result<Response, PageError> {
    let by = a.capability::<cap::Audit>().await?;
    let filter = q.filter()?;
    let db = &a.state.db;
    let total = audit::count(db, &by, &filter).await?;
    if total > MAX_ROWS {
        return Err(Error::invalid(
            "导出范围",
            format!("共 {total} 条，超过单次导出上限 {MAX_ROWS} 条，请缩小日期范围"),
        )
        .into());
    }
    let rows = audit::list(db, &by, &filter, 0, MAX_ROWS).await?;
    let bytes = workbook(&rows)?;
    let ev = Event::new("audit.export", "审计日志", Outcome::Ok).detail(format!(
        "{} 条；条件：{}",
        rows.len(),
        q.query_string()
    ));
    audit::record(db, a.now(), &a.actor(), ev).await?;
    let name = format!(
        "审计日志_{}.xlsx",
        tongpin_core::clock::beijing(a.now()).format("%Y%m%d%H%M")
    );
    Ok(crate::download::attachment(bytes, &name))
}

fn workbook(rows: &[audit::Record]) -> tongpin_core::Result<Vec<u8>> {
    let headers = [
        "序号",
        "时间（北京时间）",
        "操作人",
        "权限范围",
        "操作",
        "对象",
        "结果",
        "客户端地址",
        "说明",
        "算法",
        "哈希",
    ];
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                r.seq.to_string(),
                format_beijing(r.at),
                r.actor_name.clone(),
                r.scope.clone(),
                action_label(&r.action).to_string(),
                r.object.clone(),
                Outcome::label(&r.result).to_string(),
                r.client_addr.clone(),
                r.detail.clone(),
                r.algo.clone(),
                r.hash.clone(),
            ]
        })
        .collect();
    to_xlsx(&Table {
        sheet: "审计日志".into(),
        headers: headers.map(String::from).to_vec(),
        rows,
        lists: vec![],
    })
}
