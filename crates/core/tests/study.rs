//! Study on whichever engine the tests run: the annual plan filed with and
//! reviewed by the superior, class hours and required courses, who may log
//! whose study, the to-dos, and refused input that writes nothing.
use tongpin_core::auth::{Power, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::Scope;
use tongpin_core::people::{self, NewPerson};
use tongpin_core::study::{courses, plans, records, summary, todos, NewCourse, NewItem, NewPlan, NewRecord};
use tongpin_core::{with_db, Error};

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;
use common::{cli, id_with_check};

/// Noon, Beijing time, on a day.
fn at(y: i32, m: u32, d: u32) -> i64 {
    use chrono::TimeZone;
    chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, 12, 0, 0)
        .unwrap()
        .timestamp_millis()
}

struct World {
    db: Db,
    root: String,
    a: String,
    b: String,
    /// ManageStudy scopes: the committee, branch A, branch B.
    all: Scope,
    sa: Scope,
    sb: Scope,
    /// People: 张三 and 李四 in A, 王五 in B.
    zs: String,
    ls: String,
    ww: String,
}

async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = common::Orgs::new(&db, NOW).await;
    let root = orgs.add("机关党委", "committee", None).await;
    let a = orgs.add("第一党支部", "branch", Some(&root)).await;
    let b = orgs.add("第二党支部", "branch", Some(&root)).await;
    let s = |u: &'static str, r, o: String| {
        let db = db.clone();
        async move { common::scope_of(&db, NOW, u, r, Some(&o), Power::ManageStudy).await }
    };
    let hr = common::scope_of(&db, NOW, "rs", Role::OrgAdmin, Some(&root), Power::ManagePeople).await;
    let mut n = 0;
    let mut person = |name: &str, org: &str| {
        n += 1;
        NewPerson {
            name: name.into(),
            citizen_id: id_with_check(&format!("11010519800101{n:03}")),
            org_id: org.into(),
            status: "正式党员".into(),
            joined_on: "2010-07-01".into(),
            ..NewPerson::default()
        }
    };
    let (pz, pl, pw) = (person("张三", &a), person("李四", &a), person("王五", &b));
    World {
        all: s("dw", Role::OrgAdmin, root.clone()).await,
        sa: s("sa", Role::BranchSecretary, a.clone()).await,
        sb: s("sb", Role::BranchSecretary, b.clone()).await,
        zs: people::create(&db, NOW, &cli(), &hr, &pz).await.unwrap(),
        ls: people::create(&db, NOW, &cli(), &hr, &pl).await.unwrap(),
        ww: people::create(&db, NOW, &cli(), &hr, &pw).await.unwrap(),
        db,
        root,
        a,
        b,
    }
}

fn item(month: i64, topic: &str, hours: &str) -> NewItem {
    NewItem {
        month,
        topic: topic.into(),
        form: "集中学习".into(),
        hours: hours.into(),
        notes: String::new(),
    }
}

fn plan(org: &str, items: Vec<NewItem>) -> NewPlan {
    NewPlan {
        org_id: org.into(),
        year: 2026,
        title: String::new(),
        items,
    }
}

fn record(on: &str, topic: &str, hours: &str, course: Option<&String>) -> NewRecord {
    NewRecord {
        studied_on: on.into(),
        topic: topic.into(),
        hours: hours.into(),
        form: "自学".into(),
        course_id: course.cloned(),
        notes: "学以致用".into(),
    }
}

async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    with_db!(db, |p| sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await.unwrap())
}

async fn status(w: &World, id: &str) -> String {
    plans::get(&w.db, &w.all, id).await.unwrap().status
}

#[tokio::test]
async fn a_plan_is_filed_returned_refiled_and_approved_by_the_superior_only() {
    let w = world().await;
    // An empty plan cannot be filed.
    let id = plans::save(&w.db, NOW, &cli(), &w.sa, plan(&w.a, vec![]))
        .await
        .unwrap();
    let e = plans::file(&w.db, NOW, &cli(), &w.sa, &id).await.unwrap_err();
    assert!(e.to_string().contains("至少填写一项"), "{e}");
    let items = vec![item(1, "学习党章", "2"), item(3, "专题研讨：作风建设", "1.5")];
    assert_eq!(
        plans::save(&w.db, NOW, &cli(), &w.sa, plan(&w.a, items)).await.unwrap(),
        id
    );
    assert_eq!(plans::items_of(&w.db, &id).await.unwrap().len(), 2);
    // Reviewing a draft, or one's own plan, is refused.
    assert!(matches!(
        plans::review(&w.db, NOW, &cli(), &w.all, &id, true, "").await,
        Err(Error::Conflict(_))
    ));
    plans::file(&w.db, NOW, &cli(), &w.sa, &id).await.unwrap();
    assert_eq!(status(&w, &id).await, "filed");
    let own = plans::review(&w.db, NOW, &cli(), &w.sa, &id, true, "").await;
    assert!(matches!(own, Err(Error::Forbidden(_))), "{own:?}");
    let other = plans::review(&w.db, NOW, &cli(), &w.sb, &id, true, "").await;
    assert!(
        matches!(other, Err(Error::NotFound(_))),
        "another branch's plan is out of scope"
    );
    assert!(plans::get(&w.db, &w.sb, &id).await.is_err());
    // A filed plan is not edited; a return needs a comment.
    let edit = plans::save(&w.db, NOW, &cli(), &w.sa, plan(&w.a, vec![item(2, "x", "1")])).await;
    assert!(matches!(edit, Err(Error::Conflict(_))));
    let e = plans::review(&w.db, NOW, &cli(), &w.all, &id, false, "  ")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("退回时须填写意见"), "{e}");
    assert_eq!(status(&w, &id).await, "filed");
    plans::review(&w.db, NOW, &cli(), &w.all, &id, false, "请增加专题学习安排")
        .await
        .unwrap();
    let p = plans::get(&w.db, &w.sa, &id).await.unwrap();
    assert_eq!(
        (p.status.as_str(), p.review_comment.as_str()),
        ("returned", "请增加专题学习安排")
    );
    // Edited and filed again, then approved.
    let items = vec![item(1, "学习党章", "2"), item(6, "专题学习", "3")];
    plans::save(&w.db, NOW, &cli(), &w.sa, plan(&w.a, items)).await.unwrap();
    plans::file(&w.db, NOW, &cli(), &w.sa, &id).await.unwrap();
    plans::review(&w.db, NOW, &cli(), &w.all, &id, true, "").await.unwrap();
    assert_eq!(status(&w, &id).await, "approved");
    assert!(plans::review(&w.db, NOW, &cli(), &w.all, &id, false, "再改")
        .await
        .is_err());
    let actions: Vec<String> = with_db!(&w.db, |p| sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'study.%' ORDER BY seq"
    )
    .fetch_all(p)
    .await
    .unwrap());
    assert_eq!(
        actions,
        [
            "study.plan.save",
            "study.plan.save",
            "study.plan.file",
            "study.plan.return",
            "study.plan.save",
            "study.plan.file",
            "study.plan.approve"
        ]
    );
    // The superior's view sorts the plans below by status; B has none.
    let r = summary::review(&w.db, &w.all, &w.root, 2026).await.unwrap();
    assert_eq!((r.approved.len(), r.filed.len()), (1, 0));
    assert_eq!(r.missing, vec![(w.b.clone(), "第二党支部".to_string())]);
}

#[tokio::test]
async fn bad_input_gets_a_chinese_message_and_writes_nothing() {
    let w = world().await;
    let cases = [
        (plan(&w.a, vec![item(13, "学习党章", "1")]), "1 至 12"),
        (plan(&w.a, vec![item(2, "学习党章", "-1")]), "负数"),
        (plan(&w.a, vec![item(2, "  ", "1")]), "学习内容"),
        (plan(&w.a, vec![item(2, "学习", "1.25")]), "1 位小数"),
        (plan(&w.a, vec![item(2, "学习", "1"); 11]), "每月最多"),
    ];
    for (p, msg) in cases {
        let e = plans::save(&w.db, NOW, &cli(), &w.sa, p).await.unwrap_err();
        assert!(matches!(e, Error::Invalid { .. }) && e.to_string().contains(msg), "{e}");
    }
    let recs = [
        (record("2026-11-29", "学习", "1", None), "晚于今天"),
        (record("2026-11-01", "", "1", None), "学习内容"),
        (record("2026-11-01", "学习", "-2", None), "负数"),
        (record("2026-11-01", "学习", "0", None), "大于 0"),
        (record("2026-13-01", "学习", "1", None), "不是有效日期"),
    ];
    for (r, msg) in recs {
        let e = records::log_own(&w.db, NOW, &cli(), &w.zs, r).await.unwrap_err();
        assert!(e.to_string().contains(msg), "{e}");
    }
    let c = NewCourse {
        org_id: w.root.clone(),
        year: 2026,
        title: "党章党规".into(),
        hours: "-3".into(),
    };
    assert!(courses::create(&w.db, NOW, &cli(), &w.all, c).await.is_err());
    for t in ["study_plans", "study_plan_items", "study_records", "study_courses"] {
        assert_eq!(count(&w.db, t).await, 0, "{t}");
    }
}

#[tokio::test]
async fn a_course_is_completed_at_exactly_its_class_hours() {
    let w = world().await;
    let new = |org: &String, title: &str, hours: &str| NewCourse {
        org_id: org.clone(),
        year: 2026,
        title: title.into(),
        hours: hours.into(),
    };
    let c = courses::create(&w.db, NOW, &cli(), &w.all, new(&w.root, "党章党规", "3"))
        .await
        .unwrap();
    let cb = courses::create(&w.db, NOW, &cli(), &w.sb, new(&w.b, "二支部课程", "1"))
        .await
        .unwrap();
    assert_eq!(courses::for_org(&w.db, &w.sa, &w.a, 2026).await.unwrap().len(), 1);
    records::log_own(
        &w.db,
        NOW,
        &cli(),
        &w.zs,
        record("2026-03-01", "第一章", "1.5", Some(&c)),
    )
    .await
    .unwrap();
    records::log_own(
        &w.db,
        NOW,
        &cli(),
        &w.zs,
        record("2026-04-01", "第二章", "1.4", Some(&c)),
    )
    .await
    .unwrap();
    let y = summary::person(&w.db, None, Some(&w.zs), &w.zs, 2026).await.unwrap();
    assert_eq!((y.hours, y.courses_completed, y.courses[0].recorded), (29, 0, 29));
    records::log_own(&w.db, NOW, &cli(), &w.zs, record("2026-05-01", "补学", "0.1", Some(&c)))
        .await
        .unwrap();
    let y = summary::person(&w.db, None, Some(&w.zs), &w.zs, 2026).await.unwrap();
    assert_eq!(
        (y.hours, y.records, y.courses_completed),
        (30, 3, 1),
        "3.0 of 3 completes it"
    );
    // Another branch's course does not apply; a course counts in its own year.
    let e = records::log_own(&w.db, NOW, &cli(), &w.zs, record("2026-05-01", "x", "1", Some(&cb)))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("不是 张三 所在组织的必修课程"), "{e}");
    let e = records::log_own(&w.db, NOW, &cli(), &w.zs, record("2025-12-01", "x", "1", Some(&c)))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("2026 年度"), "{e}");
    // Last year's hours are not this year's.
    records::log_own(&w.db, NOW, &cli(), &w.zs, record("2025-12-31", "年终", "2", None))
        .await
        .unwrap();
    assert_eq!(
        summary::person(&w.db, None, Some(&w.zs), &w.zs, 2026)
            .await
            .unwrap()
            .hours,
        30
    );
    // Others see it only within their scope.
    assert!(summary::person(&w.db, Some(&w.sb), None, &w.zs, 2026).await.is_err());
    assert!(summary::person(&w.db, None, Some(&w.ls), &w.zs, 2026).await.is_err());
    let b = summary::branch(&w.db, &w.sa, &w.a, 2026).await.unwrap();
    let names: Vec<&str> = b.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["李四", "张三"], "by name (pinyin), not by hours");
    assert_eq!((b.total_hours, b.members[1].courses_completed), (30, 1));
}

#[tokio::test]
async fn the_secretary_logs_a_session_for_the_branch_and_no_further() {
    let w = world().await;
    let session = || NewRecord {
        form: "集中学习".into(),
        ..record("2026-11-20", "集中学习二十届四中全会精神", "2", None)
    };
    let ids = records::log_for(
        &w.db,
        NOW,
        &cli(),
        &w.sa,
        &[w.zs.clone(), w.ls.clone(), w.zs.clone()],
        session(),
    )
    .await
    .unwrap();
    assert_eq!(ids.len(), 2, "each attendee once");
    let e = records::log_for(&w.db, NOW, &cli(), &w.sa, &[w.zs.clone(), w.ww.clone()], session())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("不在您的管理范围内"), "{e}");
    assert!(records::log_for(&w.db, NOW, &cli(), &w.sa, &[], session())
        .await
        .is_err());
    assert_eq!(count(&w.db, "study_records").await, 2, "all or nothing");
    // A member logs only as themselves: the person is the account's, never chosen.
    records::log_own(&w.db, NOW, &cli(), &w.ww, record("2026-11-21", "自学党史", "1", None))
        .await
        .unwrap();
    let (a, total) = records::of_org(&w.db, &w.sa, &w.a, 2026, 0, 20).await.unwrap();
    assert_eq!((a.len(), total), (2, 2));
    assert!(records::of_org(&w.db, &w.sa, &w.b, 2026, 0, 20).await.is_err());
    assert_eq!(records::of_person(&w.db, &w.ww, 2026).await.unwrap().len(), 1);
    let batch: i64 = with_db!(&w.db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'study.record.batch'"
    )
    .fetch_one(p)
    .await
    .unwrap());
    assert_eq!(batch, 1);
}

#[tokio::test]
async fn todos_for_review_return_and_a_plan_missing_after_january() {
    let w = world().await;
    let titles = |v: Vec<tongpin_core::todo::Todo>| v.into_iter().map(|t| (t.title, t.overdue)).collect::<Vec<_>>();
    let jan31 = at(2026, 1, 31);
    let feb1 = at(2026, 2, 1);
    assert_eq!(
        titles(todos::todos(&w.db, &w.sa, jan31).await.unwrap()),
        [("报备学习计划：第一党支部2026年度学习计划".to_string(), false)]
    );
    assert!(
        todos::todos(&w.db, &w.all, jan31).await.unwrap().is_empty(),
        "not late yet"
    );
    assert_eq!(
        titles(todos::todos(&w.db, &w.sa, feb1).await.unwrap()),
        [("报备学习计划：第一党支部2026年度学习计划".to_string(), true)]
    );
    assert!(
        todos::todos(&w.db, &w.all, feb1).await.unwrap().is_empty(),
        "the superior sees late branches on its review list, not in its bell"
    );
    // A draft is not filed; a filed plan goes to the reviewer.
    let id = plans::save(&w.db, feb1, &cli(), &w.sa, plan(&w.a, vec![item(2, "学习党章", "2")]))
        .await
        .unwrap();
    assert_eq!(todos::todos(&w.db, &w.sa, feb1).await.unwrap().len(), 1);
    plans::file(&w.db, feb1, &cli(), &w.sa, &id).await.unwrap();
    assert!(todos::todos(&w.db, &w.sa, feb1).await.unwrap().is_empty());
    let t = todos::todos(&w.db, &w.all, feb1).await.unwrap();
    assert_eq!(t[0].title, "审核学习计划：第一党支部2026年度学习计划");
    assert_eq!(t[0].href, format!("/study/plans/{id}"));
    assert_eq!(t.len(), 1);
    plans::review(&w.db, feb1, &cli(), &w.all, &id, false, "请补充学时")
        .await
        .unwrap();
    let t = todos::todos(&w.db, &w.sa, feb1).await.unwrap();
    assert_eq!(t[0].title, "修改学习计划：第一党支部2026年度学习计划被退回");
    assert!(t[0].detail.contains("请补充学时"));
    assert!(
        todos::todos(&w.db, &w.all, feb1).await.unwrap().is_empty(),
        "the branch's now"
    );
    assert!(todos::todos(&w.db, &w.sb, feb1).await.unwrap()[0]
        .title
        .contains("第二党支部"));
}
