//! Recording a meeting: every fact checked against the roster and the rules,
//! then the meeting, its attendance, resolutions, grades and links written
//! with its audit record in one transaction. The same meeting sent twice is
//! one record.
use super::model::{Kind, NewMeeting};
use super::rules::{month_of, parse_held_at};
use super::validate::{validate, Valid};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::{Org, Scope};
use crate::{ids, with_db, with_tx, Error, Result};

/// The meeting already recorded with the same organization, kind, time and topic.
async fn existing(db: &Db, org_id: &str, v: &Valid) -> Result<Option<String>> {
    Ok(with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM meetings WHERE org_id = $1 AND kind = $2 AND starts_at = $3 AND topic = $4"
    )
    .bind(org_id)
    .bind(v.kind.code())
    .bind(v.starts_at)
    .bind(&v.topic)
    .fetch_optional(p)
    .await?))
}

async fn write_parts(tx: &mut Tx, id: &str, v: &Valid) -> Result<()> {
    for sql in [
        "DELETE FROM meeting_attendance WHERE meeting_id = $1",
        "DELETE FROM meeting_resolutions WHERE meeting_id = $1",
        "DELETE FROM appraisal_grades WHERE meeting_id = $1",
        "DELETE FROM meeting_links WHERE meeting_id = $1",
    ] {
        with_tx!(tx, |c| sqlx::query(sql).bind(id).execute(c).await?.rows_affected());
    }
    with_tx!(tx, |c| sqlx::query(
        "UPDATE meetings SET host_person_id = $1, recorder_person_id = $2 WHERE id = $3"
    )
    .bind(&v.host_person_id)
    .bind(&v.recorder_person_id)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    // A branch's attendance in one statement (or a few), not one per person.
    for chunk in v.attendance.chunks(200) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("($1, ${}, ${}, ${}, ${})", 4 * i + 2, 4 * i + 3, 4 * i + 4, 4 * i + 5))
            .collect();
        let sql = format!(
            "INSERT INTO meeting_attendance (meeting_id, person_id, present, reason, reason_kind) VALUES {}",
            rows.join(", ")
        );
        with_tx!(tx, |c| {
            let mut q = sqlx::query(&sql).bind(id);
            for (pid, present, reason, kind) in chunk {
                q = q.bind(pid).bind(*present).bind(reason).bind(kind);
            }
            q.execute(c).await?.rows_affected()
        });
    }
    for (i, (title, f, a, ab, passed)) in v.resolutions.iter().enumerate() {
        with_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO meeting_resolutions (id, meeting_id, seq, title, votes_for, votes_against, abstentions, passed) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(ids::new_id())
        .bind(id)
        .bind(i as i64 + 1)
        .bind(title)
        .bind(*f)
        .bind(*a)
        .bind(*ab)
        .bind(*passed)
        .execute(c)
        .await?
        .rows_affected()
        });
    }
    for (pid, g) in &v.grades {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO appraisal_grades (meeting_id, person_id, grade) VALUES ($1, $2, $3)"
        )
        .bind(id)
        .bind(pid)
        .bind(g.code())
        .execute(c)
        .await?
        .rows_affected());
    }
    for (k, item) in &v.links {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO meeting_links (meeting_id, item_kind, item_id) VALUES ($1, $2, $3)"
        )
        .bind(id)
        .bind(*k)
        .bind(item)
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(())
}

/// The owner kind of a meeting's attachments.
pub const OWNER: &str = "meeting";

/// Records a meeting (held, or planned ahead) with its attachments (saved
/// beforehand). Answers its id and whether it was new: the same meeting
/// sent again answers the first record's id and attaches nothing.
pub async fn record(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    m: &NewMeeting,
    files: Vec<crate::files::Stored>,
) -> Result<(String, bool)> {
    let org = crate::plan::plan_org(db, scope, &m.org_id).await?;
    let v = validate(db, now, &org, m).await?;
    if let Some(id) = existing(db, &org.id, &v).await? {
        return Ok((id, false));
    }
    let by = actor.name.clone();
    let org_for_notice = org.clone();
    let r = db
        .transaction(move |tx| {
            let (org, v, by, actor, files) = (org.clone(), v.clone(), by.clone(), actor.clone(), files.clone());
            Box::pin(async move {
                let id = ids::new_id();
                with_tx!(tx, |c| sqlx::query(
                    "INSERT INTO meetings (id, org_id, kind, status, topic, starts_at, month, place, host, recorder, agenda, \
                     minutes, voting_members, dual_life, created_by, created_at, updated_at, lecturer_id, pair_a, pair_b, \
                     quorum_expected, quorum_present, counts) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, $19, $20, \
                     $21, $22)"
                )
                .bind(&id)
                .bind(&org.id)
                .bind(v.kind.code())
                .bind(v.status)
                .bind(&v.topic)
                .bind(v.starts_at)
                .bind(month_of(v.starts_at))
                .bind(&v.place)
                .bind(&v.host)
                .bind(&v.recorder)
                .bind(&v.agenda)
                .bind(&v.minutes)
                .bind(v.voting)
                .bind(v.dual_life)
                .bind(&by)
                .bind(now)
                .bind(&v.lecturer)
                .bind(v.pair.as_ref().map(|p| &p.0))
                .bind(v.pair.as_ref().map(|p| &p.1))
                .bind(v.quorum.map(|q| q.0))
                .bind(v.quorum.map(|q| q.1))
                .bind(v.counts)
                .execute(c)
                .await?
                .rows_affected());
                write_parts(tx, &id, &v).await?;
                for f in &files {
                    crate::files::attach(tx, now, OWNER, &id, f, &by).await?;
                }
                let code = if v.status == "planned" { "meeting.plan" } else { "meeting.record" };
                let present = v.attendance.iter().filter(|a| a.1).count();
                let mut detail = format!("{}；出席 {present} 人，缺席 {} 人", crate::clock::format_beijing(v.starts_at), v.attendance.len() - present);
                if let (Some((e, p)), false, "held") = (v.quorum, v.counts, v.status) {
                    detail.push_str(&format!("；{}", super::rules::quorum_note(e, p)));
                }
                let ev = Event::new(code, format!("{}：{}（{}）", v.kind.label_for(&org.kind), v.topic, org.name), Outcome::Ok)
                    .detail(detail);
                audit::append(tx, now, &actor, &ev).await?;
                Ok(id)
            })
        })
        .await;
    match r {
        Ok(id) => {
            if m.status.trim() == "planned" || m.status.trim() == "计划" {
                notice(db, now, &id, &org_for_notice, m).await?;
            }
            Ok((id, true))
        }
        // Two identical submissions raced: the other one was written.
        Err(Error::Conflict(_)) => match existing(
            db,
            &m.org_id,
            &validate(db, now, &crate::org::get(db, scope, &m.org_id).await?, m).await?,
        )
        .await?
        {
            Some(id) => Ok((id, false)),
            None => Err(Error::Conflict("数据已存在，请勿重复提交".into())),
        },
        Err(e) => Err(e),
    }
}

/// The notice of a planned meeting (会议通知) to the organization's channels and those above.
async fn notice(db: &Db, now: i64, id: &str, org: &Org, m: &NewMeeting) -> Result<()> {
    let kind = Kind::parse(&m.kind).map(Kind::label).unwrap_or("会议");
    let at = parse_held_at(&m.held_at)
        .map(crate::clock::format_beijing)
        .unwrap_or_default();
    let title = format!("【会议通知】{}{kind}：{}", org.name, m.topic.trim());
    let mut body = format!(
        "时间：{at}\n地点：{}\n参会人员：{} 人\n",
        m.place.trim(),
        m.attendee_ids.len()
    );
    if !m.agenda.trim().is_empty() {
        body.push_str(&format!("议程：\n{}\n", m.agenda.trim()));
    }
    body.push_str("请准时参加；确有事不能参加的，请向支部书记请假。");
    crate::reminders::meeting_notice(db, now, id, &org.path, &title, &body).await?;
    Ok(())
}

/// Records how a planned meeting went (or corrects a record): same checks,
/// the details and attendance replaced.
pub async fn update(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    m: &NewMeeting,
    files: Vec<crate::files::Stored>,
) -> Result<()> {
    let meeting = super::store::get(db, scope, id).await?;
    let org = crate::org::get(db, scope, &meeting.org_id).await?;
    let v = validate(db, now, &org, m).await?;
    db.transaction(move |tx| {
        let (org, v, actor, id, files) = (org.clone(), v.clone(), actor.clone(), meeting.id.clone(), files.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE meetings SET kind = $1, status = $2, topic = $3, starts_at = $4, month = $5, place = $6, host = $7, \
                 recorder = $8, agenda = $9, minutes = $10, voting_members = $11, dual_life = $12, updated_at = $13, \
                 lecturer_id = $15, pair_a = $16, pair_b = $17, quorum_expected = $18, quorum_present = $19, counts = $20 \
                 WHERE id = $14"
            )
            .bind(v.kind.code())
            .bind(v.status)
            .bind(&v.topic)
            .bind(v.starts_at)
            .bind(month_of(v.starts_at))
            .bind(&v.place)
            .bind(&v.host)
            .bind(&v.recorder)
            .bind(&v.agenda)
            .bind(&v.minutes)
            .bind(v.voting)
            .bind(v.dual_life)
            .bind(now)
            .bind(&id)
            .bind(&v.lecturer)
            .bind(v.pair.as_ref().map(|p| &p.0))
            .bind(v.pair.as_ref().map(|p| &p.1))
            .bind(v.quorum.map(|q| q.0))
            .bind(v.quorum.map(|q| q.1))
            .bind(v.counts)
            .execute(c)
            .await?
            .rows_affected());
            write_parts(tx, &id, &v).await?;
            for f in &files {
                crate::files::attach(tx, now, OWNER, &id, f, &actor.name).await?;
            }
            let ev = Event::new("meeting.record", format!("{}：{}（{}）", v.kind.label(), v.topic, org.name), Outcome::Ok)
                .detail("登记召开情况或更正记录");
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
