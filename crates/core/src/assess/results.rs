//! Results (考核结果): each target's score, grade, rank and lines. While the
//! assessment is open they are computed afresh from aggregate reads (one
//! query per source for all targets, one for the entries and ratings, one
//! for the tallies) and only the assessor's staff see them; once closed they
//! are read from the frozen rows, and each organization sees its own.
use super::computed::{shares, Ctx};
use super::lines::{build, render, Entry, Inputs, Line};
use super::model::{Assessment, Grade, Group, Indicator, Kind, Metric, Target};
use super::read::{get, indicators, targets};
use super::rules::{ranks, total, LinePoints, Total};
use super::{is_assessor, today};
use crate::db::Db;
use crate::org::Scope;
use crate::{with_db, Result};
use serde::Serialize;

const ENTERED: &str = "SELECT target_id, code, points, passed, figure, note FROM assessment_scores \
     WHERE assessment_id = $1 AND source = 'entered'";
const RATED: &str = "SELECT target_id, code, source, COUNT(*), CAST(SUM(points) AS BIGINT) FROM assessment_scores \
     WHERE assessment_id = $1 AND source <> 'entered' AND points IS NOT NULL GROUP BY target_id, code, source";
const TALLIES: &str = "SELECT target_id, code, ballots, points_sum FROM assessment_tallies WHERE assessment_id = $1";

/// The distinct sources of the computed indicators.
fn metrics_of(inds: &[Indicator]) -> Vec<Metric> {
    let mut metrics: Vec<_> = inds
        .iter()
        .filter(|i| i.kind == Kind::Computed)
        .filter_map(|i| i.metric)
        .collect();
    metrics.sort();
    metrics.dedup();
    metrics
}

fn ctx_of(a: &Assessment, now: i64) -> Result<Ctx<'_>> {
    Ok(Ctx {
        a,
        period: crate::plan::Period::parse_any(&a.period)?,
        today: today(now),
        now,
    })
}

/// The queries the results read, answered by the database alone, rows
/// fetched and dropped (one per source, the targets, the entries and
/// ratings, the tallies): the benchmark's baseline for `results`. Answers
/// the rows read.
pub async fn raw(db: &Db, scope: &Scope, id: &str, now: i64) -> Result<usize> {
    let a = get(db, scope, id).await?;
    let inds = indicators(db, &a.id).await?;
    let ctx = ctx_of(&a, now)?;
    let mut n = targets(db, &a.id).await?.len();
    for m in metrics_of(&inds) {
        n += super::computed::raw(db, &ctx, m).await?;
    }
    for sql in [ENTERED, RATED, TALLIES] {
        n += with_db!(db, |p| sqlx::query(sql).bind(&a.id).fetch_all(p).await?.len());
    }
    Ok(n)
}

/// Reads everything the lines are built from.
pub(crate) async fn inputs(db: &Db, a: &Assessment, inds: &[Indicator], now: i64) -> Result<Inputs> {
    let ctx = ctx_of(a, now)?;
    let mut inp = Inputs::default();
    for m in metrics_of(inds) {
        let s = shares(db, &ctx, m).await?;
        inp.shares.insert(m, s);
    }
    let entered: Vec<(String, String, Option<i64>, Option<bool>, Option<i64>, String)> =
        with_db!(db, |p| sqlx::query_as(ENTERED).bind(&a.id).fetch_all(p).await?);
    for (t, c, points, passed, figure, note) in entered {
        inp.entered.insert(
            (t, c),
            Entry {
                points,
                passed,
                figure,
                note,
            },
        );
    }
    let rated: Vec<(String, String, String, i64, i64)> =
        with_db!(db, |p| sqlx::query_as(RATED).bind(&a.id).fetch_all(p).await?);
    for (t, c, s, n, sum) in rated {
        if let Some(g) = Group::parse(&s) {
            inp.rated.insert((t, c, g), (n, sum));
        }
    }
    let tallies: Vec<(String, String, i64, i64)> =
        with_db!(db, |p| sqlx::query_as(TALLIES).bind(&a.id).fetch_all(p).await?);
    for (t, c, n, sum) in tallies {
        inp.masses.insert((t, c), (n, sum));
    }
    Ok(inp)
}

/// Every target's total and rank, the lines built and dropped one target at a time.
pub(crate) struct Board {
    pub targets: Vec<Target>,
    pub totals: Vec<Total>,
    pub ranks: Vec<Option<i64>>,
}

/// What the total reads of a target's lines.
pub(crate) fn line_points(inds: &[Indicator], lines: &[Line]) -> Vec<LinePoints> {
    inds.iter()
        .zip(lines)
        .map(|(i, l)| LinePoints {
            tier: i.tier,
            full: i.full_points,
            points: l.points,
            passed: l.passed,
        })
        .collect()
}

/// A target's lines.
pub(crate) fn lines_of(inds: &[Indicator], target: &str, inp: &Inputs) -> Vec<Line> {
    inds.iter().map(|i| build(i, target, inp)).collect()
}

pub(crate) async fn board(db: &Db, a: &Assessment, inds: &[Indicator], inp: &Inputs) -> Result<Board> {
    let targets = targets(db, &a.id).await?;
    let totals: Vec<Total> = targets
        .iter()
        .map(|t| {
            total(
                &line_points(inds, &lines_of(inds, &t.id, inp)),
                &a.thresholds,
                a.bonus_cap,
            )
        })
        .collect();
    let ranks = ranks(&totals.iter().map(|t| (t.score, t.vetoed)).collect::<Vec<_>>());
    Ok(Board { targets, totals, ranks })
}

/// One target's result.
#[derive(Clone, Debug, Serialize)]
pub struct ResultItem {
    pub target: Target,
    /// Hundredths; None while incomplete.
    pub score: Option<i64>,
    /// The full score the grade is measured on (bonus items not counted).
    pub full: i64,
    pub bonus: i64,
    pub grade: Option<Grade>,
    pub rank: Option<i64>,
    pub vetoed: bool,
    pub complete: bool,
    pub lines: Vec<Line>,
}

/// How many targets got each grade, and how many are still incomplete.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Distribution {
    pub good: i64,
    pub fairly_good: i64,
    pub fair: i64,
    pub poor: i64,
    pub incomplete: i64,
}

impl Distribution {
    pub(crate) fn add(&mut self, g: Option<Grade>, n: i64) {
        match g {
            Some(Grade::Good) => self.good += n,
            Some(Grade::FairlyGood) => self.fairly_good += n,
            Some(Grade::Fair) => self.fair += n,
            Some(Grade::Poor) => self.poor += n,
            None => self.incomplete += n,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Results {
    pub assessment: Assessment,
    pub indicators: Vec<Indicator>,
    pub closed: bool,
    pub hash: Option<String>,
    /// Whether the caller sees the results yet: the assessor always, the
    /// assessed once published (closed).
    pub visible: bool,
    /// Targets matching the query in the caller's view (before paging).
    pub total: i64,
    pub distribution: Distribution,
    pub items: Vec<ResultItem>,
}

/// Which results to read: one target, or a page in rank order.
#[derive(Clone, Debug)]
pub struct Query {
    pub target_id: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            target_id: None,
            offset: 0,
            limit: 100,
        }
    }
}

/// Fills every line's note.
pub(crate) fn with_notes(inds: &[Indicator], mut lines: Vec<Line>) -> Vec<Line> {
    for (l, i) in lines.iter_mut().zip(inds) {
        render(l, i);
    }
    lines
}

/// An assessment's results as the caller may see them.
pub async fn results(db: &Db, scope: &Scope, id: &str, now: i64, q: &Query) -> Result<Results> {
    let a = get(db, scope, id).await?;
    let inds = indicators(db, &a.id).await?;
    let assessor = is_assessor(scope, &a);
    let mut out = Results {
        closed: a.closed,
        hash: a.hash.clone(),
        visible: assessor || a.closed,
        total: 0,
        distribution: Distribution::default(),
        items: Vec::new(),
        indicators: inds.clone(),
        assessment: a.clone(),
    };
    if !out.visible {
        return Ok(out);
    }
    if a.closed {
        super::freeze::read_frozen(db, scope, &a, &inds, q, &mut out).await?;
        return Ok(out);
    }
    let inp = inputs(db, &a, &inds, now).await?;
    let b = board(db, &a, &inds, &inp).await?;
    for t in &b.totals {
        out.distribution.add(t.grade, 1);
    }
    let mut order: Vec<usize> = (0..b.targets.len())
        .filter(|i| q.target_id.as_deref().is_none_or(|t| b.targets[*i].id == t.trim()))
        .collect();
    order.sort_by_key(|i| (b.ranks[*i].is_none(), b.ranks[*i], b.targets[*i].org_path.clone()));
    out.total = order.len() as i64;
    for i in order
        .into_iter()
        .skip(q.offset.max(0) as usize)
        .take(q.limit.clamp(1, 1000) as usize)
    {
        let t = &b.targets[i];
        let tot = b.totals[i];
        out.items.push(ResultItem {
            lines: with_notes(&inds, lines_of(&inds, &t.id, &inp)),
            target: t.clone(),
            score: tot.score,
            full: tot.full,
            bonus: tot.bonus,
            grade: tot.grade,
            rank: b.ranks[i],
            vetoed: tot.vetoed,
            complete: tot.complete,
        });
    }
    Ok(out)
}

/// One target's result with its lines, or NotFound when the caller may not see it.
pub async fn result(db: &Db, scope: &Scope, id: &str, target_id: &str, now: i64) -> Result<ResultItem> {
    let q = Query {
        target_id: Some(target_id.trim().to_string()),
        offset: 0,
        limit: 1,
    };
    results(db, scope, id, now, &q)
        .await?
        .items
        .pop()
        .ok_or_else(|| crate::Error::NotFound("考核结果不存在、尚未公布或不在您的查看范围内".into()))
}
