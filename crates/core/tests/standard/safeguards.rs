//! The safeguards on whichever engine the tests run: contact points with
//! visits whose findings become problems, 督查调度 requests with reports and
//! follow-up, secretary training, basic resources; each refused input
//! names its field and writes nothing.
use tongpin_core::standard::contacts::{self, NewContact, NewVisit};
use tongpin_core::standard::dispatch::{self, NewDispatch};
use tongpin_core::standard::problems::{Fields, Found};
use tongpin_core::standard::resources::{self, NewResources};
use tongpin_core::standard::training::{self, NewTraining};
use tongpin_core::standard::{problems, todos};
use tongpin_core::Error;

use crate::common::cli;
use crate::std_common::{at, audited, count, evidence, person, world, NOW};

fn field(e: Error) -> String {
    match e {
        Error::Invalid { field, .. } => field,
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn a_contact_point_logs_visits_whose_findings_become_problems() {
    let w = world().await;
    let id = w.published().await;
    let leader = person(&w.db, &w.hr, "王书记", &w.root, "full").await;
    let new = |org: &str, leader: &str, superior: &str, since: &str| NewContact {
        org_id: org.into(),
        leader_id: leader.into(),
        superior_org_id: superior.into(),
        since: since.into(),
        note: "指导标准化建设".into(),
    };
    let e = contacts::create_contact(&w.db, NOW, &cli(), &w.s_a, new(&w.a, &leader, "", ""))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e}");
    let bad = |n| {
        let (db, s) = (w.db.clone(), w.s_root.clone());
        async move { field(contacts::create_contact(&db, NOW, &cli(), &s, n).await.unwrap_err()) }
    };
    assert_eq!(bad(new(&w.a, "nobody", &w.root, "")).await, "联系领导");
    assert_eq!(bad(new(&w.a, &leader, &w.b, "")).await, "上级党组织");
    assert_eq!(bad(new(&w.a, &leader, &w.root, "2026-12-01")).await, "联系开始日期");
    // The leader must be on the superior's roster: the 党总支's holds no 王书记.
    assert_eq!(bad(new(&w.a, &leader, "", "")).await, "联系领导");
    assert_eq!(count(&w.db, "standard_contacts").await, 0);
    let c = contacts::create_contact(&w.db, NOW, &cli(), &w.s_root, new(&w.a, &leader, &w.root, "2026-03-01"))
        .await
        .unwrap();
    let e = contacts::create_contact(&w.db, NOW, &cli(), &w.s_root, new(&w.a, &leader, &w.root, ""))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e}");
    assert_eq!(contacts::contacts(&w.db, &w.view_a, &w.a, true).await.unwrap().len(), 1);
    // Visits: within the pairing, not ahead, with what was done.
    let visit = |day: &str, summary: &str| NewVisit {
        visited_on: day.into(),
        summary: summary.into(),
        findings: "支委会记录不全".into(),
    };
    let v = |scope, n| {
        let (db, c) = (w.db.clone(), c.clone());
        async move { contacts::log_visit(&db, NOW, &cli(), scope, &c, n).await }
    };
    assert_eq!(
        field(v(&w.s_root, visit("2026-02-28", "调研")).await.unwrap_err()),
        "走访日期"
    );
    assert_eq!(
        field(v(&w.s_root, visit("2026-11-29", "调研")).await.unwrap_err()),
        "走访日期"
    );
    assert_eq!(
        field(v(&w.s_root, visit("2026-06-01", " ")).await.unwrap_err()),
        "走访情况"
    );
    assert!(matches!(
        v(&w.s_a, visit("2026-06-01", "调研")).await,
        Err(Error::Forbidden(_))
    ));
    let vid = v(&w.s_root, visit("2026-06-01", "调研指导支部标准化建设"))
        .await
        .unwrap();
    assert_eq!(contacts::visits(&w.db, &w.s_a, &c).await.unwrap().len(), 1);
    // A finding becomes a problem of the branch, from the visit.
    let found = |owner: &str| Found {
        item_code: "A2".into(),
        fields: Fields {
            cause: "支委会记录不全".into(),
            measure: "补齐记录".into(),
            owner_id: owner.into(),
            deadline: String::new(),
        },
    };
    let e = contacts::finding_to_problem(&w.db, NOW, &cli(), &w.s_root, &vid, &id, found(&w.pb[0]))
        .await
        .unwrap_err();
    assert_eq!(field(e), "第1个问题责任人");
    assert!(matches!(
        contacts::finding_to_problem(&w.db, NOW, &cli(), &w.s_a, &vid, &id, found(&w.pa[1])).await,
        Err(Error::Forbidden(_))
    ));
    let p = contacts::finding_to_problem(&w.db, NOW, &cli(), &w.s_root, &vid, &id, found(&w.pa[1]))
        .await
        .unwrap();
    let p = problems::get(&w.db, &w.s_a, &p).await.unwrap();
    assert_eq!(
        (p.source.as_str(), p.source_id.as_deref()),
        ("visit", Some(vid.as_str()))
    );
    // Ended: no visit after its end, and not ended twice.
    contacts::end_contact(&w.db, at(2026, 7, 1), &cli(), &w.s_root, &c)
        .await
        .unwrap();
    assert!(matches!(
        contacts::end_contact(&w.db, NOW, &cli(), &w.s_root, &c).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        field(v(&w.s_root, visit("2026-08-01", "回访")).await.unwrap_err()),
        "走访日期"
    );
    assert!(contacts::contacts(&w.db, &w.s_root, &w.root, true)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(audited(&w.db, "standard.visit").await, 1);
    assert_eq!(audited(&w.db, "standard.visit.problem").await, 1);
}

#[tokio::test]
async fn a_dispatch_asks_branches_for_reports_and_follows_them_up() {
    let w = world().await;
    let new = |due: &str, period: &str, kinds: &[&str]| NewDispatch {
        org_id: w.root.clone(),
        title: "标准化建设第四季度进展".into(),
        request: "报送自查和整改进展".into(),
        period: period.into(),
        due_on: due.into(),
        org_kinds: kinds.iter().map(|k| k.to_string()).collect(),
    };
    let bad = |n| {
        let (db, s) = (w.db.clone(), w.s_root.clone());
        async move { field(dispatch::create(&db, NOW, &cli(), &s, n).await.unwrap_err()) }
    };
    assert_eq!(bad(new("2026-11-27", "2026-Q4", &["branch"])).await, "报送时限");
    assert_eq!(bad(new("2026-12-10", "2026-Q5", &["branch"])).await, "调度期间");
    assert_eq!(bad(new("2026-12-10", "2026-Q4", &["group"])).await, "适用组织类型");
    assert_eq!(count(&w.db, "standard_dispatches").await, 0);
    let d = dispatch::create(&w.db, NOW, &cli(), &w.s_root, new("2026-12-10", "2026-Q4", &["branch"]))
        .await
        .unwrap();
    // Asked of the branches: each sees it and has a to-do until it reports.
    assert_eq!(dispatch::list(&w.db, &w.s_b).await.unwrap().len(), 1);
    let titles = |v: Vec<tongpin_core::todo::Todo>| v.into_iter().map(|t| t.title).collect::<Vec<_>>();
    assert!(titles(todos::todos(&w.db, &w.s_b, NOW).await.unwrap())
        .iter()
        .any(|t| t.starts_with("调度报送")));
    let e = dispatch::report(&w.db, NOW, &cli(), &w.s_a, &d, &w.group, "进展", vec![])
        .await
        .unwrap_err();
    assert_eq!(field(e), "组织");
    let e = dispatch::report(&w.db, NOW, &cli(), &w.s_a, &d, &w.a, "", vec![])
        .await
        .unwrap_err();
    assert_eq!(field(e), "报送内容");
    let f = evidence(&w.db, 6).await;
    let r = dispatch::report(&w.db, NOW, &cli(), &w.s_a, &d, &w.a, "自查完成，整改两项", vec![f])
        .await
        .unwrap();
    let again = dispatch::report(&w.db, NOW, &cli(), &w.s_a, &d, &w.a, "自查完成，整改三项", vec![])
        .await
        .unwrap();
    assert_eq!(r, again, "one report per organization");
    assert_eq!(dispatch::files_of(&w.db, &w.s_root, &r).await.unwrap().len(), 1);
    // The status: two asked, one reported; B late after the due day.
    let s = dispatch::status(&w.db, &w.s_root, &d, NOW).await.unwrap();
    assert_eq!((s.asked, s.reported, s.late), (2, 1, 0));
    assert_eq!(
        s.answers.iter().find(|a| a.org_id == w.a).unwrap().content.as_deref(),
        Some("自查完成，整改三项")
    );
    assert_eq!(
        dispatch::status(&w.db, &w.s_root, &d, at(2026, 12, 11))
            .await
            .unwrap()
            .late,
        1
    );
    // Follow-up: by the requesting organization only.
    assert!(matches!(
        dispatch::follow_up(&w.db, NOW, &cli(), &w.s_a, &r, "请加快").await,
        Err(Error::Forbidden(_))
    ));
    assert_eq!(
        field(
            dispatch::follow_up(&w.db, NOW, &cli(), &w.s_root, &r, "")
                .await
                .unwrap_err()
        ),
        "督办意见"
    );
    dispatch::follow_up(&w.db, NOW, &cli(), &w.s_root, &r, "请于年底前完成整改销号")
        .await
        .unwrap();
    assert_eq!(dispatch::status(&w.db, &w.s_root, &d, NOW).await.unwrap().followed, 1);
    assert!(!titles(todos::todos(&w.db, &w.s_a, NOW).await.unwrap())
        .iter()
        .any(|t| t.starts_with("调度报送")));
    assert_eq!(audited(&w.db, "standard.dispatch.report").await, 2);
}

#[tokio::test]
async fn secretary_training_and_basic_resources_are_recorded_and_summed() {
    let w = world().await;
    w.secretaries().await;
    let t = |person: &str, org: &str, start: &str, end: &str, hours: &str| NewTraining {
        person_id: person.into(),
        org_id: org.into(),
        title: "基层党组织书记示范培训班".into(),
        organizer: "机关党委".into(),
        started_on: start.into(),
        ended_on: end.into(),
        hours: hours.into(),
    };
    let bad = |n| {
        let (db, s) = (w.db.clone(), w.s_root.clone());
        async move { field(training::record(&db, NOW, &cli(), &s, n).await.unwrap_err()) }
    };
    assert_eq!(bad(t(&w.pb[0], &w.a, "2026-05-10", "", "24")).await, "参训人员");
    assert_eq!(
        bad(t(&w.pa[0], &w.a, "2026-05-12", "2026-05-10", "24")).await,
        "结束日期"
    );
    assert_eq!(bad(t(&w.pa[0], &w.a, "2026-12-01", "", "24")).await, "开始日期");
    assert_eq!(bad(t(&w.pa[0], &w.a, "2026-05-10", "", "0")).await, "培训学时");
    assert_eq!(count(&w.db, "standard_trainings").await, 0);
    training::record(
        &w.db,
        NOW,
        &cli(),
        &w.s_a,
        t(&w.pa[0], &w.a, "2026-05-10", "2026-05-12", "24"),
    )
    .await
    .unwrap();
    training::record(&w.db, NOW, &cli(), &w.s_a, t(&w.pa[0], &w.a, "2026-09-01", "", "1.5"))
        .await
        .unwrap();
    training::record(&w.db, NOW, &cli(), &w.s_a, t(&w.pa[0], &w.a, "2025-09-01", "", "8"))
        .await
        .unwrap();
    assert_eq!(training::list(&w.db, &w.s_root, &w.root, 2026).await.unwrap().len(), 2);
    let s = training::secretaries(&w.db, &w.s_root, &w.root, 2026).await.unwrap();
    let a = s.iter().find(|x| x.org_id == w.a).unwrap();
    let b = s.iter().find(|x| x.org_id == w.b).unwrap();
    assert_eq!((a.sessions, a.hours), (2, 255));
    assert_eq!((b.sessions, b.hours), (0, 0), "B's secretary has none");

    let r = |staff: i64, budget: &str| NewResources {
        org_id: w.a.clone(),
        year: 2026,
        full_time_staff: 1,
        part_time_staff: staff,
        budget_yuan: budget.into(),
        venue: "党员活动室".into(),
        venue_area: 60,
        note: String::new(),
    };
    let bad = |n| {
        let (db, s) = (w.db.clone(), w.s_a.clone());
        async move { field(resources::set(&db, NOW, &cli(), &s, n).await.unwrap_err()) }
    };
    assert_eq!(bad(r(-1, "12000")).await, "兼职党务人员");
    assert_eq!(bad(r(2, "12,00")).await, "党建工作经费");
    assert_eq!(
        bad(NewResources {
            year: 1999,
            ..r(2, "1")
        })
        .await,
        "年度"
    );
    assert_eq!(count(&w.db, "standard_resources").await, 0);
    resources::set(&w.db, NOW, &cli(), &w.s_a, r(2, "12000")).await.unwrap();
    resources::set(&w.db, NOW, &cli(), &w.s_a, r(3, "15,000.50"))
        .await
        .unwrap();
    let l = resources::list(&w.db, &w.s_root, &w.root, 2026).await.unwrap();
    assert_eq!(
        (l.len(), l[0].part_time_staff, l[0].budget_fen, l[0].budget_yuan()),
        (1, 3, 1_500_050, "15000.50".to_string())
    );
    assert!(resources::list(&w.db, &w.s_b, &w.b, 2026).await.unwrap().is_empty());
    assert_eq!(audited(&w.db, "standard.resources").await, 2);
    assert_eq!(audited(&w.db, "standard.training").await, 3);
}
