//! Standardization benchmarks (`tongpin bench-standard`) on data made by
//! `tongpin gen-standard`: the committee's ledger of its standard over every
//! branch (`standard::ledger::ledger`: the branches, the answers, problems,
//! overrides and standings in aggregate queries, the five computed items
//! judged from the records, the status of each branch, the counts) against
//! the database answering the ledger's own five queries alone; and the
//! computed items for every branch (`standard::computed::evaluate`) against
//! the database merely counting the rows those rules read (the year's
//! meetings, the roster, officers, study plans, the month's dues payments).
//! Each pair is timed in the same run, interleaved in alternating order.
use crate::auth::Power;
use crate::bench::{percentiles, root_scope};
use crate::db::Db;
use crate::seed::STANDARD_TITLE;
use crate::sql::{Param, Where};
use crate::standard::computed::{self, Target};
use crate::standard::ledger::{self, LedgerQuery};
use crate::standard::{standards, Rule};
use crate::{bind_all, org, with_db, Error, Result};
use std::time::Instant;

pub struct StandardBench {
    pub year: i64,
    pub branches: usize,
    pub items: usize,
    pub checks: i64,
    pub counts: ledger::Counts,
    pub open_problems: i64,
    pub overdue_problems: i64,
    /// Milliseconds, (p50, p99).
    pub ledger: (f64, f64),
    pub ledger_raw: (f64, f64),
    pub computed: (f64, f64),
    pub computed_raw: (f64, f64),
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// The ledger's queries as it runs them (the branches in the area; answers,
/// problems, overrides and standings grouped by organization), rows fetched
/// and dropped. Answers the rows read.
async fn ledger_raw(db: &Db, sid: &str, path: &str, today: &str) -> Result<usize> {
    let mut n = 0;
    let mut w = Where::default();
    w.prefix("path", path);
    w.push_raw("kind IN ('branch') AND dissolved_at IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT id, path, kind, name FROM orgs {cond} ORDER BY path");
    let rows: Vec<(String, String, String, String)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    n += rows.len();
    let base = |alias: &str| {
        let mut w = Where::default();
        w.push(&format!("{alias}.standard_id = {{}}"), Param::S(sid.into()));
        w.prefix("o.path", path);
        w
    };
    let w = base("c");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT c.org_id, COUNT(*), \
         COALESCE(SUM(CASE WHEN i.tier = 'baseline' AND i.rule IS NULL AND c.met THEN 1 ELSE 0 END), 0), \
         CAST(COALESCE(SUM(CASE WHEN i.tier = 'refined' AND i.rule IS NULL AND c.met THEN i.points ELSE 0 END), 0) AS BIGINT) \
         FROM standard_checks c JOIN standard_items i ON i.standard_id = c.standard_id AND i.code = c.code \
         JOIN orgs o ON o.id = c.org_id {cond} GROUP BY c.org_id"
    );
    let rows: Vec<(String, i64, i64, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    n += rows.len();
    let mut w = base("p");
    let t = w.param(Param::S(today.into()));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.org_id, COALESCE(SUM(CASE WHEN p.status <> 'closed' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN p.status = 'open' AND p.deadline < {t} THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN p.reopened > 0 THEN 1 ELSE 0 END), 0) \
         FROM standard_problems p JOIN orgs o ON o.id = p.org_id {cond} GROUP BY p.org_id"
    );
    let rows: Vec<(String, i64, i64, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    n += rows.len();
    let mut w = base("c");
    w.push_raw("c.override_reason <> '' AND c.met IS NOT NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT c.org_id, c.code, c.met FROM standard_checks c JOIN orgs o ON o.id = c.org_id {cond}");
    let rows: Vec<(String, String, bool)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    n += rows.len();
    let w = base("s");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT s.org_id, s.stage, s.grade, s.round, s.list_returned_reason, s.list_returned_by, s.list_returned_at, \
         s.accepted_at, s.recheck_reason FROM standard_orgs s JOIN orgs o ON o.id = s.org_id {cond}"
    );
    type Row = (
        String,
        String,
        Option<String>,
        i64,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
    );
    let rows: Vec<Row> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    n += rows.len();
    Ok(n)
}

/// The rows the computed rules read, counted by the database.
async fn computed_raw(db: &Db, path: &str, year: i64) -> Result<i64> {
    let counts = [
        "SELECT COUNT(*) FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE {p} AND m.month >= {a} AND m.month <= {b}",
        "SELECT COUNT(*) FROM people o WHERE {p}",
        "SELECT COUNT(*) FROM org_officers f JOIN orgs o ON o.id = f.org_id WHERE {p}",
        "SELECT COUNT(*) FROM study_plans s JOIN orgs o ON o.id = s.org_id WHERE {p}",
        "SELECT COUNT(*) FROM dues_payments d WHERE d.month = {b}",
    ];
    let mut total = 0;
    for shape in counts {
        let mut w = Where::default();
        let col = if shape.contains("people o") {
            "o.org_path"
        } else {
            "o.path"
        };
        let mut sql = shape.to_string();
        if shape.contains("{p}") {
            sql = sql.replace("{p}", &w.prefix_cond(col, path));
        }
        if shape.contains("{a}") {
            sql = sql.replace("{a}", &w.param(Param::S(format!("{year:04}-01"))));
        }
        if shape.contains("{b}") {
            sql = sql.replace("{b}", &w.param(Param::S(format!("{year:04}-12"))));
        }
        let n: i64 = with_db!(db, |c| bind_all!(sqlx::query_scalar(&sql), w.params())
            .fetch_one(c)
            .await?);
        total += n;
    }
    Ok(total)
}

pub async fn standard(db: &Db, now: i64, runs: usize) -> Result<StandardBench> {
    with_db!(db, |p| sqlx::query("ANALYZE").execute(p).await?.rows_affected());
    let found: Option<(String, String, i64)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, org_id, year FROM standards WHERE title = $1 AND status = 'published' \
         ORDER BY created_at DESC, id DESC LIMIT 1"
    )
    .bind(STANDARD_TITLE)
    .fetch_optional(p)
    .await?);
    let (sid, committee, year) = found.ok_or_else(|| Error::unexpected("先运行 tongpin gen-standard"))?;
    let scope = root_scope(db, now, &committee, Power::ViewStandard).await?;
    let root = org::get(db, &scope, &committee).await?;
    let standard = standards::get(db, &scope, &sid).await?;
    let items = standards::items_of(db, &sid).await?;
    let today = crate::clock::beijing(now).date_naive().to_string();
    let rows: Vec<(String, String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, path, kind FROM orgs WHERE kind = 'branch' AND path >= $1 AND path < $2 ORDER BY path"
    )
    .bind(&root.path)
    .bind(format!("{}0", root.path.trim_end_matches('/')))
    .fetch_all(p)
    .await?);
    let targets: Vec<Target> = rows
        .into_iter()
        .map(|(id, path, kind)| Target { id, path, kind })
        .collect();
    let rules: Vec<Rule> = Rule::ALL.to_vec();
    let checks: i64 = with_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM standard_checks WHERE standard_id = $1"
    )
    .bind(&sid)
    .fetch_one(p)
    .await?);

    // One untimed round, which also reads the figures.
    let q = LedgerQuery::default();
    let l = ledger::ledger(db, &scope, &sid, &q, now).await?;
    ledger_raw(db, &sid, &root.path, &today).await?;
    computed::evaluate(db, &scope, &rules, year, &root, &targets, now, false).await?;
    computed_raw(db, &root.path, year).await?;
    let (mut lo, mut lr, mut co, mut cr) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..runs.max(1) {
        // Alternate which goes first, so neither always finds the other's caches warm.
        for raw_now in [i % 2 == 0, i % 2 == 1] {
            let t = Instant::now();
            if raw_now {
                std::hint::black_box(ledger_raw(db, &sid, &root.path, &today).await?);
                lr.push(ms(t));
            } else {
                std::hint::black_box(ledger::ledger(db, &scope, &sid, &q, now).await?);
                lo.push(ms(t));
            }
        }
        for raw_now in [i % 2 == 0, i % 2 == 1] {
            let t = Instant::now();
            if raw_now {
                std::hint::black_box(computed_raw(db, &root.path, year).await?);
                cr.push(ms(t));
            } else {
                std::hint::black_box(computed::evaluate(db, &scope, &rules, year, &root, &targets, now, false).await?);
                co.push(ms(t));
            }
        }
    }
    Ok(StandardBench {
        year: standard.year,
        branches: targets.len(),
        items: items.len(),
        checks,
        counts: l.counts,
        open_problems: l.open_problems,
        overdue_problems: l.overdue_problems,
        ledger: percentiles(lo),
        ledger_raw: percentiles(lr),
        computed: percentiles(co),
        computed_raw: percentiles(cr),
    })
}

impl StandardBench {
    /// The report `bench-standard` prints: the sizes, then a Markdown table.
    pub fn markdown(&self) -> String {
        let c = &self.counts;
        format!(
            "{} 年度标准：{} 个党支部 × {} 项（{} 条自查结果）；台账：未自查 {}、未达标 {}、已达标 {}、已申报 {}、已验收 {}，\
             未销号问题 {} 个（逾期 {} 个）。\n\n\
             | 操作 | p50 ms | p99 ms | 仅原始查询 p50 ms | 仅原始查询 p99 ms | p50 比值 |\n\
             |---|---:|---:|---:|---:|---:|\n\
             | 台账 `standard::ledger::ledger`（全部党支部，含计算项） | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |\n\
             | 计算项 `standard::computed::evaluate`（五项规则，全部党支部） | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |\n",
            self.year,
            self.branches,
            self.items,
            self.checks,
            c.not_started,
            c.not_met,
            c.met,
            c.applied,
            c.accepted,
            self.open_problems,
            self.overdue_problems,
            self.ledger.0,
            self.ledger.1,
            self.ledger_raw.0,
            self.ledger_raw.1,
            self.ledger.0 / self.ledger_raw.0.max(0.001),
            self.computed.0,
            self.computed.1,
            self.computed_raw.0,
            self.computed_raw.1,
            self.computed.0 / self.computed_raw.0.max(0.001),
        )
    }
}
