//! Organizational life on whichever engine the tests run: meetings recorded
//! once with checked attendance, quorum and votes, appraisal grades,
//! compliance at period boundaries, frequency overrides, and the 3- and
//! 5-month warnings.
use tongpin_core::auth::{Power, Role};
use tongpin_core::clock::DAY_MS;
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::life::{
    compliance, frequencies, participation, record, Absentee, NewGrade, NewMeeting, NewResolution, Standing,
};
use tongpin_core::org::Scope;
use tongpin_core::people::{self, NewPerson};
use tongpin_core::{with_db, Error};

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;
use common::cli;

struct World {
    db: Db,
    root: String,
    a: String,
    b: String,
    /// ManageLife scopes: the committee's admin, branch A's secretary.
    all: Scope,
    sa: Scope,
    /// Branch A's members: seven full, one probationary.
    full: Vec<String>,
    probationary: String,
    /// A member of branch B.
    other: String,
}

async fn person(db: &Db, scope: &Scope, name: &str, org: &str, status: &str) -> String {
    let p = NewPerson {
        name: name.into(),
        gender: "男".into(),
        org_id: org.into(),
        status: status.into(),
        joined_on: "2010-07-01".into(),
        full_on: if status == "full" {
            "2011-07-01".into()
        } else {
            String::new()
        },
        ..Default::default()
    };
    people::create(db, NOW - 400 * DAY_MS, &cli(), scope, &p).await.unwrap()
}

async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = common::Orgs::new(&db, NOW).await.founded("2020-01-01");
    let root = orgs.add("机关党委", "committee", None).await;
    let a = orgs.add("第一党支部", "branch", Some(&root)).await;
    let b = orgs.add("第二党支部", "branch", Some(&root)).await;
    let pm = common::scope_of(&db, NOW, "rs", Role::OrgAdmin, Some(&root), Power::ManagePeople).await;
    let mut full = Vec::new();
    for n in ["赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七"] {
        full.push(person(&db, &pm, n, &a, "full").await);
    }
    let probationary = person(&db, &pm, "王八", &a, "probationary").await;
    let other = person(&db, &pm, "冯九", &b, "full").await;
    // Branch A's committee: 赵一 书记, 钱二 组织委员, 孙三 宣传委员.
    let mo = common::scope_of(&db, NOW, "zo", Role::OrgAdmin, Some(&root), Power::ManageOrgs).await;
    for (i, post) in ["secretary", "organization", "publicity"].iter().enumerate() {
        tongpin_core::org::add_officer(&db, NOW, &cli(), &mo, &a, &full[i], post)
            .await
            .unwrap();
    }
    World {
        all: common::scope_of(&db, NOW, "dw", Role::OrgAdmin, Some(&root), Power::ManageLife).await,
        sa: common::scope_of(&db, NOW, "sa", Role::BranchSecretary, Some(&a), Power::ManageLife).await,
        db,
        root,
        a,
        b,
        full,
        probationary,
        other,
    }
}

fn meeting(org: &str, kind: &str, at: &str, topic: &str, attendees: &[String]) -> NewMeeting {
    NewMeeting {
        org_id: org.into(),
        kind: kind.into(),
        held_at: at.into(),
        topic: topic.into(),
        attendee_ids: attendees.to_vec(),
        ..Default::default()
    }
}

async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    with_db!(db, |p| sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await.unwrap())
}

fn status_of(items: &[compliance::Item], kind: &str) -> (i64, i64, Standing) {
    let i = items.iter().find(|i| i.kind.code() == kind).unwrap();
    (i.due, i.held, i.status)
}

#[tokio::test]
async fn a_committee_meeting_turns_the_month_from_overdue_to_met() {
    let w = world().await;
    // October has ended: nothing held there is overdue.
    let (_, items) = compliance::compliance(&w.db, &w.sa, &w.a, "2026-10", NOW)
        .await
        .unwrap();
    assert_eq!(status_of(&items, "committee_meeting"), (1, 0, Standing::Overdue));
    assert_eq!(status_of(&items, "theme_day"), (1, 0, Standing::Overdue));
    // November is still open.
    let (_, items) = compliance::compliance(&w.db, &w.sa, &w.a, "2026-11", NOW)
        .await
        .unwrap();
    assert_eq!(status_of(&items, "committee_meeting"), (1, 0, Standing::Due));

    let m = meeting(
        &w.a,
        "committee_meeting",
        "2026-10-31T23:30:00+08:00",
        "研究十月工作",
        &w.full[..5],
    );
    let (id, new) = record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap();
    assert!(new);
    let (again, new) = record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap();
    assert_eq!((again, new), (id, false), "a double submission is one record");
    let (_, items) = compliance::compliance(&w.db, &w.sa, &w.a, "2026-10", NOW)
        .await
        .unwrap();
    assert_eq!(status_of(&items, "committee_meeting"), (1, 1, Standing::Met));
    // The quarter reads its months: September and August missing keep Q3 overdue; Q4's October is met.
    let (_, items) = compliance::compliance(&w.db, &w.sa, &w.a, "2026-Q4", NOW)
        .await
        .unwrap();
    assert_eq!(status_of(&items, "committee_meeting"), (3, 1, Standing::Due));
    // The superior sees the subtree.
    let sup = compliance::supervision(&w.db, &w.all, &w.root, "2026-10", NOW)
        .await
        .unwrap();
    let names: Vec<&str> = sup.iter().map(|c| c.org.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["机关党委", "第一党支部", "第二党支部"],
        "the 党委 owes its own 党委会"
    );
    // Branch B has one full member: no 支委会 is due there.
    assert_eq!(status_of(&sup[2].items, "committee_meeting").2, Standing::NotApplicable);
}

#[tokio::test]
async fn bad_meetings_are_refused_and_nothing_is_written() {
    let w = world().await;
    let before = (
        count(&w.db, "meetings").await,
        count(&w.db, "meeting_attendance").await,
        count(&w.db, "audit_log").await,
    );
    let cases: Vec<(NewMeeting, &str)> = vec![
        (
            meeting(&w.a, "theme_day", "2026-12-01 09:00", "未来", &w.full),
            "晚于当前时间",
        ),
        (
            meeting(
                &w.a,
                "theme_day",
                "2026-11-20 09:00",
                "外人",
                &[w.full[0].clone(), w.other.clone()],
            ),
            "不是第一党支部的党员",
        ),
        (
            meeting(&w.a, "meeting", "2026-11-20 09:00", "类型", &w.full),
            "会议类型",
        ),
        (meeting(&w.a, "theme_day", "2026-11-20 09:00", "", &w.full), "会议主题"),
        (
            meeting(
                &w.b,
                "theme_day",
                "2026-11-20 09:00",
                "越界",
                std::slice::from_ref(&w.other),
            ),
            "不存在或不在",
        ),
    ];
    for (m, expect) in cases {
        let e = record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap_err();
        assert!(e.to_string().contains(expect), "{expect}: {e}");
    }
    // A resolution without quorum: 3 of 7 full members present.
    let mut m = meeting(
        &w.a,
        "general_meeting",
        "2026-11-20 09:00",
        "接收预备党员",
        &w.full[..3],
    );
    m.resolutions = vec![NewResolution {
        title: "接收王八为预备党员".into(),
        votes_for: 3,
        ..Default::default()
    }];
    let e = record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap_err();
    assert!(e.to_string().contains("不能作出决议"), "{e}");
    // An attendee listed as absent too.
    let mut m = meeting(&w.a, "theme_day", "2026-11-20 09:00", "重复", &w.full[..2]);
    m.absentees = vec![Absentee {
        person_id: w.full[0].clone(),
        reason: "出差".into(),
        ..Default::default()
    }];
    assert!(record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.is_err());
    let after = (
        count(&w.db, "meetings").await,
        count(&w.db, "meeting_attendance").await,
        count(&w.db, "audit_log").await,
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn general_meeting_resolutions_pass_on_all_voting_members() {
    let w = world().await;
    // 4 of 7 full members present (quorum); the probationary member attends without a vote.
    let mut present = w.full[..4].to_vec();
    present.push(w.probationary.clone());
    let mut m = meeting(&w.a, "general_meeting", "2026-11-20 09:00", "支部党员大会", &present);
    m.absentees = w.full[4..]
        .iter()
        .map(|p| Absentee {
            person_id: p.clone(),
            reason: "出差".into(),
            ..Default::default()
        })
        .collect();
    m.resolutions = vec![
        NewResolution {
            title: "四票赞成".into(),
            votes_for: 4,
            ..Default::default()
        },
        NewResolution {
            title: "三票赞成".into(),
            votes_for: 3,
            votes_against: 1,
            ..Default::default()
        },
    ];
    let (id, _) = record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap();
    let rs = tongpin_core::life::store::resolutions(&w.db, &w.sa, &id).await.unwrap();
    assert_eq!(
        rs.iter().map(|r| r.passed).collect::<Vec<_>>(),
        vec![true, false],
        "more than half of 7 is 4"
    );
    // Five votes among four voting members present is refused.
    m.topic = "票数超过".into();
    m.resolutions = vec![NewResolution {
        title: "五票".into(),
        votes_for: 5,
        ..Default::default()
    }];
    assert!(record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.is_err());
}

#[tokio::test]
async fn appraisal_grades_full_members_only_and_at_most_a_third_excellent() {
    let w = world().await;
    let mut present = w.full.clone();
    present.push(w.probationary.clone());
    let grade = |id: &String, g: &str| NewGrade {
        person_id: id.clone(),
        grade: g.into(),
    };
    let mut m = meeting(&w.a, "appraisal", "2026-11-20 09:00", "2026 年度民主评议党员", &present);
    m.grades = vec![grade(&w.probationary, "合格")];
    let e = record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap_err();
    assert!(e.to_string().contains("预备党员"), "{e}");
    m.grades = w
        .full
        .iter()
        .enumerate()
        .map(|(i, p)| grade(p, if i < 3 { "优秀" } else { "合格" }))
        .collect();
    let e = record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap_err();
    assert!(e.to_string().contains("三分之一"), "3 of 7: {e}");
    m.grades = w
        .full
        .iter()
        .enumerate()
        .map(|(i, p)| grade(p, if i < 2 { "excellent" } else { "qualified" }))
        .collect();
    record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap();
    assert_eq!(count(&w.db, "appraisal_grades").await, 7);
}

/// The share of 优秀 is the top organization's setting: changed, the check
/// and its message change with it.
#[tokio::test]
async fn the_excellent_share_follows_the_top_organizations_setting() {
    let w = world().await;
    let grade = |id: &String, g: &str| NewGrade {
        person_id: id.clone(),
        grade: g.into(),
    };
    let three_of_seven: Vec<NewGrade> = w
        .full
        .iter()
        .enumerate()
        .map(|(i, p)| grade(p, if i < 3 { "优秀" } else { "合格" }))
        .collect();
    let mut m = meeting(&w.a, "appraisal", "2026-11-20 09:00", "2026 年度民主评议党员", &w.full);
    m.grades = three_of_seven;
    let top = common::scope_of(&w.db, NOW, "zz", Role::OrgAdmin, Some(&w.root), Power::ManageOrgs).await;
    let set = |share: (i64, i64)| tongpin_core::org::RuleSettings {
        excellent: share,
        ..Default::default()
    };
    tongpin_core::org::set_rule_settings(&w.db, NOW, &cli(), &top, set((2, 7)))
        .await
        .unwrap();
    let e = record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap_err();
    assert!(e.to_string().contains("超过参加评定的 7 人的七分之二"), "{e}");
    tongpin_core::org::set_rule_settings(&w.db, NOW, &cli(), &top, set((3, 7)))
        .await
        .unwrap();
    record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap();
}

#[tokio::test]
async fn organizations_created_mid_period_are_judged_for_the_part_they_existed() {
    let w = world().await;
    let mo = common::scope_of(&w.db, NOW, "zz", Role::OrgAdmin, Some(&w.root), Power::ManageOrgs).await;
    let add = |name: &str, founded: &str| tongpin_core::org::NewOrg {
        name: name.into(),
        kind: "branch".into(),
        parent_id: Some(w.root.clone()),
        founded_on: Some(founded.into()),
    };
    let late = tongpin_core::org::create(&w.db, NOW, &cli(), &mo, add("新建党支部", "2026-11-20"))
        .await
        .unwrap();
    let mid_q = tongpin_core::org::create(&w.db, NOW, &cli(), &mo, add("年中党支部", "2026-08-15"))
        .await
        .unwrap();
    // Each has members: an empty organization owes nothing at all.
    let pm = common::scope_of(&w.db, NOW, "pp", Role::OrgAdmin, Some(&w.root), Power::ManagePeople).await;
    person(&w.db, &pm, "新一", &late, "full").await;
    person(&w.db, &pm, "中一", &mid_q, "full").await;
    let (_, items) = compliance::compliance(&w.db, &w.all, &late, "2026-11", NOW)
        .await
        .unwrap();
    assert_eq!(
        status_of(&items, "theme_day").2,
        Standing::NotApplicable,
        "11 of 30 days: nothing owed"
    );
    assert_eq!(
        status_of(&items, "life_meeting").2,
        Standing::NotApplicable,
        "the year's meeting is not owed"
    );
    let (_, items) = compliance::compliance(&w.db, &w.all, &mid_q, "2026-Q3", NOW)
        .await
        .unwrap();
    assert_eq!(
        status_of(&items, "general_meeting"),
        (1, 0, Standing::Overdue),
        "48 of 92 days of Q3"
    );
    assert_eq!(
        status_of(&items, "theme_day").0,
        2,
        "August (17 of 31 days) and September"
    );
}

#[tokio::test]
async fn the_top_organization_changes_frequencies_and_is_audited() {
    let w = world().await;
    let e = frequencies::set(&w.db, NOW, &cli(), &w.sa, "branch", "theme_day", "quarter", 1)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)));
    frequencies::set(&w.db, NOW, &cli(), &w.all, "branch", "theme_day", "quarter", 1)
        .await
        .unwrap();
    let (_, items) = compliance::compliance(&w.db, &w.sa, &w.a, "2026-Q3", NOW)
        .await
        .unwrap();
    assert_eq!(status_of(&items, "theme_day").0, 1, "once a quarter now");
    let actions = tongpin_core::audit::list(
        &w.db,
        &tongpin_core::auth::cap::command_line(),
        &tongpin_core::audit::Filter::default(),
        0,
        100,
    )
    .await
    .unwrap();
    assert!(actions
        .iter()
        .any(|r| r.action == "life.frequency" && r.detail.contains("季度1次")));
}

/// One 主题党日 in a month of 2026, with who was there and who was away and why.
async fn theme_day(w: &World, month: &str, present: &[String], away: &[(&String, &str)]) {
    let mut m = meeting(
        &w.a,
        "theme_day",
        &format!("2026-{month}-15 09:00"),
        &format!("{month}月主题党日"),
        present,
    );
    m.absentees = away
        .iter()
        .map(|(id, kind)| Absentee {
            person_id: (*id).clone(),
            reason_kind: (*kind).into(),
            ..Default::default()
        })
        .collect();
    record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap();
}

#[tokio::test]
async fn art9_counts_only_months_a_member_belonged_was_expected_and_had_no_proper_reason() {
    let w = world().await;
    let pm = common::scope_of(&w.db, NOW, "rs2", Role::OrgAdmin, Some(&w.root), Power::ManagePeople).await;
    // 新人 joined the Party on 1 September: only October's meeting expected him.
    let newcomer = people::create(
        &w.db,
        NOW,
        &cli(),
        &pm,
        &NewPerson {
            name: "陈新".into(),
            gender: "男".into(),
            org_id: w.a.clone(),
            status: "probationary".into(),
            joined_on: "2026-09-01".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // On the roster since last year (imported then, say): his joining date is what limits.
    with_db!(&w.db, |p| sqlx::query(
        "UPDATE people SET created_at = $1 WHERE id = $2"
    )
    .bind(NOW - 400 * DAY_MS)
    .bind(&newcomer)
    .execute(p)
    .await
    .unwrap()
    .rows_affected());
    // 周五 was transferred in on 20 September: before that he belonged elsewhere.
    let moved_in = tongpin_core::life::rules::parse_held_at("2026-09-20 10:00").unwrap();
    with_db!(&w.db, |p| sqlx::query(
        "INSERT INTO transfers (id, person_id, kind, from_org_id, to_org_id, outside_org, status, reason, letter_no, \
         requested_by, decided_by, decision_note, created_at, decided_at) VALUES ('t1', $1, 'internal', $2, $3, '', \
         'accepted', '工作调动', '', 'x', 'x', '', $4, $4)"
    )
    .bind(&w.full[4])
    .bind(&w.b)
    .bind(&w.a)
    .bind(moved_in)
    .execute(p)
    .await
    .unwrap()
    .rows_affected());
    let (zhao, qian, sun, li, zhou) = (&w.full[0], &w.full[1], &w.full[2], &w.full[3], &w.full[4]);
    let mut rest: Vec<String> = w.full[5..].to_vec();
    rest.push(w.probationary.clone());
    let with = |extra: &[&String]| -> Vec<String> { rest.iter().chain(extra.iter().copied()).cloned().collect() };
    // May to October, but no meeting in September. 赵一 is on sick leave throughout;
    // 钱二 stays away without reason; 孙三 comes in May only; 李四 has approved leave in August.
    theme_day(
        &w,
        "05",
        &with(&[sun]),
        &[(zhao, "sick"), (qian, "other"), (li, "other")],
    )
    .await;
    theme_day(
        &w,
        "06",
        &with(&[]),
        &[(zhao, "病假"), (qian, "other"), (sun, ""), (li, "other")],
    )
    .await;
    theme_day(
        &w,
        "07",
        &with(&[]),
        &[(zhao, "sick"), (qian, "other"), (sun, "other"), (li, "other")],
    )
    .await;
    theme_day(
        &w,
        "08",
        &with(&[]),
        &[(zhao, "sick"), (qian, "other"), (sun, "other"), (li, "leave")],
    )
    .await;
    // October: 孙三 and 李四 are not even listed, which is missing it all the same.
    theme_day(&w, "10", &with(&[]), &[(zhao, "sick"), (qian, "other")]).await;
    let warned = participation::absences(&w.db, &w.sa, &w.a, NOW).await.unwrap();
    let got: Vec<(&str, u32, u8)> = warned.iter().map(|a| (a.name.as_str(), a.months, a.level)).collect();
    assert_eq!(
        got,
        vec![("钱二", 5, 2), ("孙三", 4, 1), ("李四", 4, 1)],
        "September had no meeting; sick leave and approved leave are proper reasons; \
         陈新 ({newcomer}) and 周五 ({zhou}) belonged here for October only"
    );
    // The two warnings are to-dos of their own, each with its words and deadline.
    let todos = tongpin_core::life::todos::todos(&w.db, &w.sa, NOW).await.unwrap();
    let find = |who: &str| {
        todos
            .iter()
            .find(|t| t.title.contains(who))
            .unwrap_or_else(|| panic!("{who}: {todos:#?}"))
    };
    let five = find("钱二");
    assert!(
        five.title.starts_with("紧急") && five.detail.contains("自行脱党"),
        "{five:?}"
    );
    assert_eq!((five.due.as_deref(), five.overdue), (Some("2026-11-30"), false));
    let four = find("孙三");
    assert!(four.title.starts_with("谈心谈话"), "{four:?}");
    assert!(!todos
        .iter()
        .any(|t| t.title.contains("赵一") || t.title.contains("陈新") || t.title.contains("周五")));
    // A stored free-text reason stays readable beside its kind.
    let absent = tongpin_core::life::store::list(&w.db, &w.sa, &w.a, "2026-06", "2026-06", false)
        .await
        .unwrap();
    let att = tongpin_core::life::store::attendance(&w.db, &w.sa, &absent[0].id)
        .await
        .unwrap();
    let zhao_row = att.iter().find(|a| &a.person_id == zhao).unwrap();
    assert_eq!(
        (zhao_row.reason_kind.as_str(), zhao_row.reason_text()),
        ("sick", "病假".to_string())
    );
}

#[tokio::test]
async fn a_planned_meeting_is_never_counted_as_held() {
    let w = world().await;
    let mut m = meeting(&w.a, "theme_day", "2026-10-20 09:00", "计划中的主题党日", &w.full);
    m.status = "planned".into();
    record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap();
    let (_, items) = compliance::compliance(&w.db, &w.sa, &w.a, "2026-10", NOW)
        .await
        .unwrap();
    assert_eq!(status_of(&items, "theme_day"), (1, 0, Standing::Overdue));
    // Nor does its list of invitees count as taking part.
    let rows = participation::attendance_counts(&w.db, &w.sa, &w.a, "2026-10", "2026-10")
        .await
        .unwrap();
    assert!(rows.is_empty(), "{rows:?}");
}

#[tokio::test]
async fn a_planned_meeting_notifies_the_channels_above_and_digests_go_once_a_day() {
    let w = world().await;
    let input = tongpin_core::notify::ChannelInput {
        org_id: Some(w.root.clone()),
        kind: "dingtalk".into(),
        name: "机关党委钉钉群".into(),
        base_url: "https://oapi.dingtalk.com/robot/send?access_token=abc".into(),
        secret: Some("SEC123".into()),
        settings: Default::default(),
        enabled: true,
    };
    tongpin_core::notify::create_channel(&w.db, NOW, &cli(), &tongpin_core::auth::cap::command_line(), &input)
        .await
        .unwrap();
    let mut m = meeting(
        &w.a,
        "committee_meeting",
        "2026-12-01 09:00",
        "研究年终总结",
        &w.full[..3],
    );
    m.status = "planned".into();
    m.agenda = "一、年终总结\n二、民主评议安排".into();
    record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![]).await.unwrap();
    let (items, _) = tongpin_core::notify::list_outbox(&w.db, None, 10, 0).await.unwrap();
    assert_eq!(items.len(), 1, "the committee's group hears of the branch's meeting");
    assert!(items[0].title.contains("【会议通知】第一党支部支委会") && items[0].body.contains("民主评议安排"));
    // The digest: October's gaps are overdue; queued once however often the job runs.
    assert!(tongpin_core::reminders::queue_digests(&w.db, NOW).await.unwrap() >= 1);
    assert_eq!(
        tongpin_core::reminders::queue_digests(&w.db, NOW + 60_000)
            .await
            .unwrap(),
        0
    );
    let (items, _) = tongpin_core::notify::list_outbox(&w.db, None, 10, 0).await.unwrap();
    assert!(
        items
            .iter()
            .any(|i| i.title.contains("机关党委待办提醒") && i.body.contains("逾期未开")),
        "{:?}",
        items.iter().map(|i| &i.body).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_large_organizations_form_lists_the_committee_and_those_on_the_record() {
    let w = world().await;
    // Branch A's committee (赵一, 钱二, 孙三) comes from the world.
    let (all, total) = tongpin_core::life::store::form_roster(&w.db, &w.sa, &w.a, 60, &[])
        .await
        .unwrap();
    assert_eq!((all.len(), total), (8, 8));
    assert_eq!(all.iter().filter(|p| p.committee).count(), 3);
    // Above the threshold (here 7): the committee and who is on the record (李四), by pinyin.
    let (some, total) = tongpin_core::life::store::form_roster(&w.db, &w.sa, &w.a, 7, &[w.full[3].clone()])
        .await
        .unwrap();
    let names: Vec<(&str, bool)> = some.iter().map(|p| (p.name.as_str(), p.committee)).collect();
    assert_eq!(
        (names, total),
        (vec![("李四", false), ("钱二", true), ("孙三", true), ("赵一", true)], 8)
    );
    let ids = tongpin_core::life::store::member_ids(&w.db, &w.sa, &w.a).await.unwrap();
    assert_eq!(ids.len(), 8, "everyone for 其余党员全部出席");
}

/// A meeting's parts are read through the reader's scope: from another
/// branch, its attendance, resolutions, grades, links and evidence files
/// answer as a missing meeting does.
#[tokio::test]
async fn a_meetings_parts_outside_the_scope_answer_as_missing() {
    use tongpin_core::life::store;
    let w = world().await;
    let mut m = meeting(&w.a, "general_meeting", "2026-11-20 09:00", "支部党员大会", &w.full);
    m.resolutions = vec![NewResolution {
        title: "全票通过".into(),
        votes_for: 7,
        ..Default::default()
    }];
    let mut spool = tongpin_core::files::Spool::new("会议记录.pdf", 1 << 20).unwrap();
    spool.push(b"%PDF-1.7\nminutes").await.unwrap();
    let stored = tongpin_core::files::save(&w.db, NOW, "account-1", spool).await.unwrap();
    let (id, _) = record::record(&w.db, NOW, &cli(), &w.sa, &m, vec![stored])
        .await
        .unwrap();
    let file = tongpin_core::files::list(&w.db, record::OWNER, std::slice::from_ref(&id))
        .await
        .unwrap()
        .remove(0);
    let sb = common::scope_of(&w.db, NOW, "sb", Role::BranchSecretary, Some(&w.b), Power::ViewLife).await;
    let missing = |r: Result<usize, Error>| matches!(r, Err(Error::NotFound(_)));
    assert!(missing(store::attendance(&w.db, &sb, &id).await.map(|x| x.len())));
    assert!(missing(store::resolutions(&w.db, &sb, &id).await.map(|x| x.len())));
    assert!(missing(store::grades(&w.db, &sb, &id).await.map(|x| x.len())));
    assert!(missing(store::links(&w.db, &sb, &id).await.map(|x| x.len())));
    assert!(missing(store::attachment(&w.db, &sb, &file.id).await.map(|_| 0)));
    // In the branch's own scope they read; a meeting without grades or
    // links reads as having none.
    assert_eq!(store::attendance(&w.db, &w.sa, &id).await.unwrap().len(), 7);
    assert_eq!(store::resolutions(&w.db, &w.sa, &id).await.unwrap().len(), 1);
    assert!(store::grades(&w.db, &w.sa, &id).await.unwrap().is_empty());
    assert!(store::links(&w.db, &w.sa, &id).await.unwrap().is_empty());
    assert_eq!(
        store::attachment(&w.db, &w.sa, &file.id).await.unwrap().name,
        "会议记录.pdf"
    );
    assert!(missing(
        store::attendance(&w.db, &w.sa, "no-such-meeting")
            .await
            .map(|x| x.len())
    ));
}
