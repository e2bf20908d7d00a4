//! 导出: the filtered roster as a sheet, masked unless asked otherwise by a
//! role that may see the full values; every export is audited.
use super::store::{search, Filter};
use super::Person;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sheet::Table;
use crate::{with_db, Result};
use std::collections::HashMap;

/// Rows one export may hold.
pub const MAX_EXPORT: i64 = 200_000;

/// `unmasked` must only be passed with a scope granted for revealing.
pub async fn export(db: &Db, now: i64, actor: &Actor, scope: &Scope, f: &Filter, unmasked: bool) -> Result<Table> {
    let (masked, total) = search(db, scope, f, 0, MAX_EXPORT).await?;
    let people: Vec<Person> = if unmasked { unmask(db, masked).await? } else { masked };
    let orgs: HashMap<String, String> = org::name_paths(db, scope)
        .await?
        .into_iter()
        .map(|(o, p)| (o.id, p))
        .collect();
    let rows = people
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.gender_label().to_string(),
                p.citizen_id.clone().unwrap_or_default(),
                p.phone.clone(),
                orgs.get(&p.org_id).cloned().unwrap_or_default(),
                p.status_label().to_string(),
                p.joined_on.clone().unwrap_or_default(),
                p.full_on.clone().unwrap_or_default(),
                p.birth_date.clone().unwrap_or_default(),
                p.ethnicity.clone(),
                p.education.clone(),
                p.party_post.clone(),
                p.admin_post.clone(),
                p.affairs_label().to_string(),
                if p.backbone { "是" } else { "否" }.to_string(),
                if p.double_high { "是" } else { "否" }.to_string(),
            ]
        })
        .collect();
    let detail = format!(
        "{} 人（共 {total} 人）；{}",
        people.len(),
        if unmasked { "未脱敏" } else { "已脱敏" }
    );
    audit::record(
        db,
        now,
        actor,
        Event::new("person.export", "党员名册", Outcome::Ok).detail(detail),
    )
    .await?;
    Ok(Table {
        sheet: "党员名册".into(),
        headers: super::COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows,
        lists: vec![],
    })
}

/// The stored citizen IDs and phones for people already read in scope.
async fn unmask(db: &Db, people: Vec<Person>) -> Result<Vec<Person>> {
    let mut full: HashMap<String, (Option<String>, String)> = HashMap::new();
    let ids: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
    for chunk in ids.chunks(500) {
        let ph: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, citizen_id, phone FROM people WHERE id IN ({})",
            ph.join(", ")
        );
        let rows: Vec<(String, Option<String>, String)> = with_db!(db, |p| {
            let mut q = sqlx::query_as(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        full.extend(rows.into_iter().map(|(id, c, ph)| (id, (c, ph))));
    }
    Ok(people
        .into_iter()
        .map(|mut p| {
            if let Some((c, ph)) = full.remove(&p.id) {
                p.citizen_id = c;
                p.phone = ph;
            }
            p
        })
        .collect())
}
