//! Excel in and out: the plan (goals, KPIs, tasks) and the KPI value sheet
//! (指标填报表), plus starting a year from a template or from last year.
use super::{focus, Focus, FocusQuery};
use crate::download::attachment;
use crate::extract::Fields;
use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Multipart, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::audit::{self, Event, Outcome};
use tongpin_core::auth::Power;
use tongpin_core::plan::board::KpiRow;
use tongpin_core::plan::sheet::{self, ImportReport};
use tongpin_core::plan::{copy, template};
use tongpin_core::sheet::to_xlsx;
use tongpin_core::Error;

type SheetQuery = FocusQuery;

impl ImportPage {
    fn latest(&self, k: &KpiRow) -> String {
        match &k.status.latest {
            Some((p, v)) => format!("{}（{}）", super::figure(v), super::board::period_label(p)),
            None => "未填报".into(),
        }
    }
    fn missing(&self, k: &KpiRow) -> String {
        k.status
            .missing
            .iter()
            .map(|p| super::board::period_label(p))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// The KPIs of an organization's own goals for the value sheet page.
async fn kpis_of(a: &Auth, f: &Focus) -> Result<Vec<(String, KpiRow)>, Error> {
    let b = tongpin_core::plan::board::board(&a.state.db, &f.scope, &f.org_id, f.year, a.now()).await?;
    Ok(b.goals
        .into_iter()
        .flat_map(|c| {
            let title = c.goal.title.clone();
            c.kpis.into_iter().map(move |k| (title.clone(), k))
        })
        .collect())
}

impl FocusQuery {
    fn values(&self) -> bool {
        self.kind.as_deref() == Some("values")
    }
}

/// GET /plan/export: the plan as .xlsx (the import's layout).
pub async fn export_plan(a: Auth, Query(q): Query<SheetQuery>) -> Result<Response, PageError> {
    let f = focus(&a, Power::ViewPlan, &q).await?;
    let db = &a.state.db;
    let (table, name) = if q.values() {
        (
            sheet::export_values(db, &f.scope, &f.org_id, f.year, a.now()).await?,
            "指标填报表",
        )
    } else {
        (
            sheet::export_plan(db, &f.scope, &f.org_id, f.year, a.now()).await?,
            "年度计划",
        )
    };
    let ev = Event::new("plan.export", format!("{}（{} 年）", f.org_name, f.year), Outcome::Ok).detail(name);
    audit::record(db, a.now(), &a.actor(), ev).await?;
    Ok(attachment(
        to_xlsx(&table)?,
        &format!("{}{}年{name}.xlsx", f.org_name, f.year),
    ))
}

#[derive(Template)]
#[template(path = "plan/import.html")]
struct ImportPage {
    shell: Shell,
    f: Focus,
    tab: &'static str,
    values: bool,
    /// On the value sheet page: the organization's KPIs, with their goal.
    kpis: Vec<(String, KpiRow)>,
    report: Option<ImportReport>,
    dry_run: bool,
    error: Option<String>,
}

fn import_shell(a: &Auth, values: bool) -> Shell {
    Shell::new(
        a,
        if values { "/plan/values" } else { "/plan" },
        &["同谋划", if values { "指标填报" } else { "导入年度计划" }],
    )
}

/// GET /plan/import (年度计划) and GET /plan/values (指标填报表): the upload page.
pub async fn import_page(a: Auth, Query(q): Query<SheetQuery>) -> Result<Html<String>, PageError> {
    let power = if q.values() { Power::EnterKpi } else { Power::ManagePlan };
    let f = focus(&a, power, &q).await?;
    let kpis = if q.values() { kpis_of(&a, &f).await? } else { Vec::new() };
    Ok(Html(render(&ImportPage {
        shell: import_shell(&a, q.values()),
        tab: "values",
        kpis,
        values: q.values(),
        f,
        report: None,
        dry_run: true,
        error: None,
    })))
}

pub async fn values_page(a: Auth, Query(mut q): Query<SheetQuery>) -> Result<Html<String>, PageError> {
    q.kind = Some("values".into());
    import_page(a, Query(q)).await
}

pub async fn import_submit(a: Auth, Query(q): Query<SheetQuery>, mp: Multipart) -> Response {
    let values = q.values();
    let power = if values { Power::EnterKpi } else { Power::ManagePlan };
    let f = match focus(&a, power, &q).await {
        Ok(f) => f,
        Err(e) => return PageError(e).into_response(),
    };
    let result = async {
        let (bytes, filename, dry_run) = crate::upload::sheet_upload(mp).await?;
        let db = &a.state.db;
        let (now, actor) = (a.now(), a.actor());
        let r = if values {
            sheet::import_values(db, now, &actor, &f.scope, &f.org_id, f.year, bytes, &filename, dry_run).await?
        } else {
            sheet::import_plan(db, now, &actor, &f.scope, &f.org_id, f.year, bytes, &filename, dry_run).await?
        };
        Ok::<_, Error>((r, dry_run))
    }
    .await;
    let (report, dry_run, error, status) = match result {
        Ok((r, d)) => (Some(r), d, None, StatusCode::OK),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            (None, true, Some(e.to_string()), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return PageError(e).into_response(),
    };
    let kpis = if values {
        kpis_of(&a, &f).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let page = ImportPage {
        shell: import_shell(&a, values),
        tab: "values",
        kpis,
        values,
        f,
        report,
        dry_run,
        error,
    };
    (status, Html(render(&page))).into_response()
}

#[derive(Template)]
#[template(path = "plan/start.html")]
struct StartPage {
    shell: Shell,
    f: Focus,
    templates: &'static [(&'static str, &'static str)],
    error: Option<String>,
}

/// GET /plan/start: begin a year from a template or copy the previous one.
pub async fn start_page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let f = focus(&a, Power::ManagePlan, &q).await?;
    Ok(Html(render(&StartPage {
        shell: Shell::new(&a, "/plan", &["同谋划", "年度计划", "模板与复制"]),
        f,
        templates: template::TEMPLATES,
        error: None,
    })))
}

/// POST /plan/start: {org_id, year, template} or {org_id, year, copy_from}.
pub async fn start(a: Auth, Form(form): Form<Vec<(String, String)>>) -> Response {
    let fields = Fields(form);
    let q = FocusQuery {
        org: Some(fields.get("org_id").to_string()),
        year: Some(fields.get("year").to_string()),
        ..FocusQuery::default()
    };
    let f = match focus(&a, Power::ManagePlan, &q).await {
        Ok(f) => f,
        Err(e) => return PageError(e).into_response(),
    };
    let db = &a.state.db;
    let (now, actor) = (a.now(), a.actor());
    let r = match fields.get("copy_from").trim().parse::<i64>() {
        Ok(from) => copy::copy_year(db, now, &actor, &f.scope, &f.org_id, from, f.year)
            .await
            .map(|_| "copied"),
        Err(_) => template::apply(db, now, &actor, &f.scope, &f.org_id, f.year, fields.get("template"))
            .await
            .map(|_| "template"),
    };
    match r {
        Ok(done) => Redirect::to(&format!("/plan?org={}&year={}&done={done}", f.org_id, f.year)).into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let page = StartPage {
                shell: Shell::new(&a, "/plan", &["同谋划", "年度计划", "模板与复制"]),
                f,
                templates: template::TEMPLATES,
                error: Some(e.to_string()),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}
