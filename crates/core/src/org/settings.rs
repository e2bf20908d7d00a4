//! The numbers the rules call "usually" (一般): the share of 优秀 in the
//! democratic appraisal, the members of a branch, the seats of a committee.
//! The rule table holds the defaults; the top organization may change them
//! for its whole tree, and each change is audited.
use super::Scope;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::rules::{life, structure};
use crate::{with_db, with_tx, Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleSettings {
    /// 优秀 at most `excellent.0 / excellent.1` of those graded.
    pub excellent: (i64, i64),
    /// A branch has at most this many members.
    pub branch_max_members: i64,
    /// A branch committee has this many seats (from, to).
    pub committee_seats: (i64, i64),
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            excellent: life::EXCELLENT_MAX_SHARE,
            branch_max_members: structure::BRANCH_MAX_MEMBERS,
            committee_seats: structure::COMMITTEE_SEATS,
        }
    }
}

/// A share as Chinese reads it: 三分之一, 五分之二.
pub fn share_label(share: (i64, i64)) -> String {
    crate::rules::words::fraction(share)
}

type Row = (String, i64, i64, i64, i64, i64);

/// Every top organization's settings, by its path.
async fn rows(db: &Db) -> Result<Vec<(String, RuleSettings)>> {
    let rows: Vec<Row> = with_db!(db, |p| sqlx::query_as(
        "SELECT o.path, s.excellent_num, s.excellent_den, s.branch_max_members, s.committee_min_seats, \
         s.committee_max_seats FROM org_rule_settings s JOIN orgs o ON o.id = s.org_id"
    )
    .fetch_all(p)
    .await?);
    Ok(rows
        .into_iter()
        .map(|(path, n, d, m, lo, hi)| {
            (
                path,
                RuleSettings {
                    excellent: (n, d),
                    branch_max_members: m,
                    committee_seats: (lo, hi),
                },
            )
        })
        .collect())
}

/// The settings that hold for every organization, by its path: its top
/// organization's, or the rule table's.
pub async fn rule_settings_all(db: &Db) -> Result<impl Fn(&str) -> RuleSettings> {
    let all = rows(db).await?;
    Ok(move |path: &str| {
        all.iter()
            .find(|(root, _)| path.starts_with(root.as_str()))
            .map_or_else(RuleSettings::default, |(_, s)| *s)
    })
}

/// The settings that hold for the organization at `path`.
pub async fn rule_settings(db: &Db, path: &str) -> Result<RuleSettings> {
    Ok(rule_settings_all(db).await?(path))
}

/// The top organization in the scope, if the scope holds one: only its
/// 党务管理员 sets the numbers.
pub async fn top_in_scope(db: &Db, scope: &Scope) -> Result<Option<(String, String, String)>> {
    let roots: Vec<(String, String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, name, path FROM orgs WHERE parent_id IS NULL ORDER BY path"
    )
    .fetch_all(p)
    .await?);
    Ok(roots.into_iter().find(|r| scope.contains_path(&r.2)))
}

fn check(s: &RuleSettings) -> Result<()> {
    let (a, b) = s.excellent;
    if !(1..=100).contains(&b) || !(0..=b).contains(&a) {
        return Err(Error::invalid(
            "优秀比例上限",
            "应为不大于 1 的分数，如 1/3：分子 0 至分母，分母 1 至 100",
        ));
    }
    let min = structure::BRANCH_MIN_FULL_MEMBERS;
    if !(min..=1000).contains(&s.branch_max_members) {
        return Err(Error::invalid(
            "支部党员上限",
            format!("应为 {min} 至 1000 的整数（支部至少有 {min} 名正式党员）"),
        ));
    }
    let (lo, hi) = s.committee_seats;
    let max = structure::COMMITTEE_MAX_SEATS;
    if !(1..=max).contains(&lo) || !(lo..=max).contains(&hi) {
        return Err(Error::invalid(
            "支委会委员人数",
            format!("应为 1 至 {max} 人，且下限不大于上限（支部委员最多 {max} 人）"),
        ));
    }
    Ok(())
}

fn describe(s: &RuleSettings) -> String {
    format!(
        "优秀不超过{}，支部党员不超过 {} 人，支委会 {}–{} 人",
        share_label(s.excellent),
        s.branch_max_members,
        s.committee_seats.0,
        s.committee_seats.1
    )
}

/// Sets the numbers for the top organization in the caller's scope; refused
/// (403) to anyone whose scope holds no top organization, and with the
/// field named (422) when a number is out of range; audited with before
/// and after.
pub async fn set_rule_settings(db: &Db, now: i64, actor: &Actor, scope: &Scope, s: RuleSettings) -> Result<()> {
    let Some((org_id, org_name, path)) = top_in_scope(db, scope).await? else {
        return Err(Error::Forbidden("这些数值由最上级党组织统一设定".into()));
    };
    check(&s)?;
    let before = rule_settings(db, &path).await?;
    let actor = actor.clone();
    db.transaction(move |tx| {
        let (org_id, org_name, actor) = (org_id.clone(), org_name.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query("DELETE FROM org_rule_settings WHERE org_id = $1")
                .bind(&org_id)
                .execute(c)
                .await?
                .rows_affected());
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO org_rule_settings (org_id, excellent_num, excellent_den, branch_max_members, \
                 committee_min_seats, committee_max_seats, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            )
            .bind(&org_id)
            .bind(s.excellent.0)
            .bind(s.excellent.1)
            .bind(s.branch_max_members)
            .bind(s.committee_seats.0)
            .bind(s.committee_seats.1)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("org.rule_settings", format!("{org_name}（{org_id}）"), Outcome::Ok)
                .detail(format!("{} → {}", describe(&before), describe(&s)));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
