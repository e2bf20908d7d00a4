//! The masses' anonymous ballots (群众评议): the assessor issues one-time
//! tokens per target (a link or QR code each); whoever holds one votes once,
//! without an account. Only the token's SHA-256, its day of issue and
//! whether it was used are stored; a ballot only adds to the running tallies
//! of its target (no row per ballot exists), and its audit record carries no
//! account, address, target or time finer than the day. A tally is shown
//! from the rule table's number of ballots on.
use super::model::{Assessment, Group, Indicator, Kind};
use super::read::{indicators, load, target_of};
use super::rules::{parse_points, points_text};
use super::scores::{closed_error, lock_open};
use super::{is_assessor, today};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::rules::assess::MAX_BALLOTS_PER_ISSUE;
use crate::sql::{Param, Where};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use sha2::{Digest, Sha256};

/// Every ballot token starts with this.
pub const PREFIX: &str = "tpb_";

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

fn masses_items(inds: Vec<Indicator>) -> Vec<Indicator> {
    inds.into_iter()
        .filter(|i| i.kind == Kind::Rated && i.weights.masses > 0)
        .collect()
}

/// A request for ballots: for whom, which group (only "masses"), how many.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct IssueInput {
    pub target_id: String,
    pub group: String,
    pub count: i64,
}

/// Issues one-time ballots for a target; the tokens are shown once.
pub async fn issue(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    assessment_id: &str,
    input: IssueInput,
) -> Result<Vec<String>> {
    let IssueInput {
        target_id,
        group,
        count,
    } = input;
    let (target_id, group) = (target_id.as_str(), group.as_str());
    let a = load(db, assessment_id).await?;
    if !is_assessor(scope, &a) {
        return Err(Error::NotFound("考核不存在或不在您的管理范围内".into()));
    }
    if a.closed {
        return Err(closed_error());
    }
    if Group::parse(group) != Some(Group::Masses) {
        return Err(Error::invalid(
            "评价主体",
            "匿名选票只用于群众评议（masses）；互评和自评凭账号打分",
        ));
    }
    let target = target_of(db, &a.id, target_id).await?;
    if masses_items(indicators(db, &a.id).await?).is_empty() {
        return Err(Error::invalid("评价主体", "本考核没有群众评议的指标"));
    }
    if !(1..=MAX_BALLOTS_PER_ISSUE).contains(&count) {
        return Err(Error::invalid(
            "张数",
            format!("每次发放 1 至 {MAX_BALLOTS_PER_ISSUE} 张"),
        ));
    }
    let tokens: Vec<String> = (0..count).map(|_| format!("{PREFIX}{}", ids::random_token())).collect();
    let day = today(now).to_string();
    let (hashes, out) = (tokens.iter().map(|t| hash(t)).collect::<Vec<_>>(), tokens.clone());
    db.transaction(move |tx| {
        let (a, target, hashes, day, actor) = (a.clone(), target.clone(), hashes.clone(), day.clone(), actor.clone());
        Box::pin(async move {
            lock_open(tx, &a.id, now).await?;
            for chunk in hashes.chunks(200) {
                let mut w = Where::default();
                let rows: Vec<String> = chunk
                    .iter()
                    .map(|h| {
                        let cols = [
                            w.param(Param::S(h.clone())),
                            w.param(Param::S(a.id.clone())),
                            w.param(Param::S(target.id.clone())),
                            w.param(Param::S(day.clone())),
                        ];
                        format!("({}, {}, {}, 'masses', {}, FALSE)", cols[0], cols[1], cols[2], cols[3])
                    })
                    .collect();
                let sql = format!(
                    "INSERT INTO assessment_ballot_tokens (token_hash, assessment_id, target_id, grp, issued_on, used) VALUES {}",
                    rows.join(", ")
                );
                with_tx!(tx, |c| bind_all!(sqlx::query(&sql), w.params()).execute(c).await?.rows_affected());
            }
            let ev = Event::new("assess.ballots.issue", format!("{}：{}", a.title, target.name), Outcome::Ok)
                .detail(format!("群众评议选票 {} 张", hashes.len()));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await?;
    Ok(out)
}

/// Tokens issued and used for a target, for the assessor.
pub async fn counts(db: &Db, scope: &Scope, assessment_id: &str, target_id: &str) -> Result<(i64, i64)> {
    let a = load(db, assessment_id).await?;
    if !is_assessor(scope, &a) {
        return Err(Error::NotFound("考核不存在或不在您的管理范围内".into()));
    }
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN used THEN 1 ELSE 0 END), 0) FROM assessment_ballot_tokens \
         WHERE assessment_id = $1 AND target_id = $2"
    )
    .bind(&a.id)
    .bind(target_id.trim())
    .fetch_one(p)
    .await?))
}

/// What a ballot's holder sees: whom they assess, on which indicators.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BallotForm {
    pub assessment_title: String,
    pub period_title: String,
    pub target_name: String,
    pub indicators: Vec<Indicator>,
}

/// The assessment and target a token is for, refusing a forged, used or closed one.
async fn token_target(db: &Db, token: &str) -> Result<(Assessment, String)> {
    let row: Option<(String, String, bool)> = with_db!(db, |p| sqlx::query_as(
        "SELECT assessment_id, target_id, used FROM assessment_ballot_tokens WHERE token_hash = $1"
    )
    .bind(hash(token))
    .fetch_optional(p)
    .await?);
    let Some((aid, target, used)) = row else {
        return Err(Error::invalid("选票", "选票无效，请核对链接或二维码"));
    };
    if used {
        return Err(Error::Conflict("该选票已使用，每张选票只能投一次".into()));
    }
    let a = load(db, &aid).await?;
    if a.closed {
        return Err(Error::Conflict("考核已结束，选票已失效".into()));
    }
    Ok((a, target))
}

/// The form behind a token (no login).
pub async fn form(db: &Db, token: &str) -> Result<BallotForm> {
    let (a, target) = token_target(db, token).await?;
    let t = target_of(db, &a.id, &target).await?;
    Ok(BallotForm {
        period_title: a.period_title(),
        assessment_title: a.title,
        target_name: t.name,
        indicators: masses_items(indicators(db, &a.id).await?),
    })
}

/// Casts the ballot behind a token: points for every indicator the masses
/// rate. The token is spent and the tallies grow in one transaction.
pub async fn cast(db: &Db, now: i64, token: &str, points: &[(String, String)]) -> Result<()> {
    let (a, target) = token_target(db, token).await?;
    let items = masses_items(indicators(db, &a.id).await?);
    let mut given: Vec<(String, i64)> = Vec::new();
    for (code, raw) in points {
        let ind = items
            .iter()
            .find(|i| i.code == code.trim())
            .ok_or_else(|| Error::invalid("指标编码", format!("“{}”不是群众评议的指标", code.trim())))?;
        if given.iter().any(|(c, _)| *c == ind.code) {
            return Err(Error::invalid("指标编码", format!("“{}”重复", ind.code)));
        }
        let field = format!("{}分值", ind.title);
        let p = parse_points(&field, raw)?;
        if p > ind.full_points {
            return Err(Error::invalid(
                &field,
                format!("{} 分超过满分 {} 分", points_text(p), points_text(ind.full_points)),
            ));
        }
        given.push((ind.code.clone(), p));
    }
    if let Some(missing) = items.iter().find(|i| !given.iter().any(|(c, _)| *c == i.code)) {
        return Err(Error::invalid(&format!("{}分值", missing.title), "请为每一项打分"));
    }
    // Recorded on the day only: nothing links the ballot to a finer time.
    let day_start = crate::clock::beijing(now)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|d| d.and_local_timezone(crate::clock::beijing_offset()).single())
        .map(|d| d.timestamp_millis())
        .unwrap_or(now);
    let h = hash(token);
    db.transaction(move |tx| {
        let (a, target, given, h) = (a.clone(), target.clone(), given.clone(), h.clone());
        Box::pin(async move {
            let spent = with_tx!(tx, |c| sqlx::query(
                "UPDATE assessment_ballot_tokens SET used = TRUE WHERE token_hash = $1 AND used = FALSE"
            )
            .bind(&h)
            .execute(c)
            .await?
            .rows_affected());
            if spent == 0 {
                return Err(Error::Conflict("该选票已使用，每张选票只能投一次".into()));
            }
            lock_open(tx, &a.id, day_start).await?;
            for (code, p) in &given {
                with_tx!(tx, |c| sqlx::query(
                    "INSERT INTO assessment_tallies (assessment_id, target_id, code, ballots, points_sum) \
                     VALUES ($1, $2, $3, 1, $4) ON CONFLICT (assessment_id, target_id, code) DO UPDATE SET \
                     ballots = assessment_tallies.ballots + 1, points_sum = assessment_tallies.points_sum + excluded.points_sum"
                )
                .bind(&a.id)
                .bind(&target)
                .bind(code)
                .bind(*p)
                .execute(c)
                .await?
                .rows_affected());
            }
            let voter = Actor::anonymous("匿名评议人", "");
            let ev = Event::new("assess.ballot", a.title.clone(), Outcome::Ok).detail("群众评议选票 1 张");
            audit::append(tx, day_start, &voter, &ev).await?;
            Ok(())
        })
    })
    .await
}
