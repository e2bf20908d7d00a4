//! Computed items against the records, at the edges of their periods, on
//! whichever engine the tests run: a month counts once it has ended (in
//! Beijing time, 29 February included), a plan once approved, a difficulty
//! once a Party task serves it, dues through the last ended month of the
//! year, the committee from its seventh full member.
use tongpin_core::auth::{Power, Role};
use tongpin_core::dues::{self, NewBase};
use tongpin_core::life::{record, NewMeeting};
use tongpin_core::org::{self, NewOrg, Org};
use tongpin_core::plan::{goals, tasks, NewGoal, NewTask};
use tongpin_core::standard::computed::{evaluate, Target};
use tongpin_core::standard::{Evaluation, Rule};
use tongpin_core::study::{plans, NewItem, NewPlan};

use crate::common::{cli, scope_of};
use crate::std_common::{at, person, world, World, NOW};

/// 00:30 Beijing time on a day: the first half hour of it.
fn early(y: i32, m: u32, d: u32) -> i64 {
    at(y, m, d) - 11 * 3_600_000 - 30 * 60_000
}

async fn judge(w: &World, rule: Rule, year: i64, org: &str, now: i64) -> Evaluation {
    let o: Org = org::get(&w.db, &w.s_root, org).await.unwrap();
    let mut j = evaluate(&w.db, &w.s_root, &[rule], year, &o, &[Target::of(&o)], now, true)
        .await
        .unwrap();
    j.remove(org).unwrap().remove(&rule).unwrap()
}

/// A branch under the 党委 founded on `founded`, with three full members.
async fn branch(w: &World, name: &str, founded: &str) -> (String, Vec<String>) {
    let new = NewOrg {
        name: name.into(),
        kind: "branch".into(),
        parent_id: Some(w.root.clone()),
        founded_on: Some(founded.into()),
    };
    let id = org::create(&w.db, NOW, &cli(), &w.orgs, new).await.unwrap();
    let mut people = Vec::new();
    for n in ["甲", "乙", "丙"] {
        people.push(person(&w.db, &w.hr, &format!("{name}{n}"), &id, "full").await);
    }
    (id, people)
}

#[tokio::test]
async fn life_compliance_counts_a_month_only_once_it_has_ended() {
    let w = world().await;
    // Founded 20 February 2026: February and the first quarter owe nothing; March owes a 主题党日.
    let (b, people) = branch(&w, "新建党支部", "2026-02-20").await;
    let e = judge(&w, Rule::LifeCompliance, 2026, &b, at(2026, 3, 31)).await;
    assert!(e.met, "{}", e.detail);
    assert!(e.detail.contains("尚无已结束的期间"), "{}", e.detail);
    let e = judge(&w, Rule::LifeCompliance, 2026, &b, early(2026, 4, 1)).await;
    assert!(!e.met);
    assert!(e.detail.contains("主题党日"), "{}", e.detail);
    assert_eq!(e.records[0].kind, "life_window");
    assert!(e.records[0].label.contains("2026年3月") && e.records[0].label.contains("应召开 1 次，实际 0 次"));
    let life = scope_of(&w.db, NOW, "life", Role::OrgAdmin, Some(&w.root), Power::ManageLife).await;
    let m = NewMeeting {
        org_id: b.clone(),
        kind: "theme_day".into(),
        held_at: "2026-03-20 15:00".into(),
        topic: "重温入党誓词".into(),
        attendee_ids: people.clone(),
        ..Default::default()
    };
    record::record(&w.db, NOW, &cli(), &life, &m, vec![]).await.unwrap();
    let e = judge(&w, Rule::LifeCompliance, 2026, &b, early(2026, 4, 1)).await;
    assert!(e.met, "{}", e.detail);
    assert!(e.detail.contains("已结束的 1 个期间"), "{}", e.detail);
    // April closes on 1 May: the missing April day shows then.
    assert!(judge(&w, Rule::LifeCompliance, 2026, &b, at(2026, 4, 30)).await.met);
    assert!(!judge(&w, Rule::LifeCompliance, 2026, &b, early(2026, 5, 1)).await.met);
    // A leap year: February 2028 is still open on the 29th and closed on 1 March.
    let (c, _) = branch(&w, "二〇二八党支部", "2028-01-25").await;
    assert!(judge(&w, Rule::LifeCompliance, 2028, &c, at(2028, 2, 29)).await.met);
    let e = judge(&w, Rule::LifeCompliance, 2028, &c, early(2028, 3, 1)).await;
    assert!(!e.met);
    assert!(e.detail.contains("2028年2月"), "{}", e.detail);
}

#[tokio::test]
async fn the_study_plan_counts_once_approved_by_then() {
    let w = world().await;
    let e = judge(&w, Rule::StudyPlanApproved, 2026, &w.a, NOW).await;
    assert!(!e.met && e.detail.contains("尚未编制"), "{}", e.detail);
    let mine = scope_of(&w.db, NOW, "xa", Role::BranchSecretary, Some(&w.a), Power::ManageStudy).await;
    let above = scope_of(&w.db, NOW, "xg", Role::OrgAdmin, Some(&w.general), Power::ManageStudy).await;
    let plan = NewPlan {
        org_id: w.a.clone(),
        year: 2026,
        title: String::new(),
        items: vec![NewItem {
            month: 3,
            topic: "学习党章".into(),
            form: "集中学习".into(),
            hours: "2".into(),
            notes: String::new(),
        }],
    };
    let id = plans::save(&w.db, at(2026, 1, 10), &cli(), &mine, plan).await.unwrap();
    plans::file(&w.db, at(2026, 1, 12), &cli(), &mine, &id).await.unwrap();
    let e = judge(&w, Rule::StudyPlanApproved, 2026, &w.a, at(2026, 1, 13)).await;
    assert!(!e.met && e.detail.contains("已报备待审核"), "{}", e.detail);
    assert_eq!(
        (e.records[0].kind, e.records[0].id.as_str()),
        ("study_plan", id.as_str())
    );
    plans::review(&w.db, at(2026, 1, 20), &cli(), &above, &id, true, "")
        .await
        .unwrap();
    assert!(
        !judge(&w, Rule::StudyPlanApproved, 2026, &w.a, at(2026, 1, 19))
            .await
            .met,
        "not before its review"
    );
    assert!(
        judge(&w, Rule::StudyPlanApproved, 2026, &w.a, at(2026, 1, 20))
            .await
            .met
    );
    assert!(
        !judge(&w, Rule::StudyPlanApproved, 2027, &w.a, at(2027, 1, 20))
            .await
            .met,
        "each year its own plan"
    );
}

#[tokio::test]
async fn a_difficulty_counts_once_a_party_task_under_the_branch_serves_it() {
    let w = world().await;
    let e = judge(&w, Rule::DifficultGoalsSupported, 2026, &w.a, NOW).await;
    assert!(e.met && e.detail.contains("没有业务难点"), "{}", e.detail);
    let plan = scope_of(&w.db, NOW, "jh", Role::BranchSecretary, Some(&w.a), Power::ManagePlan).await;
    let goal = |title: &str, difficult: bool| NewGoal {
        org_id: w.a.clone(),
        year: 2026,
        title: title.into(),
        difficult,
        ..Default::default()
    };
    let (hard, _) = goals::create(&w.db, NOW, &cli(), &plan, goal("化解信访积案", true))
        .await
        .unwrap();
    goals::create(&w.db, NOW, &cli(), &plan, goal("提升服务效能", false))
        .await
        .unwrap();
    let e = judge(&w, Rule::DifficultGoalsSupported, 2026, &w.a, NOW).await;
    assert!(!e.met && e.detail.contains("1 项业务难点中 1 项"), "{}", e.detail);
    assert_eq!((e.records[0].kind, e.records[0].id.as_str()), ("goal", hard.as_str()));
    // The 党小组's task serving it supports it in the branch; the unsupported plain goal does not matter.
    let task = NewTask {
        org_id: w.group.clone(),
        year: 2026,
        title: "党员包案化解信访积案".into(),
        goal_ids: vec![hard.clone()],
        deadline: "2026-12-31".into(),
        ..Default::default()
    };
    tasks::create(&w.db, NOW, &cli(), &plan, task).await.unwrap();
    let e = judge(&w, Rule::DifficultGoalsSupported, 2026, &w.a, NOW).await;
    assert!(e.met, "{}", e.detail);
    assert!(
        judge(&w, Rule::DifficultGoalsSupported, 2027, &w.a, NOW).await.met,
        "another year has none"
    );
}

#[tokio::test]
async fn dues_count_through_the_last_ended_month_of_the_year() {
    let w = world().await;
    let base = NewBase {
        from_month: "2026-01".into(),
        category: "在职".into(),
        base_yuan: "5000".into(),
        ..NewBase::default()
    };
    for p in &w.pa {
        dues::set_base(&w.db, NOW, &cli(), &w.hr, p, &base).await.unwrap();
        dues::record_payments(&w.db, NOW, &cli(), &w.hr, p, &["2026-01".into(), "2026-02".into()], "")
            .await
            .unwrap();
    }
    for p in &w.pa[..2] {
        dues::record_payments(&w.db, NOW, &cli(), &w.hr, p, &["2026-03".into()], "")
            .await
            .unwrap();
    }
    assert!(
        judge(&w, Rule::DuesNoArrears, 2026, &w.a, at(2026, 3, 31)).await.met,
        "February is the last ended month"
    );
    let e = judge(&w, Rule::DuesNoArrears, 2026, &w.a, early(2026, 4, 1)).await;
    assert!(
        !e.met && e.detail.contains("1 名党员2026年3月党费未交纳"),
        "{}",
        e.detail
    );
    assert_eq!(
        (e.records[0].kind, e.records[0].id.as_str()),
        ("person", w.pa[2].as_str())
    );
    // The 党小组's member counts for the branch; the year's own months only.
    let e = judge(&w, Rule::DuesNoArrears, 2026, &w.a, at(2026, 1, 15)).await;
    assert!(e.met && e.detail.contains("尚无已结束的月份"), "{}", e.detail);
    assert!(
        judge(&w, Rule::DuesNoArrears, 2025, &w.a, NOW).await.met,
        "no base before 2026"
    );
    // Branch B's members have no base: nothing is owed there.
    assert!(judge(&w, Rule::DuesNoArrears, 2026, &w.b, NOW).await.met);
}

#[tokio::test]
async fn the_committee_is_required_from_the_seventh_full_member() {
    let w = world().await;
    let e = judge(&w, Rule::CommitteeSeated, 2026, &w.a, NOW).await;
    assert!(!e.met && e.detail == "未配备书记", "{}", e.detail);
    w.secretaries().await;
    let e = judge(&w, Rule::CommitteeSeated, 2026, &w.a, NOW).await;
    assert!(e.met && e.detail.contains("不足 7 人"), "{}", e.detail);
    let mut more = Vec::new();
    for n in ["四", "五", "六"] {
        more.push(person(&w.db, &w.hr, &format!("党员{n}"), &w.a, "full").await);
    }
    assert!(
        judge(&w, Rule::CommitteeSeated, 2026, &w.a, NOW).await.met,
        "six full members"
    );
    // A probationary member does not make the seventh.
    person(&w.db, &w.hr, "预备七", &w.a, "probationary").await;
    assert!(judge(&w, Rule::CommitteeSeated, 2026, &w.a, NOW).await.met);
    more.push(person(&w.db, &w.hr, "党员七", &w.a, "full").await);
    let e = judge(&w, Rule::CommitteeSeated, 2026, &w.a, NOW).await;
    assert!(!e.met && e.detail.contains("现有委员 1 人"), "{}", e.detail);
    org::add_officer(&w.db, NOW, &cli(), &w.orgs, &w.a, &more[0], "organization")
        .await
        .unwrap();
    assert!(
        !judge(&w, Rule::CommitteeSeated, 2026, &w.a, NOW).await.met,
        "two seats"
    );
    org::add_officer(&w.db, NOW, &cli(), &w.orgs, &w.a, &more[1], "publicity")
        .await
        .unwrap();
    let e = judge(&w, Rule::CommitteeSeated, 2026, &w.a, NOW).await;
    assert!(e.met && e.detail.contains("委员会 3 人"), "{}", e.detail);
}

#[tokio::test]
async fn judging_a_whole_subtree_at_once_agrees_with_one_organization_at_a_time() {
    let w = world().await;
    w.secretaries().await;
    let root = org::get(&w.db, &w.s_root, &w.root).await.unwrap();
    let mut targets = Vec::new();
    for id in [&w.a, &w.b, &w.general] {
        targets.push(Target::of(&org::get(&w.db, &w.s_root, id).await.unwrap()));
    }
    let all = evaluate(&w.db, &w.s_root, Rule::ALL, 2026, &root, &targets, NOW, false)
        .await
        .unwrap();
    for t in &targets {
        let o = org::get(&w.db, &w.s_root, &t.id).await.unwrap();
        let one = evaluate(
            &w.db,
            &w.s_root,
            Rule::ALL,
            2026,
            &o,
            std::slice::from_ref(t),
            NOW,
            false,
        )
        .await
        .unwrap();
        for r in Rule::ALL {
            let (x, y) = (&all[&t.id][r], &one[&t.id][r]);
            assert_eq!((x.met, &x.detail), (y.met, &y.detail), "{} {r:?}", o.name);
        }
    }
}
