//! Standardization to-dos (待办). For an organization's own staff: its open
//! problems by deadline (overdue ones late), a returned problem list, a move
//! back awaiting a new self-check. For the direct superior's staff: reported
//! problems to verify, applications to decide, organizations with overdue
//! problems (督办). For a person: the problems they own. `lapses` adds what
//! needs the records judged: an accepted organization whose computed
//! baseline item no longer holds (dynamic management).
use super::catalog;
use super::computed::{self, Target};
use super::figures::rules_of;
use super::model::{Rule, Tier};
use super::parent_path;
use super::rules::computed_met;
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sql::{Param, Where};
use crate::todo::Todo;
use crate::{bind_all, with_db, Result};
use std::collections::HashMap;

const LIMIT: i64 = 300;

fn todo(title: String, detail: String, due: Option<String>, overdue: bool, href: String) -> Todo {
    Todo {
        kind: "standard",
        title,
        detail,
        due,
        from: None,
        overdue,
        href,
    }
}

type ProblemRow = (String, String, String, String, String, String, String);

/// The to-dos of a ManageStandard scope, from the stored records.
pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let today = super::today(now).to_string();
    let mut out = Vec::new();
    // Problems not closed: the organization's own to rectify, the superior's to verify.
    let mut w = Where::default();
    w.push_raw("p.status <> 'closed'".into());
    scope.restrict(&mut w, "o.path");
    let lim = w.param(Param::I(LIMIT * 4));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.id, p.status, p.deadline, o.name, o.path, i.title, p.verify_comment FROM standard_problems p \
         JOIN orgs o ON o.id = p.org_id JOIN standard_items i ON i.standard_id = p.standard_id AND i.code = p.item_code \
         {cond} ORDER BY p.deadline, p.id LIMIT {lim}"
    );
    let rows: Vec<ProblemRow> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let mut overdue_by_org: HashMap<String, (String, i64)> = HashMap::new();
    for (id, status, deadline, org, path, item, comment) in rows {
        let direct = parent_path(&path).is_some_and(|p| scope.holds_at(&p));
        let own = !scope.contains_below(&path);
        let href = format!("/standards/problems/{id}");
        if status == "reported" && direct {
            out.push(todo(
                format!("核验销号：{org}“{item}”"),
                "下级党组织已报告整改完成，请核验后销号或退回".into(),
                None,
                false,
                href,
            ));
        } else if status == "open" && own {
            let back = if comment.is_empty() {
                String::new()
            } else {
                format!("；上级退回意见：{comment}")
            };
            out.push(todo(
                format!("整改问题：{org}“{item}”"),
                format!("问题清单中的整改事项，应于 {deadline} 前完成并报告{back}"),
                Some(deadline),
                false,
                href,
            ));
        } else if status == "open" && direct && deadline < today {
            overdue_by_org.entry(path).or_insert((org, 0)).1 += 1;
        }
    }
    let mut late: Vec<(String, (String, i64))> = overdue_by_org.into_iter().collect();
    late.sort();
    for (_, (org, n)) in late {
        out.push(todo(
            format!("督促整改：{org}有 {n} 个问题逾期未整改"),
            "整改时限已过，请督促落实".into(),
            None,
            true,
            "/standards/problems?overdue=1".into(),
        ));
    }
    // Applications to decide; returned lists and moves back to act on.
    let mut w = Where::default();
    scope.restrict(&mut w, "o.path");
    w.push_raw(
        "(so.stage = 'applied' OR so.list_returned_at IS NOT NULL OR so.recheck_reason IS NOT NULL) \
         AND s.status = 'published'"
            .into(),
    );
    let lim = w.param(Param::I(LIMIT));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT so.standard_id, s.title, so.org_id, o.name, o.path, so.stage, so.list_returned_reason, so.recheck_reason \
         FROM standard_orgs so JOIN standards s ON s.id = so.standard_id JOIN orgs o ON o.id = so.org_id {cond} \
         ORDER BY o.path LIMIT {lim}"
    );
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    for (sid, title, org_id, org, path, stage, returned, recheck) in rows {
        let direct = parent_path(&path).is_some_and(|p| scope.holds_at(&p));
        let own = !scope.contains_below(&path);
        let href = format!("/standards/{sid}/orgs/{org_id}");
        if stage == "applied" && direct {
            out.push(todo(
                format!("达标验收：{org}申报“{title}”"),
                "按照隶属关系由本组织验收，请审核后作出通过（定级）或未通过的决定".into(),
                None,
                false,
                href.clone(),
            ));
        }
        if let (Some(r), true) = (returned, own) {
            out.push(todo(
                format!("修改问题清单：{org}"),
                format!("上级党组织退回意见：{r}"),
                None,
                false,
                href.clone(),
            ));
        }
        if let (Some(r), true) = (recheck, own) {
            out.push(todo(
                format!("重新自查：{org}已被动态调整为未达标"),
                format!("调整理由：{r}；请对照标准重新自查"),
                None,
                false,
                href,
            ));
        }
    }
    out.extend(super::dispatch_reports::todos(db, scope, now).await?);
    Ok(out)
}

/// The open problems a person owns, wherever they are.
pub async fn person_todos(db: &Db, person_id: &str, _now: i64) -> Result<Vec<Todo>> {
    let rows: Vec<(String, String, String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT p.id, p.deadline, o.name, i.title FROM standard_problems p JOIN orgs o ON o.id = p.org_id \
         JOIN standard_items i ON i.standard_id = p.standard_id AND i.code = p.item_code \
         WHERE p.owner_id = $1 AND p.status = 'open' ORDER BY p.deadline LIMIT 200"
    )
    .bind(person_id)
    .fetch_all(p)
    .await?);
    Ok(rows
        .into_iter()
        .map(|(id, deadline, org, item)| {
            todo(
                format!("整改责任：{org}“{item}”"),
                format!("您是该问题的整改责任人，应于 {deadline} 前完成"),
                Some(deadline),
                false,
                format!("/standards/problems/{id}"),
            )
        })
        .collect())
}

/// An accepted organization whose computed baseline item no longer holds.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Lapse {
    pub standard_id: String,
    pub org_id: String,
    pub org_name: String,
    pub code: String,
    pub item_title: String,
    pub detail: String,
}

/// Dynamic management (动态管理): for the direct superior, the accepted
/// organizations whose computed baseline items the records no longer meet.
/// Judges the records (one evaluation per superior and standard), so it is
/// dearer than `todos`.
pub async fn lapses(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Lapse>> {
    let mut w = Where::default();
    scope.restrict(&mut w, "o.path");
    w.push_raw("so.stage = 'accepted' AND s.status = 'published' AND o.dissolved_at IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT so.standard_id, o.id, o.name, o.path, o.kind, o.parent_id FROM standard_orgs so \
         JOIN standards s ON s.id = so.standard_id JOIN orgs o ON o.id = so.org_id {cond} ORDER BY o.path LIMIT 20000"
    );
    type Row = (String, String, String, String, String, Option<String>);
    let rows: Vec<Row> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    // (standard, direct superior) → accepted organizations.
    let mut groups: HashMap<(String, String), Vec<(Target, String)>> = HashMap::new();
    for (sid, id, name, path, kind, parent) in rows {
        let Some(parent) = parent.filter(|_| parent_path(&path).is_some_and(|p| scope.holds_at(&p))) else {
            continue;
        };
        groups
            .entry((sid, parent))
            .or_default()
            .push((Target { id, path, kind }, name));
    }
    let mut out = Vec::new();
    let mut keys: Vec<(String, String)> = groups.keys().cloned().collect();
    keys.sort();
    for key in keys {
        let (sid, parent) = &key;
        let standard = catalog::get(db, scope, sid).await?;
        let items = catalog::items_of(db, sid).await?;
        let baseline: Vec<_> = items
            .iter()
            .filter(|i| i.tier() == Tier::Baseline && i.rule().is_some())
            .collect();
        if baseline.is_empty() {
            continue;
        }
        let root = org::get(db, scope, parent).await?;
        let orgs = &groups[&key];
        let targets: Vec<Target> = orgs.iter().map(|(t, _)| t.clone()).collect();
        let rules = rules_of(&items);
        let judged = computed::evaluate(db, scope, &rules, standard.year, &root, &targets, now, false).await?;
        let over = super::figures::overrides(db, sid, super::figures::Sel::Under(&root.path)).await?;
        for (t, name) in orgs {
            let ev = judged.get(&t.id).cloned().unwrap_or_default();
            let met: HashMap<Rule, bool> = ev.iter().map(|(r, e)| (*r, e.met)).collect();
            let o = over.get(&t.id).map(Vec::as_slice).unwrap_or(&[]);
            for i in &baseline {
                let Some(rule) = i.rule() else { continue };
                if !computed_met(&i.code, rule, o, &met) {
                    out.push(Lapse {
                        standard_id: sid.clone(),
                        org_id: t.id.clone(),
                        org_name: name.clone(),
                        code: i.code.clone(),
                        item_title: i.title.clone(),
                        detail: ev.get(&rule).map(|e| e.detail.clone()).unwrap_or_default(),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// `lapses` as to-dos for the direct superior.
pub async fn lapse_todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    Ok(lapses(db, scope, now)
        .await?
        .into_iter()
        .map(|l| {
            todo(
                format!("动态管理：{}“{}”已不再达标", l.org_name, l.item_title),
                format!("{}；该组织已通过验收，请核实后决定是否动态调整为未达标", l.detail),
                None,
                true,
                format!("/standards/{}/orgs/{}", l.standard_id, l.org_id),
            )
        })
        .collect())
}
