//! Numbers a superior can trust, on whichever engine the tests run: members
//! in 党小组 count for their branch everywhere; a meeting without its quorum
//! is recorded but not counted, and says why; 谈心谈话 is judged by pairs and
//! the secretary's own 党课 by its lecturer; a 党委 and a 党总支 owe their own
//! committee meetings, study and 民主生活会.
use tongpin_core::auth::{Power, Role};
use tongpin_core::clock::DAY_MS;
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::life::{compliance, frequencies, record, store, NewMeeting, NewResolution, Standing};
use tongpin_core::org::{self, Scope};
use tongpin_core::people::{self, NewPerson};
use tongpin_core::Error;

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;
use common::cli;

struct World {
    db: Db,
    root: String,
    general: String,
    branch: String,
    groups: [String; 2],
    /// ManageLife at the 党委; ManageOrgs at the 党委.
    life: Scope,
    orgs: Scope,
    /// Nine full members (five in the first group, four in the second).
    full: Vec<String>,
}

async fn person(db: &Db, scope: &Scope, name: &str, org: &str, status: &str) -> String {
    let p = NewPerson {
        name: name.into(),
        gender: "女".into(),
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

/// 机关党委 > 第一党总支 > 第一党支部 > 第一、第二党小组: every member sits in a group.
async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = common::Orgs::new(&db, NOW).await.founded("2020-01-01");
    let root = orgs.add("机关党委", "committee", None).await;
    let general = orgs.add("第一党总支", "general_branch", Some(&root)).await;
    let branch = orgs.add("第一党支部", "branch", Some(&general)).await;
    let g1 = orgs.add("第一党小组", "group", Some(&branch)).await;
    let g2 = orgs.add("第二党小组", "group", Some(&branch)).await;
    let pm = common::scope_of(&db, NOW, "rs", Role::OrgAdmin, Some(&root), Power::ManagePeople).await;
    let mut full = Vec::new();
    for (i, n) in ["赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七", "王八", "冯九"]
        .iter()
        .enumerate()
    {
        full.push(person(&db, &pm, n, if i < 5 { &g1 } else { &g2 }, "full").await);
    }
    person(&db, &pm, "陈十", &g2, "probationary").await;
    World {
        life: common::scope_of(&db, NOW, "dw", Role::OrgAdmin, Some(&root), Power::ManageLife).await,
        orgs: common::scope_of(&db, NOW, "zz", Role::OrgAdmin, Some(&root), Power::ManageOrgs).await,
        db,
        root,
        general,
        branch,
        groups: [g1, g2],
        full,
    }
}

impl World {
    /// The branch committee: 赵一 书记, 钱二 组织委员, 吴六 宣传委员; the 党委's: 赵一, 吴六, 孙三.
    async fn committees(&self) {
        for (org, who, post) in [
            (&self.branch, 0, "secretary"),
            (&self.branch, 1, "organization"),
            (&self.branch, 5, "publicity"),
            (&self.root, 0, "secretary"),
            (&self.root, 5, "deputy_secretary"),
            (&self.root, 2, "organization"),
        ] {
            org::add_officer(&self.db, NOW, &cli(), &self.orgs, org, &self.full[who], post)
                .await
                .unwrap();
        }
    }
    fn some(&self, idx: &[usize]) -> Vec<String> {
        idx.iter().map(|i| self.full[*i].clone()).collect()
    }
    async fn record(&self, m: &NewMeeting) -> Result<String, Error> {
        record::record(&self.db, NOW, &cli(), &self.life, m, vec![])
            .await
            .map(|r| r.0)
    }
    async fn items(&self, org: &str, period: &str) -> Vec<compliance::Item> {
        compliance::compliance(&self.db, &self.life, org, period, NOW)
            .await
            .unwrap()
            .1
    }
}

fn meeting(org: &str, kind: &str, at: &str, topic: &str, attendees: Vec<String>) -> NewMeeting {
    NewMeeting {
        org_id: org.into(),
        kind: kind.into(),
        held_at: at.into(),
        topic: topic.into(),
        attendee_ids: attendees,
        ..Default::default()
    }
}

fn line<'a>(items: &'a [compliance::Item], code: &str) -> &'a compliance::Item {
    items
        .iter()
        .find(|i| i.code == code)
        .unwrap_or_else(|| panic!("no {code} in {items:#?}"))
}

fn figures(items: &[compliance::Item], code: &str) -> (i64, i64, Standing) {
    let i = line(items, code);
    (i.due, i.held, i.status)
}

#[tokio::test]
async fn a_branch_whose_members_sit_in_groups_counts_them_everywhere() {
    let w = world().await;
    // Compliance: the branch owes its meetings, and a 支委会 at nine full members.
    let items = w.items(&w.branch, "2026-10").await;
    assert_eq!(figures(&items, "theme_day"), (1, 0, Standing::Overdue));
    assert_eq!(figures(&items, "committee_meeting"), (1, 0, Standing::Overdue));
    // Each group owes its own meeting, counting its own members.
    let items = w.items(&w.groups[1], "2026-10").await;
    assert_eq!(figures(&items, "group_meeting"), (1, 0, Standing::Overdue));
    // The overview: nine full members, no 党员不足, a committee required.
    let view = org::overview(&w.db, &w.orgs, chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
        .await
        .unwrap();
    let row = view.iter().find(|r| r.org.id == w.branch).unwrap();
    assert_eq!((row.full, row.probationary, row.subtree_members), (9, 1, 10));
    let shorts: Vec<&str> = row.warnings.iter().map(|x| x.short).collect();
    assert!(!shorts.contains(&"党员不足"), "{shorts:?}");
    assert!(shorts.contains(&"应设支委会"), "{shorts:?}");
    let group = view.iter().find(|r| r.org.id == w.groups[0]).unwrap();
    assert_eq!(group.full, 5);
    // The superior's view lists the branch and the groups with their gaps.
    let sup = compliance::supervision(&w.db, &w.life, &w.root, "2026-10", NOW)
        .await
        .unwrap();
    let b = sup.iter().find(|c| c.org.id == w.branch).unwrap();
    assert_eq!(figures(&b.items, "theme_day").2, Standing::Overdue);
    // Quorum: the general meeting counts the groups' members with the vote.
    let id = w
        .record(&meeting(
            &w.branch,
            "general_meeting",
            "2026-10-15 09:00",
            "支部党员大会",
            w.some(&[0, 1, 2, 5, 6]),
        ))
        .await
        .unwrap();
    let m = store::get(&w.db, &w.life, &id).await.unwrap();
    assert_eq!((m.voting_members, m.counts), (Some(9), true));
}

#[tokio::test]
async fn a_meeting_without_its_quorum_is_recorded_not_counted_and_says_why() {
    let w = world().await;
    w.committees().await;
    // Four of nine voting members: recorded, not counted.
    let id = w
        .record(&meeting(
            &w.branch,
            "general_meeting",
            "2026-10-15 09:00",
            "四人到会",
            w.some(&[0, 1, 2, 3]),
        ))
        .await
        .unwrap();
    let m = store::get(&w.db, &w.life, &id).await.unwrap();
    assert!(!m.counts);
    assert_eq!(
        m.uncounted_reason().as_deref(),
        Some("未达到法定人数：应到 9 人，实到 4 人，不计入召开次数")
    );
    let items = w.items(&w.branch, "2026-Q4").await;
    let gm = line(&items, "general_meeting");
    assert_eq!((gm.held, gm.uncounted), (0, 1));
    assert!(gm.note.as_deref().unwrap_or("").contains("未达到法定人数"), "{gm:?}");
    // Nor may it decide anything.
    let mut m = meeting(
        &w.branch,
        "general_meeting",
        "2026-10-16 09:00",
        "四人表决",
        w.some(&[0, 1, 2, 3]),
    );
    m.resolutions = vec![NewResolution {
        title: "决定事项".into(),
        votes_for: 4,
        ..Default::default()
    }];
    assert!(w.record(&m).await.unwrap_err().to_string().contains("不能作出决议"));
    // Five of nine: counted.
    w.record(&meeting(
        &w.branch,
        "general_meeting",
        "2026-10-20 09:00",
        "五人到会",
        w.some(&[0, 1, 2, 3, 4]),
    ))
    .await
    .unwrap();
    assert_eq!(figures(&w.items(&w.branch, "2026-Q4").await, "general_meeting").1, 1);

    // 支委会: three seats; one committee member among four present is no quorum.
    let id = w
        .record(&meeting(
            &w.branch,
            "committee_meeting",
            "2026-10-10 09:00",
            "委员一人",
            w.some(&[0, 2, 3, 4]),
        ))
        .await
        .unwrap();
    let m = store::get(&w.db, &w.life, &id).await.unwrap();
    assert_eq!(
        m.uncounted_reason().as_deref(),
        Some("未达到法定人数：应到 3 人，实到 1 人，不计入召开次数")
    );
    assert_eq!(figures(&w.items(&w.branch, "2026-10").await, "committee_meeting").1, 0);
    w.record(&meeting(
        &w.branch,
        "committee_meeting",
        "2026-10-12 09:00",
        "委员二人",
        w.some(&[0, 1]),
    ))
    .await
    .unwrap();
    let items = w.items(&w.branch, "2026-10").await;
    assert_eq!(figures(&items, "committee_meeting"), (1, 1, Standing::Met));
    assert_eq!(line(&items, "committee_meeting").uncounted, 1);
}

#[tokio::test]
async fn talks_count_by_pair_and_the_secretary_lectures_once_a_year() {
    let w = world().await;
    w.committees().await;
    let talk = |at: &str, a: usize, b: usize| meeting(&w.branch, "talk", at, "谈心谈话", w.some(&[a, b]));
    // 赵一–钱二 (two committee members), 赵一–孙三 twice, 孙三–李四 (two ordinary members: not a required pair).
    for m in [
        talk("2026-03-01 10:00", 0, 1),
        talk("2026-04-01 10:00", 0, 2),
        talk("2026-09-01 10:00", 2, 0),
        talk("2026-05-01 10:00", 2, 3),
    ] {
        w.record(&m).await.unwrap();
    }
    let e = w
        .record(&meeting(
            &w.branch,
            "talk",
            "2026-06-01 10:00",
            "三人",
            w.some(&[0, 1, 2]),
        ))
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "出席人员"), "{e}");
    let items = w.items(&w.branch, "2026").await;
    // Three seats among ten members: 3 pairs on the committee, 3 × 7 with the others.
    let t = line(&items, "talk");
    assert_eq!((t.due, t.held), (24, 2));
    assert_eq!(t.note.as_deref(), Some("已谈 2/24 对"));

    // The secretary's own 党课: a lecture by 钱二 is not it; one by 赵一 is.
    let lecture = |at: &str, by: usize| NewMeeting {
        lecturer_id: w.full[by].clone(),
        ..meeting(&w.branch, "party_lecture", at, "党课", w.some(&[0, 1, 2, 3, 4]))
    };
    w.record(&lecture("2026-03-20 15:00", 1)).await.unwrap();
    let items = w.items(&w.branch, "2026").await;
    let s = line(&items, compliance::SECRETARY_LECTURE);
    assert_eq!((s.label, s.due, s.held), ("书记讲党课", 1, 0));
    w.record(&lecture("2026-06-20 15:00", 0)).await.unwrap();
    let items = w.items(&w.branch, "2026").await;
    assert_eq!(figures(&items, compliance::SECRETARY_LECTURE), (1, 1, Standing::Met));
    let mut m = meeting(&w.branch, "theme_day", "2026-06-21 15:00", "主题党日", w.some(&[0]));
    m.lecturer_id = w.full[0].clone();
    let e = w.record(&m).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "讲课人"), "{e}");
}

#[tokio::test]
async fn committees_owe_their_own_meetings_study_and_democratic_life() {
    let w = world().await;
    w.committees().await;
    let items = w.items(&w.root, "2026-10").await;
    assert_eq!(figures(&items, "party_committee_meeting"), (1, 0, Standing::Overdue));
    assert_eq!(line(&items, "party_committee_meeting").label, "党委会");
    assert_eq!(
        figures(&items, "theory_study"),
        (1, 0, Standing::Due),
        "Q4 is still open"
    );
    assert_eq!(figures(&items, "democratic_life"), (1, 0, Standing::Due));
    // Two of the three members: the 党委会 counts.
    w.record(&meeting(
        &w.root,
        "party_committee_meeting",
        "2026-10-20 09:00",
        "研究部署四季度党建工作",
        w.some(&[0, 5]),
    ))
    .await
    .unwrap();
    // One of three, with others: recorded, not counted.
    w.record(&meeting(
        &w.root,
        "party_committee_meeting",
        "2026-10-21 09:00",
        "委员一人",
        w.some(&[0, 1, 3]),
    ))
    .await
    .unwrap();
    let items = w.items(&w.root, "2026-10").await;
    assert_eq!(figures(&items, "party_committee_meeting"), (1, 1, Standing::Met));
    assert_eq!(line(&items, "party_committee_meeting").uncounted, 1);
    // Each organization records its own kinds.
    let e = w
        .record(&meeting(
            &w.root,
            "general_meeting",
            "2026-10-22 09:00",
            "大会",
            w.some(&[0, 1, 2, 3, 4]),
        ))
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "会议类型"), "{e}");
    let e = w
        .record(&meeting(
            &w.branch,
            "theory_study",
            "2026-10-22 09:00",
            "学习",
            w.some(&[0, 1]),
        ))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("党支部不登记"), "{e}");
    // The 党总支: its committee meeting under its own name; no 中心组 until the top organization sets it.
    let items = w.items(&w.general, "2026-10").await;
    assert_eq!(line(&items, "party_committee_meeting").label, "党总支委员会");
    assert!(!items.iter().any(|i| i.code == "theory_study"));
    frequencies::set(
        &w.db,
        NOW,
        &cli(),
        &w.life,
        "general_branch",
        "theory_study",
        "quarter",
        1,
    )
    .await
    .unwrap();
    let items = w.items(&w.general, "2026-10").await;
    assert_eq!(figures(&items, "theory_study").0, 1);
    // The superior's view holds the 党委's own line.
    let sup = compliance::supervision(&w.db, &w.life, &w.root, "2026-10", NOW)
        .await
        .unwrap();
    let root = sup.iter().find(|c| c.org.id == w.root).unwrap();
    assert_eq!(figures(&root.items, "party_committee_meeting").2, Standing::Met);
}

#[tokio::test]
async fn the_sqlite_rebuild_keeps_every_reference_and_fills_the_new_columns() {
    let w = world().await;
    if !w.db.is_sqlite() {
        return; // PostgreSQL changes the constraint in place.
    }
    w.committees().await;
    let few = w
        .record(&meeting(
            &w.branch,
            "general_meeting",
            "2026-10-15 09:00",
            "四人到会",
            w.some(&[0, 1, 2, 3]),
        ))
        .await
        .unwrap();
    let talk = w
        .record(&meeting(
            &w.branch,
            "talk",
            "2026-10-16 09:00",
            "谈心谈话",
            w.some(&[1, 0]),
        ))
        .await
        .unwrap();
    // As the records stood before the step: no quorum, no pair, all counted.
    for sql in [
        "UPDATE meetings SET counts = TRUE, quorum_expected = NULL, quorum_present = NULL, pair_a = NULL, pair_b = NULL",
        // Steps run strictly in order, so 0014 to 0023, which came after 0013, are undone and run
        // again after the rebuild: the tables and columns 0014 adds go (the rebuild itself drops the
        // columns 0015 adds to meetings).
        "DELETE FROM schema_migrations WHERE version IN (13, 14, 15, 16, 18, 19, 20, 21, 22, 23)",
        "DROP TRIGGER dues_standing_base_insert",
        "DROP TRIGGER dues_standing_paid_insert",
        "DROP TRIGGER dues_standing_base_change",
        "DROP TRIGGER dues_standing_base_delete",
        "DROP TRIGGER dues_standing_paid_change",
        "DROP TRIGGER dues_standing_paid_delete",
        "DROP TABLE dues_standing",
        "DROP TRIGGER development_due_step_insert",
        "DROP TRIGGER development_due_step_update",
        "DROP TRIGGER development_due_step_delete",
        "DROP TRIGGER development_due_record_insert",
        "DROP TRIGGER development_due_record_update",
        "DROP TRIGGER development_due_record_delete",
        "DROP TABLE development_due",
        "DROP INDEX people_search",
        "CREATE INDEX people_pinyin ON people(name_pinyin)",
        "CREATE INDEX people_initials ON people(name_initials)",
        "CREATE INDEX people_status ON people(status)",
        "DROP TRIGGER life_mark_meeting_insert",
        "DROP TRIGGER life_mark_meeting_update",
        "DROP TRIGGER life_mark_meeting_delete",
        "DROP TRIGGER life_mark_person_insert",
        "DROP TRIGGER life_mark_person_update",
        "DROP TRIGGER life_mark_person_delete",
        "DROP TRIGGER life_mark_officer_insert",
        "DROP TRIGGER life_mark_officer_update",
        "DROP TRIGGER life_mark_officer_delete",
        "DROP TRIGGER life_mark_org_insert",
        "DROP TRIGGER life_mark_org_update",
        "DROP TRIGGER life_mark_org_delete",
        "DROP TRIGGER life_frequency_insert",
        "DROP TRIGGER life_frequency_update",
        "DROP TRIGGER life_frequency_delete",
        "DROP TABLE life_tallies",
        "DROP INDEX people_members",
        "DROP TABLE life_tally_years",
        "DROP TABLE life_tally_dirty",
        "DROP INDEX assessment_problems_deadline",
        "DROP TABLE assessment_duties",
        "DROP TABLE assessment_reports",
        "DROP TABLE assessment_appeals",
        "DROP TABLE assessment_results",
        "DROP TABLE assessment_tallies",
        "DROP TABLE assessment_ballot_tokens",
        "DROP TABLE assessment_scores",
        "DROP TABLE assessment_indicators",
        "DROP TABLE assessment_targets",
        "DROP TABLE assessments",
        "DROP TABLE standard_resources",
        "DROP TABLE standard_trainings",
        "DROP TABLE standard_dispatch_reports",
        "DROP TABLE standard_dispatches",
        "DROP TABLE standard_visits",
        "DROP TABLE standard_contacts",
        "DROP TABLE org_officer_ends",
        "DROP TABLE standard_events",
        "DROP TABLE standard_applications",
        "DROP TABLE standard_problems",
        "DROP TABLE standard_checks",
        "DROP TABLE standard_orgs",
        "DROP TABLE standard_items",
        "DROP TABLE standards",
        "DROP INDEX business_units_owner",
        "ALTER TABLE business_units DROP COLUMN owner_org_id",
        "DROP TABLE file_uploads",
        "DROP TABLE upload_locks",
        "DROP TABLE login_throttle",
        "DROP INDEX login_attempts_updated",
        "ALTER TABLE login_attempts DROP COLUMN updated_at",
        "ALTER TABLE meeting_attendance DROP COLUMN reason_kind",
        "DROP TABLE development_records",
        "DROP TABLE org_rule_settings",
        "ALTER TABLE orgs DROP COLUMN org_type",
    ] {
        tongpin_core::with_db!(&w.db, |p| sqlx::query(sql).execute(p).await.unwrap().rows_affected());
    }
    let attendance = |db: &Db| {
        let db = db.clone();
        async move {
            tongpin_core::with_db!(&db, |p| sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM meeting_attendance"
            )
            .fetch_one(p)
            .await
            .unwrap())
        }
    };
    let before = attendance(&w.db).await;
    tongpin_core::db::migrate(&w.db).await.unwrap();
    assert_eq!(attendance(&w.db).await, before);
    let m = store::get(&w.db, &w.life, &few).await.unwrap();
    assert_eq!(
        (m.counts, m.quorum_expected, m.quorum_present),
        (false, Some(9), Some(4))
    );
    let (a, b): (Option<String>, Option<String>) = tongpin_core::with_db!(&w.db, |p| sqlx::query_as(
        "SELECT pair_a, pair_b FROM meetings WHERE id = $1"
    )
    .bind(&talk)
    .fetch_one(p)
    .await
    .unwrap());
    let mut pair = vec![w.full[0].clone(), w.full[1].clone()];
    pair.sort();
    assert_eq!(vec![a.unwrap(), b.unwrap()], pair);
    let (fk, broken): (i64, i64) = tongpin_core::with_db!(&w.db, |p| sqlx::query_as(
        "SELECT (SELECT foreign_keys FROM pragma_foreign_keys), (SELECT COUNT(*) FROM pragma_foreign_key_check)"
    )
    .fetch_one(p)
    .await
    .unwrap());
    assert_eq!((fk, broken), (1, 0), "foreign keys on again, every reference holds");
    // The widened kinds are accepted after the rebuild.
    w.record(&meeting(
        &w.root,
        "democratic_life",
        "2026-10-30 09:00",
        "民主生活会",
        w.some(&[0, 2, 5]),
    ))
    .await
    .unwrap();
}

#[tokio::test]
async fn the_demo_shows_groups_quorum_pairs_lectures_and_the_committees_own_duties() {
    let db = fresh_db().await.unwrap();
    tongpin_core::seed::seed_demo(&db, NOW).await.unwrap();
    let sys = common::scope_of(&db, NOW, "check-sys", Role::SystemAdmin, None, Power::ManageOrgs).await;
    let orgs = org::list(&db, &sys).await.unwrap();
    let by = |name: &str| orgs.iter().find(|o| o.name == name).unwrap().id.clone();
    let all = common::scope_of(&db, NOW, "check", Role::OrgAdmin, Some(&orgs[0].id), Power::ViewLife).await;
    let items = |org: String, period: &'static str| {
        let (db, all) = (db.clone(), all.clone());
        async move { compliance::compliance(&db, &all, &org, period, NOW).await.unwrap().1 }
    };
    // The 党委's 落实情况 is not empty.
    let root = items(by("机关党委"), "2026").await;
    let pc = line(&root, "party_committee_meeting");
    assert_eq!((pc.due, pc.held, pc.uncounted), (12, 10, 1), "{pc:?}");
    assert_eq!(figures(&root, "theory_study"), (4, 3, Standing::Due));
    assert_eq!(figures(&root, "democratic_life"), (1, 0, Standing::Due));
    let second = items(by("业务二党总支"), "2026-10").await;
    assert_eq!(figures(&second, "party_committee_meeting").2, Standing::Overdue);
    // 综合处: members in its 党小组 still count; every required pair talked; the secretary lectured.
    let zonghe = items(by("综合处党支部"), "2026").await;
    let talk = line(&zonghe, "talk");
    assert!(talk.due > 0 && talk.held == talk.due, "{talk:?}");
    assert_eq!(figures(&zonghe, compliance::SECRETARY_LECTURE).1, 1);
    let group = items(by("综合处第一党小组"), "2026-10").await;
    assert_eq!(figures(&group, "group_meeting"), (1, 1, Standing::Met));
    let view = org::overview(&db, &sys, chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
        .await
        .unwrap();
    let row = view.iter().find(|r| r.org.name == "综合处党支部").unwrap();
    assert!(row.full >= 7 && row.warnings.iter().all(|w| w.short != "党员不足"));
    // 政策法规处's first-quarter general meeting fell short of its quorum; 财务处's secretary has not lectured yet.
    let fagui = items(by("政策法规处党支部"), "2026-Q1").await;
    assert_eq!(line(&fagui, "general_meeting").uncounted, 1);
    let caiwu = items(by("财务处党支部"), "2026").await;
    assert_eq!(figures(&caiwu, compliance::SECRETARY_LECTURE), (1, 0, Standing::Due));
}

/// The counts kept on write (合规计数) against a full recount from the
/// records, for a year, a quarter and two months.
async fn kept_matches_recount(w: &World, after: &str) {
    for period in ["2026", "2026-Q4", "2026-10", "2026-03"] {
        let kept = compliance::supervision(&w.db, &w.life, &w.root, period, NOW)
            .await
            .unwrap();
        let recounted = compliance::supervision_recounted(&w.db, &w.life, &w.root, period, NOW)
            .await
            .unwrap();
        assert_eq!(kept, recounted, "{period} after {after}");
        for c in &recounted {
            let (_, one) = compliance::compliance(&w.db, &w.life, &c.org.id, period, NOW)
                .await
                .unwrap();
            assert_eq!(one, c.items, "{} {period} after {after}", c.org.name);
        }
    }
}

#[tokio::test]
async fn counts_kept_on_write_match_a_full_recount_after_every_kind_of_write() {
    let w = world().await;
    kept_matches_recount(&w, "the roster").await;
    w.committees().await;
    kept_matches_recount(&w, "officers").await;
    let theme = w
        .record(&meeting(
            &w.branch,
            "theme_day",
            "2026-10-10 09:00",
            "主题党日",
            w.some(&[0, 1, 2, 3, 4, 5]),
        ))
        .await
        .unwrap();
    w.record(&meeting(
        &w.branch,
        "talk",
        "2026-10-16 09:00",
        "谈心谈话",
        w.some(&[1, 0]),
    ))
    .await
    .unwrap();
    w.record(&meeting(
        &w.branch,
        "general_meeting",
        "2026-10-15 09:00",
        "四人到会",
        w.some(&[0, 1, 2, 3]),
    ))
    .await
    .unwrap();
    kept_matches_recount(&w, "meetings").await;
    store::cancel(&w.db, NOW, &cli(), &w.life, &theme).await.ok();
    kept_matches_recount(&w, "a cancelled meeting").await;
    // A member changes status, another group is founded, an officer steps down.
    let pm = common::scope_of(&w.db, NOW, "rs2", Role::OrgAdmin, Some(&w.root), Power::ManagePeople).await;
    person(&w.db, &pm, "褚十一", &w.groups[0], "full").await;
    let new = org::NewOrg {
        name: "第三党小组".into(),
        kind: "group".into(),
        parent_id: Some(w.branch.clone()),
        founded_on: Some("2026-06-15".into()),
    };
    let g3 = org::create(&w.db, NOW, &cli(), &w.orgs, new).await.unwrap();
    person(&w.db, &pm, "卫十二", &g3, "full").await;
    let view = org::overview(&w.db, &w.orgs, chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
        .await
        .unwrap();
    let secretary = view
        .iter()
        .flat_map(|r| r.officers.iter())
        .find(|o| o.org_id == w.branch && o.post == "secretary")
        .unwrap()
        .id
        .clone();
    org::remove_officer(&w.db, NOW, &cli(), &w.orgs, &w.branch, &secretary)
        .await
        .unwrap();
    kept_matches_recount(&w, "roster, tree and officer changes").await;
    frequencies::set(&w.db, NOW, &cli(), &w.life, "branch", "theme_day", "quarter", 1)
        .await
        .unwrap();
    kept_matches_recount(&w, "a frequency change").await;
    // The command's rebuild gives the same figures.
    tongpin_core::life::tallies::rebuild(&w.db, Some(2025)).await.unwrap();
    kept_matches_recount(&w, "a rebuild").await;
}
