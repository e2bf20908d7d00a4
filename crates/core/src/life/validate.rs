//! Checking a meeting before it is recorded: every fact against the roster
//! and the rules (attendees, quorum, votes, grades, the talk's pair, the
//! lecturer, the host and recorder picked, the goals and tasks served).
use super::model::{Grade, Kind, NewMeeting, ReasonKind};
use super::rules::{check_excellent_share, check_quorum, check_votes, parse_held_at, passes, quorum_met};
use crate::db::Db;
use crate::org::Org;
use crate::people::Status;
use crate::sql::Where;
use crate::text::{check, check_optional, TextKind};
use crate::{bind_all, with_db, Error, Result};

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
pub(super) struct Valid {
    pub(super) kind: Kind,
    pub(super) status: &'static str,
    pub(super) starts_at: i64,
    pub(super) topic: String,
    pub(super) place: String,
    pub(super) host: String,
    pub(super) recorder: String,
    pub(super) agenda: String,
    pub(super) minutes: String,
    pub(super) dual_life: bool,
    pub(super) voting: Option<i64>,
    /// The host and recorder picked from the roster.
    pub(super) host_person_id: Option<String>,
    pub(super) recorder_person_id: Option<String>,
    /// (person, present, reason, reason kind)
    pub(super) attendance: Vec<(String, bool, String, String)>,
    /// (title, for, against, abstain, passed)
    pub(super) resolutions: Vec<(String, i64, i64, i64, bool)>,
    pub(super) grades: Vec<(String, Grade)>,
    /// (kind, id)
    pub(super) links: Vec<(&'static str, String)>,
    /// (expected, present) for a meeting with a quorum.
    pub(super) quorum: Option<(i64, i64)>,
    pub(super) counts: bool,
    /// 谈心谈话: the two who talked, the smaller id first.
    pub(super) pair: Option<(String, String)>,
    pub(super) lecturer: Option<String>,
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

pub(super) async fn validate(db: &Db, now: i64, org: &Org, m: &NewMeeting) -> Result<Valid> {
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
        id => match crate::people::exists(db, id).await? {
            true => Some(id.to_string()),
            false => return Err(Error::invalid("讲课人", "所选人员不存在，请从名册中选择")),
        },
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
        match crate::plan::tasks::in_line_of(db, &org.path, &id).await? {
            Some(t) => links.push(("task", t.id)),
            None => return Err(Error::invalid("服务的党建任务", "所选任务不在本组织的计划中，不能关联")),
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
