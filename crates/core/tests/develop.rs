//! Member development on whichever engine the tests run: steps recorded in
//! order move the status; steps out of order, too early, by the wrong body,
//! for an under-age applicant or with a non-member introducer are refused
//! with the rule named and nothing written; the pipeline, the to-dos, scope.
use tongpin_core::audit;
use tongpin_core::auth::{Power, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::develop::{self, rule, NewKept, NewStep, PipelineFilter, Stage};
use tongpin_core::org::{self, Scope};
use tongpin_core::people::{self, NewPerson};
use tongpin_core::{seed, with_db, Error};

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;
use common::{cli, id_with_check};

async fn scope_of(db: &Db, username: &str, role: Role, org: Option<&str>, power: Power) -> Scope {
    common::scope_of(db, NOW, username, role, org, power).await
}

struct World {
    db: Db,
    /// The committee's org admin, and branch A1's secretary (ManagePeople).
    all: Scope,
    a1: Scope,
    a1_id: String,
    b1_id: String,
    seq: std::cell::Cell<u32>,
}

async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = common::Orgs::new(&db, NOW).await;
    let root = orgs.add("机关党委", "committee", None).await;
    let a1_id = orgs.add("第一党支部", "branch", Some(&root)).await;
    let b1_id = orgs.add("第二党支部", "branch", Some(&root)).await;
    let all = scope_of(&db, "dw", Role::OrgAdmin, Some(&root), Power::ManagePeople).await;
    let a1 = scope_of(&db, "sj", Role::BranchSecretary, Some(&a1_id), Power::ManagePeople).await;
    World {
        db,
        all,
        a1,
        a1_id,
        b1_id,
        seq: std::cell::Cell::new(0),
    }
}

impl World {
    /// A person born on `birth` (YYYYMMDD) in `org`, as 群众 or 正式党员.
    async fn person(&self, name: &str, birth: &str, org: &str, full: bool) -> String {
        self.seq.set(self.seq.get() + 1);
        let p = NewPerson {
            name: name.into(),
            citizen_id: id_with_check(&format!("110105{birth}{:03}", self.seq.get())),
            org_id: org.into(),
            status: if full { "正式党员" } else { "群众" }.into(),
            joined_on: if full { "2010-07-01".into() } else { String::new() },
            ..NewPerson::default()
        };
        people::create(&self.db, NOW, &cli(), &self.all, &p).await.unwrap()
    }

    async fn record(&self, scope: &Scope, id: &str, s: NewStep) -> Result<develop::Recorded, Error> {
        develop::record_step(&self.db, NOW, &cli(), scope, id, &s).await
    }

    /// Records steps 1..=`through` of `path` with the right bodies.
    async fn walk(&self, id: &str, path: &[(u8, &str)]) {
        for (no, on) in path {
            let r = self.record(&self.all, id, step(*no, on)).await;
            assert!(r.is_ok(), "step {no} on {on}: {r:?}");
        }
    }

    async fn keep(&self, id: &str, kind: &str, on: &str, months: Option<i64>) -> Result<String, Error> {
        let k = NewKept {
            kind: kind.into(),
            done_on: on.into(),
            months,
            ..NewKept::default()
        };
        develop::record_kept(&self.db, NOW, &cli(), &self.all, id, &k).await
    }

    async fn status(&self, id: &str) -> people::Person {
        people::get(&self.db, &self.all, id).await.unwrap()
    }

    async fn count(&self, id: &str) -> (usize, i64) {
        let steps = develop::steps(&self.db, &self.all, id).await.unwrap().len();
        let f = audit::Filter {
            action: Some("develop.step".into()),
            ..Default::default()
        };
        (
            steps,
            audit::count(&self.db, &tongpin_core::auth::cap::command_line(), &f)
                .await
                .unwrap(),
        )
    }
}

/// Step `no` on `on` by the body the rules name, with the facts it needs.
fn step(no: u8, on: &str) -> NewStep {
    let def = develop::step_def(no).unwrap();
    NewStep {
        step: i64::from(no),
        done_on: on.into(),
        body: def.body.code().into(),
        responsible: "张志强".into(),
        introducers: if no == 9 {
            vec!["王芳".into(), "李明".into()]
        } else {
            Vec::new()
        },
        training_days: (no == 11).then_some(3),
        training_hours: (no == 11).then_some(24),
        ..NewStep::default()
    }
}

/// A regular path from an application on 2024-01-10 to the archive.
const PATH: [(u8, &str); 25] = [
    (1, "2024-01-10"),
    (2, "2024-02-01"),
    (3, "2024-03-01"),
    (4, "2024-03-05"),
    (5, "2024-03-05"),
    (6, "2024-09-01"),
    (7, "2025-03-01"),
    (8, "2025-03-05"),
    (9, "2025-03-10"),
    (10, "2025-04-01"),
    (11, "2025-04-10"),
    (12, "2025-04-20"),
    (13, "2025-05-01"),
    (14, "2025-05-10"),
    (15, "2025-05-31"),
    (16, "2025-06-10"),
    (17, "2025-08-31"),
    (18, "2025-09-10"),
    (19, "2025-09-15"),
    (20, "2025-09-20"),
    (21, "2026-03-01"),
    (22, "2026-05-01"),
    (23, "2026-05-31"),
    (24, "2026-06-20"),
    (25, "2026-07-01"),
];

/// Probation from 2026-06-01: its end is months away.
const RECENT: [(u8, &str); 20] = [
    (1, "2025-01-05"),
    (2, "2025-01-20"),
    (3, "2025-02-01"),
    (4, "2025-02-05"),
    (5, "2025-02-05"),
    (6, "2025-08-01"),
    (7, "2026-02-02"),
    (8, "2026-02-10"),
    (9, "2026-02-20"),
    (10, "2026-03-01"),
    (11, "2026-03-10"),
    (12, "2026-04-01"),
    (13, "2026-04-10"),
    (14, "2026-05-01"),
    (15, "2026-06-01"),
    (16, "2026-06-15"),
    (17, "2026-08-20"),
    (18, "2026-09-01"),
    (19, "2026-09-05"),
    (20, "2026-09-10"),
];

fn refused_by(r: Result<develop::Recorded, Error>, field: &str, rule: &str) -> String {
    match r {
        Err(Error::Invalid { field: f, message }) => {
            assert_eq!(f, field, "{message}");
            assert!(message.contains(&format!("「{rule}」")), "{message}");
            message
        }
        other => panic!("expected a refusal under {rule}, got {other:?}"),
    }
}

#[tokio::test]
async fn recording_in_order_moves_the_status() {
    let w = world().await;
    w.person("王芳", "19800101", &w.a1_id, true).await;
    w.person("李明", "19810101", &w.b1_id, true).await;
    let id = w.person("赵小军", "19950315", &w.a1_id, false).await;
    let stage_after: [(usize, &str); 5] = [
        (1, "applicant"),
        (3, "activist"),
        (7, "candidate"),
        (17, "probationary"),
        (24, "full"),
    ];
    let mut at = 0;
    for (no, expect) in stage_after {
        w.walk(&id, &PATH[at..no]).await;
        at = no;
        assert_eq!(w.status(&id).await.status, expect, "after step {no}");
    }
    w.walk(&id, &PATH[24..]).await;
    let p = w.status(&id).await;
    // 入党日期: the general meeting's acceptance; 转正日期: a year later.
    assert_eq!(p.joined_on.as_deref(), Some("2025-05-31"));
    assert_eq!(p.full_on.as_deref(), Some("2026-05-31"));
    let steps = develop::steps(&w.db, &w.all, &id).await.unwrap();
    assert_eq!(steps.len(), 25);
    assert_eq!(steps[8].introducers, "王芳、李明");
    assert_eq!(steps[10].training_days, Some(3));
    assert_eq!(steps[6].document, "发展对象确定记录");
    assert_eq!(w.count(&id).await, (25, 25));
    // Each step is recorded once.
    refused_by(
        w.record(&w.all, &id, step(25, "2026-07-02")).await,
        "步骤",
        rule::NO_REPEAT,
    );
}

#[tokio::test]
async fn steps_breaking_a_rule_are_refused_and_nothing_is_written() {
    let w = world().await;
    w.person("王芳", "19800101", &w.a1_id, true).await;
    let li = w.person("李明", "19810101", &w.a1_id, false).await;
    let id = w.person("赵小军", "19950315", &w.a1_id, false).await;
    w.walk(&id, &PATH[..1]).await;
    let before = w.count(&id).await;
    // Out of order: step 3 before step 2.
    let m = refused_by(w.record(&w.all, &id, step(3, "2024-03-01")).await, "步骤", rule::STEPS);
    assert!(m.contains("第 2 步「谈话」"), "{m}");
    // By the wrong body: the branch committee, not the branch, names activists.
    w.walk(&id, &PATH[1..2]).await;
    let s = NewStep {
        body: "branch".into(),
        ..step(3, "2024-03-01")
    };
    refused_by(w.record(&w.all, &id, s).await, "办理组织", rule::BODY);
    // Too early: a candidate less than a year after becoming an activist.
    w.walk(&id, &PATH[2..6]).await;
    let m = refused_by(
        w.record(&w.all, &id, step(7, "2025-02-28")).await,
        "办理日期",
        rule::ACTIVIST_YEAR,
    );
    assert!(m.contains("2025-03-01 起"), "{m}");
    assert_eq!(w.status(&id).await.status, "activist");
    // Introducers must both be full members on the roster.
    w.walk(&id, &PATH[6..8]).await;
    let with = |names: [&str; 2]| NewStep {
        introducers: names.iter().map(|n| n.to_string()).collect(),
        ..step(9, "2025-03-10")
    };
    let m = refused_by(
        w.record(&w.all, &id, with(["王芳", "李明"])).await,
        "入党介绍人",
        rule::INTRODUCERS,
    );
    assert!(m.contains("李明 在 2025-03-10 时不是正式党员"), "{m}");
    assert!(matches!(
        w.record(&w.all, &id, with(["王芳", "查无此人"])).await,
        Err(Error::Invalid { field, .. }) if field == "入党介绍人"
    ));
    let before_9 = w.count(&id).await;
    assert_eq!(before_9.0, 8);
    assert_eq!(before_9.1 - before.1, 7);
    // Not in the future; not twice.
    refused_by(
        w.record(&w.all, &id, step(9, "2026-11-29")).await,
        "办理日期",
        rule::NOT_FUTURE,
    );
    refused_by(
        w.record(&w.all, &id, step(8, "2025-03-06")).await,
        "步骤",
        rule::NO_REPEAT,
    );
    assert_eq!(w.count(&id).await, before_9);
    assert_eq!(w.status(&li).await.status, "masses");
}

fn refused_at(r: Result<String, Error>, field: &str, rule: &str) -> String {
    match r {
        Err(Error::Invalid { field: f, message }) => {
            assert_eq!(f, field, "{message}");
            assert!(message.contains(&format!("「{rule}」")), "{message}");
            message
        }
        other => panic!("expected a refusal under {rule}, got {other:?}"),
    }
}

fn records(f: audit::Filter) -> audit::Filter {
    audit::Filter {
        action: Some("develop.record".into()),
        ..f
    }
}

#[tokio::test]
async fn introducers_are_full_members_on_the_date_of_step_9() {
    let w = world().await;
    w.person("王芳", "19800101", &w.a1_id, true).await;
    let late = NewPerson {
        name: "张伟".into(),
        citizen_id: common::id_with_check("11010519820304011"),
        org_id: w.a1_id.clone(),
        status: "正式党员".into(),
        joined_on: "2024-03-11".into(),
        full_on: "2025-03-11".into(),
        ..NewPerson::default()
    };
    let zhang = people::create(&w.db, NOW, &cli(), &w.all, &late).await.unwrap();
    let id = w.person("赵小军", "19950315", &w.a1_id, false).await;
    w.walk(&id, &PATH[..8]).await;
    let with = NewStep {
        introducers: vec!["王芳".into(), "张伟".into()],
        ..step(9, "2025-03-10")
    };
    // Full today, but only from the day after the step: refused.
    let m = refused_by(
        w.record(&w.all, &id, with.clone()).await,
        "入党介绍人",
        rule::INTRODUCERS,
    );
    assert!(
        m.contains("张伟 在 2025-03-10 时不是正式党员（2025-03-11 起为正式党员）"),
        "{m}"
    );
    assert_eq!(w.count(&id).await.0, 8);
    // Full from the step's very day: accepted.
    let on_the_day = NewStep {
        done_on: "2025-03-11".into(),
        ..with
    };
    assert!(w.record(&w.all, &id, on_the_day).await.is_ok());
    assert_eq!(w.status(&zhang).await.full_on.as_deref(), Some("2025-03-11"));
}

#[tokio::test]
async fn activists_reviews_and_reports_keep_coming_due() {
    let w = world().await;
    let act = w.person("孙丽", "19960420", &w.a1_id, false).await;
    w.walk(&act, &PATH[..5]).await; // an activist since 2024-03-01
    let due = |todos: &[tongpin_core::todo::Todo], what: &str| {
        todos
            .iter()
            .find(|t| t.title == format!("孙丽：{what}（入党积极分子）"))
            .map(|t| (t.due.clone().unwrap_or_default(), t.overdue))
    };
    let todos = develop::todos(&w.db, &w.all, NOW).await.unwrap();
    assert_eq!(due(&todos, "半年考察"), Some(("2024-09-01".into(), true)));
    assert_eq!(due(&todos, "思想汇报"), Some(("2024-06-01".into(), true)));
    // Six months and a day before today: the next review is overdue;
    // exactly six months before: due today, not overdue. Every review, not
    // only the first, makes the next one come due.
    w.keep(&act, "review", "2025-11-28", None).await.unwrap();
    w.keep(&act, "review", "2026-05-27", None).await.unwrap();
    let todos = develop::todos(&w.db, &w.all, NOW).await.unwrap();
    assert_eq!(due(&todos, "半年考察"), Some(("2026-11-27".into(), true)));
    w.keep(&act, "半年考察", "2026-05-28", None).await.unwrap();
    w.keep(&act, "思想汇报", "2026-08-28", None).await.unwrap();
    let todos = develop::todos(&w.db, &w.all, NOW).await.unwrap();
    assert_eq!(due(&todos, "半年考察"), Some(("2026-11-28".into(), false)));
    assert_eq!(due(&todos, "思想汇报"), Some(("2026-11-28".into(), false)));
    let kept = develop::kept_records(&w.db, &w.all, &act).await.unwrap();
    assert_eq!(kept.len(), 4);
    assert_eq!(kept[0].kind_label(), "半年考察");
    // The pipeline shows the same.
    let p = develop::pipeline(&w.db, &w.all, &PipelineFilter::default(), NOW)
        .await
        .unwrap();
    assert_eq!(p.people[0].person_id, act);
    // Refused: before becoming an activist, in the future, for a non-activist,
    // an extension's months on a report; nothing written.
    let before = audit::count(
        &w.db,
        &tongpin_core::auth::cap::command_line(),
        &records(Default::default()),
    )
    .await
    .unwrap();
    refused_at(
        w.keep(&act, "report", "2024-02-29", None).await,
        "日期",
        rule::DATE_ORDER,
    );
    refused_at(
        w.keep(&act, "report", "2026-11-29", None).await,
        "日期",
        rule::NOT_FUTURE,
    );
    let masses = w.person("钱小雨", "19960301", &w.a1_id, false).await;
    refused_at(
        w.keep(&masses, "review", "2026-11-01", None).await,
        "类别",
        rule::ACTIVIST_ONLY,
    );
    assert!(matches!(
        w.keep(&act, "report", "2026-11-01", Some(6)).await,
        Err(Error::Invalid { field, .. }) if field == "延长预备期"
    ));
    assert!(matches!(
        w.keep(&act, "汇报", "2026-11-01", None).await,
        Err(Error::Invalid { field, .. }) if field == "类别"
    ));
    assert_eq!(
        audit::count(
            &w.db,
            &tongpin_core::auth::cap::command_line(),
            &records(Default::default())
        )
        .await
        .unwrap(),
        before
    );
    assert_eq!(before, 4);
    // Out of the secretary's branch: not found.
    let theirs = w.person("周涛", "19970520", &w.b1_id, false).await;
    assert!(matches!(
        develop::record_kept(&w.db, NOW, &cli(), &w.a1, &theirs, &NewKept::default()).await,
        Err(Error::Invalid { .. } | Error::NotFound(_))
    ));
}

#[tokio::test]
async fn probation_is_extended_at_its_end_by_6_to_12_months() {
    let w = world().await;
    w.person("王芳", "19800101", &w.a1_id, true).await;
    w.person("李明", "19810101", &w.a1_id, true).await;
    let id = w.person("赵小军", "19950315", &w.a1_id, false).await;
    // Accepted on 2025-05-31: probation ends 2026-05-31.
    w.walk(&id, &PATH[..22]).await;
    refused_at(
        w.keep(&id, "extension", "2026-05-30", Some(6)).await,
        "日期",
        rule::EXTENSION_AT_END,
    );
    refused_at(
        w.keep(&id, "extension", "2026-05-31", Some(5)).await,
        "延长预备期",
        rule::EXTENSION,
    );
    refused_at(
        w.keep(&id, "extension", "2026-05-31", Some(13)).await,
        "延长预备期",
        rule::EXTENSION,
    );
    assert!(matches!(
        w.keep(&id, "extension", "2026-05-31", None).await,
        Err(Error::Invalid { field, .. }) if field == "延长预备期"
    ));
    w.keep(&id, "延长预备期", "2026-05-31", Some(6)).await.unwrap();
    // Once only.
    refused_at(
        w.keep(&id, "extension", "2026-06-01", Some(6)).await,
        "日期",
        rule::EXTENSION_AT_END,
    );
    // The end of probation moved to 2026-11-30: step 23 waits for it, and
    // comes due then.
    refused_by(
        w.record(&w.all, &id, step(23, "2026-11-28")).await,
        "办理日期",
        rule::PROBATION,
    );
    let s = NewStep {
        extension_months: Some(6),
        ..step(23, "2026-11-28")
    };
    assert!(matches!(
        w.record(&w.all, &id, s).await,
        Err(Error::Invalid { field, .. }) if field == "延长预备期"
    ));
    let todos = develop::todos(&w.db, &w.all, NOW).await.unwrap();
    let t = todos.iter().find(|t| t.href.ends_with(&id)).unwrap();
    assert_eq!((t.due.as_deref(), t.overdue), (Some("2026-11-30"), false), "{t:?}");
    assert!(t.title.contains("第 23 步"), "{}", t.title);
    assert_eq!(
        audit::count(
            &w.db,
            &tongpin_core::auth::cap::command_line(),
            &records(Default::default())
        )
        .await
        .unwrap(),
        1
    );
}

#[tokio::test]
async fn applicants_are_adults_and_full_members_do_not_apply() {
    let w = world().await;
    let young = w.person("钱小雨", "20100301", &w.a1_id, false).await;
    let m = refused_by(
        w.record(&w.all, &young, step(1, "2026-11-01")).await,
        "办理日期",
        rule::AGE,
    );
    assert!(m.contains("2028-03-01 起方可申请"), "{m}");
    assert_eq!(w.count(&young).await, (0, 0));
    assert_eq!(w.status(&young).await.status, "masses");
    let full = w.person("王芳", "19800101", &w.a1_id, true).await;
    assert!(matches!(
        w.record(&w.all, &full, step(1, "2026-11-01")).await,
        Err(Error::Invalid { field, message }) if field == "步骤" && message.contains("已是正式党员")
    ));
    // Step-specific facts are checked as fields, too.
    let s = NewStep {
        training_days: Some(2),
        training_hours: Some(20),
        ..step(11, "2025-04-10")
    };
    assert!(matches!(develop::validate(&s), Ok(v) if v.training_days == Some(2)));
}

#[tokio::test]
async fn a_branch_secretary_records_for_their_branch_only() {
    let w = world().await;
    let mine = w.person("赵小军", "19950315", &w.a1_id, false).await;
    let theirs = w.person("孙丽", "19960420", &w.b1_id, false).await;
    assert!(w.record(&w.a1, &mine, step(1, "2026-11-20")).await.is_ok());
    assert!(matches!(
        w.record(&w.a1, &theirs, step(1, "2026-11-20")).await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(w.count(&theirs).await, (0, 1));
    assert!(matches!(
        develop::steps(&w.db, &w.a1, &theirs).await,
        Err(Error::NotFound(_))
    ));
    let p = develop::pipeline(&w.db, &w.a1, &PipelineFilter::default(), NOW)
        .await
        .unwrap();
    assert_eq!(p.people.len(), 1);
    assert_eq!(p.people[0].person_id, mine);
}

#[tokio::test]
async fn the_pipeline_counts_by_stage_and_the_todos_show_what_is_due() {
    let w = world().await;
    w.person("王芳", "19800101", &w.a1_id, true).await;
    w.person("李明", "19810101", &w.a1_id, true).await;
    // A1: an applicant overdue for the talk, one coming due, an activist,
    // a candidate; B1: a probationary member and one made full here.
    let late = w.person("赵小军", "19950315", &w.a1_id, false).await;
    w.walk(&late, &[(1, "2026-10-01")]).await;
    let soon = w.person("钱小雨", "19960301", &w.a1_id, false).await;
    w.walk(&soon, &[(1, "2026-11-20")]).await;
    let act = w.person("孙丽", "19960420", &w.a1_id, false).await;
    w.walk(&act, &PATH[..5]).await;
    w.keep(&act, "review", "2026-11-01", None).await.unwrap();
    w.keep(&act, "report", "2026-11-01", None).await.unwrap();
    let cand = w.person("周涛", "19970520", &w.a1_id, false).await;
    w.walk(&cand, &PATH[..10]).await;
    let prob = w.person("吴敏", "19980620", &w.b1_id, false).await;
    w.walk(&prob, &RECENT).await;
    let full = w.person("郑伟", "19930720", &w.b1_id, false).await;
    w.walk(&full, &PATH).await;
    let p = develop::pipeline(&w.db, &w.all, &PipelineFilter::default(), NOW)
        .await
        .unwrap();
    let counts: Vec<i64> = p.counts.iter().map(|c| c.count).collect();
    assert_eq!(counts, [2, 1, 1, 1, 1]);
    assert_eq!(p.people.len(), 5);
    // Overdue first.
    assert_eq!(p.people[0].person_id, late);
    let due = p.people[0].due.as_ref().unwrap();
    assert!(due.overdue && due.step == 2 && due.on == "2026-11-01", "{due:?}");
    let c = p.people.iter().find(|x| x.person_id == cand).unwrap();
    assert_eq!(
        (c.stage, c.last_step, c.next_step),
        (Stage::Candidate, Some(10), Some(11))
    );
    assert_eq!(c.last_on.as_deref(), Some("2025-04-01"));
    // One organization's subtree; one stage.
    let f = PipelineFilter {
        org_id: Some(w.b1_id.clone()),
        ..PipelineFilter::default()
    };
    let b = develop::pipeline(&w.db, &w.all, &f, NOW).await.unwrap();
    let counts: Vec<i64> = b.counts.iter().map(|c| c.count).collect();
    assert_eq!(counts, [0, 0, 0, 1, 1]);
    let f = PipelineFilter {
        stage: Some(Stage::Full),
        ..PipelineFilter::default()
    };
    let done = develop::pipeline(&w.db, &w.all, &f, NOW).await.unwrap();
    assert_eq!(done.people.len(), 1);
    assert_eq!(done.people[0].person_id, full);
    // Out-of-scope organizations are refused as a field.
    let f = PipelineFilter {
        org_id: Some(w.b1_id.clone()),
        ..PipelineFilter::default()
    };
    assert!(matches!(
        develop::pipeline(&w.db, &w.a1, &f, NOW).await,
        Err(Error::Invalid { field, .. }) if field == "组织"
    ));
    // To-dos: the overdue talk first, then the talk coming due.
    let todos = develop::todos(&w.db, &w.all, NOW).await.unwrap();
    assert!(todos.len() >= 2, "{todos:?}");
    assert_eq!(todos[0].kind, "develop");
    assert!(todos[0].overdue);
    assert_eq!(todos[0].title, "赵小军：谈话（第 2 步）");
    assert_eq!(todos[0].href, format!("/develop/{late}"));
    assert!(todos[0].detail.contains(rule::TALK), "{}", todos[0].detail);
    let coming = todos.iter().find(|t| t.href.ends_with(&soon)).unwrap();
    assert_eq!((coming.overdue, coming.due.as_deref()), (false, Some("2026-12-20")));
    // The probationary member's discussion is months away: not listed.
    assert!(!todos.iter().any(|t| t.href.ends_with(&prob)));
    // The secretary of A1 sees A1's only.
    let mine = develop::todos(&w.db, &w.a1, NOW).await.unwrap();
    assert!(mine.iter().all(|t| !t.href.ends_with(&prob)));
}

#[tokio::test]
async fn the_demo_histories_match_the_roster() {
    let db = fresh_db().await.unwrap();
    seed::seed_demo(&db, NOW).await.unwrap();
    let sys = scope_of(&db, "check-sys", Role::SystemAdmin, None, Power::ManageOrgs).await;
    let root = org::list(&db, &sys).await.unwrap().remove(0);
    let all = scope_of(&db, "check", Role::OrgAdmin, Some(&root.id), Power::ManagePeople).await;
    let p = develop::pipeline(&db, &all, &PipelineFilter::default(), NOW)
        .await
        .unwrap();
    assert!(p.people.len() >= 50, "{}", p.people.len());
    for x in &p.people {
        let steps = develop::steps(&db, &all, &x.person_id).await.unwrap();
        let done: Vec<_> = steps
            .iter()
            .filter_map(|s| Some((u8::try_from(s.step).ok()?, s.date()?)))
            .collect();
        assert_eq!(develop::current_stage(&done), Some(x.stage), "{}", x.name);
    }
    let todos = develop::todos(&db, &all, NOW).await.unwrap();
    let overdue = todos.iter().filter(|t| t.overdue).count();
    assert_eq!(overdue, 2, "{todos:#?}");
    assert!(todos.len() > 5, "{todos:#?}");
}

/// Every person's kept next deadline as stored, by id.
async fn kept_deadlines(db: &Db) -> Vec<(String, Option<String>)> {
    with_db!(db, |p| sqlx::query_as(
        "SELECT person_id, next_on FROM development_due ORDER BY person_id"
    )
    .fetch_all(p)
    .await
    .unwrap())
}

#[tokio::test]
async fn the_kept_deadlines_match_a_recount_and_narrow_no_to_do_away() {
    let db = fresh_db().await.unwrap();
    seed::seed_demo(&db, NOW).await.unwrap();
    let sys = scope_of(&db, "check-sys", Role::SystemAdmin, None, Power::ManageOrgs).await;
    let root = org::list(&db, &sys).await.unwrap().remove(0);
    let all = scope_of(&db, "check", Role::OrgAdmin, Some(&root.id), Power::ManagePeople).await;
    // Written through the product: every history worked out, none left marked.
    let kept = kept_deadlines(&db).await;
    assert!(kept.len() > 10, "{}", kept.len());
    assert!(kept.iter().all(|(_, on)| on.as_deref() != Some("")), "{kept:?}");
    assert!(kept.iter().any(|(_, on)| on.is_none()) && kept.iter().any(|(_, on)| on.is_some()));
    let narrowed = develop::todos(&db, &all, NOW).await.unwrap();
    assert!(!narrowed.is_empty());
    // Everyone marked (as after a bulk load): the rules read every history
    // and find the same to-dos; settling then writes back the same dates.
    with_db!(&db, |p| sqlx::query("UPDATE development_due SET next_on = ''")
        .execute(p)
        .await
        .unwrap()
        .rows_affected());
    assert_eq!(develop::todos(&db, &all, NOW).await.unwrap(), narrowed);
    assert_eq!(develop::settle_due(&db).await.unwrap(), kept.len());
    assert_eq!(kept_deadlines(&db).await, kept);
    assert_eq!(develop::recount_due(&db).await.unwrap(), kept.len());
    assert_eq!(kept_deadlines(&db).await, kept);
}

#[tokio::test]
async fn pipeline_pages_match_the_whole_pipeline_in_order() {
    let db = fresh_db().await.unwrap();
    seed::seed_demo(&db, NOW).await.unwrap();
    let sys = scope_of(&db, "check-sys", Role::SystemAdmin, None, Power::ManageOrgs).await;
    let root = org::list(&db, &sys).await.unwrap().remove(0);
    let all = scope_of(&db, "check", Role::OrgAdmin, Some(&root.id), Power::ManagePeople).await;
    let branch = org::list(&db, &all)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.kind == "branch")
        .unwrap();
    let mut filters = vec![PipelineFilter::default()];
    for stage in [Stage::Applicant, Stage::Activist, Stage::Probationary, Stage::Full] {
        filters.push(PipelineFilter {
            stage: Some(stage),
            ..PipelineFilter::default()
        });
    }
    filters.push(PipelineFilter {
        org_id: Some(branch.id.clone()),
        ..PipelineFilter::default()
    });
    for f in filters {
        let whole = develop::pipeline(&db, &all, &f, NOW).await.unwrap();
        let mut paged = Vec::new();
        let mut offset = 0;
        let sum = develop::pipeline_summary(&db, &all, &f, NOW).await.unwrap();
        assert_eq!(sum.total, whole.people.len() as i64, "{f:?}");
        let overdue = whole
            .people
            .iter()
            .filter(|x| x.due.as_ref().is_some_and(|d| d.overdue))
            .count();
        assert_eq!(sum.overdue, overdue as i64, "{f:?}");
        let counts = |c: &[develop::StageCount]| c.iter().map(|x| x.count).collect::<Vec<_>>();
        assert_eq!(counts(&sum.counts), counts(&whole.counts));
        loop {
            let page = develop::pipeline_people(&db, &all, &f, NOW, offset, 7).await.unwrap();
            if page.is_empty() {
                break;
            }
            paged.extend(page);
            offset += 7;
        }
        let ids = |v: &[develop::InDevelopment]| v.iter().map(|x| x.person_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&paged), ids(&whole.people), "{f:?}");
        assert_eq!(paged.len(), whole.people.len());
    }
}
