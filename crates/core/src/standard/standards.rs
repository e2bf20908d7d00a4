//! Building standards (建设标准): drafted by a 党委 or 党总支 for a year and
//! the organization kinds below it, published (its items then frozen), and
//! changed only as a new version, which takes over the organizations' cycle
//! when it is published. Copies start next year's draft.
use super::catalog::get_managed;
pub use super::catalog::{applicable, get, items_of, list};
use super::items::{self, insert_all};
use super::model::{Item, NewStandard, StandardStatus, Tier};
use super::rules::{check_kinds, thresholds};
pub use super::versions::{copy, new_version};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::{self, Org, Scope};
use crate::text::{check, TextKind};
use crate::{ids, with_tx, Error, Result};

/// A standard as it will be written.
#[derive(Clone)]
pub(super) struct Valid {
    pub(super) title: String,
    pub(super) kinds: String,
    pub(super) items: Vec<Item>,
    pub(super) ii: i64,
    pub(super) iii: i64,
}

/// The organization publishing a standard: a 党委 or 党总支 in the scope.
pub(super) async fn publisher(db: &Db, scope: &Scope, org_id: &str) -> Result<Org> {
    if org_id.trim().is_empty() {
        return Err(Error::invalid("组织", "不能为空，请选择制定标准的党组织"));
    }
    let o = org::get(db, scope, org_id.trim()).await?;
    if o.dissolved_at.is_some() {
        return Err(Error::invalid("组织", format!("{} 已撤销", o.name)));
    }
    if !matches!(o.kind.as_str(), "committee" | "general_branch") {
        return Err(Error::invalid(
            "组织",
            format!("建设标准由党委或党总支制定，{}是{}", o.name, o.kind_label()),
        ));
    }
    Ok(o)
}

pub(super) fn validate(new: &NewStandard, owner: &Org) -> Result<Valid> {
    crate::plan::year_of(new.year)?;
    let title = check("标准名称", &new.title, 80, TextKind::Free)?;
    let kinds = check_kinds(&new.org_kinds)?;
    if owner.kind == "general_branch" && kinds.iter().any(|k| k != "branch") {
        return Err(Error::invalid("适用组织类型", "党总支制定的标准只适用于所属党支部"));
    }
    let items = items::validate(&new.items)?;
    let (ii, iii) = thresholds(new.grade_ii_bp, new.grade_iii_bp)?;
    Ok(Valid {
        title,
        kinds: kinds.join(","),
        items,
        ii,
        iii,
    })
}

fn summary(items: &[Item]) -> String {
    let baseline = items.iter().filter(|i| i.tier() == Tier::Baseline).count();
    let computed = items.iter().filter(|i| i.rule.is_some()).count();
    format!(
        "{} 项：达标项 {baseline} 项，提升项 {} 项，其中计算项 {computed} 项",
        items.len(),
        items.len() - baseline
    )
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    tx: &mut Tx,
    now: i64,
    id: &str,
    org_id: &str,
    year: i64,
    v: &Valid,
    version: i64,
    previous: Option<&str>,
    by: &str,
) -> Result<()> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO standards (id, org_id, year, title, org_kinds, version, previous_id, status, grade_ii_bp, \
         grade_iii_bp, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, $10, $11, $11)"
    )
    .bind(id)
    .bind(org_id)
    .bind(year)
    .bind(&v.title)
    .bind(&v.kinds)
    .bind(version)
    .bind(previous)
    .bind(v.ii)
    .bind(v.iii)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected()
    });
    insert_all(tx, id, &v.items).await
}

/// Writes a new draft and audits it as `action`; answers its id.
#[allow(clippy::too_many_arguments)]
pub(super) async fn write_draft(
    db: &Db,
    now: i64,
    actor: &Actor,
    owner: Org,
    year: i64,
    v: Valid,
    version: (i64, Option<String>),
    action: &'static str,
) -> Result<String> {
    db.transaction(move |tx| {
        let (owner, v, version, actor) = (owner.clone(), v.clone(), version.clone(), actor.clone());
        Box::pin(async move {
            let id = ids::new_id();
            insert(
                tx,
                now,
                &id,
                &owner.id,
                year,
                &v,
                version.0,
                version.1.as_deref(),
                &actor.name,
            )
            .await?;
            let ev =
                Event::new(action, format!("{}（{}）", v.title, owner.name), Outcome::Ok).detail(summary(&v.items));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// Creates a draft standard; answers its id.
pub async fn create(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewStandard) -> Result<String> {
    let owner = publisher(db, scope, &new.org_id).await?;
    let v = validate(&new, &owner)?;
    write_draft(db, now, actor, owner, new.year, v, (1, None), "standard.create").await
}

/// Replaces a draft's title, kinds, thresholds and items; its organization
/// and year stay.
pub async fn update(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str, new: NewStandard) -> Result<()> {
    let s = get_managed(db, scope, id).await?;
    if s.status() != StandardStatus::Draft {
        return Err(Error::Conflict(format!(
            "“{}”已发布，项目已冻结，不能修改；如需调整，请生成新版本",
            s.display()
        )));
    }
    if new.org_id.trim() != s.org_id {
        return Err(Error::invalid("组织", "制定标准的组织不能修改，请新建标准"));
    }
    if new.year != s.year {
        return Err(Error::invalid("年度", "标准的年度不能修改，请新建标准或复制到新年度"));
    }
    let owner = org::get(db, scope, &s.org_id).await?;
    let v = validate(&new, &owner)?;
    db.transaction(move |tx| {
        let (s, v, actor) = (s.clone(), v.clone(), actor.clone());
        Box::pin(async move {
            let n = with_tx!(tx, |c| {
                sqlx::query(
                "UPDATE standards SET title = $1, org_kinds = $2, grade_ii_bp = $3, grade_iii_bp = $4, updated_at = $5 \
                 WHERE id = $6 AND status = 'draft'"
            )
            .bind(&v.title)
            .bind(&v.kinds)
            .bind(v.ii)
            .bind(v.iii)
            .bind(now)
            .bind(&s.id)
            .execute(c)
            .await?
            .rows_affected()
            });
            if n == 0 {
                return Err(Error::Conflict("标准已发布，项目已冻结，不能修改".into()));
            }
            with_tx!(tx, |c| sqlx::query("DELETE FROM standard_items WHERE standard_id = $1")
                .bind(&s.id)
                .execute(c)
                .await?
                .rows_affected());
            insert_all(tx, &s.id, &v.items).await?;
            let ev = Event::new("standard.update", format!("{}（{}）", v.title, s.org_name), Outcome::Ok)
                .detail(summary(&v.items));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Deletes a draft (never a published standard).
pub async fn delete(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let s = get_managed(db, scope, id).await?;
    if s.status() != StandardStatus::Draft {
        return Err(Error::Conflict(format!("“{}”已发布，不能删除", s.display())));
    }
    db.transaction(move |tx| {
        let (s, actor) = (s.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query("DELETE FROM standard_items WHERE standard_id = $1")
                .bind(&s.id)
                .execute(c)
                .await?
                .rows_affected());
            let n = with_tx!(tx, |c| sqlx::query(
                "DELETE FROM standards WHERE id = $1 AND status = 'draft'"
            )
            .bind(&s.id)
            .execute(c)
            .await?
            .rows_affected());
            if n == 0 {
                return Err(Error::Conflict("标准已发布，不能删除".into()));
            }
            let ev = Event::new(
                "standard.delete",
                format!("{}（{}）", s.display(), s.org_name),
                Outcome::Ok,
            );
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Publishes a draft: its items freeze. A new version replaces the one it
/// was made from, and takes over every organization's answers and problems
/// on the items it keeps (by code), their standing, applications and history.
pub async fn publish(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let s = get_managed(db, scope, id).await?;
    if s.status() != StandardStatus::Draft {
        return Err(Error::Conflict(format!(
            "“{}”{}，无需再次发布",
            s.display(),
            s.status().label()
        )));
    }
    db.transaction(move |tx| {
        let (s, actor) = (s.clone(), actor.clone());
        Box::pin(async move {
            let n = with_tx!(tx, |c| sqlx::query(
                "UPDATE standards SET status = 'published', published_at = $1, published_by = $2, updated_at = $1 \
                 WHERE id = $3 AND status = 'draft'"
            )
            .bind(now)
            .bind(&actor.name)
            .bind(&s.id)
            .execute(c)
            .await?
            .rows_affected());
            if n == 0 {
                return Err(Error::Conflict("标准的状态已变化，请刷新后重试".into()));
            }
            let mut detail = format!("第{}版", s.version);
            if let Some(prev) = &s.previous_id {
                super::versions::take_over(tx, now, prev, &s.id).await?;
                detail.push_str("，取代上一版本");
            }
            let ev = Event::new(
                "standard.publish",
                format!("{}（{}）", s.display(), s.org_name),
                Outcome::Ok,
            )
            .detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
