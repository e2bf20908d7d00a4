//! Recording a meeting: every fact checked against the roster and the rules,
//! then the meeting, its attendance, resolutions, grades and links written
//! with its audit record in one transaction. The same meeting sent twice is
//! one record.
use super::model::{Grade, Kind, NewMeeting, ReasonKind};
use super::rules::{check_excellent_share, check_quorum, check_votes, month_of, parse_held_at, passes, quorum_met};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::{Org, Scope};
use crate::people::Status;
use crate::sql::Where;
use crate::text::{check, check_optional, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};

/// A roster entry as the checks need it.
#[derive(Clone, Debug, sqlx::FromRow)]
struct Member {
    id: String,
    name: String,
    status: String,
    org_path: String,
    left_on: Option<String>,
}

async fn members(db: &Db, ids: &[String]) -> Result<Vec<Member>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut w = Where::default();
        let phs = w.in_list(chunk);
        let sql = format!(
            "SELECT id, name, status, org_path, left_on FROM people WHERE id IN ({})",
            phs
        );
        let rows: Vec<Member> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        out.extend(rows);
    }
    Ok(out)
}

/// A meeting whose every fact was checked.
#[derive(Clone)]
struct Valid {
    kind: Kind,
    status: &'static str,
    starts_at: i64,
    topic: String,
    place: String,
    host: String,
    recorder: String,
    agenda: String,
    minutes: String,
    dual_life: bool,
    voting: Option<i64>,
    /// The host and recorder picked from the roster.
    host_person_id: Option<String>,
    recorder_person_id: Option<String>,
    /// (person, present, reason, reason kind)
    attendance: Vec<(String, bool, String, String)>,
    /// (title, for, against, abstain, passed)
    resolutions: Vec<(String, i64, i64, i64, bool)>,
    grades: Vec<(String, Grade)>,
    /// (kind, id)
    links: Vec<(&'static str, String)>,
    /// (expected, present) for a meeting with a quorum.
    quorum: Option<(i64, i64)>,
    counts: bool,
    /// 谈心谈话: the two who talked, the smaller id first.
    pair: Option<(String, String)>,
    lecturer: Option<String>,
}

fn dedup(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !out.iter().any(|x| x == id) {
            out.push(id.to_string());
        }
    }
    out
}

async fn validate(db: &Db, now: i64, org: &Org, m: &NewMeeting) -> Result<Valid> {
    let kind = Kind::parse(&m.kind).ok_or_else(|| {
        Error::invalid(
            "会议类型",
            "应为 general_meeting、committee_meeting、group_meeting、party_lecture、theme_day、life_meeting、appraisal 或 talk",
        )
    })?;
    if !Kind::offered_to(&org.kind).contains(&kind) {
        let offered: Vec<&str> = Kind::offered_to(&org.kind)
            .into_iter()
            .map(|k| k.label_for(&org.kind))
            .collect();
        return Err(Error::invalid(
            "会议类型",
            format!(
                "{}不登记{}，请选择：{}",
                org.kind_label(),
                kind.label(),
                offered.join("、")
            ),
        ));
    }
    let status = match m.status.trim() {
        "" | "held" | "已召开" => "held",
        "planned" | "计划" => "planned",
        _ => return Err(Error::invalid("状态", "应为 held（已召开）或 planned（计划召开）")),
    };
    let starts_at = parse_held_at(&m.held_at)?;
    // A few minutes' grace for clocks that disagree.
    if status == "held" && starts_at > now + 5 * 60_000 {
        return Err(Error::invalid(
            "会议时间",
            "晚于当前时间：已召开的会议不能填写将来的时间；尚未召开的请登记为“计划召开”",
        ));
    }
    let topic = check("会议主题", &m.topic, 100, TextKind::Free)?;
    let opt = |f: &str, v: &str, n| check_optional(f, Some(v), n, TextKind::Free).map(Option::unwrap_or_default);
    let (place, host, recorder) = (
        opt("地点", &m.place, 60)?,
        opt("主持人", &m.host, 30)?,
        opt("记录人", &m.recorder, 30)?,
    );
    let (agenda, minutes) = (opt("议程", &m.agenda, 2000)?, opt("会议记录", &m.minutes, 20000)?);
    let (host_person_id, host) = picked(db, org, "主持人", &m.host_person_id, host).await?;
    let (recorder_person_id, recorder) = picked(db, org, "记录人", &m.recorder_person_id, recorder).await?;

    let attendees = dedup(&m.attendee_ids);
    let absentees: Vec<(String, String, String)> = {
        let mut out: Vec<(String, String, String)> = Vec::new();
        for a in &m.absentees {
            let id = a.person_id.trim().to_string();
            if !id.is_empty() && !out.iter().any(|(x, _, _)| *x == id) {
                let note: String = a.reason.trim().chars().take(100).collect();
                let kind = match a.reason_kind.trim() {
                    "" => ReasonKind::infer(&note),
                    k => Some(ReasonKind::parse(k).ok_or_else(|| {
                        Error::invalid(
                            "缺席原因",
                            "应为 leave（请假，已批准）、sick（病假）、official（公差）或 other（其他，无正当理由）",
                        )
                    })?),
                };
                out.push((id, note, kind.map(ReasonKind::code).unwrap_or("").to_string()));
            }
        }
        out
    };
    if let Some((id, _, _)) = absentees.iter().find(|(id, _, _)| attendees.contains(id)) {
        return Err(Error::invalid("缺席人员", format!("{id} 同时登记为出席和缺席，请核对")));
    }
    let all: Vec<String> = attendees
        .iter()
        .cloned()
        .chain(absentees.iter().map(|(id, _, _)| id.clone()))
        .collect();
    let roster = members(db, &all).await?;
    for id in &all {
        match roster.iter().find(|p| &p.id == id) {
            Some(p) if p.org_path.starts_with(&org.path) && p.left_on.is_none() => {}
            Some(p) => {
                return Err(Error::invalid(
                    "参会人员",
                    format!("{} 不是{}的党员，不能登记为本次会议的参会人员", p.name, org.name),
                ))
            }
            None => return Err(Error::invalid("参会人员", "所选人员不存在，请从名册中选择")),
        }
    }
    if status == "held" && attendees.is_empty() && kind != Kind::Talk {
        return Err(Error::invalid("出席人员", "已召开的会议请登记出席人员"));
    }
    let is_full = |id: &String| roster.iter().any(|p| &p.id == id && p.status == Status::Full.code());
    let present_voting = attendees.iter().filter(|id| is_full(id)).count() as i64;

    let (voting, resolutions) = if kind == Kind::GeneralMeeting {
        let voting = crate::org::members::full_members(db, &org.path).await?;
        if present_voting > voting {
            return Err(Error::invalid(
                "出席人员",
                "到会正式党员人数超过本支部正式党员人数，请核对",
            ));
        }
        let mut rs = Vec::new();
        if !m.resolutions.is_empty() {
            check_quorum(present_voting, voting)?;
        }
        for (i, r) in m.resolutions.iter().enumerate() {
            let title = check(&format!("决议{}", i + 1), &r.title, 200, TextKind::Free)?;
            check_votes(
                i + 1,
                &title,
                r.votes_for,
                r.votes_against,
                r.abstentions,
                present_voting,
            )?;
            let passed = passes(r.votes_for, voting);
            rs.push((title, r.votes_for, r.votes_against, r.abstentions, passed));
        }
        (Some(voting), rs)
    } else {
        if !m.resolutions.is_empty() && !kind.is_committee_meeting() {
            return Err(Error::invalid(
                "决议",
                format!("{}不作表决；需要表决的事项请提交支部党员大会或支委会", kind.label()),
            ));
        }
        let mut rs = Vec::new();
        for (i, r) in m.resolutions.iter().enumerate() {
            let title = check(&format!("决议{}", i + 1), &r.title, 200, TextKind::Free)?;
            let n = attendees.len() as i64;
            check_votes(i + 1, &title, r.votes_for, r.votes_against, r.abstentions, n)?;
            rs.push((
                title,
                r.votes_for,
                r.votes_against,
                r.abstentions,
                passes(r.votes_for, n),
            ));
        }
        (None, rs)
    };

    // The quorum: the voting members at a general meeting; at a committee
    // meeting the committee's seats, counting its members only.
    let quorum = if kind == Kind::GeneralMeeting {
        voting.map(|v| (v, present_voting))
    } else if kind.is_committee_meeting() {
        let seats = crate::org::members::committee(db, &org.id).await?;
        let present = attendees.iter().filter(|id| seats.contains(id)).count() as i64;
        Some((seats.len() as i64, present))
    } else {
        None
    };
    let counts = status == "held" && quorum.is_none_or(|(e, p)| quorum_met(kind, e, p));
    let pair = if kind == Kind::Talk && status == "held" {
        match attendees.as_slice() {
            [a, b] => Some(if a < b {
                (a.clone(), b.clone())
            } else {
                (b.clone(), a.clone())
            }),
            _ => {
                return Err(Error::invalid(
                    "出席人员",
                    format!(
                        "谈心谈话按“一对一”登记，请登记谈话双方 2 人为出席（现 {} 人）",
                        attendees.len()
                    ),
                ))
            }
        }
    } else {
        None
    };
    let lecturer = match m.lecturer_id.trim() {
        "" => None,
        _ if kind != Kind::PartyLecture => {
            return Err(Error::invalid("讲课人", "只有党课登记讲课人"));
        }
        id => {
            let p = crate::people::get(db, &Scope::all(), id)
                .await
                .map_err(|_| Error::invalid("讲课人", "所选人员不存在，请从名册中选择"))?;
            Some(p.id)
        }
    };

    let mut grades = Vec::new();
    if !m.grades.is_empty() && kind != Kind::Appraisal {
        return Err(Error::invalid("评议等次", "只有民主评议党员登记评议等次"));
    }
    for g in &m.grades {
        let grade =
            Grade::parse(&g.grade).ok_or_else(|| Error::invalid("评议等次", "应为优秀、合格、基本合格或不合格"))?;
        let p = roster
            .iter()
            .find(|p| p.id == g.person_id.trim())
            .ok_or_else(|| Error::invalid("评议等次", "评定等次的人员须为本次参会人员"))?;
        if p.status == Status::Probationary.code() {
            return Err(Error::invalid(
                "评议等次",
                format!("{} 是预备党员，参加民主评议但不评定等次", p.name),
            ));
        }
        if p.status != Status::Full.code() {
            return Err(Error::invalid(
                "评议等次",
                format!("{} 不是正式党员，不评定等次", p.name),
            ));
        }
        if !grades.iter().any(|(id, _)| id == &p.id) {
            grades.push((p.id.clone(), grade));
        }
    }
    let excellent = grades.iter().filter(|(_, g)| *g == Grade::Excellent).count();
    check_excellent_share(
        excellent,
        grades.len(),
        crate::org::rule_settings(db, &org.path).await?.excellent,
    )?;

    let year = i64::from(chrono::Datelike::year(&crate::clock::beijing(starts_at).date_naive()));
    let mut links = Vec::new();
    for g in crate::plan::tasks::check_goals(db, org, year, &m.goal_ids).await? {
        links.push(("goal", g));
    }
    for id in dedup(&m.task_ids) {
        match crate::plan::tasks::get(db, &Scope::all(), &id).await.ok() {
            Some(t) if org.path.starts_with(&t.org_path) || t.org_path.starts_with(&org.path) => {
                links.push(("task", t.id))
            }
            _ => return Err(Error::invalid("服务的党建任务", "所选任务不在本组织的计划中，不能关联")),
        }
    }
    let mut attendance: Vec<(String, bool, String, String)> = attendees
        .into_iter()
        .map(|id| (id, true, String::new(), String::new()))
        .collect();
    attendance.extend(absentees.into_iter().map(|(id, r, k)| (id, false, r, k)));
    Ok(Valid {
        kind,
        status,
        starts_at,
        topic,
        place,
        host,
        recorder,
        agenda,
        minutes,
        dual_life: m.dual_life,
        voting,
        host_person_id,
        recorder_person_id,
        attendance,
        resolutions,
        grades,
        links,
        quorum,
        counts,
        pair,
        lecturer,
    })
}

/// A host or recorder picked from the roster: someone of this organization,
/// below or above it (a superior may preside), still on the roster. Answers
/// the id and the name to record; without an id, the typed name as it was.
async fn picked(db: &Db, org: &Org, field: &str, id: &str, typed: String) -> Result<(Option<String>, String)> {
    let id = id.trim();
    if id.is_empty() {
        return Ok((None, typed));
    }
    match members(db, &[id.to_string()]).await?.into_iter().next() {
        Some(p) if p.left_on.is_none() && (p.org_path.starts_with(&org.path) || org.path.starts_with(&p.org_path)) => {
            Ok((Some(p.id), p.name))
        }
        Some(p) => Err(Error::invalid(
            field,
            format!("{} 不在{}或其上级组织的名册中，请重新选择", p.name, org.name),
        )),
        None => Err(Error::invalid(field, "所选人员不存在，请从名册中选择")),
    }
}

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
