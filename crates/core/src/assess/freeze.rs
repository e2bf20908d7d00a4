//! Closing (封存): the results as they stand are written once — each
//! target's score, grade, rank and lines as canonical JSON — and a SHA-256
//! over them all is kept with the assessment, so later records change
//! nothing and any change to the stored results shows. The hash: each row's
//! canonical text hashed, the rows' digests listed in target-id byte order
//! under a header naming the assessment, and that list hashed. Verifying
//! recomputes it from the stored rows.
use super::lines::Line;
use super::model::{Assessment, Grade, Indicator};
use super::read::load;
use super::results::{board, inputs, line_points, lines_of, with_notes, Query, ResultItem, Results};
use super::rules::total;
use super::{is_assessor, scope_cond};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, with_tx, Error, Result};
use sha2::{Digest, Sha256};

const PAGE: i64 = 500;

/// A stored result row.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct Frozen {
    pub target_id: String,
    pub score: Option<i64>,
    pub grade: Option<String>,
    pub rank: Option<i64>,
    pub vetoed: bool,
    pub complete: bool,
    pub lines: String,
}

impl Frozen {
    /// The row's canonical text: tab-separated fields, absent ones empty.
    fn canonical(&self) -> String {
        let o = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.target_id,
            o(self.score),
            self.grade.as_deref().unwrap_or(""),
            o(self.rank),
            self.vetoed,
            self.complete,
            self.lines
        )
    }
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.canonical().as_bytes()).into()
    }
}

/// The assessment's hash from its rows' digests.
pub(crate) fn combine(a: &Assessment, mut digests: Vec<(String, [u8; 32])>) -> String {
    digests.sort_by(|x, y| x.0.as_bytes().cmp(y.0.as_bytes()));
    let mut h = Sha256::new();
    h.update(format!("tongpin-assessment-v1\n{}\n{}\n", a.id, a.period).as_bytes());
    for (t, d) in digests {
        h.update(format!("{t} {}\n", hex::encode(d)).as_bytes());
    }
    hex::encode(h.finalize())
}

const COLS: &str = "target_id, score, grade, rank, vetoed, complete, lines";

/// Every stored row's (target, digest), read a page at a time.
pub(crate) async fn digests_tx(tx: &mut Tx, aid: &str) -> Result<Vec<(String, [u8; 32])>> {
    let sql = format!(
        "SELECT {COLS} FROM assessment_results WHERE assessment_id = $1 AND target_id > $2 ORDER BY target_id LIMIT $3"
    );
    let (mut out, mut after) = (Vec::new(), String::new());
    loop {
        let rows: Vec<Frozen> = with_tx!(tx, |c| sqlx::query_as(&sql)
            .bind(aid)
            .bind(&after)
            .bind(PAGE)
            .fetch_all(c)
            .await?);
        let Some(last) = rows.last() else { break };
        after = last.target_id.clone();
        out.extend(rows.iter().map(|r| (r.target_id.clone(), r.digest())));
    }
    Ok(out)
}

async fn digests_db(db: &Db, aid: &str) -> Result<Vec<(String, [u8; 32])>> {
    let sql = format!(
        "SELECT {COLS} FROM assessment_results WHERE assessment_id = $1 AND target_id > $2 ORDER BY target_id LIMIT $3"
    );
    let (mut out, mut after) = (Vec::new(), String::new());
    loop {
        let rows: Vec<Frozen> = with_db!(db, |p| sqlx::query_as(&sql)
            .bind(aid)
            .bind(&after)
            .bind(PAGE)
            .fetch_all(p)
            .await?);
        let Some(last) = rows.last() else { break };
        after = last.target_id.clone();
        out.extend(rows.iter().map(|r| (r.target_id.clone(), r.digest())));
    }
    Ok(out)
}

pub(crate) fn lines_json(lines: &[Line]) -> Result<String> {
    serde_json::to_string(lines).map_err(|e| Error::internal("考核结果无法序列化", e))
}

pub(crate) async fn insert_rows(tx: &mut Tx, aid: &str, rows: &[Frozen]) -> Result<()> {
    let mut w = Where::default();
    let values: Vec<String> = rows
        .iter()
        .map(|r| {
            let a = w.param(Param::S(aid.into()));
            let t = w.param(Param::S(r.target_id.clone()));
            let s = r.score.map(|v| w.param(Param::I(v))).unwrap_or_else(|| "NULL".into());
            let g = r
                .grade
                .clone()
                .map(|v| w.param(Param::S(v)))
                .unwrap_or_else(|| "NULL".into());
            let k = r.rank.map(|v| w.param(Param::I(v))).unwrap_or_else(|| "NULL".into());
            let l = w.param(Param::S(r.lines.clone()));
            format!("({a}, {t}, {s}, {g}, {k}, {}, {}, {l})", r.vetoed, r.complete)
        })
        .collect();
    let sql = format!(
        "INSERT INTO assessment_results (assessment_id, {COLS}) VALUES {}",
        values.join(", ")
    );
    with_tx!(tx, |c| bind_all!(sqlx::query(&sql), w.params())
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// Closes an assessment: freezes its results under their hash. Returns the hash.
pub async fn close(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<String> {
    let a = load(db, id).await?;
    if !is_assessor(scope, &a) {
        return Err(Error::NotFound("考核不存在或不在您的管理范围内".into()));
    }
    if a.closed {
        return Err(Error::Conflict("考核已结束并封存".into()));
    }
    let inds = super::read::indicators(db, &a.id).await?;
    let inp = inputs(db, &a, &inds, now).await?;
    let b = board(db, &a, &inds, &inp).await?;
    let shared = std::sync::Arc::new((a, inds, inp, b));
    db.transaction(move |tx| {
        let (actor, shared) = (actor.clone(), shared.clone());
        Box::pin(async move {
            let (a, inds, inp, b) = (&shared.0, &shared.1, &shared.2, &shared.3);
            let n = with_tx!(tx, |c| sqlx::query(
                "UPDATE assessments SET status = 'closed', closed_at = $1, closed_by = $2, updated_at = $1 \
                 WHERE id = $3 AND status = 'open'"
            )
            .bind(now)
            .bind(&actor.name)
            .bind(&a.id)
            .execute(c)
            .await?
            .rows_affected());
            if n == 0 {
                return Err(Error::Conflict("考核已结束并封存".into()));
            }
            let mut digests = Vec::with_capacity(b.targets.len());
            let idx: Vec<usize> = (0..b.targets.len()).collect();
            for chunk in idx.chunks(100) {
                let mut rows = Vec::with_capacity(chunk.len());
                for &i in chunk {
                    let (t, tot) = (&b.targets[i], &b.totals[i]);
                    let lines = with_notes(inds, lines_of(inds, &t.id, inp));
                    let row = Frozen {
                        target_id: t.id.clone(),
                        score: tot.score,
                        grade: tot.grade.map(|g| g.code().to_string()),
                        rank: b.ranks[i],
                        vetoed: tot.vetoed,
                        complete: tot.complete,
                        lines: lines_json(&lines)?,
                    };
                    digests.push((row.target_id.clone(), row.digest()));
                    rows.push(row);
                }
                insert_rows(tx, &a.id, &rows).await?;
            }
            let hash = combine(a, digests);
            with_tx!(tx, |c| sqlx::query("UPDATE assessments SET hash = $1 WHERE id = $2")
                .bind(&hash)
                .bind(&a.id)
                .execute(c)
                .await?
                .rows_affected());
            let ev = Event::new(
                "assess.close",
                format!("{}（{}）", a.title, a.period_title()),
                Outcome::Ok,
            )
            .detail(format!("{} 个考核对象的结果已封存，SHA-256 {hash}", b.targets.len()));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(hash)
        })
    })
    .await
}

/// A closed assessment's hash as stored and as recomputed from its rows.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Verification {
    pub stored: Option<String>,
    pub computed: String,
    pub ok: bool,
}

/// Recomputes a closed assessment's hash; None while it is open.
pub async fn verify(db: &Db, scope: &Scope, id: &str) -> Result<Option<Verification>> {
    let a = super::read::get(db, scope, id).await?;
    if !a.closed {
        return Ok(None);
    }
    let computed = combine(&a, digests_db(db, &a.id).await?);
    Ok(Some(Verification {
        ok: a.hash.as_deref() == Some(computed.as_str()),
        stored: a.hash,
        computed,
    }))
}

/// Fills `out` from the frozen rows the caller sees.
pub(crate) async fn read_frozen(
    db: &Db,
    scope: &Scope,
    a: &Assessment,
    inds: &[Indicator],
    q: &Query,
    out: &mut Results,
) -> Result<()> {
    let mut w = Where::default();
    w.push("r.assessment_id = {}", Param::S(a.id.clone()));
    if !is_assessor(scope, a) {
        let c = scope_cond(scope, &mut w, "o.path");
        w.push_raw(c);
    }
    if let Some(t) = &q.target_id {
        w.push("r.target_id = {}", Param::S(t.trim().to_string()));
    }
    let (cond, _) = w.sql();
    let from = "FROM assessment_results r JOIN assessment_targets t ON t.assessment_id = r.assessment_id \
         AND t.target_id = r.target_id JOIN orgs o ON o.id = t.org_id LEFT JOIN people p ON p.id = t.target_id";
    let dist_sql = format!("SELECT r.grade, COUNT(*) {from} {cond} GROUP BY r.grade");
    let dist: Vec<(Option<String>, i64)> = with_db!(db, |p| bind_all!(sqlx::query_as(&dist_sql), w.params())
        .fetch_all(p)
        .await?);
    for (g, n) in dist {
        out.distribution.add(g.as_deref().and_then(Grade::parse), n);
        out.total += n;
    }
    let lim = w.param(Param::I(q.limit.clamp(1, 1000)));
    let off = w.param(Param::I(q.offset.max(0)));
    let sql = format!(
        "SELECT r.target_id, r.score, r.grade, r.rank, r.vetoed, r.complete, r.lines, COALESCE(p.name, o.name), \
         t.org_id, o.name, o.path {from} {cond} ORDER BY r.rank IS NULL, r.rank, o.path, r.target_id LIMIT {lim} OFFSET {off}"
    );
    type Row = (
        String,
        Option<i64>,
        Option<String>,
        Option<i64>,
        bool,
        bool,
        String,
        String,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    for (tid, score, grade, rank, vetoed, complete, lines, name, org_id, org_name, org_path) in rows {
        let lines: Vec<Line> =
            serde_json::from_str(&lines).map_err(|e| Error::internal("封存的考核结果无法读取", e))?;
        let tot = total(&line_points(inds, &lines), &a.thresholds, a.bonus_cap);
        out.items.push(ResultItem {
            target: super::model::Target {
                id: tid,
                name,
                org_id,
                org_name,
                org_path,
            },
            score,
            full: tot.full,
            bonus: tot.bonus,
            grade: grade.as_deref().and_then(Grade::parse),
            rank,
            vetoed,
            complete,
            lines,
        });
    }
    Ok(())
}
