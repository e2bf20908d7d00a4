//! Annual study plans (年度学习计划): drafted with monthly items, filed with
//! the superior (报备), approved or returned with a comment (审核 / 退回),
//! and refiled after a return. Every change is audited in its transaction.
use super::model::{NewItem, NewPlan, PlanItem, StudyPlan};
use super::rules::{self, Action, Status};
use super::study_org;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::text::{check, check_optional, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};

const SELECT: &str = "SELECT s.id, s.org_id, o.name AS org_name, o.path AS org_path, s.year, s.title, s.status, \
     s.review_comment, s.filed_at, s.reviewed_by, s.reviewed_at, s.updated_at \
     FROM study_plans s JOIN orgs o ON o.id = s.org_id";

/// An item whose fields were checked.
#[derive(Clone)]
struct ValidItem {
    month: i64,
    topic: String,
    form: String,
    hours: i64,
    notes: String,
}

fn validate_item(it: &NewItem, n: usize) -> Result<ValidItem> {
    let f = |name: &str| format!("第{n}项{name}");
    let month = rules::check_month(&f("月份"), it.month)?;
    let topic = check(&f("学习内容"), &it.topic, 100, TextKind::Free)?;
    let form = check_optional(&f("学习形式"), Some(&it.form), 20, TextKind::Name)?.unwrap_or_else(|| "集中学习".into());
    let hours = rules::parse_hours(&f("计划学时"), &it.hours)?;
    let notes = check_optional(&f("备注"), Some(&it.notes), 500, TextKind::Free)?.unwrap_or_default();
    Ok(ValidItem {
        month,
        topic,
        form,
        hours,
        notes,
    })
}

/// Creates the organization's plan for the year, or replaces the title and
/// items of its draft or returned plan. Answers the plan's id.
pub async fn save(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewPlan) -> Result<String> {
    let org = study_org(db, scope, &new.org_id).await?;
    let year = i64::from(crate::plan::year_of(new.year)?);
    let title = match new.title.trim() {
        "" => format!("{}{year}年度学习计划", org.name),
        t => check("计划名称", t, 80, TextKind::Free)?,
    };
    let items: Vec<ValidItem> = new
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| validate_item(it, i + 1))
        .collect::<Result<_>>()?;
    let months: Vec<i64> = items.iter().map(|i| i.month).collect();
    if !months.is_empty() {
        rules::check_fileable(&months)?;
    }
    db.transaction(move |tx| {
        let (org, title, items, actor) = (org.clone(), title.clone(), items.clone(), actor.clone());
        Box::pin(async move {
            let existing: Option<(String, String)> = with_tx!(tx, |c| sqlx::query_as(
                "SELECT id, status FROM study_plans WHERE org_id = $1 AND year = $2"
            )
            .bind(&org.id)
            .bind(year)
            .fetch_optional(c)
            .await?);
            let id = match existing {
                Some((id, status)) => {
                    let st = Status::parse(&status).unwrap_or(Status::Draft);
                    if !st.editable() {
                        return Err(Error::Conflict(format!(
                            "{year}年度学习计划{}，不能修改；如需调整请联系上级退回",
                            st.label()
                        )));
                    }
                    with_tx!(tx, |c| sqlx::query(
                        "UPDATE study_plans SET title = $1, updated_at = $2 WHERE id = $3"
                    )
                    .bind(&title)
                    .bind(now)
                    .bind(&id)
                    .execute(c)
                    .await?
                    .rows_affected());
                    with_tx!(tx, |c| sqlx::query("DELETE FROM study_plan_items WHERE plan_id = $1")
                        .bind(&id)
                        .execute(c)
                        .await?
                        .rows_affected());
                    id
                }
                None => {
                    let id = ids::new_id();
                    with_tx!(tx, |c| sqlx::query(
                        "INSERT INTO study_plans (id, org_id, year, title, status, review_comment, created_by, \
                         created_at, updated_at) VALUES ($1, $2, $3, $4, 'draft', '', $5, $6, $6)"
                    )
                    .bind(&id)
                    .bind(&org.id)
                    .bind(year)
                    .bind(&title)
                    .bind(&actor.name)
                    .bind(now)
                    .execute(c)
                    .await?
                    .rows_affected());
                    id
                }
            };
            insert_items(tx, &id, &items).await?;
            let total: i64 = items.iter().map(|i| i.hours).sum();
            let ev = Event::new("study.plan.save", format!("{title}（{}）", org.name), Outcome::Ok).detail(format!(
                "{} 项安排，计划 {} 学时",
                items.len(),
                rules::hours_text(total)
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

async fn insert_items(tx: &mut Tx, plan_id: &str, items: &[ValidItem]) -> Result<()> {
    for (i, it) in items.iter().enumerate() {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO study_plan_items (id, plan_id, month, seq, topic, form, hours_planned, notes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(ids::new_id())
        .bind(plan_id)
        .bind(it.month)
        .bind(i as i64 + 1)
        .bind(&it.topic)
        .bind(&it.form)
        .bind(it.hours)
        .bind(&it.notes)
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(())
}

async fn get_any(db: &Db, id: &str) -> Result<Option<StudyPlan>> {
    let sql = format!("{SELECT} WHERE s.id = $1");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(id.trim())
        .fetch_optional(p)
        .await?))
}

fn not_found() -> Error {
    Error::NotFound("学习计划不存在或不在您的管理范围内".into())
}

/// A plan of an organization in the scope.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<StudyPlan> {
    match get_any(db, id).await? {
        Some(p) if scope.contains_path(&p.org_path) => Ok(p),
        _ => Err(not_found()),
    }
}

/// The organization's plan for a year, if it has one.
pub async fn of_org(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Option<StudyPlan>> {
    let o = crate::org::get(db, scope, org_id).await?;
    let sql = format!("{SELECT} WHERE s.org_id = $1 AND s.year = $2");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(&o.id)
        .bind(year)
        .fetch_optional(p)
        .await?))
}

/// A plan's items, by month.
pub async fn items_of(db: &Db, plan_id: &str) -> Result<Vec<PlanItem>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT id, plan_id, month, seq, topic, form, hours_planned, notes FROM study_plan_items \
         WHERE plan_id = $1 ORDER BY month, seq"
    )
    .bind(plan_id)
    .fetch_all(p)
    .await?))
}

/// The plans of the organizations below `org_id` (not its own), by organization.
pub async fn below(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Vec<StudyPlan>> {
    let o = crate::org::get(db, scope, org_id).await?;
    let mut w = Where::default();
    w.prefix("o.path", &o.path);
    w.push("s.org_id <> {}", Param::S(o.id.clone()));
    w.push("s.year = {}", Param::I(year));
    scope.restrict(&mut w, "o.path");
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY o.path LIMIT 2000");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// Files the plan with the superior (报备); a returned plan is refiled.
pub async fn file(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let plan = get(db, scope, id).await?;
    let next = rules::transition(plan.status(), Action::File)?;
    let months: Vec<i64> = items_of(db, &plan.id).await?.iter().map(|i| i.month).collect();
    rules::check_fileable(&months)?;
    let sql = "UPDATE study_plans SET status = $1, filed_at = $2, updated_at = $2 WHERE id = $3 AND status = $4";
    let ev = Event::new(
        "study.plan.file",
        format!("{}（{}）", plan.title, plan.org_name),
        Outcome::Ok,
    )
    .detail(format!("{} 项安排", months.len()));
    change(db, now, actor, &plan, next, sql, None, ev).await
}

/// The superior's review: approve, or return with a comment. Only an
/// organization above the plan's (the parent or higher) reviews it.
pub async fn review(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    approve: bool,
    comment: &str,
) -> Result<()> {
    let plan = get(db, scope, id).await?;
    if !scope.contains_below(&plan.org_path) {
        return Err(Error::Forbidden(format!(
            "{}的学习计划由上级党组织审核，不能审核本组织的计划",
            plan.org_name
        )));
    }
    let (action, code, comment) = if approve {
        let c = check_optional("审核意见", Some(comment), 500, TextKind::Free)?.unwrap_or_default();
        (Action::Approve, "study.plan.approve", c)
    } else {
        (Action::Return, "study.plan.return", rules::return_comment(comment)?)
    };
    let next = rules::transition(plan.status(), action)?;
    let sql = "UPDATE study_plans SET status = $1, reviewed_at = $2, updated_at = $2, review_comment = $5, \
               reviewed_by = $6 WHERE id = $3 AND status = $4";
    let mut ev = Event::new(code, format!("{}（{}）", plan.title, plan.org_name), Outcome::Ok);
    if !comment.is_empty() {
        ev = ev.detail(comment.clone());
    }
    change(db, now, actor, &plan, next, sql, Some(comment), ev).await
}

/// Moves a plan from its read status to `next`, if no one moved it meanwhile.
#[allow(clippy::too_many_arguments)]
async fn change(
    db: &Db,
    now: i64,
    actor: &Actor,
    plan: &StudyPlan,
    next: Status,
    sql: &'static str,
    comment: Option<String>,
    ev: Event,
) -> Result<()> {
    let from = plan.status.clone();
    let id = plan.id.clone();
    db.transaction(move |tx| {
        let (from, id, comment, ev, actor) = (from.clone(), id.clone(), comment.clone(), ev.clone(), actor.clone());
        Box::pin(async move {
            let n = with_tx!(tx, |c| {
                let q = sqlx::query(sql).bind(next.code()).bind(now).bind(&id).bind(&from);
                let q = match &comment {
                    Some(cm) => q.bind(cm).bind(&actor.name),
                    None => q,
                };
                q.execute(c).await?.rows_affected()
            });
            if n == 0 {
                return Err(Error::Conflict("学习计划的状态已变化，请刷新后重试".into()));
            }
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
