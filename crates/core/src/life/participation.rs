//! Members' participation: meetings attended in a period, and the warnings
//! of Party Constitution art. 9 at 3 and 5 months without organizational life.
use super::rules::{last_ended_month, months_absent};
use crate::db::Db;
use crate::org::Scope;
use crate::rules::life::ABSENCE_WARNING_MONTHS;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};

#[derive(Clone, Debug, serde::Serialize)]
pub struct Absence {
    pub person_id: String,
    pub name: String,
    pub org_name: String,
    /// The last month they took part, if ever recorded.
    pub last_present: Option<String>,
    /// Consecutive months without organizational life up to the last ended month.
    pub months: u32,
}

/// Members (probationary and full) under an organization who have gone at
/// least the first warning's months without organizational life, longest first.
pub async fn absences(db: &Db, scope: &Scope, org_id: &str, now: i64) -> Result<Vec<Absence>> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    let last = last_ended_month(crate::clock::beijing(now).date_naive());
    let mut w = Where::default();
    let m = w.param(Param::S(last.clone()));
    w.prefix("p.org_path", &org.path);
    w.push_raw("p.status IN ('probationary', 'full') AND p.left_on IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.id, p.name, o.name, p.created_at, (SELECT MAX(m.month) FROM meeting_attendance a \
         JOIN meetings m ON m.id = a.meeting_id WHERE a.person_id = p.id AND a.present = TRUE AND m.status = 'held' \
         AND m.kind <> 'talk' AND m.month <= {m}) FROM people p JOIN orgs o ON o.id = p.org_id {cond}"
    );
    let rows: Vec<(String, String, String, i64, Option<String>)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let mut out: Vec<Absence> = rows
        .into_iter()
        .filter_map(|(id, name, org_name, created, last_present)| {
            // Counted from the month they came on the roster here.
            let since = super::rules::month_of(created);
            let months = months_absent(last_present.as_deref(), &since, &last);
            (months >= ABSENCE_WARNING_MONTHS[0]).then_some(Absence {
                person_id: id,
                name,
                org_name,
                last_present,
                months,
            })
        })
        .collect();
    out.sort_by(|a, b| b.months.cmp(&a.months).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// Meetings each member attended and missed in [from, to] (months), by name.
pub async fn attendance_counts(
    db: &Db,
    scope: &Scope,
    org_id: &str,
    from: &str,
    to: &str,
) -> Result<Vec<(String, String, i64, i64)>> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    let mut w = Where::default();
    w.prefix("p.org_path", &org.path);
    w.push("m.month >= {}", Param::S(from.into()));
    w.push("m.month <= {}", Param::S(to.into()));
    w.push_raw("m.status = 'held'".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.id, p.name, SUM(CASE WHEN a.present = TRUE THEN 1 ELSE 0 END), \
         SUM(CASE WHEN a.present = TRUE THEN 0 ELSE 1 END) FROM meeting_attendance a \
         JOIN meetings m ON m.id = a.meeting_id JOIN people p ON p.id = a.person_id {cond} \
         GROUP BY p.id, p.name, p.name_pinyin ORDER BY p.name_pinyin"
    );
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}
