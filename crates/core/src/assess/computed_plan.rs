//! kpi_attainment and task_completion, from the annual plan (四同步).
//! KPIs: the organization's own goals of the period's year (a member's: the
//! goals they own), each KPI reporting within the period read at its latest
//! figure there, its attainment as the plan computes it (basis points, half
//! up) held to 0–100 %, a KPI with no figure counting 0; the share is their
//! mean. Tasks: the Party tasks whose deadline falls in the period and has
//! passed (or that are done), and of them those done by their deadline.
use super::computed::{simple, value_codes, Ctx, Share, Shares};
use super::lines::Part;
use crate::db::Db;
use crate::rules::assess::WHOLE_BP;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};

/// A KPI's attainment held to 0–10 000 basis points, rounded half up, in
/// SQL (`v` the figure, `k` the KPI). Spans beyond 10^14 ten-thousandths
/// are scaled down first so no product overflows.
pub(crate) fn attainment_sql() -> String {
    let sn = "(CASE WHEN k.target > k.baseline THEN v.value - k.baseline ELSE k.baseline - v.value END)";
    let sd = "(CASE WHEN k.target > k.baseline THEN k.target - k.baseline ELSE k.baseline - k.target END)";
    format!(
        "(CASE WHEN v.value IS NULL OR {sn} <= 0 THEN 0 WHEN {sn} >= {sd} THEN {WHOLE_BP} \
         WHEN {sd} > 100000000000000 THEN ({sn} / 10000 * 20000 + {sd} / 10000) / (2 * ({sd} / 10000)) \
         ELSE ({sn} * 20000 + {sd}) / (2 * {sd}) END)"
    )
}

/// The KPI source's query: (target, KPIs, reported, attainment sum) rows.
pub(crate) fn kpis_query(ctx: &Ctx<'_>) -> (String, Vec<Param>) {
    let (codes, kinds) = value_codes(&ctx.period);
    let kinds: Vec<String> = kinds.into_iter().map(String::from).collect();
    let mut w = Where::default();
    let id = w.param(Param::S(ctx.a.id.clone()));
    let year = w.param(Param::I(i64::from(ctx.period.year)));
    let kind_list = w.in_list(&kinds);
    let code_list = w.in_list(&codes);
    let goals = if ctx.orgs() {
        format!("JOIN goals g ON g.org_id = t.target_id AND g.year = {year}")
    } else {
        format!(
            "JOIN plan_people pp ON pp.person_id = t.target_id JOIN goals g ON g.id = pp.item_id AND g.year = {year}"
        )
    };
    let sql = format!(
        "SELECT t.target_id, COUNT(*), SUM(CASE WHEN v.value IS NULL THEN 0 ELSE 1 END), CAST(SUM({}) AS BIGINT) \
         FROM assessment_targets t {goals} \
         JOIN kpis k ON k.goal_id = g.id AND k.period_kind IN ({kind_list}) \
         LEFT JOIN kpi_values v ON v.kpi_id = k.id AND v.period = (SELECT MAX(v2.period) FROM kpi_values v2 \
         WHERE v2.kpi_id = k.id AND v2.period IN ({code_list})) \
         WHERE t.assessment_id = {id} GROUP BY t.target_id",
        attainment_sql()
    );
    (sql, w.params().to_vec())
}

pub(crate) async fn kpis(db: &Db, ctx: &Ctx<'_>) -> Result<Shares> {
    let (sql, params) = kpis_query(ctx);
    let rows: Vec<(String, i64, i64, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), &params).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(t, n, reported, sum)| {
            let share = Share {
                done: sum,
                due: n * WHOLE_BP,
                parts: vec![Part {
                    label: "本期已填报的指标".into(),
                    done: reported,
                    due: n,
                }],
            };
            (t, share)
        })
        .collect())
}

fn task_parts(due: i64, done: i64) -> Vec<Part> {
    vec![Part {
        label: "到期的党建任务".into(),
        done,
        due,
    }]
}

/// The task source's query: (target, tasks due, done on time) rows.
pub(crate) fn tasks_query(ctx: &Ctx<'_>) -> (String, Vec<Param>) {
    let join = if ctx.orgs() {
        "JOIN tasks k ON k.org_id = t.target_id"
    } else {
        "JOIN plan_people pp ON pp.person_id = t.target_id JOIN tasks k ON k.id = pp.item_id"
    };
    let sql = format!(
        "SELECT t.target_id, COUNT(*), SUM(CASE WHEN k.done_on IS NOT NULL AND k.done_on <= k.deadline THEN 1 ELSE 0 END) \
         FROM assessment_targets t {join} \
         WHERE t.assessment_id = $1 AND k.deadline >= $2 AND k.deadline <= $3 AND (k.deadline < $4 OR k.done_on IS NOT NULL) \
         GROUP BY t.target_id"
    );
    let params = [
        Param::S(ctx.a.id.clone()),
        Param::S(ctx.first()),
        Param::S(ctx.last()),
        Param::S(ctx.today_text()),
    ];
    (sql, params.to_vec())
}

pub(crate) async fn tasks(db: &Db, ctx: &Ctx<'_>) -> Result<Shares> {
    let (sql, params) = tasks_query(ctx);
    simple(db, &sql, &params, task_parts).await
}
