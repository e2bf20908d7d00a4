//! The assessor's board of anonymous ballots (群众评议): per target only the
//! ballots issued and cast and, from the rule table's threshold on, the
//! masses' mean on each indicator they rate (样本不足 below). No ballot can
//! be read back: the tallies hold sums only.
use super::is_assessor;
use super::model::{Assessment, Indicator, Kind, Target};
use super::read::{indicators, load, targets};
use super::rules::mean;
use crate::db::Db;
use crate::org::Scope;
use crate::rules::assess::MIN_BALLOTS;
use crate::{with_db, Error, Result};
use std::collections::HashMap;

/// One indicator's mean for a target, once enough ballots are in.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ItemMean {
    pub code: String,
    pub title: String,
    /// Hundredths.
    pub full_points: i64,
    /// Hundredths; None below the threshold (样本不足).
    pub mean: Option<i64>,
}

/// A target's ballots.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TargetBallots {
    pub target_id: String,
    pub target_name: String,
    pub org_name: String,
    pub issued: i64,
    pub cast: i64,
    /// Ballots counted in the tallies.
    pub counted: i64,
    /// The sum of the indicators' means (hundredths); None below the threshold.
    pub mean: Option<i64>,
    pub items: Vec<ItemMean>,
}

/// The board: the assessment, its masses indicators, every target with its counts.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Board {
    pub assessment: Assessment,
    pub indicators: Vec<Indicator>,
    pub full_points: i64,
    pub threshold: i64,
    pub targets: Vec<TargetBallots>,
}

/// The indicators the masses rate.
pub fn masses_items(inds: Vec<Indicator>) -> Vec<Indicator> {
    inds.into_iter()
        .filter(|i| i.kind == Kind::Rated && i.weights.masses > 0)
        .collect()
}

/// The board of an assessment, for its assessor.
pub async fn board(db: &Db, scope: &Scope, assessment_id: &str) -> Result<Board> {
    let a = load(db, assessment_id).await?;
    if !is_assessor(scope, &a) {
        return Err(Error::NotFound("考核不存在或不在您的管理范围内".into()));
    }
    let items = masses_items(indicators(db, &a.id).await?);
    let tokens: Vec<(String, i64, i64)> = with_db!(db, |p| sqlx::query_as(
        "SELECT target_id, COUNT(*), COALESCE(SUM(CASE WHEN used THEN 1 ELSE 0 END), 0) \
         FROM assessment_ballot_tokens WHERE assessment_id = $1 GROUP BY target_id"
    )
    .bind(&a.id)
    .fetch_all(p)
    .await?);
    let tallies: Vec<(String, String, i64, i64)> = with_db!(db, |p| sqlx::query_as(
        "SELECT target_id, code, ballots, points_sum FROM assessment_tallies WHERE assessment_id = $1"
    )
    .bind(&a.id)
    .fetch_all(p)
    .await?);
    let counts: HashMap<String, (i64, i64)> = tokens.into_iter().map(|(t, i, c)| (t, (i, c))).collect();
    let mut sums: HashMap<(String, String), (i64, i64)> = HashMap::new();
    for (t, code, n, sum) in tallies {
        sums.insert((t, code), (n, sum));
    }
    let rows = targets(db, &a.id)
        .await?
        .into_iter()
        .map(|t| row(t, &items, &counts, &sums))
        .collect();
    Ok(Board {
        full_points: items.iter().map(|i| i.full_points).sum(),
        assessment: a,
        indicators: items,
        threshold: MIN_BALLOTS,
        targets: rows,
    })
}

fn row(
    t: Target,
    items: &[Indicator],
    counts: &HashMap<String, (i64, i64)>,
    sums: &HashMap<(String, String), (i64, i64)>,
) -> TargetBallots {
    let (issued, cast) = counts.get(&t.id).copied().unwrap_or((0, 0));
    let mut counted = 0;
    let means: Vec<ItemMean> = items
        .iter()
        .map(|i| {
            let (n, sum) = sums.get(&(t.id.clone(), i.code.clone())).copied().unwrap_or((0, 0));
            counted = counted.max(n);
            ItemMean {
                code: i.code.clone(),
                title: i.title.clone(),
                full_points: i.full_points,
                mean: if n >= MIN_BALLOTS { mean(sum, n) } else { None },
            }
        })
        .collect();
    let mean = if items.is_empty() {
        None
    } else {
        means.iter().map(|m| m.mean).sum::<Option<i64>>()
    };
    TargetBallots {
        target_id: t.id,
        target_name: t.name,
        org_name: t.org_name,
        issued,
        cast,
        counted,
        mean,
        items: means,
    }
}
