use super::{cn_date, cn_month};
use crate::download::attachment;
use crate::extract::{urlencode, Auth, Form};
use crate::org_choice;
use crate::redirect::Redirect;
use crate::shell::{render, Pager, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use tongpin_core::auth::Power;
use tongpin_core::dues::{self, Ledger, LedgerRow, MonthState, Totals};
use tongpin_core::rules::dues::ARREARS_FIRST_WARNING_MONTHS;
use tongpin_core::sheet::to_xlsx;
use tongpin_core::Error;

/// The ledger's query: the same for the page, the export and the API.
#[derive(Deserialize, Default, Clone)]
pub struct LedgerQuery {
    pub org: Option<String>,
    pub month: Option<String>,
    /// paid, unpaid (not paid, arrears included) or warned (3 months and more).
    pub state: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// After a batch payment: how many members were recorded.
    pub done: Option<usize>,
}

impl LedgerQuery {
    pub fn org(&self) -> Option<&str> {
        self.org.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    pub fn month(&self) -> Option<&str> {
        self.month.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    fn keeps(&self, r: &LedgerRow) -> bool {
        match self.state.as_deref() {
            Some("paid") => r.dues.state == MonthState::Paid,
            Some("unpaid") => r.dues.state != MonthState::Paid,
            Some("warned") => r.dues.arrears >= ARREARS_FIRST_WARNING_MONTHS,
            _ => true,
        }
    }
    /// `k=v&` pairs of the filters, for pager and export links.
    fn query_string(&self, month: &str) -> String {
        let mut s = format!("month={}&", urlencode(month));
        for (k, v) in [("org", &self.org), ("state", &self.state)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                s.push_str(&format!("{k}={}&", urlencode(v)));
            }
        }
        s
    }
}

#[derive(Template)]
#[template(path = "dues/ledger.html")]
struct LedgerPage {
    shell: Shell,
    q: LedgerQuery,
    month: String,
    current: String,
    today: String,
    org_name: String,
    rows: Vec<LedgerRow>,
    /// The whole ledger's totals, and those of the rows the filter keeps.
    totals: Totals,
    shown: Totals,
    pager: Pager,
    /// The filter's organization path (empty: all).
    org_path: String,
    can_manage: bool,
    export_query: String,
    error: Option<String>,
    notice: Option<String>,
}

impl LedgerPage {
    fn picker(&self) -> crate::period::PeriodPicker {
        crate::period::PeriodPicker::months("month", &self.month, &self.current, Some(&self.current))
    }
    fn cn_month(&self, m: &str) -> String {
        cn_month(m)
    }
    fn cn_date(&self, d: &str) -> String {
        cn_date(d)
    }
    /// Whether any row on this page can be checked for the batch payment.
    fn any_payable(&self) -> bool {
        self.rows.iter().any(|r| r.dues.payable())
    }
}

async fn ledger_page(a: &Auth, q: LedgerQuery, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewPeople).await?;
    let db = &a.state.db;
    let mut q = q;
    let mut error = error;
    let chosen = match org_choice::filter(db, &scope, q.org()).await {
        Err(Error::Invalid { .. }) => {
            error.get_or_insert("所选组织不在您的管理范围内".into());
            q.org = None;
            None
        }
        r => r?,
    };
    let ledger: Ledger = match dues::ledger(db, &scope, q.org(), q.month(), a.now()).await {
        Err(e @ Error::Invalid { .. }) => {
            error.get_or_insert(e.to_string());
            q.month = None;
            dues::ledger(db, &scope, q.org(), None, a.now()).await?
        }
        other => other?,
    };
    let kept: Vec<LedgerRow> = ledger.rows.into_iter().filter(|r| q.keeps(r)).collect();
    let shown = Totals::of(&kept);
    let pager = Pager::new(q.page, q.per_page, kept.len() as i64, q.query_string(&ledger.month));
    let rows = kept
        .into_iter()
        .skip(pager.offset() as usize)
        .take(pager.per_page as usize)
        .collect();
    let (org_name, org_path) = match chosen {
        Some((o, path)) => (o.name, path),
        None => ("全部（含下级）".into(), String::new()),
    };
    let notice = q
        .done
        .map(|n| format!("已登记 {n} 名党员的 {} 党费缴纳。", cn_month(&ledger.month)));
    let now = tongpin_core::clock::beijing(a.now());
    Ok(Html(render(&LedgerPage {
        shell: Shell::new(a, "/dues", &["党员管理", "党费"]),
        export_query: q.query_string(&ledger.month),
        current: dues::current_month(a.now()),
        today: now.format("%Y-%m-%d").to_string(),
        month: ledger.month,
        org_name,
        rows,
        totals: ledger.totals,
        shown,
        pager,
        org_path,
        can_manage: a.who.can(Power::ManagePeople),
        error,
        notice,
        q,
    })))
}

/// 党费台账: the month's ledger of the chosen organization and its subtree.
pub async fn ledger(a: Auth, Query(q): Query<LedgerQuery>) -> Result<Html<String>, PageError> {
    Ok(ledger_page(&a, q, None).await?)
}

/// 批量登记缴纳: the amount due for the checked members (`p.<id>` fields)
/// for the month shown.
pub async fn pay_batch(a: Auth, Form(f): Form<HashMap<String, String>>) -> Response {
    let field = |k: &str| f.get(k).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut ids: Vec<String> = f
        .keys()
        .filter_map(|k| k.strip_prefix("p."))
        .map(str::to_string)
        .collect();
    ids.sort();
    let month = field("month").unwrap_or_default();
    let back = LedgerQuery {
        org: field("org"),
        month: Some(month.clone()),
        state: field("state"),
        ..LedgerQuery::default()
    };
    let result = async {
        let scope = a.require(Power::ManagePeople).await?;
        let paid_on = field("paid_on").unwrap_or_default();
        dues::record_batch(&a.state.db, a.now(), &a.actor(), &scope, &month, &ids, &paid_on).await
    }
    .await;
    match result {
        Ok((n, _)) => {
            let to = format!("/dues?{}done={n}", back.query_string(&month));
            Redirect::to(&to).into_response()
        }
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => match ledger_page(&a, back, Some(e.to_string())).await
        {
            Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

/// 导出 Excel: the ledger as shown, with a totals row; audited.
pub async fn export(a: Auth, Query(q): Query<LedgerQuery>) -> Result<Response, PageError> {
    let scope = a.require(Power::ViewPeople).await?;
    let (table, org_name) = dues::export(&a.state.db, a.now(), &a.actor(), &scope, q.org(), q.month()).await?;
    let month = table.sheet.trim_start_matches("党费台账").to_string();
    let name = format!("党费台账_{org_name}_{month}.xlsx");
    Ok(attachment(to_xlsx(&table)?, &name))
}
