//! How often each obligation is due, per organization type: the rule
//! table's defaults, replaced where the top organization changed them.
use super::model::Kind;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{OrgKind, Scope};
use crate::plan::PeriodKind;
use crate::rules::life::FREQUENCIES;
use crate::{with_db, with_tx, Error, Result};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frequency {
    pub period: PeriodKind,
    pub times: i64,
}

/// (organization kind code, meeting kind) → frequency; absent: not required.
pub type Table = HashMap<(String, Kind), Frequency>;

/// The rule table's default frequencies as the help text reads them, one
/// clause per organization type: "党支部：支部党员大会每季度 1 次，…".
pub fn defaults_text() -> String {
    let mut clauses = Vec::new();
    for ok in OrgKind::ALL {
        let items: Vec<String> = FREQUENCIES
            .iter()
            .filter(|f| f.1 == ok.code())
            .filter_map(|(kind, _, period, times)| {
                let label = Kind::parse(kind)?.label_for(ok.code());
                let every = match PeriodKind::parse(period)? {
                    PeriodKind::Month => "每月",
                    PeriodKind::Quarter => "每季度",
                    PeriodKind::Year => "每年",
                };
                Some(match times {
                    0 => format!("{label}不作要求"),
                    n => format!("{label}{every} {n} 次"),
                })
            })
            .collect();
        if !items.is_empty() {
            clauses.push(format!("{}：{}", ok.label(), items.join("，")));
        }
    }
    clauses.join("；")
}

pub async fn table(db: &Db) -> Result<Table> {
    let mut t: Table = HashMap::new();
    for (kind, org_kind, period, times) in FREQUENCIES {
        if let (Some(k), Some(p)) = (Kind::parse(kind), PeriodKind::parse(period)) {
            t.insert(
                (org_kind.to_string(), k),
                Frequency {
                    period: p,
                    times: *times,
                },
            );
        }
    }
    let rows: Vec<(String, String, String, i64)> = with_db!(db, |p| sqlx::query_as(
        "SELECT org_kind, meeting_kind, period, times FROM life_frequencies"
    )
    .fetch_all(p)
    .await?);
    for (org_kind, kind, period, times) in rows {
        if let (Some(k), Some(p)) = (Kind::parse(&kind), PeriodKind::parse(&period)) {
            t.insert((org_kind, k), Frequency { period: p, times });
        }
    }
    Ok(t)
}

/// Whether `scope` holds a top organization, which alone sets frequencies.
pub async fn may_set(db: &Db, scope: &Scope) -> Result<bool> {
    let roots: Vec<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT path FROM orgs WHERE parent_id IS NULL"
    )
    .fetch_all(p)
    .await?);
    Ok(roots.iter().any(|r| scope.contains_path(r)))
}

/// Changes one frequency; only someone whose scope holds a top organization may.
#[allow(clippy::too_many_arguments)]
pub async fn set(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_kind: &str,
    kind: &str,
    period: &str,
    times: i64,
) -> Result<()> {
    if !may_set(db, scope).await? {
        return Err(Error::Forbidden("组织生活频次由最上级党组织统一设定".into()));
    }
    let ok = OrgKind::from_code(org_kind.trim()).ok_or_else(|| Error::invalid("组织类型", "请选择组织类型"))?;
    let k = Kind::parse(kind).ok_or_else(|| Error::invalid("会议类型", "请选择会议类型"))?;
    let p = PeriodKind::parse(period).ok_or_else(|| Error::invalid("周期", "应为每月、每季度或每年"))?;
    if !(0..=31).contains(&times) {
        return Err(Error::invalid("次数", "应为 0 到 31 之间的整数（0 表示不作要求）"));
    }
    let by = actor.name.clone();
    let (okc, before) = (
        ok.code().to_string(),
        table(db).await?.get(&(ok.code().to_string(), k)).copied(),
    );
    db.transaction(move |tx| {
        let (okc, by, actor) = (okc.clone(), by.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "DELETE FROM life_frequencies WHERE org_kind = $1 AND meeting_kind = $2"
            )
            .bind(&okc)
            .bind(k.code())
            .execute(c)
            .await?
            .rows_affected());
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO life_frequencies (org_kind, meeting_kind, period, times, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)"
            )
            .bind(&okc)
            .bind(k.code())
            .bind(p.code())
            .bind(times)
            .bind(&by)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            let was = before.map_or("不作要求".to_string(), |f| {
                format!("{}{}次", f.period.label(), f.times)
            });
            let ev = Event::new("life.frequency", format!("{}：{}", ok.label(), k.label()), Outcome::Ok)
                .detail(format!("{was} → {}{}次", p.label(), times));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
