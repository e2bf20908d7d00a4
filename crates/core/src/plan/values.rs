//! KPI values (指标值): one figure per KPI and period, entered by hand, by
//! import or by a business system, and read by every view.
use super::model::{Kpi, KpiValue, Source};
use super::rules::{parse_figure, Figure, Period};

use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::sql::Where;
use crate::{bind_all, with_db, with_tx, Error, Result};

/// A KPI with its goal's organization and year, for checks.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct KpiInfo {
    #[sqlx(flatten)]
    pub kpi: Kpi,
    pub goal_title: String,
    pub org_id: String,
    pub org_path: String,
    pub year: i64,
}

pub(super) async fn info(db: &Db, kpi_id: &str) -> Result<Option<KpiInfo>> {
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT k.id, k.goal_id, k.seq, k.name, k.unit, k.baseline, k.target, k.direction, k.period_kind, \
         k.created_at, g.title AS goal_title, g.org_id, o.path AS org_path, g.year FROM kpis k JOIN goals g ON g.id = k.goal_id \
         JOIN orgs o ON o.id = g.org_id WHERE k.id = $1"
    )
    .bind(kpi_id)
    .fetch_optional(p)
    .await?
    }))
}

/// Who may enter a figure: someone whose scope holds the KPI's
/// organization, or a business system's token bound to that organization.
pub enum Enterer<'a> {
    Scope(&'a Scope),
    Token { org_id: &'a str },
}

/// A figure as sent: "120", "120万元" (the KPI's own unit may follow).
pub fn parse_value(kpi: &Kpi, raw: &str, unit: Option<&str>) -> Result<Figure> {
    const F: &str = "指标值";
    let want = kpi.unit.trim();
    if let Some(u) = unit.map(str::trim).filter(|u| !u.is_empty()) {
        if u != want {
            return Err(Error::invalid(
                "单位",
                format!("“{u}”与指标“{}”的单位“{want}”不符，请换算为{want}后填报", kpi.name),
            ));
        }
    }
    let s = crate::people::normalize(raw);
    let s = s.trim();
    let digits = if !want.is_empty() {
        s.strip_suffix(want).unwrap_or(s).trim()
    } else {
        s
    };
    let is_number_char = |c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | ',' | ' ');
    if let Some(pos) = digits.find(|c: char| !is_number_char(c)) {
        if pos > 0 {
            let u = &digits[pos..];
            return Err(Error::invalid(
                "单位",
                format!("“{u}”与指标“{}”的单位“{want}”不符，请换算为{want}后填报", kpi.name),
            ));
        }
    }
    parse_figure(F, digits)
}

/// Records (or corrects) the figure of one period. Answers the stored period code.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    db: &Db,
    now: i64,
    actor: &Actor,
    who: Enterer<'_>,
    kpi_id: &str,
    period: &str,
    value: &str,
    unit: Option<&str>,
    source: Source,
) -> Result<String> {
    let entries = [(period.to_string(), value.to_string())];
    let mut done = record_many(db, now, actor, who, kpi_id, &entries, unit, source).await?;
    Ok(done.pop().map(|(p, _)| p).unwrap_or_default())
}

/// Records several periods of one KPI at once: every figure is checked
/// before any is written, and all are written in one transaction. Answers
/// (period, changed) for each entry.
#[allow(clippy::too_many_arguments)]
pub async fn record_many(
    db: &Db,
    now: i64,
    actor: &Actor,
    who: Enterer<'_>,
    kpi_id: &str,
    entries: &[(String, String)],
    unit: Option<&str>,
    source: Source,
) -> Result<Vec<(String, bool)>> {
    let info = match info(db, kpi_id.trim()).await? {
        Some(i)
            if match who {
                Enterer::Scope(s) => s.contains_path(&i.org_path),
                Enterer::Token { org_id } => i.org_id == org_id,
            } =>
        {
            i
        }
        _ => return Err(Error::NotFound("指标不存在或不在您的填报范围内".into())),
    };
    let year = i32::try_from(info.year).map_err(|_| Error::invalid("期间", "计划年度无效"))?;
    let mut checked = Vec::new();
    for (period, value) in entries {
        let period = Period::parse(period, info.kpi.period_kind(), year)?;
        let figure = parse_value(&info.kpi, value, unit).map_err(|e| match e {
            Error::Invalid { field, message } => Error::invalid(&format!("{}（{}）", field, period.label()), message),
            e => e,
        })?;
        checked.push((period.code(), figure));
    }
    let actor_name = actor.name.clone();
    db.transaction(move |tx| {
        let (info, checked, actor_name, actor) = (info.clone(), checked.clone(), actor_name.clone(), actor.clone());
        Box::pin(async move {
            let mut out = Vec::new();
            for (period, figure) in &checked {
                let old = write(tx, now, &info.kpi.id, period, *figure, source, &actor_name).await?;
                out.push((period.clone(), old != Some(*figure)));
                if old == Some(*figure) {
                    continue;
                }
                let shown = |v: Figure| format!("{}{}", super::rules::figure_text(v), info.kpi.unit);
                let detail = match old {
                    Some(o) => format!("{period}：{} → {}（更正）", shown(o), shown(*figure)),
                    None => format!("{period}：{}", shown(*figure)),
                };
                let ev = Event::new(
                    "kpi.value",
                    format!("{}／{}", info.goal_title, info.kpi.name),
                    Outcome::Ok,
                )
                .detail(format!("{detail}；来源：{}", source_label(source)));
                audit::append(tx, now, &actor, &ev).await?;
            }
            Ok(out)
        })
    })
    .await
}

pub fn source_label(s: Source) -> &'static str {
    match s {
        Source::Manual => "手工填报",
        Source::Import => "Excel 导入",
        Source::Api => "业务系统接口",
    }
}

/// Writes one figure, answering the one it replaced.
pub(super) async fn write(
    tx: &mut Tx,
    now: i64,
    kpi_id: &str,
    period: &str,
    figure: Figure,
    source: Source,
    by: &str,
) -> Result<Option<Figure>> {
    let old: Option<i64> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT value FROM kpi_values WHERE kpi_id = $1 AND period = $2"
    )
    .bind(kpi_id)
    .bind(period)
    .fetch_optional(c)
    .await?);
    let sql = if old.is_some() {
        "UPDATE kpi_values SET value = $3, source = $4, entered_by = $5, entered_at = $6 WHERE kpi_id = $1 AND period = $2"
    } else {
        "INSERT INTO kpi_values (kpi_id, period, value, source, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)"
    };
    with_tx!(tx, |c| sqlx::query(sql)
        .bind(kpi_id)
        .bind(period)
        .bind(figure)
        .bind(source.code())
        .bind(by)
        .bind(now)
        .execute(c)
        .await?
        .rows_affected());
    Ok(old)
}

/// The figures of some KPIs, by KPI then period.
pub async fn of_kpis(db: &Db, kpi_ids: &[String]) -> Result<Vec<KpiValue>> {
    let mut out = Vec::new();
    for chunk in kpi_ids.chunks(500) {
        let mut w = Where::default();
        let phs = w.in_list(chunk);
        let sql = format!(
            "SELECT kpi_id, period, value, source, entered_by, entered_at FROM kpi_values WHERE kpi_id IN ({}) \
             ORDER BY kpi_id, period",
            phs
        );
        let rows: Vec<KpiValue> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        out.extend(rows);
    }
    Ok(out)
}

/// One KPI with its values, if the scope holds its organization.
pub async fn kpi(db: &Db, scope: &Scope, kpi_id: &str) -> Result<(KpiInfo, Vec<KpiValue>)> {
    match info(db, kpi_id.trim()).await? {
        Some(i) if scope.contains_path(&i.org_path) => {
            let vals = of_kpis(db, std::slice::from_ref(&i.kpi.id)).await?;
            Ok((i, vals))
        }
        _ => Err(Error::NotFound("指标不存在或不在您的管理范围内".into())),
    }
}
