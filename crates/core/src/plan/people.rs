//! The people a plan item names: owners of a goal, people responsible for a task.
use crate::db::{Db, Tx};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, with_tx, Error, Result};

/// People on the roster under `org_path` (the item's organization and
/// below): each entry a person id (chosen with the person picker) or a name
/// (typed) that is exactly one person still on the roster.
pub(super) async fn resolve(db: &Db, field: &str, org_path: &str, names: &[String]) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let mut w = Where::default();
        w.prefix("org_path", org_path);
        let v = w.param(Param::S(name.to_string()));
        w.push_raw(format!("(id = {v} OR name = {v})"));
        w.push_raw("left_on IS NULL".into());
        let (cond, _) = w.sql();
        let sql = format!("SELECT id FROM people {cond} LIMIT 2");
        let found: Vec<String> = with_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.params())
            .fetch_all(p)
            .await?);
        match found.as_slice() {
            [id] if !ids.contains(id) => ids.push(id.clone()),
            [_] => {}
            [] => {
                return Err(Error::invalid(
                    field,
                    format!("{name} 不在本组织的党员名册中，请核对姓名"),
                ))
            }
            _ => {
                return Err(Error::invalid(
                    field,
                    format!("本组织有多位名为 {name} 的人员，请在名册中核对后改用可区分的姓名"),
                ))
            }
        }
    }
    Ok(ids)
}

/// Splits "张三、李四,王五" into names.
pub fn split_names(raw: &str) -> Vec<String> {
    raw.split(['、', ',', '，', ';', '；', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub(super) async fn replace(tx: &mut Tx, item_id: &str, person_ids: &[String]) -> Result<()> {
    with_tx!(tx, |c| sqlx::query("DELETE FROM plan_people WHERE item_id = $1")
        .bind(item_id)
        .execute(c)
        .await?
        .rows_affected());
    for pid in person_ids {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO plan_people (item_id, person_id) VALUES ($1, $2)"
        )
        .bind(item_id)
        .bind(pid)
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(())
}

/// The names of the people of some items: (item id, name), by name.
pub(super) async fn names_of(db: &Db, item_ids: &[String]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for chunk in item_ids.chunks(500) {
        let mut w = Where::default();
        let phs = w.in_list(chunk);
        let sql = format!(
            "SELECT pp.item_id, p.name FROM plan_people pp JOIN people p ON p.id = pp.person_id \
             WHERE pp.item_id IN ({}) ORDER BY p.name_pinyin",
            phs
        );
        let rows: Vec<(String, String)> =
            with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        out.extend(rows);
    }
    Ok(out)
}

/// The people of one item as (id, name): the chips of a person picker.
pub async fn of_item(db: &Db, item_id: &str) -> Result<Vec<(String, String)>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT p.id, p.name FROM plan_people pp JOIN people p ON p.id = pp.person_id WHERE pp.item_id = $1 \
         ORDER BY p.name_pinyin"
    )
    .bind(item_id)
    .fetch_all(p)
    .await?))
}

/// Splits a form's entries into people chosen by id, as (id, name), and
/// names typed: what a re-shown form puts back into its picker.
pub async fn chips(db: &Db, entries: &[String]) -> Result<(Vec<(String, String)>, Vec<String>)> {
    let entries: Vec<String> = entries
        .iter()
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
        .collect();
    let mut found: Vec<(String, String)> = Vec::new();
    for chunk in entries.chunks(500) {
        let mut w = Where::default();
        let phs = w.in_list(chunk);
        let sql = format!("SELECT id, name FROM people WHERE id IN ({phs})");
        let rows: Vec<(String, String)> =
            with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        found.extend(rows);
    }
    let typed = entries
        .into_iter()
        .filter(|e| !found.iter().any(|(id, _)| id == e))
        .collect();
    Ok((found, typed))
}

/// Whether a person is among an item's people.
pub async fn is_assigned(db: &Db, item_id: &str, person_id: &str) -> Result<bool> {
    let n: i64 = with_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM plan_people WHERE item_id = $1 AND person_id = $2"
    )
    .bind(item_id)
    .bind(person_id)
    .fetch_one(p)
    .await?);
    Ok(n > 0)
}
