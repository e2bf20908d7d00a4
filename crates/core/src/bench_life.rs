//! Organizational-life benchmarks (`tongpin bench-life`) on data made by
//! `tongpin gen-life`: the superior's compliance view of the whole tree for
//! the generated year (`life::compliance::supervision`) against the
//! database merely counting the attendance rows (`SELECT COUNT(*) FROM
//! meeting_attendance`: every row belongs to that tree and year), measured
//! in the same run, interleaved in alternating order; and the art. 9
//! absence warnings of one 党总支.
use crate::auth::Power;
use crate::bench::{percentiles, root_scope};
use crate::db::Db;
use crate::life::{compliance, participation, Standing};
use crate::{with_db, Error, Result};
use std::time::Instant;

/// The committee `gen` makes, by which `bench-life` finds it.
const COMMITTEE: &str = "基准测试党委";

pub struct LifeBench {
    pub year: String,
    pub meetings: i64,
    pub attendance: i64,
    /// Organizations the supervision view lists, and those with an overdue item.
    pub listed: usize,
    pub overdue: usize,
    pub absentees: usize,
    /// Milliseconds, (p50, p99).
    pub count: (f64, f64),
    pub supervision: (f64, f64),
    /// Whether the kept view equals the view judged again from the records.
    pub matches_recount: bool,
    /// The view again right after one meeting changed (its organizations recounted first).
    pub after_write: (f64, f64),
    /// Building the year's kept counts from the records once: what every view cost before.
    pub rebuild: f64,
    pub absences: (f64, f64),
    /// The bell's organizational-life to-dos (`life::todos::todos`) of the
    /// committee's admin and of one branch's.
    pub bell_root: (f64, f64),
    pub bell_branch: (f64, f64),
}

/// Touches one meeting of a branch, as an edit would: the triggers mark its path.
async fn touch_meeting(db: &Db) -> Result<()> {
    with_db!(db, |p| sqlx::query(
        "UPDATE meetings SET updated_at = updated_at + 1 WHERE id = (SELECT MIN(id) FROM meetings)"
    )
    .execute(p)
    .await?
    .rows_affected());
    Ok(())
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

async fn count(db: &Db) -> Result<i64> {
    Ok(with_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting_attendance"
    )
    .fetch_one(p)
    .await?))
}

pub async fn life(db: &Db, now: i64, runs: usize) -> Result<LifeBench> {
    // Fresh statistics, as a running database has them after a bulk load.
    with_db!(db, |p| sqlx::query("ANALYZE").execute(p).await?.rows_affected());
    let committee: Option<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM orgs WHERE name = $1 AND parent_id IS NULL ORDER BY created_at DESC, id DESC LIMIT 1"
    )
    .bind(COMMITTEE)
    .fetch_optional(p)
    .await?);
    let committee = committee.ok_or_else(|| Error::unexpected("先运行 tongpin gen-life"))?;
    let general: Option<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM orgs WHERE parent_id = $1 ORDER BY path LIMIT 1"
    )
    .bind(&committee)
    .fetch_optional(p)
    .await?);
    let general = general.ok_or_else(|| Error::unexpected("基准党委没有党总支"))?;
    let year: Option<String> = with_db!(db, |p| sqlx::query_scalar("SELECT MAX(month) FROM meetings")
        .fetch_one(p)
        .await?);
    let year = year
        .and_then(|m| m.get(..4).map(String::from))
        .ok_or_else(|| Error::unexpected("没有会议记录"))?;
    let meetings: i64 = with_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM meetings")
        .fetch_one(p)
        .await?);
    let scope = root_scope(db, now, &committee, Power::ViewLife).await?;
    let managing = root_scope(db, now + 1, &committee, Power::ManageLife).await?;
    let branch: Option<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM orgs WHERE parent_id = $1 ORDER BY path LIMIT 1"
    )
    .bind(&general)
    .fetch_optional(p)
    .await?);
    let branch = branch.ok_or_else(|| Error::unexpected("基准党总支没有党支部"))?;
    let secretary = root_scope(db, now + 2, &branch, Power::ManageLife).await?;

    // The kept counts built from the records once, then one untimed round, which also reads the sizes.
    let t = Instant::now();
    crate::life::tallies::rebuild(db, year.parse().ok()).await?;
    let rebuild = ms(t);
    // The current year too, as `serve` keeps it from its start: the bell judges this year's periods.
    crate::life::tallies::ready(db, chrono::Datelike::year(&crate::clock::beijing(now))).await?;
    let attendance = count(db).await?;
    let view = compliance::supervision(db, &scope, &committee, &year, now).await?;
    let recounted = compliance::supervision_recounted(db, &scope, &committee, &year, now).await?;
    let absent = participation::absences(db, &scope, &general, now).await?;
    let (mut raw, mut ours, mut abs, mut written) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut bell_root, mut bell_branch) = (Vec::new(), Vec::new());
    for i in 0..runs.max(1) {
        // Alternate which goes first, so neither always finds the other's caches warm.
        for raw_now in [i % 2 == 0, i % 2 == 1] {
            let t = Instant::now();
            if raw_now {
                std::hint::black_box(count(db).await?);
                raw.push(ms(t));
            } else {
                std::hint::black_box(compliance::supervision(db, &scope, &committee, &year, now).await?);
                ours.push(ms(t));
            }
        }
        touch_meeting(db).await?;
        let t = Instant::now();
        std::hint::black_box(compliance::supervision(db, &scope, &committee, &year, now).await?);
        written.push(ms(t));
        let t = Instant::now();
        std::hint::black_box(participation::absences(db, &scope, &general, now).await?);
        abs.push(ms(t));
        let t = Instant::now();
        std::hint::black_box(crate::life::todos::todos(db, &managing, now).await?);
        bell_root.push(ms(t));
        let t = Instant::now();
        std::hint::black_box(crate::life::todos::todos(db, &secretary, now).await?);
        bell_branch.push(ms(t));
    }
    Ok(LifeBench {
        year,
        meetings,
        attendance,
        matches_recount: view == recounted,
        listed: view.len(),
        overdue: view
            .iter()
            .filter(|c| c.items.iter().any(|i| i.status == Standing::Overdue))
            .count(),
        absentees: absent.len(),
        count: percentiles(raw),
        supervision: percentiles(ours),
        after_write: percentiles(written),
        rebuild,
        absences: percentiles(abs),
        bell_root: percentiles(bell_root),
        bell_branch: percentiles(bell_branch),
    })
}

impl LifeBench {
    /// The report `bench-life` prints: the sizes, then a Markdown table.
    pub fn markdown(&self) -> String {
        format!(
            "{} 年度：{} 次会议、{} 条出席记录；督查视图列出 {} 个组织，其中 {} 个有逾期未开事项；所选党总支缺席预警 {} 人；与从记录全量重算的结果{}。\n\n\
             | 操作 | p50 ms | p99 ms | 仅数据库计数 p50 ms | 仅数据库计数 p99 ms | p50 比值 |\n\
             |---|---:|---:|---:|---:|---:|\n\
             | 督查视图 `life::compliance::supervision`（全树、全年） | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |\n\
             | 督查视图，刚改过一次会议（先重算其路径上的组织） | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |\n\
             | 合规计数全量重算 `life::tallies::rebuild`（一次，即改造前每次打开督查视图的代价） | {:.1} | — | {:.1} | — | {:.2} |\n\
             | 缺席预警 `life::participation::absences`（一个党总支） | {:.1} | {:.1} | — | — | — |\n\
             | 铃铛中的组织生活待办 `life::todos::todos`（党委管理员） | {:.1} | {:.1} | — | — | — |\n\
             | 铃铛中的组织生活待办 `life::todos::todos`（一个党支部的管理员） | {:.1} | {:.1} | — | — | — |\n",
            self.year,
            self.meetings,
            self.attendance,
            self.listed,
            self.overdue,
            self.absentees,
            if self.matches_recount { "逐项一致" } else { "**不一致**" },
            self.supervision.0,
            self.supervision.1,
            self.count.0,
            self.count.1,
            self.supervision.0 / self.count.0.max(0.001),
            self.after_write.0,
            self.after_write.1,
            self.count.0,
            self.count.1,
            self.after_write.0 / self.count.0.max(0.001),
            self.rebuild,
            self.count.0,
            self.rebuild / self.count.0.max(0.001),
            self.absences.0,
            self.absences.1,
            self.bell_root.0,
            self.bell_root.1,
            self.bell_branch.0,
            self.bell_branch.1,
        )
    }
}
