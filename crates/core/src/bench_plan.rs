//! Plan benchmarks (`tongpin bench-plan`) on data made by `tongpin gen-plan`:
//! the superior's goals × branches matrix against the database answering
//! the matrix's two aggregate queries alone (`plan::matrix::raw`), measured
//! in the same run, interleaved in alternating order; and the committee's
//! fusion view.
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
    let (mut raw, mut ours, mut fus) = (Vec::new(), Vec::new(), Vec::new());
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
        let t = Instant::now();
        std::hint::black_box(fusion::fusion(db, &scope, &committee, year, now).await?);
        fus.push(ms(t));
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
    })
}
