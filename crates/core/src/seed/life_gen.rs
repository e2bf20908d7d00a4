//! Synthetic organizational life for the compliance benchmark (`tongpin
//! gen-life`): the tree and roster of `gen` (one 党委 over 党总支 of 20
//! 党支部 each), then a whole year of meetings for every branch — 12
//! 主题党日, 12 支委会, 4 党员大会, 4 党课, 组织生活会, 民主评议 and two
//! 谈心谈话, with a few gaps — and the attendance of each meeting's members.
//! Meetings are written with multi-row INSERTs; attendance with one
//! set-based `INSERT … SELECT` per 党总支 (the same text on both engines),
//! so tens of millions of rows take minutes; nothing is audited.
use crate::db::{Db, Tx, TxConn};
use crate::sql::Param;
use crate::{bind_all, ids, with_db, with_tx, Result};
use chrono::{NaiveDate, TimeZone};

/// Binds per statement, well below both engines' limits.
const BINDS: usize = 4000;

/// What was generated.
pub struct LifeGen {
    pub committee: String,
    pub year: i32,
    pub orgs: usize,
    pub branches: usize,
    pub people: usize,
    pub meetings: usize,
    pub attendance: i64,
}

impl LifeGen {
    pub fn summary(&self) -> String {
        format!(
            "已生成 {} 年度组织生活：{} 个组织（{} 个党支部）、{} 人、{} 次会议、{} 条出席记录；党委 {}",
            self.year, self.orgs, self.branches, self.people, self.meetings, self.attendance, self.committee
        )
    }
}

/// A meeting slot of the year: (kind, month 1–12, day, topic).
fn slots() -> Vec<(&'static str, u32, u32, &'static str)> {
    let mut out = Vec::new();
    for m in 1..=12 {
        out.push(("theme_day", m, 8, "主题党日：重温入党誓词"));
        out.push(("committee_meeting", m, 5, "研究支部近期工作"));
        if m % 3 == 0 {
            out.push(("general_meeting", m, 15, "学习贯彻党的二十届三中全会精神"));
            out.push(("party_lecture", m, 20, "党课：坚定理想信念"));
        }
    }
    out.push(("life_meeting", 12, 18, "年度组织生活会"));
    out.push(("appraisal", 12, 19, "民主评议党员"));
    out.push(("talk", 6, 12, "谈心谈话"));
    out.push(("talk", 11, 12, "谈心谈话"));
    out
}

/// The deliberate gaps: every 7th branch misses two 主题党日, every 11th
/// holds no 党课, every 13th skips its October 支委会.
fn skipped(branch: usize, kind: &str, month: u32) -> bool {
    let m = month as usize;
    match kind {
        "theme_day" => branch % 7 == 3 && (m == branch % 12 + 1 || m == (branch + 5) % 12 + 1),
        "party_lecture" => branch % 11 == 5,
        "committee_meeting" => branch.is_multiple_of(13) && m == 10,
        _ => false,
    }
}

fn ms(year: i32, month: u32, day: u32) -> i64 {
    let d = NaiveDate::from_ymd_opt(year, month, day).and_then(|d| d.and_hms_opt(14, 30, 0));
    d.and_then(|d| crate::clock::beijing_offset().from_local_datetime(&d).single())
        .map(|t| t.timestamp_millis())
        .unwrap_or(0)
}

async fn insert_meetings(tx: &mut Tx, now: i64, rows: &[Vec<Param>]) -> Result<()> {
    const ROW: &str =
        "(?, ?, ?, 'held', ?, ?, ?, '党员活动室', '支部书记', '组织委员', '', '', NULL, FALSE, '基准数据', ?, ?)";
    let n = ROW.matches('?').count();
    for chunk in rows.chunks(BINDS / n) {
        let mut sql = String::from(
            "INSERT INTO meetings (id, org_id, kind, status, topic, starts_at, month, place, host, recorder, agenda, \
             minutes, voting_members, dual_life, created_by, created_at, updated_at) VALUES ",
        );
        let mut k = 0;
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            for c in ROW.chars() {
                if c == '?' {
                    k += 1;
                    sql.push_str(&format!("${k}"));
                } else {
                    sql.push(c);
                }
            }
        }
        let params: Vec<Param> = chunk
            .iter()
            .flat_map(|r| r.iter().cloned().chain([Param::I(now), Param::I(now)]))
            .collect();
        with_tx!(&mut *tx, |c| bind_all!(sqlx::query(&sql), params.iter())
            .execute(c)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// Each meeting's members under one 党总支: everyone with the vote or on
/// probation, a third at 支委会, one in eight at a 谈心谈话, and one in
/// twelve absent (with a reason), varying by month. The member's number
/// within the branch comes from the phone `gen` gives (139 + sequence; `gen`
/// deals people to branches in turn). The CROSS JOINs fix SQLite's join
/// order (branches, their meetings, their people by the indexed org path):
/// without statistics it would otherwise scan every member by status for
/// each 党总支; `|| ''` keeps it off the status index. PostgreSQL plans it
/// as it likes either way.
const ATTENDANCE: &str = "INSERT INTO meeting_attendance (meeting_id, person_id, present, reason) \
     SELECT m.id, p.id, \
       CASE WHEN (CAST(SUBSTR(p.phone, 4) AS BIGINT) / $2 + CAST(SUBSTR(m.month, 6, 2) AS BIGINT)) % 12 = 0 \
         AND m.kind <> 'talk' THEN FALSE ELSE TRUE END, \
       CASE WHEN (CAST(SUBSTR(p.phone, 4) AS BIGINT) / $2 + CAST(SUBSTR(m.month, 6, 2) AS BIGINT)) % 12 = 0 \
         AND m.kind <> 'talk' THEN (CASE CAST(SUBSTR(p.phone, 4) AS BIGINT) % 3 WHEN 0 THEN '出差' \
         WHEN 1 THEN '病假' ELSE '公假' END) ELSE '' END \
     FROM orgs o CROSS JOIN meetings m CROSS JOIN people p \
     WHERE o.parent_id = $1 AND m.org_id = o.id AND p.org_path = o.path \
       AND p.status || '' IN ('full', 'probationary') AND p.left_on IS NULL \
       AND (m.kind <> 'committee_meeting' OR (CAST(SUBSTR(p.phone, 4) AS BIGINT) / $2) % 3 = 0) \
       AND (m.kind <> 'talk' OR (CAST(SUBSTR(p.phone, 4) AS BIGINT) / $2) % 8 = 1)";

/// `gen` (tree, roster, accounts) and then a year of meetings and attendance.
pub async fn generate_life(db: &Db, now: i64, orgs: usize, people: usize) -> Result<LifeGen> {
    let year = chrono::Datelike::year(&crate::clock::beijing(now)) - 1;
    let root = super::generate(db, now, orgs, people).await?;
    let generals: Vec<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM orgs WHERE parent_id = $1 ORDER BY path"
    )
    .bind(&root)
    .fetch_all(p)
    .await?);
    let nbranches: i64 = with_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM orgs WHERE kind = 'branch' AND path >= $1 AND path < $2"
    )
    .bind(format!("/{root}/"))
    .bind(format!("/{root}0"))
    .fetch_one(p)
    .await?);
    let slots = slots();
    let (mut meetings, mut branch_no) = (0, 0usize);
    for (g, general) in generals.iter().enumerate() {
        let branches: Vec<String> = with_db!(db, |p| sqlx::query_scalar(
            "SELECT id FROM orgs WHERE parent_id = $1 ORDER BY path"
        )
        .bind(general)
        .fetch_all(p)
        .await?);
        let mut rows = Vec::new();
        for b in &branches {
            for (kind, month, day, topic) in &slots {
                if !skipped(branch_no, kind, *month) {
                    rows.push(vec![
                        Param::S(ids::new_id()),
                        Param::S(b.clone()),
                        Param::S((*kind).into()),
                        Param::S((*topic).into()),
                        Param::I(ms(year, *month, *day)),
                        Param::S(format!("{year}-{month:02}")),
                    ]);
                }
            }
            branch_no += 1;
        }
        meetings += rows.len();
        let mut tx = db.begin().await?;
        if let TxConn::Sqlite(t) = &mut tx.conn {
            // A page cache big enough for the attendance indexes (this connection only).
            sqlx::query("PRAGMA cache_size = -3000000").execute(&mut **t).await?;
        }
        insert_meetings(&mut tx, now, &rows).await?;
        with_tx!(&mut tx, |c| sqlx::query(ATTENDANCE)
            .bind(general)
            .bind(nbranches.max(1))
            .execute(c)
            .await?
            .rows_affected());
        tx.commit().await?;
        if g % 200 == 199 {
            eprintln!("gen-life: {} / {} 个党总支", g + 1, generals.len());
        }
    }
    let attendance: i64 = with_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM meeting_attendance")
        .fetch_one(p)
        .await?);
    Ok(LifeGen {
        committee: root,
        year,
        orgs: orgs.max(1),
        branches: branch_no,
        people,
        meetings,
        attendance,
    })
}
