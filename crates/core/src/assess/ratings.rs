//! Ratings by account while the assessment is open: the peers' (互评) and
//! the self-rating (自评). For organizations, a peer is the staff of another
//! assessed organization and self is the organization's own staff; for
//! members (一考双评), a peer is another assessed member and self the member.
//! A rater reads back only their own points; the others' reach nobody but as
//! a group's mean in the results, shown to the assessor while open and to the
//! assessed once published.
use super::model::{Assessment, Group, Kind, Subject, Target};
use super::read::{indicators, load, targets};
use super::scores::{check_points, closed_error, lock_open, upsert};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::text::{check_optional, TextKind};
use crate::{with_db, Error, Result};

/// Someone rating by account: the account, the person it belongs to, and
/// the organizations it acts for (its ManageAssessment scope).
#[derive(Clone, Copy, Debug)]
pub struct Rater<'a> {
    pub account_id: &'a str,
    pub person_id: Option<&'a str>,
    pub manage: Option<&'a Scope>,
}

/// Whether the rater may rate `target` in `group` (peers or self).
fn may_rate(a: &Assessment, all: &[Target], target: &Target, group: Group, r: &Rater<'_>) -> bool {
    match (a.subject, group) {
        (Subject::Orgs, Group::SelfRating) => r.manage.is_some_and(|s| s.holds_at(&target.org_path)),
        (Subject::Orgs, Group::Peers) => r.manage.is_some_and(|s| {
            !s.holds_at(&target.org_path) && all.iter().any(|t| t.id != target.id && s.holds_at(&t.org_path))
        }),
        (Subject::Members, Group::SelfRating) => r.person_id == Some(target.id.as_str()),
        (Subject::Members, Group::Peers) => r
            .person_id
            .is_some_and(|p| p != target.id && all.iter().any(|t| t.id == p)),
        _ => false,
    }
}

/// The targets a rater may rate as a peer or themselves, with the group.
pub async fn to_rate(db: &Db, rater: &Rater<'_>, assessment_id: &str) -> Result<Vec<(Target, Group)>> {
    let a = load(db, assessment_id).await?;
    let all = targets(db, &a.id).await?;
    let mut out = Vec::new();
    for t in &all {
        for g in [Group::SelfRating, Group::Peers] {
            if may_rate(&a, &all, t, g, rater) {
                out.push((t.clone(), g));
            }
        }
    }
    Ok(out)
}

/// A peer's or a self-rating's points for one target.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RatingInput {
    pub target_id: String,
    /// "peers" or "self".
    pub group: String,
    /// (indicator code, points).
    pub points: Vec<(String, String)>,
    pub note: String,
}

/// Records a rater's points as a peer or for themselves.
pub async fn rate(
    db: &Db,
    now: i64,
    actor: &Actor,
    rater: &Rater<'_>,
    assessment_id: &str,
    input: RatingInput,
) -> Result<()> {
    let a = load(db, assessment_id).await?;
    let group = match Group::parse(&input.group) {
        Some(g @ (Group::Peers | Group::SelfRating)) => g,
        _ => return Err(Error::invalid("评价主体", "应为 peers（互评）或 self（自评）")),
    };
    let all = targets(db, &a.id).await?;
    let target = all
        .iter()
        .find(|t| t.id == input.target_id.trim())
        .cloned()
        .ok_or_else(|| Error::invalid("考核对象", "不是本考核的考核对象"))?;
    if !may_rate(&a, &all, &target, group, rater) {
        return Err(Error::Forbidden(format!("您不是{}的{}人", target.name, group.label())));
    }
    if a.closed {
        return Err(closed_error());
    }
    let inds = indicators(db, &a.id).await?;
    if input.points.is_empty() {
        return Err(Error::invalid("分值", "请至少为一项指标打分"));
    }
    let mut entries: Vec<(String, i64)> = Vec::new();
    for (code, raw) in &input.points {
        let ind = inds
            .iter()
            .find(|i| i.code == code.trim() && i.kind == Kind::Rated && i.weights.of(group) > 0)
            .ok_or_else(|| {
                Error::invalid(
                    "指标编码",
                    format!("“{}”不是由{}打分的指标", code.trim(), group.label()),
                )
            })?;
        if entries.iter().any(|(c, _)| *c == ind.code) {
            return Err(Error::invalid("指标编码", format!("“{}”重复", ind.code)));
        }
        entries.push((ind.code.clone(), check_points(&format!("{}分值", ind.code), raw, ind)?));
    }
    let note = check_optional("说明", Some(&input.note), 500, TextKind::Free)?.unwrap_or_default();
    let key = match group {
        Group::SelfRating => target.id.clone(),
        _ => rater.account_id.to_string(),
    };
    let account = rater.account_id.to_string();
    db.transaction(move |tx| {
        let (a, target, entries, note, actor, key, account) = (
            a.clone(),
            target.clone(),
            entries.clone(),
            note.clone(),
            actor.clone(),
            key.clone(),
            account.clone(),
        );
        Box::pin(async move {
            lock_open(tx, &a.id, now).await?;
            for (code, p) in &entries {
                let e = (Some(*p), None, None);
                upsert(
                    tx,
                    &a,
                    &target.id,
                    code,
                    group.code(),
                    &key,
                    Some(&account),
                    e,
                    &note,
                    &actor.name,
                    now,
                )
                .await?;
            }
            let ev = Event::new("assess.rate", format!("{}：{}", a.title, target.name), Outcome::Ok).detail(format!(
                "{}，{} 项指标",
                group.label(),
                entries.len()
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// A rater's own points, as they gave them.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct MyRating {
    pub target_id: String,
    pub code: String,
    pub source: String,
    pub points: Option<i64>,
    pub note: String,
}

/// The points this account gave as a peer or for itself — nobody else's.
pub async fn my_ratings(db: &Db, rater: &Rater<'_>, assessment_id: &str) -> Result<Vec<MyRating>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT target_id, code, source, points, note FROM assessment_scores \
         WHERE assessment_id = $1 AND account_id = $2 AND source IN ('peers', 'self') ORDER BY target_id, code"
    )
    .bind(assessment_id.trim())
    .bind(rater.account_id)
    .fetch_all(p)
    .await?))
}
