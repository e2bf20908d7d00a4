//! Assessment benchmarks (`tongpin bench-assess`) on data made by `tongpin
//! gen-assess`: the committee's results of its assessment of every branch
//! while the period is open (`assess::results::results`, the first page in
//! rank order: every source computed for all targets, every target's lines,
//! totals and ranks) and one branch's drill-down (`results::result`),
//! against the database answering the results' own queries alone
//! (`results::raw`: one aggregate per source, the targets, the entries and
//! ratings, the tallies), measured in the same run, interleaved.
use crate::assess::read;
use crate::assess::results::{self, Query};
use crate::auth::Power;
use crate::bench::{paired, root_scope, time};
use crate::db::Db;
use crate::seed::ASSESS_TITLE;
use crate::{with_db, Error, Result};

pub struct AssessBench {
    pub period: String,
    pub targets: i64,
    pub indicators: usize,
    /// Rows the raw queries read.
    pub raw_rows: usize,
    pub graded: i64,
    pub incomplete: i64,
    /// Milliseconds, (p50, p99).
    pub results: (f64, f64),
    pub result: (f64, f64),
    pub raw: (f64, f64),
}

pub async fn assess(db: &Db, now: i64, runs: usize) -> Result<AssessBench> {
    let found: Option<(String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, org_id FROM assessments WHERE title = $1 ORDER BY created_at DESC, id DESC LIMIT 1"
    )
    .bind(ASSESS_TITLE)
    .fetch_optional(p)
    .await?);
    let (id, committee) = found.ok_or_else(|| Error::unexpected("先运行 tongpin gen-assess"))?;
    let scope = root_scope(db, now, &committee, Power::ViewAssessment).await?;
    let a = read::get(db, &scope, &id).await?;
    let indicators = read::indicators(db, &id).await?.len();
    let page = Query {
        limit: 20,
        ..Query::default()
    };
    // One untimed round, which also reads the figures.
    let first = results::results(db, &scope, &id, now, &page).await?;
    let raw_rows = results::raw(db, &scope, &id, now).await?;
    let last = first
        .items
        .last()
        .map(|i| i.target.id.clone())
        .ok_or_else(|| Error::unexpected("考核没有对象"))?;
    let (res, raw) = paired(
        runs,
        || results::results(db, &scope, &id, now, &page),
        || results::raw(db, &scope, &id, now),
    )
    .await?;
    let one = time(runs, |_| async {
        results::result(db, &scope, &id, &last, now).await.map(|_| ())
    })
    .await?;
    let d = &first.distribution;
    Ok(AssessBench {
        period: a.period,
        targets: first.total,
        indicators,
        raw_rows,
        graded: d.good + d.fairly_good + d.fair + d.poor,
        incomplete: d.incomplete,
        results: res,
        result: one,
        raw,
    })
}

impl AssessBench {
    /// The report `bench-assess` prints: the sizes, then a Markdown table.
    pub fn markdown(&self) -> String {
        format!(
            "{} 年度考核：{} 个党支部 × {} 项指标，原始查询读取 {} 行；已评定等次 {} 个、数据不全 {} 个。\n\n\
             | 操作 | p50 ms | p99 ms | 仅原始查询 p50 ms | 仅原始查询 p99 ms | p50 比值 |\n\
             |---|---:|---:|---:|---:|---:|\n\
             | 考核结果 `assess::results::results`（全部对象计分排名，首页 20 个） | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |\n\
             | 单个对象下钻 `assess::results::result` | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |\n",
            self.period,
            self.targets,
            self.indicators,
            self.raw_rows,
            self.graded,
            self.incomplete,
            self.results.0,
            self.results.1,
            self.raw.0,
            self.raw.1,
            self.results.0 / self.raw.0.max(0.001),
            self.result.0,
            self.result.1,
            self.raw.0,
            self.raw.1,
            self.result.0 / self.raw.0.max(0.001),
        )
    }
}
