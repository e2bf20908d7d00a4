//! 指标填报: one KPI's figures for each period of its year, entered once.
use super::{figure, pct};
use crate::extract::Fields;
use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::clock::format_beijing;
use tongpin_core::plan::values::{self, Enterer, KpiInfo};
use tongpin_core::plan::{attainment_bp, KpiValue, Period, Source};
use tongpin_core::Error;

struct Row {
    code: String,
    label: String,
    /// "2026年3月", "2026年第一季度", "2026年度".
    title: String,
    value: Option<KpiValue>,
    typed: String,
    ended: bool,
    /// Ended and owed (not before the KPI was set up): a missing figure is 缺报.
    owed: bool,
}

#[derive(Template)]
#[template(path = "plan/kpi.html")]
struct Page {
    shell: Shell,
    k: KpiInfo,
    rows: Vec<Row>,
    can_enter: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl Page {
    fn figure(&self, v: &i64) -> String {
        figure(v)
    }
    fn attainment(&self, v: &KpiValue) -> String {
        pct(&attainment_bp(self.k.kpi.direction(), self.k.kpi.baseline, self.k.kpi.target, v.value).ok())
    }
    fn at(&self, ms: &i64) -> String {
        format_beijing(*ms)
    }
    fn source(&self, s: &str) -> &'static str {
        match s {
            "import" => "Excel 导入",
            "api" => "业务系统接口",
            _ => "手工填报",
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    saved: Option<usize>,
}

async fn render_page(
    a: &Auth,
    id: &str,
    typed: &Fields,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewPlan).await?;
    let (k, vals) = values::kpi(&a.state.db, &scope, id).await?;
    let today = tongpin_core::clock::beijing(a.now()).date_naive();
    let start = k.kpi.reporting_start(k.year);
    let rows = Period::all_in(k.kpi.period_kind(), k.year as i32)
        .into_iter()
        .map(|p| {
            let code = p.code();
            Row {
                value: vals.iter().find(|v| v.period == code).cloned(),
                typed: typed.get(&format!("v_{code}")).to_string(),
                label: p.label(),
                title: p.title(),
                ended: p.last_day() < today,
                owed: p.is_due(start, today),
                code,
            }
        })
        .collect();
    Ok(Html(render(&Page {
        shell: Shell::new(a, "/plan", &["同谋划", "指标填报"]),
        can_enter: a
            .who
            .scope(Power::EnterKpi)
            .is_some_and(|s| s.contains_path(&k.org_path)),
        k,
        rows,
        error,
        notice,
    })))
}

pub async fn page(a: Auth, Path(id): Path<String>, Query(q): Query<Done>) -> Result<Html<String>, PageError> {
    let notice = q
        .saved
        .map(|n| format!("已保存 {n} 个数值；同一数值在看板、矩阵和考核中共用，无需重复填报"));
    Ok(render_page(&a, &id, &Fields(Vec::new()), None, notice).await?)
}

/// Saves every filled period at once: all checked first, then all written.
pub async fn save(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let scope = match a.require(Power::EnterKpi).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let entries: Vec<(String, String)> =
        f.0.iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("v_")?.to_string(), v.trim().to_string())))
            .filter(|(_, v)| !v.is_empty())
            .collect();
    let r = values::record_many(
        &a.state.db,
        a.now(),
        &a.actor(),
        Enterer::Scope(&scope),
        &id,
        &entries,
        None,
        Source::Manual,
    )
    .await;
    match r {
        Ok(done) => {
            let n = done.iter().filter(|(_, changed)| *changed).count();
            Redirect::to(&format!("/plan/kpis/{id}?saved={n}")).into_response()
        }
        Err(e @ Error::Invalid { .. }) => match render_page(&a, &id, &f, Some(e.to_string()), None).await {
            Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}
