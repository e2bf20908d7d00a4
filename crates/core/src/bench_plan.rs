//! Plan benchmarks (`tongpin bench-plan`) on data made by `tongpin gen-plan`:
//! the superior's goals × branches matrix against the database answering
//! the matrix's two aggregate queries alone (`plan::matrix::raw`), measured
//! in the same run, interleaved in alternating order; and the committee's
//! fusion view against its five queries alone (`plan::fusion::raw`).
use crate::auth::Power;
use crate::bench::{percentiles, root_scope};
use crate::db::Db;
use crate::plan::{fusion, matrix};
use crate::seed::PLAN_COMMITTEE;
use crate::{with_db, Error, Result};
use std::time::Instant;

pub struct PlanBench {
    pub year: i64,
    pub goals: usize,
    pub columns: usize,
    /// Rows the two aggregate queries answer: KPI shares, task links.
    pub share_rows: usize,
    pub task_rows: usize,
    /// Milliseconds, (p50, p99).
    pub raw: (f64, f64),
    pub matrix: (f64, f64),
    pub fusion: (f64, f64),
    pub fusion_raw: (f64, f64),
    /// Rows the fusion view's queries answer.
    pub fusion_rows: usize,
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Times `runs` rounds of: the raw queries and the matrix (in alternating
/// order), then the fusion view.
pub async fn plan(db: &Db, now: i64, runs: usize) -> Result<PlanBench> {
    // Fresh statistics, as a running database has them after a bulk load.
    with_db!(db, |p| sqlx::query("ANALYZE").execute(p).await?.rows_affected());
    let committee: Option<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM orgs WHERE name = $1 AND parent_id IS NULL ORDER BY created_at DESC, id DESC LIMIT 1"
    )
    .bind(PLAN_COMMITTEE)
    .fetch_optional(p)
    .await?);
    let committee = committee.ok_or_else(|| Error::unexpected("先运行 tongpin gen-plan"))?;
    let year: Option<i64> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT MAX(year) FROM goals WHERE org_id = $1"
    )
    .bind(&committee)
    .fetch_one(p)
    .await?);
    let year = year.ok_or_else(|| Error::unexpected("基准党委没有年度计划"))?;
    let scope = root_scope(db, now, &committee, Power::ManagePlan).await?;

    // One untimed round, which also checks the two agree on the size.
    let (shares, tasks) = matrix::raw(db, &committee, year).await?;
    let m = matrix::matrix(db, &scope, &committee, year, now).await?;
    fusion::fusion(db, &scope, &committee, year, now).await?;
    let fusion_rows = fusion::raw(db, &committee, year).await?;
    let (mut raw, mut ours, mut fus, mut fus_raw) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..runs.max(1) {
        // Alternate which goes first, so neither always finds the other's caches warm.
        for raw_now in [i % 2 == 0, i % 2 == 1] {
            let t = Instant::now();
            if raw_now {
                std::hint::black_box(matrix::raw(db, &committee, year).await?);
                raw.push(ms(t));
            } else {
                std::hint::black_box(matrix::matrix(db, &scope, &committee, year, now).await?);
                ours.push(ms(t));
            }
        }
        for raw_now in [i % 2 == 1, i % 2 == 0] {
            let t = Instant::now();
            if raw_now {
                std::hint::black_box(fusion::raw(db, &committee, year).await?);
                fus_raw.push(ms(t));
            } else {
                std::hint::black_box(fusion::fusion(db, &scope, &committee, year, now).await?);
                fus.push(ms(t));
            }
        }
    }
    Ok(PlanBench {
        year,
        goals: m.goals.len(),
        columns: m.columns.len(),
        share_rows: shares.len(),
        task_rows: tasks.len(),
        raw: percentiles(raw),
        matrix: percentiles(ours),
        fusion: percentiles(fus),
        fusion_raw: percentiles(fus_raw),
        fusion_rows,
    })
}

impl PlanBench {
    /// The report's table, as scripts/bench-plan splices it in.
    pub fn markdown(&self) -> String {
        let row = |name: &str, (p50, p99): (f64, f64), (r50, r99): (f64, f64)| {
            format!(
                "| {name} | {p50:.2} | {p99:.2} | {r50:.2} | {r99:.2} | {:.2} |\n",
                p50 / r50.max(0.001)
            )
        };
        format!(
            "{} 年度，{} 项目标 × {} 个下级组织；矩阵的两条汇总查询返回 {} 行指标分解、{} 行任务，融合度的五条查询返回 {} 行。\n\n\
             | 操作 | p50 ms | p99 ms | 仅数据库 p50 ms | 仅数据库 p99 ms | p50 比值 |\n|---|---:|---:|---:|---:|---:|\n{}{}",
            self.year,
            self.goals,
            self.columns,
            self.share_rows,
            self.task_rows,
            self.fusion_rows,
            row("督导矩阵 `plan::matrix::matrix`", self.matrix, self.raw),
            row("融合度视图 `plan::fusion::fusion`（全树）", self.fusion, self.fusion_raw),
        )
    }
}
