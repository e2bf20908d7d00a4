//! Computed indicators read the records, on whichever engine the tests
//! run: organizational life as the compliance view judges it, KPIs at their
//! latest figure in the period, Party tasks done by their deadline, required
//! courses' class hours, problems closed (销号) by the end of their deadline's
//! day, dues paid within the month — for organizations and for members
//! (一考双评) — and the records behind each line.
use tongpin_core::assess::evidence::evidence;
use tongpin_core::assess::results::{self, Query, ResultItem};
use tongpin_core::assess::{setup, Basis, NewAssessment};
use tongpin_core::db::Db;
use tongpin_core::sql::Param;
use tongpin_core::{bind_all, with_db};

use crate::assess_common::{at, computed, create, now, world, World};
use crate::common::cli;

async fn exec(db: &Db, sql: &str, params: Vec<Param>) {
    with_db!(db, |p| bind_all!(sqlx::query(sql), &params)
        .execute(p)
        .await
        .unwrap()
        .rows_affected());
}

fn s(v: &str) -> Param {
    Param::S(v.into())
}

fn i(v: i64) -> Param {
    Param::I(v)
}

async fn meeting(db: &Db, id: &str, org: &str, kind: &str, day: (i32, u32, u32), counts: bool) {
    exec(
        db,
        "INSERT INTO meetings (id, org_id, kind, status, topic, starts_at, month, place, host, recorder, agenda, minutes, \
         dual_life, created_by, created_at, updated_at, counts) VALUES ($1, $2, $3, 'held', $4, $5, $6, '会议室', '书记', \
         '委员', '', '', FALSE, 't', 0, 0, $7 = 1)",
        vec![
            s(id),
            s(org),
            s(kind),
            s(&format!("{kind}{}", day.1)),
            i(at(day.0, day.1, day.2)),
            s(&format!("{}-{:02}", day.0, day.1)),
            i(i64::from(counts)),
        ],
    )
    .await;
}

async fn attend(db: &Db, meeting: &str, person: &str, present: bool, reason: &str) {
    exec(
        db,
        "INSERT INTO meeting_attendance (meeting_id, person_id, present, reason, reason_kind) VALUES ($1, $2, $3 = 1, '', $4)",
        vec![s(meeting), s(person), i(i64::from(present)), s(reason)],
    )
    .await;
}

/// A figure of 4 decimals from whole units.
fn f(units: i64) -> i64 {
    units * 10_000
}

async fn records(w: &World) {
    let db = &w.db;
    // Meetings of A: one counted, one without its quorum.
    meeting(db, "m1", &w.a, "general_meeting", (2026, 3, 15), true).await;
    meeting(db, "m2", &w.a, "theme_day", (2026, 1, 20), true).await;
    meeting(db, "m3", &w.a, "general_meeting", (2026, 6, 15), false).await;
    attend(db, "m1", &w.pa[0], true, "").await;
    attend(db, "m1", &w.pa[1], false, "leave").await;
    attend(db, "m1", &w.pa[2], false, "other").await;
    attend(db, "m2", &w.pa[0], true, "").await;
    attend(db, "m2", &w.pa[1], true, "").await;
    attend(db, "m2", &w.pa[2], false, "other").await;
    // A's goal with three KPIs; 张二 owns it.
    exec(
        db,
        "INSERT INTO goals (id, org_id, year, title, description, difficult, seq, created_by, created_at, updated_at) \
         VALUES ('g1', $1, 2026, '提升服务效能', '', FALSE, 1, 't', 0, 0)",
        vec![s(&w.a)],
    )
    .await;
    exec(
        db,
        "INSERT INTO plan_people (item_id, person_id) VALUES ('g1', $1)",
        vec![s(&w.pa[1])],
    )
    .await;
    for (id, seq, dir, base, target, kind) in [
        ("k1", 1, "higher", f(100), f(120), "month"),
        ("k2", 2, "lower", f(50), f(30), "quarter"),
        ("k3", 3, "higher", 0, f(10), "year"),
    ] {
        exec(
            db,
            "INSERT INTO kpis (id, goal_id, seq, name, unit, baseline, target, direction, period_kind, created_at) \
             VALUES ($1, 'g1', $2, $3, '件', $4, $5, $6, $7, 0)",
            vec![
                s(id),
                i(seq),
                s(&format!("指标{seq}")),
                i(base),
                i(target),
                s(dir),
                s(kind),
            ],
        )
        .await;
    }
    for (kpi, period, v) in [
        ("k1", "2026-03", f(105)),
        ("k1", "2026-11", f(110)),
        ("k1", "2027-01", f(130)),
        ("k2", "2026-Q4", f(25)),
    ] {
        exec(
            db,
            "INSERT INTO kpi_values (kpi_id, period, value, source, entered_by, entered_at) VALUES ($1, $2, $3, 'manual', 't', 0)",
            vec![s(kpi), s(period), i(v)],
        )
        .await;
    }
    // Tasks: on time, late, overdue, and one due next year; 张一 answers for the first two.
    for (id, deadline, done) in [
        ("t1", "2026-06-30", Some("2026-06-30")),
        ("t2", "2026-09-30", Some("2026-10-05")),
        ("t3", "2026-12-31", None),
        ("t4", "2027-03-31", None),
    ] {
        exec(
            db,
            "INSERT INTO tasks (id, org_id, year, title, description, standing, deadline, accepted_at, progress, done_on, \
             seq, created_by, created_at, updated_at) VALUES ($1, $2, 2026, $3, '', TRUE, $4, 0, 0, $5, 1, 't', 0, 0)",
            vec![s(id), s(&w.a), s(&format!("任务{id}")), s(deadline), done.map(s).unwrap_or(Param::S(String::new()))],
        )
        .await;
    }
    exec(db, "UPDATE tasks SET done_on = NULL WHERE done_on = ''", vec![]).await;
    exec(
        db,
        "INSERT INTO plan_people (item_id, person_id) VALUES ('t1', $1), ('t2', $1)",
        vec![s(&w.pa[0])],
    )
    .await;
    // Required courses: the 党委's for everyone (10 hours), B's own (5 hours).
    for (id, org, hours) in [("c1", &w.root, 100), ("c2", &w.b, 50)] {
        exec(
            db,
            "INSERT INTO study_courses (id, org_id, year, title, hours, created_by, created_at) VALUES ($1, $2, 2026, $1, $3, 't', 0)",
            vec![s(id), s(org), i(hours)],
        )
        .await;
    }
    for (id, person, hours) in [("r1", &w.pa[0], 120), ("r2", &w.pa[1], 30), ("r3", &w.pa[1], 20)] {
        exec(
            db,
            "INSERT INTO study_records (id, person_id, org_id, studied_on, topic, hours, form, course_id, notes, created_by, \
             created_at) VALUES ($1, $2, $3, '2026-05-01', '学习', $4, '自学', 'c1', '', 't', 0)",
            vec![s(id), s(person), s(&w.a), i(hours)],
        )
        .await;
    }
    // Problems of A owned by 张一: closed on the deadline's last hour, closed the day after, open past it, due next year.
    exec(
        db,
        "INSERT INTO standards (id, org_id, year, title, org_kinds, version, status, grade_ii_bp, grade_iii_bp, created_by, \
         created_at, updated_at) VALUES ('st', $1, 2026, '标准', 'branch', 1, 'published', 7500, 9000, 't', 0, 0)",
        vec![s(&w.root)],
    )
    .await;
    exec(
        db,
        "INSERT INTO standard_items (standard_id, code, seq, dimension, title, criteria, evidence_required, points, tier) \
         VALUES ('st', 'S1', 1, '组织建设', '三会一课', '', FALSE, 10, 'baseline')",
        vec![],
    )
    .await;
    let hour = |d: (i32, u32, u32), h: i64| at(d.0, d.1, d.2) + (h - 12) * 3_600_000;
    for (id, deadline, status, verified) in [
        ("p1", "2026-05-31", "closed", Some(hour((2026, 5, 31), 23) + 1_800_000)),
        ("p2", "2026-06-30", "closed", Some(hour((2026, 7, 1), 0) + 1_800_000)),
        ("p3", "2026-12-01", "open", None),
        ("p4", "2027-02-01", "open", None),
    ] {
        exec(
            db,
            "INSERT INTO standard_problems (id, standard_id, org_id, item_code, round, source, cause, measure, owner_id, \
             deadline, status, report_note, verify_comment, verified_at, reopened, created_by, created_at, updated_at) \
             VALUES ($1, 'st', $2, 'S1', 1, 'self_check', '记录不全', '补齐', $3, $4, $5, '', '', $6, 0, 't', 0, 0)",
            vec![s(id), s(&w.a), s(&w.pa[0]), s(deadline), s(status), i(verified.unwrap_or(-1))],
        )
        .await;
    }
    exec(
        db,
        "UPDATE standard_problems SET verified_at = NULL WHERE verified_at = -1",
        vec![],
    )
    .await;
    // Dues: 张一 pays every month in the month; 张二 January to June, July late, then nothing; 张三 has no base.
    for p in [&w.pa[0], &w.pa[1]] {
        exec(
            db,
            "INSERT INTO dues_bases (id, person_id, from_month, category, base_fen, created_at, updated_at) \
             VALUES ($1, $1, '2026-01', 'working', 500000, 0, 0)",
            vec![s(p)],
        )
        .await;
    }
    for m in 1..=12 {
        let month = format!("2026-{m:02}");
        let mut pays = vec![(w.pa[0].clone(), format!("{month}-10"))];
        if m <= 6 {
            pays.push((w.pa[1].clone(), format!("{month}-28")));
        }
        if m == 7 {
            pays.push((w.pa[1].clone(), "2026-08-05".into()));
        }
        for (p, on) in pays {
            exec(
                db,
                "INSERT INTO dues_payments (id, person_id, month, amount_fen, paid_on, recorded_by, created_at) \
                 VALUES ($1, $2, $3, 5000, $4, 't', 0)",
                vec![s(&format!("{p}{month}")), s(&p), s(&month), s(&on)],
            )
            .await;
        }
    }
}

fn sheet() -> Vec<tongpin_core::assess::NewIndicator> {
    vec![
        computed("L1", "life_compliance", "20"),
        computed("K1", "kpi_attainment", "20"),
        computed("T1", "task_completion", "20"),
        computed("S1", "study_completion", "20"),
        computed("P1", "rectification_closure", "10"),
        computed("D1", "dues_on_time", "10"),
    ]
}

fn figures(item: &ResultItem, code: &str) -> (Option<i64>, i64, i64) {
    let l = item.lines.iter().find(|l| l.code == code).unwrap();
    match &l.basis {
        Basis::Computed { done, due, .. } => (l.points, *done, *due),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn organizations_are_scored_from_their_records() {
    let w = world().await;
    records(&w).await;
    let id = create(&w, sheet()).await;
    let r = results::results(&w.db, &w.s_root, &id, now(), &Query::default())
        .await
        .unwrap();
    let a = r.items.iter().find(|i| i.target.id == w.a).unwrap();
    // Organizational life exactly as the compliance view judges it.
    let (_, items) = tongpin_core::life::compliance::compliance(&w.db, &w.s_root, &w.a, "2026", now())
        .await
        .unwrap();
    let due: i64 = items.iter().map(|i| i.due).sum();
    let done: i64 = items.iter().map(|i| i.held.min(i.due)).sum();
    assert!(
        due > 0 && done == 2,
        "two meetings count, the one without quorum does not ({done}/{due})"
    );
    let (pts, d, n) = figures(a, "L1");
    assert_eq!((d, n), (done, due));
    assert_eq!(pts, Some((2_000 * done * 2 + due) / (2 * due)));
    // KPIs: 50 %, beyond target 100 %, no figure 0 → mean 50 % of 20.
    assert_eq!(figures(a, "K1"), (Some(1_000), 15_000, 30_000));
    assert!(
        a.lines[1].note.contains("3 项业务指标平均完成度 50%"),
        "{}",
        a.lines[1].note
    );
    assert_eq!(figures(a, "T1"), (Some(667), 1, 3), "on time of due");
    assert_eq!(figures(a, "S1"), (Some(1_000), 150, 300), "hours held to the course's");
    assert_eq!(
        figures(a, "P1"),
        (Some(333), 1, 3),
        "closed by the end of the deadline's day"
    );
    assert_eq!(figures(a, "D1"), (Some(750), 18, 24), "paid within the month");
    // B has no KPIs, problems or dues bases. Nothing owed on problems or
    // dues keeps their full points (不扣分); no KPI leaves that line missing
    // and the score incomplete.
    let b = r.items.iter().find(|i| i.target.id == w.b).unwrap();
    assert_eq!(figures(b, "K1").0, None);
    assert_eq!(figures(b, "P1"), (Some(1_000), 0, 0), "no problem fell due");
    assert_eq!(figures(b, "D1"), (Some(1_000), 0, 0), "no dues owed");
    let p1 = b.lines.iter().find(|l| l.code == "P1").unwrap();
    assert!(p1.note.contains("不扣分"), "{}", p1.note);
    assert_eq!(figures(b, "S1"), (Some(0), 0, 450), "the 党委's course and B's own");
    assert_eq!(figures(b, "L1").0, Some(0));
    assert_eq!((b.score, b.complete), (None, false));
    assert!(b.lines[1].note.contains("本期无可计算的记录"));

    // The records behind the lines.
    let ev = |code: &'static str| evidence(&w.db, &w.s_root, &id, &w.a, code, now());
    let meetings = ev("L1").await.unwrap();
    assert_eq!(meetings.len(), 3);
    assert_eq!(meetings.iter().filter(|m| m.counted).count(), 2);
    let kpis = ev("K1").await.unwrap();
    let figs: Vec<&str> = kpis.iter().map(|k| k.figure.as_str()).collect();
    assert!(
        figs[0].contains("110件") && figs[0].contains("完成度 50.0%"),
        "{figs:?}"
    );
    assert!(figs[1].contains("完成度 100.0%"), "{figs:?}");
    assert!(figs[2].contains("本期未填报，按 0 计"), "{figs:?}");
    let tasks = ev("T1").await.unwrap();
    assert_eq!(
        tasks.iter().map(|t| t.counted).collect::<Vec<_>>(),
        [true, false, false]
    );
    let problems = ev("P1").await.unwrap();
    assert!(problems[0].figure.contains("2026-05-31 按期销号"), "{:?}", problems[0]);
    assert!(problems[1].figure.contains("2026-07-01 逾期销号"), "{:?}", problems[1]);
    assert_eq!(problems.len(), 3);
    let study = ev("S1").await.unwrap();
    assert_eq!(study.len(), 1);
    assert!(
        study[0].figure.contains("3 人 × 10 学时，已完成 15 学时"),
        "{:?}",
        study[0]
    );
    let dues = ev("D1").await.unwrap();
    assert_eq!(dues.len(), 12);
    assert!(dues[6].figure.contains("逾期补交 1 人"), "{:?}", dues[6]);
    // A branch sees no lines of an open assessment; nor another branch's records.
    assert!(evidence(&w.db, &w.s_a, &id, &w.a, "L1", now()).await.is_err());
}

#[tokio::test]
async fn members_are_scored_from_their_own_records() {
    let w = world().await;
    records(&w).await;
    let new = NewAssessment {
        org_id: w.a.clone(),
        title: "2026年度党员考评".into(),
        period: "2026".into(),
        subject: "members".into(),
        target_ids: w.pa.clone(),
        indicators: sheet(),
        ..NewAssessment::default()
    };
    let id = setup::create(&w.db, now(), &cli(), &w.s_a, new).await.unwrap();
    let r = results::results(&w.db, &w.s_a, &id, now(), &Query::default())
        .await
        .unwrap();
    let get = |p: &str| r.items.iter().find(|i| i.target.id == p).unwrap();
    let (z1, z2, z3) = (get(&w.pa[0]), get(&w.pa[1]), get(&w.pa[2]));
    assert_eq!(z1.target.name, "张一");
    // Attendance: an absence with leave does not count against.
    assert_eq!(figures(z1, "L1"), (Some(2_000), 2, 2));
    assert_eq!(figures(z2, "L1"), (Some(2_000), 1, 1));
    assert_eq!(figures(z3, "L1"), (Some(0), 0, 2));
    assert_eq!(figures(z1, "T1"), (Some(1_000), 1, 2), "the tasks they answer for");
    assert_eq!(
        figures(z3, "T1"),
        (Some(2_000), 0, 0),
        "no task of theirs fell due: 不扣分"
    );
    assert_eq!(figures(z1, "S1"), (Some(2_000), 100, 100));
    assert_eq!(figures(z2, "S1"), (Some(1_000), 50, 100));
    assert_eq!(figures(z1, "P1"), (Some(333), 1, 3), "the problems they own");
    assert_eq!(figures(z1, "D1"), (Some(1_000), 12, 12));
    assert_eq!(figures(z2, "D1"), (Some(500), 6, 12));
    assert_eq!(figures(z3, "D1"), (Some(1_000), 0, 0), "no base, nothing owed: 不扣分");
    assert_eq!(figures(z2, "K1"), (Some(1_000), 15_000, 30_000), "the goal they own");
    let att = evidence(&w.db, &w.s_a, &id, &w.pa[1], "L1", now()).await.unwrap();
    assert!(
        att.iter().any(|r| r.figure.contains("缺席（请假（已批准），不计）")),
        "{att:?}"
    );
}

#[tokio::test]
async fn a_quarter_reads_only_its_own_figures() {
    let w = world().await;
    records(&w).await;
    let new = NewAssessment {
        period: "2026-Q2".into(),
        indicators: vec![
            computed("K1", "kpi_attainment", "10"),
            computed("T1", "task_completion", "10"),
        ],
        ..crate::assess_common::new_assessment(&w, vec![])
    };
    let id = setup::create(&w.db, now(), &cli(), &w.s_root, new).await.unwrap();
    let r = results::results(&w.db, &w.s_root, &id, now(), &Query::default())
        .await
        .unwrap();
    let a = r.items.iter().find(|i| i.target.id == w.a).unwrap();
    // Q2: k1 (monthly) has no figure in April–June, k2 (quarterly) none for Q2, k3 (yearly) does not report in a quarter.
    assert_eq!(figures(a, "K1"), (Some(0), 0, 20_000));
    assert_eq!(figures(a, "T1"), (Some(1_000), 1, 1), "only the task due in June");
}
