//! The demo's organizational life for the current year: for each branch of
//! the 机关党委 and each ended month (Beijing time), 主题党日 and 支委会;
//! each ended quarter a 支部党员大会 (one with a resolution put to the vote)
//! and a 党课; late in the year 组织生活会 and 民主评议党员 in some branches;
//! a few 谈心谈话; most members present, one or two away with a reason.
//! Deliberate gaps for the compliance views: 秘书处党支部 missed two
//! 主题党日 and last month's 支委会, 审计处党支部 held no 党课, and in
//! 综合处党支部 one member has taken part in nothing for five months and
//! another for three (the art. 9 warnings). Two meetings are planned within
//! the week, one listing 刘晓燕 (the `dangyuan` account). Everything goes
//! through `life::record::record`, so the rules and the audit hold.
use crate::audit::Actor;
use crate::db::Db;
use crate::life::record::record;
use crate::life::{Absentee, Kind, NewGrade, NewMeeting, NewResolution};
use crate::org::Scope;
use crate::{with_db, Result};
use chrono::{Datelike, Duration, NaiveDate};

/// Where the demo's branches sit in the list (the order of seed/demo.rs).
const ZONGHE: usize = 0;
const MISHU: usize = 1;
const FAGUI: usize = 3;
const GUIHUA: usize = 4;
const CAIWU: usize = 7;
const SHENJI: usize = 8;

const THEME: [&str; 12] = [
    "主题党日：学习贯彻全国两会精神",
    "主题党日：参观中国共产党历史展览馆",
    "主题党日：学雷锋志愿服务进社区",
    "主题党日：清明祭扫烈士陵园",
    "主题党日：参观香山革命纪念地红色教育基地",
    "主题党日：重温入党誓词",
    "主题党日：庆祝中国共产党成立纪念日",
    "主题党日：参观李大钊故居红色教育基地",
    "主题党日：警示教育基地接受廉政教育",
    "主题党日：参观中国人民抗日战争纪念馆",
    "主题党日：学习贯彻党的二十届四中全会精神",
    "主题党日：重温入党誓词、过政治生日",
];
const COMMITTEE: [&str; 4] = [
    "研究支部{m}月份重点工作",
    "研究发展党员和党员教育管理工作",
    "研究党费收缴和主题党日活动安排",
    "研究落实上级党组织工作部署",
];
const LECTURE: [&str; 4] = [
    "党课：深刻领悟“两个确立”的决定性意义",
    "党课：以党的创新理论武装头脑、指导实践",
    "党课：锤炼忠诚干净担当的政治品格",
    "党课：发扬斗争精神，增强斗争本领",
];
const GENERAL: [&str; 4] = [
    "学习贯彻习近平新时代中国特色社会主义思想",
    "学习贯彻党的二十届三中全会精神",
    "学习贯彻《中国共产党纪律处分条例》",
    "学习贯彻党的二十届四中全会精神",
];
const REASONS: [&str; 4] = ["出差", "病假", "公假", "参加上级调训"];
/// The long absentees' note: no leave asked for.
const NO_REASON: &str = "未请假";

/// A member of a branch: (id, status, on the branch committee).
type Member = (String, String, bool);

/// The members of an organization (its 党小组's included: `org::members`).
async fn members(db: &Db, org: &str) -> Result<Vec<Member>> {
    let path = crate::org::get(db, &Scope::all(), org).await?.path;
    let mut w = crate::sql::Where::default();
    w.prefix("org_path", &path);
    w.push_raw("status IN ('full', 'probationary') AND left_on IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT id, status, party_post FROM people {cond} ORDER BY name_pinyin, id");
    let rows: Vec<(String, String, String)> = with_db!(db, |p| crate::bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?);
    Ok(rows
        .into_iter()
        .map(|(id, s, post)| (id, s, !post.is_empty()))
        .collect())
}

/// Who takes part in one meeting and who is away (with the reason).
struct Turnout {
    present: Vec<String>,
    away: Vec<(String, String)>,
}

impl Turnout {
    fn meeting(&self, org: &str, kind: Kind, at: String, topic: String) -> NewMeeting {
        NewMeeting {
            org_id: org.into(),
            kind: kind.code().into(),
            held_at: at,
            topic,
            place: "机关办公楼党员活动室".into(),
            agenda: format!("一、{}；二、讨论交流；三、部署下一步工作", kind.label()),
            minutes: "会议由支部书记主持，参会同志结合工作实际作了交流发言。".into(),
            attendee_ids: self.present.clone(),
            absentees: self
                .away
                .iter()
                .map(|(id, r)| Absentee {
                    person_id: id.clone(),
                    reason: r.clone(),
                    // The long absentees gave no proper reason; the others' words name theirs.
                    reason_kind: if r.contains(NO_REASON) {
                        "other".into()
                    } else {
                        String::new()
                    },
                })
                .collect(),
            ..NewMeeting::default()
        }
    }
}

/// The whole branch in month `m` (1-based month index within the year):
/// one or two away in rotation, and the long absentees in their months.
fn turnout(all: &[Member], b: usize, m: usize, long: &[(String, usize, &str)]) -> Turnout {
    let off = |id: &String| long.iter().find(|(p, from, _)| p == id && m >= *from);
    let pool: Vec<&Member> = all.iter().filter(|p| !long.iter().any(|(l, _, _)| *l == p.0)).collect();
    let mut away: Vec<(String, String)> = Vec::new();
    if !pool.is_empty() {
        let n = pool.len();
        let first = (m * 3 + b) % n;
        away.push((pool[first].0.clone(), REASONS[(m + b) % 4].into()));
        if (m + b).is_multiple_of(3) && n > 4 {
            away.push((pool[(first + n / 2) % n].0.clone(), REASONS[(m + b + 1) % 4].into()));
        }
    }
    for p in all {
        if let Some((_, _, reason)) = off(&p.0) {
            away.push((p.0.clone(), (*reason).into()));
        }
    }
    let present = all
        .iter()
        .filter(|p| !away.iter().any(|(a, _)| *a == p.0))
        .map(|p| p.0.clone())
        .collect();
    Turnout { present, away }
}

fn at(year: i32, month: u32, day: u32, time: &str) -> String {
    format!("{year}-{month:02}-{day:02} {time}")
}

/// Seeds the year's meetings; `member` is 刘晓燕's person id.
pub async fn seed(db: &Db, now: i64, actor: &Actor, branches: &[String], member: &str) -> Result<()> {
    let all = Scope::all();
    let today = crate::clock::beijing(now).date_naive();
    let year = today.year();
    let last = today.month() as usize - 1;
    // The roster has been on the books since before the year.
    let before = crate::life::rules::parse_held_at(&format!("{}-12-01 09:00", year - 1))?;
    with_db!(db, |p| sqlx::query(
        "UPDATE people SET created_at = $1 WHERE created_at > $1"
    )
    .bind(before)
    .execute(p)
    .await?
    .rows_affected());
    let orgs = crate::org::list(db, &all).await?;
    for (b, branch) in branches.iter().enumerate() {
        let roster = members(db, branch).await?;
        let path = crate::org::get(db, &all, branch).await?.path;
        let secretary = crate::org::members::committees(db, &path, Some(branch))
            .await?
            .remove(branch.as_str())
            .and_then(|c| c.secretary);
        let mut groups = Vec::new();
        for g in orgs
            .iter()
            .filter(|o| o.kind == "group" && o.parent_id.as_deref() == Some(branch))
        {
            groups.push((g.id.clone(), members(db, &g.id).await?));
        }
        let goals = crate::plan::goals::linkable(db, &path, i64::from(year)).await?;
        if roster.is_empty() {
            continue;
        }
        // 综合处: one regular member away five months, another three.
        let regulars: Vec<&Member> = roster.iter().filter(|p| !p.2 && p.0 != member).collect();
        let long: Vec<(String, usize, &str)> = match (b, regulars.get(2), regulars.get(5)) {
            (ZONGHE, Some(a), Some(c)) if last >= 6 => {
                vec![
                    (a.0.clone(), last - 4, "未请假，联系不上"),
                    (c.0.clone(), last - 2, "未请假"),
                ]
            }
            _ => Vec::new(),
        };
        let committee: Vec<String> = roster.iter().filter(|p| p.2).map(|p| p.0.clone()).collect();
        let full = roster.iter().filter(|p| p.1 == "full").count();
        for m in 1..=last {
            let t = turnout(&roster, b, m, &long);
            let mu = m as u32;
            let day = 8 + (b as u32 % 5);
            // 秘书处 missed the 主题党日 of the last two ended quarter months.
            let missed = b == MISHU && mu.is_multiple_of(3) && last - m < 6;
            if !missed {
                let mut nm = t.meeting(branch, Kind::ThemeDay, at(year, mu, day, "14:30"), THEME[m - 1].into());
                if m % 4 == b % 4 {
                    nm.goal_ids = goals
                        .iter()
                        .skip(b % goals.len().max(1))
                        .take(1)
                        .map(|g| g.id.clone())
                        .collect();
                }
                record(db, now, actor, &all, &nm, Vec::new()).await?;
            }
            let skip_committee = b == MISHU && m == last;
            if full >= 7 && committee.len() >= 3 && !skip_committee {
                let ct = Turnout {
                    present: committee.clone(),
                    away: Vec::new(),
                };
                let topic = COMMITTEE[(m + b) % 4].replace("{m}", &m.to_string());
                let mut nm = ct.meeting(
                    branch,
                    Kind::CommitteeMeeting,
                    at(year, mu, 3 + (b as u32 % 3), "09:00"),
                    topic,
                );
                if m % 3 == 1 && !goals.is_empty() {
                    nm.goal_ids = vec![goals[(m + b) % goals.len()].id.clone()];
                }
                record(db, now, actor, &all, &nm, Vec::new()).await?;
            }
            // Each 党小组 meets monthly, its own members.
            for (g, gm) in &groups {
                let present: Vec<String> = t
                    .present
                    .iter()
                    .filter(|id| gm.iter().any(|p| &p.0 == *id))
                    .cloned()
                    .collect();
                let away = t
                    .away
                    .iter()
                    .filter(|(id, _)| gm.iter().any(|p| &p.0 == id))
                    .cloned()
                    .collect();
                let gt = Turnout { present, away };
                let topic = format!("党小组会：交流学习体会，研究{m}月份工作");
                record(
                    db,
                    now,
                    actor,
                    &all,
                    &gt.meeting(g, Kind::GroupMeeting, at(year, mu, 20, "16:00"), topic),
                    Vec::new(),
                )
                .await?;
            }
            if mu.is_multiple_of(3) {
                let q = m / 3 - 1;
                // 政策法规处's first-quarter meeting fell short of its quorum: recorded, not counted.
                let t = if b == FAGUI && q == 0 {
                    let few = roster.len() * 2 / 5;
                    Turnout {
                        present: t.present.iter().take(few).cloned().collect(),
                        away: roster
                            .iter()
                            .filter(|p| !t.present.iter().take(few).any(|x| *x == p.0))
                            .map(|p| (p.0.clone(), REASONS[0].to_string()))
                            .collect(),
                    }
                } else {
                    Turnout {
                        present: t.present.clone(),
                        away: t.away.clone(),
                    }
                };
                let mut nm = t.meeting(
                    branch,
                    Kind::GeneralMeeting,
                    at(year, mu, 16, "15:00"),
                    GENERAL[q].into(),
                );
                if b == GUIHUA && q == 1 {
                    let voting = t
                        .present
                        .iter()
                        .filter(|id| roster.iter().any(|p| &p.0 == *id && p.1 == "full"))
                        .count() as i64;
                    nm.resolutions = vec![NewResolution {
                        title: "关于推荐支部优秀共产党员人选的决议".into(),
                        votes_for: voting - 1,
                        votes_against: 0,
                        abstentions: 1,
                    }];
                }
                record(db, now, actor, &all, &nm, Vec::new()).await?;
                if b != SHENJI {
                    let mut nm = t.meeting(branch, Kind::PartyLecture, at(year, mu, 24, "15:00"), LECTURE[q].into());
                    // The secretary's own lecture in the second quarter (财务处's is still to come).
                    if q == 1 && b != CAIWU {
                        nm.lecturer_id = secretary.clone().unwrap_or_default();
                    }
                    record(db, now, actor, &all, &nm, Vec::new()).await?;
                }
            }
        }
        late(db, now, actor, b, branch, &roster, last, year, &long).await?;
    }
    committees(db, now, actor, &orgs, year, last).await?;
    planned(db, now, actor, branches, today).await
}

const THEORY: [&str; 4] = [
    "理论学习中心组学习：深入学习贯彻党的二十届三中全会精神",
    "理论学习中心组学习：学习《中国共产党纪律处分条例》",
    "理论学习中心组学习：学习习近平文化思想",
    "理论学习中心组学习：学习贯彻党的二十届四中全会精神",
];

/// The 党委's and the 党总支' own duties: the committee meeting each month
/// (in May the 党委's first call reached only two of its five members, so it
/// met again; 业务二党总支 missed last month's), the 党委's 理论学习中心组学习
/// each ended quarter; the 民主生活会 is still to come at the year's end.
async fn committees(db: &Db, now: i64, actor: &Actor, orgs: &[crate::org::Org], year: i32, last: usize) -> Result<()> {
    let all = Scope::all();
    for o in orgs
        .iter()
        .filter(|o| o.kind == "committee" || o.kind == "general_branch")
    {
        let seats = crate::org::members::committee(db, &o.id).await?;
        if seats.is_empty() {
            continue;
        }
        let t = Turnout {
            present: seats.clone(),
            away: Vec::new(),
        };
        let kind_name = Kind::PartyCommitteeMeeting.label_for(&o.kind);
        for m in 1..=last {
            let mu = m as u32;
            if o.kind == "general_branch" && o.name.starts_with("业务二") && m == last {
                continue;
            }
            if o.kind == "committee" && m == 5 {
                let short = Turnout {
                    present: seats.iter().take(2).cloned().collect(),
                    away: seats
                        .iter()
                        .skip(2)
                        .map(|id| (id.clone(), REASONS[3].to_string()))
                        .collect(),
                };
                let topic = format!("{kind_name}：研究{m}月份党建重点工作（到会不足半数）");
                let nm = short.meeting(&o.id, Kind::PartyCommitteeMeeting, at(year, mu, 6, "09:00"), topic);
                record(db, now, actor, &all, &nm, Vec::new()).await?;
            }
            let topic = format!("{kind_name}：研究{m}月份党建和业务重点工作");
            let mut nm = t.meeting(&o.id, Kind::PartyCommitteeMeeting, at(year, mu, 10, "09:00"), topic);
            nm.minutes = "会议由书记主持，委员逐项讨论，形成一致意见。".into();
            record(db, now, actor, &all, &nm, Vec::new()).await?;
            if o.kind == "committee" && mu.is_multiple_of(3) {
                let q = m / 3 - 1;
                let mut nm = t.meeting(&o.id, Kind::TheoryStudy, at(year, mu, 18, "14:30"), THEORY[q].into());
                nm.minutes = "中心组成员围绕专题逐一交流发言，书记作总结讲话。".into();
                record(db, now, actor, &all, &nm, Vec::new()).await?;
            }
        }
    }
    Ok(())
}

/// 组织生活会, 民主评议党员 (three branches, the last ended month) and 谈心谈话.
#[allow(clippy::too_many_arguments)]
async fn late(
    db: &Db,
    now: i64,
    actor: &Actor,
    b: usize,
    branch: &str,
    roster: &[Member],
    last: usize,
    year: i32,
    long: &[(String, usize, &str)],
) -> Result<()> {
    let all = Scope::all();
    if last == 0 {
        return Ok(());
    }
    let mu = last as u32;
    if last >= 9 && [ZONGHE, FAGUI, CAIWU].contains(&b) {
        let t = turnout(roster, b + 1, last, long);
        let topic = format!("{year}年度组织生活会");
        let nm = t.meeting(branch, Kind::LifeMeeting, at(year, mu, 27, "14:30"), topic);
        record(db, now, actor, &all, &nm, Vec::new()).await?;
        let graded: Vec<&String> = t
            .present
            .iter()
            .filter(|id| roster.iter().any(|p| &p.0 == *id && p.1 == "full"))
            .collect();
        let excellent = graded.len() / 4;
        let mut nm = t.meeting(
            branch,
            Kind::Appraisal,
            at(year, mu, 28, "14:30"),
            format!("{year}年度民主评议党员"),
        );
        nm.grades = graded
            .iter()
            .enumerate()
            .map(|(i, id)| NewGrade {
                person_id: (*id).clone(),
                grade: if i < excellent { "优秀" } else { "合格" }.into(),
            })
            .collect();
        record(db, now, actor, &all, &nm, Vec::new()).await?;
    }
    // 谈心谈话 one to one: every pair of committee members and each member
    // with the committee — all of them in 综合处, the committee's own pairs
    // and the secretary's with each member elsewhere.
    let seats = crate::org::members::committee(db, branch).await?;
    if let Some(secretary) = seats.first() {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (i, a) in seats.iter().enumerate() {
            for c in &seats[i + 1..] {
                pairs.push((a.clone(), c.clone()));
            }
        }
        for p in roster.iter().filter(|p| !seats.contains(&p.0)) {
            if b == ZONGHE {
                pairs.extend(seats.iter().map(|s| (s.clone(), p.0.clone())));
            } else if b.is_multiple_of(3) {
                pairs.push((secretary.clone(), p.0.clone()));
            }
        }
        for (n, (x, y)) in pairs.into_iter().enumerate() {
            let t = Turnout {
                present: vec![x, y],
                away: Vec::new(),
            };
            let month = 1 + (n as u32 % mu);
            let nm = t.meeting(
                branch,
                Kind::Talk,
                at(year, month, 1 + (n as u32 / mu) % 27, "10:00"),
                "谈心谈话：交流思想，听取对支部工作的意见建议".into(),
            );
            record(db, now, actor, &all, &nm, Vec::new()).await?;
        }
    }
    Ok(())
}

/// A 主题党日 of 综合处 in three days (刘晓燕 on the list) and a 支委会 of 规划发展处 in five.
async fn planned(db: &Db, now: i64, actor: &Actor, branches: &[String], today: NaiveDate) -> Result<()> {
    let all = Scope::all();
    for (b, days, kind, topic) in [
        (
            ZONGHE,
            3,
            Kind::ThemeDay,
            "主题党日：参观中国共产党历史展览馆，重温入党誓词",
        ),
        (
            GUIHUA,
            5,
            Kind::CommitteeMeeting,
            "研究年度组织生活会和民主评议党员工作",
        ),
    ] {
        let Some(branch) = branches.get(b) else { continue };
        let roster = members(db, branch).await?;
        let ids: Vec<String> = roster
            .iter()
            .filter(|p| kind == Kind::ThemeDay || p.2)
            .map(|p| p.0.clone())
            .collect();
        let day = today + Duration::days(days);
        let t = Turnout {
            present: ids,
            away: Vec::new(),
        };
        let mut nm = t.meeting(branch, kind, format!("{day} 14:30"), topic.into());
        nm.status = "planned".into();
        nm.minutes = String::new();
        nm.agenda = match kind {
            Kind::ThemeDay => "一、集体参观展览；二、重温入党誓词；三、交流参观体会".into(),
            _ => "一、研究年度组织生活会方案；二、部署民主评议党员工作；三、其他事项".into(),
        };
        record(db, now, actor, &all, &nm, Vec::new()).await?;
    }
    Ok(())
}
