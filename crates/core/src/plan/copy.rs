//! Copying a plan to the next year (复制年度计划): an organization's own goals
//! with their KPIs and its own tasks with their links, dates moved by the
//! years between, people kept, figures and progress left behind.
use super::goals::{self, insert_kpi, next_seq, validate_kpi, ValidKpi};
use super::model::NewKpi;
use super::rules::figure_text;
use super::tasks::{self, ValidTask};
use super::template::items_in;
use super::{plan_org, year_of};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::sql::Where;
use crate::{bind_all, ids, with_db, Error, Result};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// A date moved by `years`; February 29th becomes the 28th in a common year.
pub fn shift(d: NaiveDate, years: i32) -> NaiveDate {
    let y = d.year() + years;
    d.with_year(y)
        .or_else(|| NaiveDate::from_ymd_opt(y, d.month(), 28))
        .unwrap_or(d)
}

fn date(field: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("原计划中的日期“{s}”无效，请先修改")))
}

/// People of some items still on the roster: item id → person ids.
async fn people_of(db: &Db, item_ids: &[String]) -> Result<HashMap<String, Vec<String>>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in item_ids.chunks(500) {
        let mut w = Where::default();
        let phs = w.in_list(chunk);
        let sql = format!(
            "SELECT pp.item_id, pp.person_id FROM plan_people pp JOIN people p ON p.id = pp.person_id \
             WHERE pp.item_id IN ({}) AND p.left_on IS NULL ORDER BY p.name_pinyin",
            phs
        );
        let rows: Vec<(String, String)> =
            with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        for (item, person) in rows {
            out.entry(item).or_default().push(person);
        }
    }
    Ok(out)
}

/// A goal to copy: (old id, title, description, difficult, KPIs, owners).
type GoalCopy = (String, String, String, bool, Vec<ValidKpi>, Vec<String>);

/// Copies an organization's own plan of `from_year` to `to_year`, which must
/// be empty. Goals come with their KPIs (no figures); tasks that were its own
/// (not deployed from above) come with their links to the copied goals, their
/// milestones and people, dates moved, progress reset. A task whose every
/// link pointed elsewhere (a superior's goal) is left out, since its goals
/// for the new year are not yet known. Answers (goals, tasks) copied.
pub async fn copy_year(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    from_year: i64,
    to_year: i64,
) -> Result<(usize, usize)> {
    let org = plan_org(db, scope, org_id).await?;
    let (from, to) = (year_of(from_year)?, year_of(to_year)?);
    if from == to {
        return Err(Error::invalid("目标年度", "与源年度相同，请选择另一个年度"));
    }
    let years = to - from;
    let own_goals: Vec<_> = goals::of_org_any(db, &org.id, i64::from(from))
        .await?
        .into_iter()
        .filter(|g| g.parent_id.is_none())
        .collect();
    let own_tasks: Vec<_> = tasks::of_org_any(db, &org.id, i64::from(from))
        .await?
        .into_iter()
        .filter(|t| t.parent_id.is_none())
        .collect();
    if own_goals.is_empty() && own_tasks.is_empty() {
        return Err(Error::invalid(
            "源年度",
            format!("{} {from} 年度没有本组织制定的目标或任务，无可复制的内容", org.name),
        ));
    }
    let goal_ids: Vec<String> = own_goals.iter().map(|g| g.id.clone()).collect();
    let task_ids: Vec<String> = own_tasks.iter().map(|t| t.id.clone()).collect();
    let mut kpis: HashMap<String, Vec<ValidKpi>> = HashMap::new();
    for k in goals::kpis_of(db, &goal_ids).await? {
        let n = kpis.get(&k.goal_id).map_or(0, Vec::len) + 1;
        let new = NewKpi {
            name: k.name.clone(),
            unit: k.unit.clone(),
            baseline: figure_text(k.baseline),
            target: figure_text(k.target),
            direction: k.direction.clone(),
            period: k.period_kind.clone(),
        };
        kpis.entry(k.goal_id.clone()).or_default().push(validate_kpi(&new, n)?);
    }
    let all_items: Vec<String> = goal_ids.iter().chain(task_ids.iter()).cloned().collect();
    let mut people = people_of(db, &all_items).await?;
    let goal_copies: Vec<GoalCopy> = own_goals
        .iter()
        .map(|g| {
            let ks = kpis.remove(&g.id).unwrap_or_default();
            let owners = people.remove(&g.id).unwrap_or_default();
            (
                g.id.clone(),
                g.title.clone(),
                g.description.clone(),
                g.difficult,
                ks,
                owners,
            )
        })
        .collect();
    let mut links: HashMap<String, Vec<String>> = HashMap::new();
    for (t, g) in tasks::links_of(db, &task_ids).await? {
        if goal_ids.contains(&g) {
            links.entry(t).or_default().push(g);
        }
    }
    let mut milestones: HashMap<String, Vec<(String, NaiveDate)>> = HashMap::new();
    for m in tasks::milestones_of(db, &task_ids).await? {
        let d = shift(date("里程碑日期", &m.due_on)?, years);
        milestones.entry(m.task_id.clone()).or_default().push((m.title, d));
    }
    let mut task_copies: Vec<ValidTask> = Vec::new();
    let mut skipped = 0;
    for t in &own_tasks {
        // Old goal ids for now; remapped once the new goals have ids.
        let goal_ids = links.remove(&t.id).unwrap_or_default();
        if !t.standing && goal_ids.is_empty() {
            skipped += 1;
            continue;
        }
        task_copies.push(ValidTask {
            title: t.title.clone(),
            description: t.description.clone(),
            standing: t.standing,
            deadline: shift(date("截止日期", &t.deadline)?, years),
            goal_ids,
            assignees: people.remove(&t.id).unwrap_or_default(),
            milestones: milestones.remove(&t.id).unwrap_or_default(),
        });
    }
    let by = actor.name.clone();
    db.transaction(move |tx| {
        let (org, goal_copies, task_copies, by, actor) = (
            org.clone(),
            goal_copies.clone(),
            task_copies.clone(),
            by.clone(),
            actor.clone(),
        );
        Box::pin(async move {
            let y = i64::from(to);
            let (g, t) = items_in(tx, &org.id, y).await?;
            if g + t > 0 {
                return Err(Error::Conflict(format!(
                    "{} {to} 年度已有 {g} 项业务目标、{t} 项党建任务，不能复制；请选择尚未制定计划的年度",
                    org.name
                )));
            }
            let mut new_ids: HashMap<String, String> = HashMap::new();
            for (old, title, description, difficult, ks, owners) in &goal_copies {
                let id = ids::new_id();
                let seq = next_seq(tx, "goals", &org.id, y).await?;
                goals::insert(tx, now, &id, &org.id, y, None, title, description, *difficult, seq, &by).await?;
                for (i, k) in ks.iter().enumerate() {
                    insert_kpi(tx, now, &id, i + 1, k).await?;
                }
                super::people::replace(tx, &id, owners).await?;
                new_ids.insert(old.clone(), id);
            }
            for v in &task_copies {
                let mut v = v.clone();
                v.goal_ids = v.goal_ids.iter().filter_map(|g| new_ids.get(g).cloned()).collect();
                tasks::insert(tx, now, &ids::new_id(), &org.id, y, None, true, &v, &by).await?;
            }
            let mut detail = format!(
                "从 {from} 年度复制：业务目标 {} 项，党建任务 {} 项",
                goal_copies.len(),
                task_copies.len()
            );
            if skipped > 0 {
                detail.push_str(&format!("；{skipped} 项任务只关联上级目标，未复制"));
            }
            let ev = Event::new("plan.copy", format!("{}（{to}年）", org.name), Outcome::Ok).detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok((goal_copies.len(), task_copies.len()))
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::shift;
    use chrono::NaiveDate;

    #[test]
    fn dates_move_by_whole_years() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(shift(d("2028-02-29"), 1), d("2029-02-28"));
        assert_eq!(shift(d("2028-02-29"), 4), d("2032-02-29"));
        assert_eq!(shift(d("2026-12-31"), 1), d("2027-12-31"));
        assert_eq!(shift(d("2027-03-01"), -1), d("2026-03-01"));
    }
}
