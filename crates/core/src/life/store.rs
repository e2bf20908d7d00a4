//! Reading meetings: one with its attendance and resolutions, an
//! organization's calendar, and cancelling a planned one.
use super::model::{Attendance, Meeting, Resolution};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, with_tx, Error, Result};

pub(super) const SELECT: &str = "SELECT m.id, m.org_id, o.name AS org_name, o.path AS org_path, o.kind AS org_kind, m.kind, \
     m.status, m.topic, m.starts_at, m.month, m.place, m.host, m.recorder, m.host_person_id, m.recorder_person_id, m.agenda, m.minutes, m.voting_members, m.dual_life, \
     m.created_by, m.created_at, m.lecturer_id, l.name AS lecturer_name, m.quorum_expected, m.quorum_present, m.counts \
     FROM meetings m JOIN orgs o ON o.id = m.org_id LEFT JOIN people l ON l.id = m.lecturer_id";

/// One meeting, if its organization lies in the scope.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Meeting> {
    let sql = format!("{SELECT} WHERE m.id = $1");
    let m: Option<Meeting> = with_db!(db, |p| sqlx::query_as(&sql).bind(id.trim()).fetch_optional(p).await?);
    match m {
        Some(m) if scope.contains_path(&m.org_path) => Ok(m),
        _ => Err(Error::NotFound("会议记录不存在或不在您的管理范围内".into())),
    }
}

/// The condition on the parts of one meeting (`m`, its organization `o`):
/// `col` names it and the organization lies in the scope.
fn of_meeting(scope: &Scope, col: &str, meeting_id: &str) -> Where {
    let mut w = Where::default();
    w.push(&format!("{col} = {{}}"), Param::S(meeting_id.trim().into()));
    scope.restrict(&mut w, "o.path");
    w
}

/// Parts read for a meeting; when there are none, the meeting may be outside
/// the scope (or not exist), which answers as missing.
async fn found<T>(db: &Db, scope: &Scope, meeting_id: &str, rows: Vec<T>) -> Result<Vec<T>> {
    if rows.is_empty() {
        get(db, scope, meeting_id).await?;
    }
    Ok(rows)
}

/// Who was expected at a meeting in the scope, present first.
pub async fn attendance(db: &Db, scope: &Scope, meeting_id: &str) -> Result<Vec<Attendance>> {
    let w = of_meeting(scope, "a.meeting_id", meeting_id);
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT a.meeting_id, a.person_id, p.name, p.status, a.present, a.reason, a.reason_kind FROM meeting_attendance a \
         JOIN people p ON p.id = a.person_id JOIN meetings m ON m.id = a.meeting_id JOIN orgs o ON o.id = m.org_id \
         {cond} ORDER BY a.present DESC, p.name_pinyin"
    );
    let rows = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    found(db, scope, meeting_id, rows).await
}

/// The resolutions of a meeting in the scope, in order.
pub async fn resolutions(db: &Db, scope: &Scope, meeting_id: &str) -> Result<Vec<Resolution>> {
    let w = of_meeting(scope, "r.meeting_id", meeting_id);
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT r.id, r.meeting_id, r.seq, r.title, r.votes_for, r.votes_against, r.abstentions, r.passed \
         FROM meeting_resolutions r JOIN meetings m ON m.id = r.meeting_id JOIN orgs o ON o.id = m.org_id \
         {cond} ORDER BY r.seq"
    );
    let rows = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    found(db, scope, meeting_id, rows).await
}

/// (person name, grade code) of an appraisal in the scope.
pub async fn grades(db: &Db, scope: &Scope, meeting_id: &str) -> Result<Vec<(String, String)>> {
    let w = of_meeting(scope, "g.meeting_id", meeting_id);
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.name, g.grade FROM appraisal_grades g JOIN people p ON p.id = g.person_id \
         JOIN meetings m ON m.id = g.meeting_id JOIN orgs o ON o.id = m.org_id {cond} ORDER BY p.name_pinyin"
    );
    let rows = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    found(db, scope, meeting_id, rows).await
}

/// (kind, id, title) of the goals and tasks a meeting in the scope served.
pub async fn links(db: &Db, scope: &Scope, meeting_id: &str) -> Result<Vec<(String, String, String)>> {
    let w = of_meeting(scope, "l.meeting_id", meeting_id);
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT l.item_kind, l.item_id, COALESCE(g.title, t.title, '') FROM meeting_links l \
         LEFT JOIN goals g ON g.id = l.item_id LEFT JOIN tasks t ON t.id = l.item_id \
         JOIN meetings m ON m.id = l.meeting_id JOIN orgs o ON o.id = m.org_id {cond}"
    );
    let rows = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    found(db, scope, meeting_id, rows).await
}

/// An evidence file of a meeting in the scope; outside it answers as missing.
pub async fn attachment(db: &Db, scope: &Scope, attachment_id: &str) -> Result<crate::files::Attachment> {
    let missing = || Error::NotFound("附件不存在或不在您的管理范围内".into());
    let att = crate::files::get(db, attachment_id.trim())
        .await?
        .filter(|f| f.owner_kind == super::record::OWNER)
        .ok_or_else(missing)?;
    match get(db, scope, &att.owner_id).await {
        Ok(_) => Ok(att),
        Err(Error::NotFound(_)) => Err(missing()),
        Err(e) => Err(e),
    }
}

/// The meetings of an organization (and, with `below`, its subtree) whose
/// month lies in [from, to] (YYYY-MM), by time.
pub async fn list(db: &Db, scope: &Scope, org_id: &str, from: &str, to: &str, below: bool) -> Result<Vec<Meeting>> {
    let org = crate::org::get(db, scope, org_id).await?;
    let mut w = Where::default();
    if below {
        w.prefix("o.path", &org.path);
    } else {
        w.push("m.org_id = {}", Param::S(org.id.clone()));
    }
    w.push("m.month >= {}", Param::S(from.into()));
    w.push("m.month <= {}", Param::S(to.into()));
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY m.starts_at, m.id LIMIT 2000");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// Cancels a planned meeting (a held one is corrected, not cancelled).
pub async fn cancel(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let m = get(db, scope, id).await?;
    if m.status != "planned" {
        return Err(Error::Conflict("只能取消计划召开的会议；已召开的会议请更正记录".into()));
    }
    db.transaction(move |tx| {
        let (m, actor) = (m.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE meetings SET status = 'cancelled', updated_at = $1 WHERE id = $2"
            )
            .bind(now)
            .bind(&m.id)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new(
                "meeting.cancel",
                format!("{}：{}（{}）", m.kind_label(), m.topic, m.org_name),
                Outcome::Ok,
            );
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// A member as the meeting form lists them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Listed {
    pub id: String,
    pub name: String,
    pub status: String,
    /// On the organization's committee (支委).
    pub committee: bool,
}

/// The meeting form's attendance list: every member (probationary and full)
/// under an organization, committee members marked, by pinyin; or, when
/// there are more than `max`, the committee and the people in `keep` (those
/// already on the record), the others being found by name. Answers the list
/// and how many members there are.
pub async fn form_roster(
    db: &Db,
    scope: &Scope,
    org_id: &str,
    max: i64,
    keep: &[String],
) -> Result<(Vec<Listed>, i64)> {
    let org = crate::org::get(db, scope, org_id).await?;
    let members = |w: &mut Where| {
        w.prefix("p.org_path", &org.path);
        w.push_raw("p.status IN ('probationary', 'full') AND p.left_on IS NULL".into());
    };
    let mut w = Where::default();
    members(&mut w);
    let (cond, _) = w.sql();
    let sql = format!("SELECT COUNT(*) FROM people p {cond}");
    let total: i64 = with_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.params())
        .fetch_one(p)
        .await?);
    let mut w = Where::default();
    let oid = w.param(Param::S(org.id.clone()));
    members(&mut w);
    let committee = format!("EXISTS (SELECT 1 FROM org_officers f WHERE f.org_id = {oid} AND f.person_id = p.id)");
    if total > max {
        let mut only = format!("({committee}");
        if !keep.is_empty() {
            let phs = w.in_list(keep);
            only.push_str(&format!(" OR p.id IN ({phs})"));
        }
        only.push(')');
        w.push_raw(only);
    }
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT p.id, p.name, p.status, {committee} AS committee FROM people p {cond} ORDER BY p.name_pinyin, p.id LIMIT 500"
    );
    let rows: Vec<Listed> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok((rows, total))
}

/// The ids of every member (probationary and full) under an organization:
/// "the others all present" of a large organization's form.
pub async fn member_ids(db: &Db, scope: &Scope, org_id: &str) -> Result<Vec<String>> {
    let org = crate::org::get(db, scope, org_id).await?;
    let mut w = Where::default();
    w.prefix("org_path", &org.path);
    w.push_raw("status IN ('probationary', 'full') AND left_on IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT id FROM people {cond}");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// Planned meetings a person is listed for, within the reminder days: their own to-dos.
pub async fn person_todos(db: &Db, person_id: &str, now: i64) -> Result<Vec<crate::todo::Todo>> {
    let soon = now + crate::rules::life::REMINDER_DAYS * crate::clock::DAY_MS;
    let rows: Vec<(String, String, String, String, i64)> = with_db!(db, |p| {
        sqlx::query_as(
        "SELECT m.id, m.kind, m.topic, o.name, m.starts_at FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id \
         JOIN orgs o ON o.id = m.org_id WHERE a.person_id = $1 AND m.status = 'planned' AND m.starts_at >= $2 \
         AND m.starts_at <= $3 ORDER BY m.starts_at LIMIT 20"
    )
    .bind(person_id)
    .bind(now)
    .bind(soon)
    .fetch_all(p)
    .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, kind, topic, org, at)| crate::todo::Todo {
            kind: "life",
            title: format!(
                "参加{}（{org}）",
                super::Kind::parse(&kind).map_or_else(|| format!("会议「{topic}」"), |k| k.headline(&topic))
            ),
            detail: format!(
                "{} 召开，请准时参加；确有事不能参加请向支部书记请假",
                crate::clock::format_beijing(at)
            ),
            due: Some(crate::clock::beijing(at).date_naive().to_string()),
            from: None,
            overdue: false,
            href: format!("/life/meetings/{id}"),
        })
        .collect())
}
