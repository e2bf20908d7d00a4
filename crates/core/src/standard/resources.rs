//! 基础保障: an organization's Party-affairs staff (full- and part-time),
//! budget (integer fen) and venue for a year, entered once and read by the
//! superior for its subtree.
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::dues::{parse_yuan, yuan};
use crate::org::{self, Scope};
use crate::rules::standard::RESOURCE_COUNT_MAX as MAX_COUNT;
use crate::sql::{Param, Where};
use crate::text::{check_optional, TextKind};
use crate::{bind_all, with_db, with_tx, Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Resources {
    pub org_id: String,
    pub org_name: String,
    pub year: i64,
    pub full_time_staff: i64,
    pub part_time_staff: i64,
    pub budget_fen: i64,
    pub venue: String,
    /// Square metres.
    pub venue_area: i64,
    pub note: String,
    pub updated_by: String,
    pub updated_at: i64,
}

impl Resources {
    /// "12000.00".
    pub fn budget_yuan(&self) -> String {
        yuan(self.budget_fen)
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewResources {
    pub org_id: String,
    pub year: i64,
    #[serde(default)]
    pub full_time_staff: i64,
    #[serde(default)]
    pub part_time_staff: i64,
    /// Yuan as typed ("12000", "12,000.50"); 0 when empty.
    #[serde(default, deserialize_with = "crate::plan::text_or_number")]
    pub budget_yuan: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub venue_area: i64,
    #[serde(default)]
    pub note: String,
}

fn count(field: &str, n: i64) -> Result<i64> {
    if (0..=MAX_COUNT).contains(&n) {
        Ok(n)
    } else {
        Err(Error::invalid(
            field,
            format!("“{n}”无效，应为 0 至 {MAX_COUNT} 的整数"),
        ))
    }
}

/// Records (or replaces) an organization's resources for a year.
pub async fn set(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewResources) -> Result<()> {
    if new.org_id.trim().is_empty() {
        return Err(Error::invalid("组织", "不能为空，请选择组织"));
    }
    let o = org::get(db, scope, new.org_id.trim()).await?;
    let year = i64::from(crate::plan::year_of(new.year)?);
    let full = count("专职党务人员", new.full_time_staff)?;
    let part = count("兼职党务人员", new.part_time_staff)?;
    let area = count("活动场所面积", new.venue_area)?;
    let budget = match new.budget_yuan.trim() {
        "" => 0,
        s => parse_yuan("党建工作经费", s)?,
    };
    let venue = check_optional("活动场所", Some(&new.venue), 100, TextKind::Free)?.unwrap_or_default();
    let note = check_optional("备注", Some(&new.note), 500, TextKind::Free)?.unwrap_or_default();
    db.transaction(move |tx| {
        let (o, venue, note, actor) = (o.clone(), venue.clone(), note.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO standard_resources (org_id, year, full_time_staff, part_time_staff, budget_fen, venue, \
                 venue_area, note, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (org_id, year) DO UPDATE SET full_time_staff = $3, part_time_staff = $4, budget_fen = $5, \
                 venue = $6, venue_area = $7, note = $8, updated_by = $9, updated_at = $10"
            )
            .bind(&o.id)
            .bind(year)
            .bind(full)
            .bind(part)
            .bind(budget)
            .bind(&venue)
            .bind(area)
            .bind(&note)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("standard.resources", format!("{}（{year}年）", o.name), Outcome::Ok).detail(format!(
                "专职 {full} 人，兼职 {part} 人，经费 {} 元，场所 {area} 平方米",
                yuan(budget)
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// The resources recorded for the organizations under `org_id` for a year.
pub async fn list(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Vec<Resources>> {
    let o = org::get(db, scope, org_id.trim()).await?;
    let mut w = Where::default();
    w.prefix("o.path", &o.path);
    scope.restrict(&mut w, "o.path");
    w.push("r.year = {}", Param::I(year));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT r.org_id, o.name AS org_name, r.year, r.full_time_staff, r.part_time_staff, r.budget_fen, r.venue, \
         r.venue_area, r.note, r.updated_by, r.updated_at FROM standard_resources r JOIN orgs o ON o.id = r.org_id \
         {cond} ORDER BY o.path LIMIT 50000"
    );
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}
