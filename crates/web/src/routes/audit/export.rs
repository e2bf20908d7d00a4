use super::filter::AuditQuery;
use crate::extract::Auth;
use crate::PageError;
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};
use tongpin_core::audit::{self, action_label, Event, Outcome};
use tongpin_core::auth::Power;
use tongpin_core::clock::format_beijing;
use tongpin_core::Error;

/// Rows one export may hold; narrow the filter for more.
const MAX_ROWS: i64 = 100_000;

/// The filtered audit log as an .xlsx file; the export itself is audited.
pub async fn xlsx(a: Auth, Query(q): Query<AuditQuery>) -> Result<Response, PageError> {
    a.require(Power::ReadAudit).await?;
    let filter = q.filter()?;
    let db = &a.state.db;
    let total = audit::count(db, &filter).await?;
    if total > MAX_ROWS {
        return Err(Error::invalid(
            "导出范围",
            format!("共 {total} 条，超过单次导出上限 {MAX_ROWS} 条，请缩小日期范围"),
        )
        .into());
    }
    let rows = audit::list(db, &filter, 0, MAX_ROWS).await?;
    let bytes = workbook(&rows).map_err(|e| PageError(Error::Db(format!("生成 Excel 失败：{e}"))))?;
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
    Ok(attachment(bytes, &name))
}

pub fn attachment(bytes: Vec<u8>, name: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}",
        crate::extract::urlencode(name).replace('+', "%20")
    );
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

fn workbook(rows: &[audit::Record]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("审计日志")?;
    let bold = Format::new().set_bold();
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
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        ws.write_number(row, 0, r.seq as f64)?;
        let cells = [
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
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(row, (c + 1) as u16, v)?;
        }
    }
    ws.set_column_width(1, 20)?;
    ws.set_column_width(2, 20)?;
    ws.set_column_width(5, 30)?;
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}
