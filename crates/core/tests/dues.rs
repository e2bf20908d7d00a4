//! Dues on whichever engine the tests run: amounts at the bracket edges in
//! fen, bases from a month, the probationary start, payments that write all
//! or nothing, arrears to-dos across the year end, imports and scope.
use tongpin_core::audit;
use tongpin_core::auth::{Power, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::dues::{self, MonthState, NewBase};
use tongpin_core::org::Scope;
use tongpin_core::people::{self, NewPerson};
use tongpin_core::{with_db, Error};

/// 2026-02-15 12:00 Beijing time: this month is 2026-02, last month 2026-01.
const NOW: i64 = 1_771_128_000_000;

mod common;
use common::{cli, id_with_check};

async fn scope_of(db: &Db, username: &str, role: Role, org: Option<&str>, power: Power) -> Scope {
    common::scope_of(db, NOW, username, role, org, power).await
}

struct World {
    db: Db,
    /// Org admin on the whole committee; branch secretary of A1.
    all: Scope,
    a1: Scope,
    a1_id: String,
    b1_id: String,
    seq: std::cell::Cell<u32>,
}

async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = common::Orgs::new(&db, NOW).await.founded("2015-01-01");
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
    /// A person in `org`: status by label, joined on a date (members only).
    async fn person(&self, name: &str, org: &str, status: &str, joined: &str) -> String {
        let n = self.seq.get() + 1;
        self.seq.set(n);
        let p = NewPerson {
            name: name.into(),
            citizen_id: self.cid(n),
            phone: "13812345678".into(),
            org_id: org.into(),
            status: status.into(),
            joined_on: joined.into(),
            ..NewPerson::default()
        };
        people::create(&self.db, NOW, &cli(), &self.all, &p).await.unwrap()
    }
    fn cid(&self, n: u32) -> String {
        id_with_check(&format!("110105198001{:02}{:03}", 1 + n % 28, n))
    }
    async fn member(&self, name: &str, org: &str) -> String {
        self.person(name, org, "正式党员", "2010-07-01").await
    }
    async fn base(&self, id: &str, from: &str, category: &str, yuan: &str) {
        let nb = NewBase {
            from_month: from.into(),
            category: category.into(),
            base_yuan: yuan.into(),
            farmer_amount_yuan: if category == "农民" {
                "0.5".into()
            } else {
                String::new()
            },
            ..NewBase::default()
        };
        dues::set_base(&self.db, NOW, &cli(), &self.all, id, &nb).await.unwrap();
    }
    async fn pay(&self, id: &str, months: &[&str]) -> Result<Vec<(String, i64)>, Error> {
        let months: Vec<String> = months.iter().map(|m| m.to_string()).collect();
        dues::record_payments(&self.db, NOW, &cli(), &self.all, id, &months, "").await
    }
    /// Pays every month from `from` to `to`.
    async fn pay_run(&self, id: &str, from: &str, to: &str) {
        let n = dues::months_from(from, to).unwrap();
        let months: Vec<String> = (0..=n).map(|k| dues::add_months(from, k).unwrap()).collect();
        dues::record_payments(&self.db, NOW, &cli(), &self.all, id, &months, "2026-02-01")
            .await
            .unwrap();
    }
    async fn payments(&self) -> i64 {
        with_db!(&self.db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM dues_payments")
            .fetch_one(p)
            .await
            .unwrap())
    }
    async fn audits(&self) -> i64 {
        audit::count(
            &self.db,
            &tongpin_core::auth::cap::command_line(),
            &audit::Filter::default(),
        )
        .await
        .unwrap()
    }
}

fn invalid(r: Result<impl std::fmt::Debug, Error>) -> (String, String) {
    match r {
        Err(Error::Invalid { field, message }) => (field, message),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn ledger_amounts_at_the_bracket_edges_in_fen() {
    let w = world().await;
    let cases: [(&str, &str, &str, i64, &str); 9] = [
        ("甲", "在职", "3000", 1_500, "0.5%"),
        ("乙", "在职", "3000.01", 3_000, "1%"),
        ("丙", "在职", "5000.00", 5_000, "1%"),
        ("丁", "在职", "5000.01", 7_500, "1.5%"),
        ("戊", "在职", "10,000", 15_000, "1.5%"),
        ("己", "在职", "10000.01", 20_000, "2%"),
        ("庚", "离退休", "5000.01", 5_000, "1%"),
        ("辛", "学生", "", 20, "定额"),
        ("壬", "农民", "", 50, "定额"),
    ];
    for (name, category, base, _, _) in cases {
        let id = w.member(&format!("党员{name}"), &w.a1_id).await;
        w.base(&id, "2025-01", category, base).await;
    }
    let l = dues::ledger(&w.db, &w.all, Some(&w.a1_id), Some("2026-01"), NOW)
        .await
        .unwrap();
    assert_eq!(l.rows.len(), 9);
    for (name, _, _, fen, rate) in cases {
        let r = l.rows.iter().find(|r| r.name == format!("党员{name}")).unwrap();
        assert_eq!((r.dues.due_fen, r.dues.rate.as_str()), (Some(fen), rate), "{name}");
        assert_eq!(r.branch, "第一党支部");
    }
    let sum: i64 = cases.iter().map(|c| c.3).sum();
    assert_eq!(l.totals.due_fen, sum);
    assert_eq!((l.totals.members, l.totals.paid, l.totals.unpaid), (9, 0, 9));
    // Nothing paid in 2025 either: 13 months in arrears through January.
    assert!(l
        .rows
        .iter()
        .all(|r| r.dues.arrears == 13 && r.dues.state == MonthState::Arrears));
    assert_eq!(l.totals.warned, 9);
    // The export carries the same figures and a totals row.
    let (t, org) = dues::export(&w.db, NOW, &cli(), &w.all, Some(&w.a1_id), Some("2026-01"))
        .await
        .unwrap();
    assert_eq!(org, "第一党支部");
    assert_eq!(t.headers, dues::LEDGER_COLUMNS.map(String::from).to_vec());
    let last = t.rows.last().unwrap();
    assert_eq!((last[0].as_str(), last[5].clone()), ("合计", dues::yuan(sum)));
    let ding = t.rows.iter().find(|r| r[0] == "党员丁").unwrap();
    assert_eq!(&ding[2..7], ["在职", "5000.01", "1.5%", "75.00", ""]);
}

#[tokio::test]
async fn a_new_base_applies_from_its_month_and_a_same_month_base_corrects() {
    let w = world().await;
    let id = w.member("张三", &w.a1_id).await;
    w.base(&id, "2025-01", "在职", "4500").await;
    w.base(&id, "2025-12", "在职", "6000").await;
    let due = |m: &'static str| {
        let (db, all, a1) = (w.db.clone(), w.all.clone(), w.a1_id.clone());
        async move {
            let l = dues::ledger(&db, &all, Some(&a1), Some(m), NOW).await.unwrap();
            l.rows[0].dues.due_fen
        }
    };
    assert_eq!(due("2025-11").await, Some(4_500));
    assert_eq!(due("2025-12").await, Some(9_000));
    assert_eq!(due("2026-02").await, Some(9_000));
    // Before the first base the amount is not known.
    let l = dues::ledger(&w.db, &w.all, None, Some("2024-12"), NOW).await.unwrap();
    assert_eq!(l.rows[0].dues.state, MonthState::NoBase);
    // A second base from the same month corrects the first.
    let before = w.audits().await;
    w.base(&id, "2025-12", "在职", "6500").await;
    assert_eq!(due("2025-12").await, Some(9_750));
    let h = dues::history(&w.db, &w.all, &id, NOW).await.unwrap();
    let froms: Vec<&str> = h.bases.iter().map(|b| b.from_month.as_str()).collect();
    assert_eq!(froms, ["2025-12", "2025-01"]);
    assert_eq!(h.months.len(), 12);
    assert_eq!(h.months[0].month, "2026-02");
    assert_eq!(h.months[11].month, "2025-03");
    assert_eq!(w.audits().await, before + 1);
    let rec = audit::list(
        &w.db,
        &tongpin_core::auth::cap::command_line(),
        &audit::Filter::default(),
        0,
        1,
    )
    .await
    .unwrap();
    assert_eq!(rec[0].action, "dues.base");
    assert!(rec[0].detail.contains("更正"), "{}", rec[0].detail);
    // A base too far ahead, or before joining, is refused.
    let nb = |m: &str| NewBase {
        from_month: m.into(),
        category: "在职".into(),
        base_yuan: "5000".into(),
        ..NewBase::default()
    };
    let r = dues::set_base(&w.db, NOW, &cli(), &w.all, &id, &nb("2027-03")).await;
    assert_eq!(invalid(r).0, "起始月份");
    let r = dues::set_base(&w.db, NOW, &cli(), &w.all, &id, &nb("2010-06")).await;
    let (f, m) = invalid(r);
    assert_eq!(f, "起始月份");
    assert!(m.contains("2010-07"), "{m}");
}

#[tokio::test]
async fn probationary_members_pay_from_the_month_the_branch_accepts_them() {
    let w = world().await;
    let id = w.person("王预备", &w.a1_id, "预备党员", "2025-11-20").await;
    let applicant = w.person("李申请", &w.a1_id, "入党申请人", "").await;
    let nb = |m: &str| NewBase {
        from_month: m.into(),
        category: "在职".into(),
        base_yuan: "5200".into(),
        ..NewBase::default()
    };
    let r = dues::set_base(&w.db, NOW, &cli(), &w.all, &id, &nb("2025-10")).await;
    assert_eq!(invalid(r).0, "起始月份");
    dues::set_base(&w.db, NOW, &cli(), &w.all, &id, &nb("2025-11"))
        .await
        .unwrap();
    let r = dues::set_base(&w.db, NOW, &cli(), &w.all, &applicant, &nb("2025-11")).await;
    assert_eq!(invalid(r).0, "人员类别");

    let l = dues::ledger(&w.db, &w.all, None, Some("2025-10"), NOW).await.unwrap();
    assert!(l.rows.is_empty(), "not a member yet in October");
    let l = dues::ledger(&w.db, &w.all, None, Some("2025-11"), NOW).await.unwrap();
    assert_eq!(l.rows.len(), 1);
    assert_eq!(l.rows[0].dues.due_fen, Some(7_800));

    let r = w.pay(&id, &["2025-10", "2025-11"]).await;
    let (f, m) = invalid(r);
    assert_eq!(f, "月份");
    assert!(m.contains("2025-10") && m.contains("2025-11"), "{m}");
    assert_eq!(w.payments().await, 0, "nothing half-written");
    let paid = w.pay(&id, &["2025-11"]).await.unwrap();
    assert_eq!(paid, vec![("2025-11".to_string(), 7_800)]);
    let h = dues::history(&w.db, &w.all, &id, NOW).await.unwrap();
    let months: Vec<&str> = h.months.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(months, ["2026-02", "2026-01", "2025-12", "2025-11"]);
    assert_eq!(h.start_month.as_deref(), Some("2025-11"));
    assert_eq!(h.arrears, 2);
    let r = w.pay(&applicant, &["2026-01"]).await;
    assert_eq!(invalid(r).0, "人员类别");
}

#[tokio::test]
async fn payments_are_refused_for_future_duplicate_and_unpriced_months_with_nothing_written() {
    let w = world().await;
    let id = w.member("张三", &w.a1_id).await;
    let r = w.pay(&id, &["2026-01"]).await;
    let (f, m) = invalid(r);
    assert_eq!(f, "月份");
    assert!(m.contains("尚未设置党费基数"), "{m}");
    w.base(&id, "2025-06", "在职", "8000").await;
    assert_eq!(w.pay(&id, &["2026-01"]).await.unwrap()[0].1, 12_000);
    let (payments, audits) = (w.payments().await, w.audits().await);
    for (months, says) in [
        (vec!["2025-12", "2026-03"], "尚未到期"),
        (vec!["2025-12", "2026-01"], "已于 2026-02-15 登记缴纳"),
        (vec!["2025-12", "2025-12"], "重复"),
        (vec!["2025-12", "2025-5"], "尚未设置党费基数"),
        (vec!["2025-12", "2025-13"], "不是有效月份"),
        (vec![], "至少选择"),
    ] {
        let (f, m) = invalid(w.pay(&id, &months).await);
        assert_eq!(f, "月份");
        assert!(m.contains(says), "{months:?}: {m}");
    }
    let months = vec!["2025-12".to_string()];
    let r = dues::record_payments(&w.db, NOW, &cli(), &w.all, &id, &months, "2026-02-16").await;
    assert_eq!(invalid(r).0, "缴纳日期");
    let r = dues::record_payments(&w.db, NOW, &cli(), &w.all, &id, &months, "2026-02-30").await;
    assert_eq!(invalid(r).0, "缴纳日期");
    assert_eq!((w.payments().await, w.audits().await), (payments, audits));
    // Several months in one go, with a date.
    let paid = dues::record_payments(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        &id,
        &["2025-12".into(), "2025-11".into()],
        "2026年2月3日",
    )
    .await
    .unwrap();
    assert_eq!(paid.len(), 2);
    let l = dues::ledger(&w.db, &w.all, None, Some("2025-11"), NOW).await.unwrap();
    assert_eq!(l.rows[0].dues.paid_on.as_deref(), Some("2026-02-03"));
    assert_eq!(l.totals.paid_fen, 12_000);
    let rec = audit::list(
        &w.db,
        &tongpin_core::auth::cap::command_line(),
        &audit::Filter::default(),
        0,
        1,
    )
    .await
    .unwrap();
    assert_eq!(rec[0].action, "dues.pay");
    assert!(
        rec[0].detail.contains("2025-11、2025-12，共 240.00 元"),
        "{}",
        rec[0].detail
    );
}

#[tokio::test]
async fn batch_payment_for_a_month_writes_every_member_or_none() {
    let w = world().await;
    let a = w.member("张三", &w.a1_id).await;
    let b = w.member("李四", &w.a1_id).await;
    let c = w.member("王五", &w.b1_id).await;
    for id in [&a, &b, &c] {
        w.base(id, "2025-01", "在职", "4000").await;
    }
    w.pay(&b, &["2026-01"]).await.unwrap();
    let before = w.payments().await;
    let r = dues::record_batch(&w.db, NOW, &cli(), &w.all, "2026-01", &[a.clone(), b.clone()], "").await;
    let (f, m) = invalid(r);
    assert_eq!(f, "月份");
    assert!(m.starts_with("李四：2026-01 已于"), "{m}");
    assert_eq!(w.payments().await, before);
    // The secretary of A1 may not record for a member of B1.
    let r = dues::record_batch(&w.db, NOW, &cli(), &w.a1, "2026-01", &[a.clone(), c.clone()], "").await;
    assert_eq!(invalid(r).0, "人员");
    let r = dues::record_batch(&w.db, NOW, &cli(), &w.a1, "2026-01", &[], "").await;
    assert_eq!(invalid(r).0, "人员");
    let (n, total) = dues::record_batch(&w.db, NOW, &cli(), &w.a1, "2026-01", &[a.clone(), a.clone()], "")
        .await
        .unwrap();
    assert_eq!((n, total), (1, 4_000));
    let l = dues::ledger(&w.db, &w.a1, None, Some("2026-01"), NOW).await.unwrap();
    assert_eq!((l.totals.members, l.totals.paid), (2, 2));
}

#[tokio::test]
async fn arrears_to_dos_at_three_and_five_months_across_the_year_end() {
    let w = world().await;
    let three = w.member("欠三月", &w.a1_id).await;
    let five = w.member("欠五月", &w.b1_id).await;
    let one = w.member("欠一月", &w.a1_id).await;
    let late_base = w.member("新基数", &w.a1_id).await;
    let no_base = w.member("无基数", &w.a1_id).await;
    for id in [&three, &five, &one] {
        w.base(id, "2025-01", "在职", "6000").await;
    }
    w.base(&late_base, "2025-11", "在职", "6000").await;
    w.pay_run(&three, "2025-01", "2025-10").await;
    w.pay_run(&five, "2025-01", "2025-08").await;
    w.pay_run(&one, "2025-01", "2025-12").await;
    let _ = no_base;

    let todos = dues::todos(&w.db, &w.all, NOW).await.unwrap();
    let titles: Vec<&str> = todos.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "欠五月（第二党支部）：党费已连续 5 个月未交纳",
            "新基数（第一党支部）：党费已连续 3 个月未交纳",
            "欠三月（第一党支部）：党费已连续 3 个月未交纳",
        ]
    );
    // Five months: the final warning, due by the end of this month and not
    // late before then (a deadline in the future is never overdue).
    let t5 = &todos[0];
    assert_eq!(
        (t5.kind, t5.overdue, t5.due.as_deref()),
        ("dues", false, Some("2026-02-28"))
    );
    assert!(t5.detail.contains("党章第九条"));
    assert_eq!(t5.href, format!("/dues/{five}"));
    let t3 = &todos[2];
    assert_eq!((t3.overdue, t3.due.as_deref()), (false, Some("2026-04-30")));
    assert_eq!(t3.detail, dues::arrears_warning(3).unwrap());
    // The branch secretary sees her branch only.
    let mine = dues::todos(&w.db, &w.a1, NOW).await.unwrap();
    assert_eq!(mine.len(), 2);
    // Paying November ends the run of three (December and January remain).
    w.pay(&three, &["2025-11"]).await.unwrap();
    let todos = dues::todos(&w.db, &w.all, NOW).await.unwrap();
    assert!(!todos.iter().any(|t| t.title.starts_with("欠三月")));
    // Left a sixth month: the warning of art. 9, without a due date.
    let six = NOW + 31 * 86_400_000;
    let todos = dues::todos(&w.db, &w.all, six).await.unwrap();
    let t = todos.iter().find(|t| t.title.starts_with("欠五月")).unwrap();
    assert!(t.title.contains("6 个月") && t.detail.contains("自行脱党") && t.due.is_none() && t.overdue);
}

/// Every person's kept dues standing, by id.
async fn standing(db: &Db) -> Vec<(String, Option<String>, String)> {
    with_db!(db, |p| sqlx::query_as(
        "SELECT person_id, first_base, latest_paid FROM dues_standing ORDER BY person_id"
    )
    .fetch_all(p)
    .await
    .unwrap())
}

#[tokio::test]
async fn the_kept_standing_matches_a_recount_and_a_gap_before_a_payment_ahead_is_warned() {
    let w = world().await;
    let ahead = w.member("预交", &w.a1_id).await;
    let paying = w.member("按月", &w.a1_id).await;
    let late_base = w.member("后定基数", &w.b1_id).await;
    w.base(&ahead, "2025-01", "在职", "6000").await;
    w.base(&paying, "2025-06", "在职", "6000").await;
    w.base(&paying, "2025-03", "在职", "5000").await;
    w.pay_run(&ahead, "2025-01", "2025-09").await;
    w.pay_run(&paying, "2025-03", "2026-01").await;
    // October to January unpaid, then February paid: the latest payment is
    // after last month, yet four months are owed before it.
    w.pay(&ahead, &["2026-02"]).await.unwrap();
    w.base(&late_base, "2025-12", "在职", "6000").await;
    w.pay_run(&late_base, "2025-12", "2026-01").await;
    w.base(&late_base, "2025-06", "在职", "4000").await;
    let kept = standing(&w.db).await;
    let of = |id: &str| kept.iter().find(|r| r.0 == id).cloned().unwrap();
    assert_eq!(of(&ahead), (ahead.clone(), Some("2025-01".into()), "2026-02".into()));
    assert_eq!(of(&paying), (paying.clone(), Some("2025-03".into()), "2026-01".into()));
    assert_eq!(
        of(&late_base),
        (late_base.clone(), Some("2025-06".into()), "2026-01".into())
    );
    assert_eq!(dues::recount_standing(&w.db).await.unwrap(), 3);
    assert_eq!(standing(&w.db).await, kept);
    let todos = dues::todos(&w.db, &w.all, NOW).await.unwrap();
    let titles: Vec<&str> = todos.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["预交（第一党支部）：党费已连续 4 个月未交纳"]);
}

fn csv(rows: &[String]) -> Vec<u8> {
    let mut s = "姓名,身份证号,类别,月工资基数（元）,起始月份\n".to_string();
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s.into_bytes()
}

#[tokio::test]
async fn an_import_with_bad_rows_writes_nothing_and_names_row_and_column() {
    let w = world().await;
    let a = w.member("张三", &w.a1_id).await;
    let _b = w.member("李四", &w.a1_id).await;
    let _p = w.person("王预备", &w.a1_id, "预备党员", "2025-11-20").await;
    let _m = w.person("赵群众", &w.a1_id, "群众", "").await;
    let _o = w.member("孙外支", &w.b1_id).await;
    let (c1, c2, c3, c4, c5) = (w.cid(1), w.cid(2), w.cid(3), w.cid(4), w.cid(5));
    let bad = csv(&[
        format!("张三,{c1},在职,\"4,500.00\",2025-01"),
        format!("李四,{c2},干部,4500,2025-01"),
        format!("王预备,{c3},在职,4500,2025-10"),
        format!("赵群众,{c4},在职,4500,2025-01"),
        format!("张三,{c1},在职,4800,2025-1"),
        format!("李斯,{c2},在职,4500.123,2025-01"),
        "无名,110105198001019999,在职,4500,2025-01".to_string(),
    ]);
    let r = dues::import_bases(&w.db, NOW, &cli(), &w.all, bad.clone(), "基数.csv", false)
        .await
        .unwrap();
    let got: Vec<(usize, &str)> = r.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(
        got,
        [
            (3, "类别"),
            (4, "起始月份"),
            (5, "姓名"),
            (6, "起始月份"),
            (7, "月工资基数（元）"),
            (7, "姓名"),
            (8, "身份证号"),
        ]
    );
    assert!(r.errors[3].message.contains("第 2 行"), "{:?}", r.errors[3]);
    assert_eq!((r.total, r.valid, r.imported), (7, 1, 0));
    let l = dues::ledger(&w.db, &w.all, None, Some("2026-01"), NOW).await.unwrap();
    assert!(
        l.rows.iter().all(|r| r.dues.state == MonthState::NoBase),
        "nothing written"
    );

    // The secretary of A1 cannot set a base for a member of B1 by import.
    let other = csv(&[format!("孙外支,{c5},在职,4500,2025-01")]);
    let r = dues::import_bases(&w.db, NOW, &cli(), &w.a1, other, "a.csv", false)
        .await
        .unwrap();
    assert_eq!((r.errors[0].row, r.errors[0].column.as_str()), (2, "身份证号"));

    // Fixed, a dry run writes nothing, then the import writes all.
    let good = csv(&[
        format!("张三,{c1},在职,\"4,500.00\",2025-01"),
        format!("李四,{c2},离退休,5000.01,2025/1"),
        format!("王预备,{c3},在职,4500,2025年11月"),
        format!("张三,{c1},在职,4800.5,2026-01"),
    ]);
    let r = dues::import_bases(&w.db, NOW, &cli(), &w.all, good.clone(), "a.csv", true)
        .await
        .unwrap();
    assert_eq!((r.valid, r.imported, r.errors.len()), (4, 0, 0));
    let r = dues::import_bases(&w.db, NOW, &cli(), &w.all, good.clone(), "a.csv", false)
        .await
        .unwrap();
    assert_eq!((r.imported, r.updated), (4, 0), "{:?}", r.errors);
    let h = dues::history(&w.db, &w.all, &a, NOW).await.unwrap();
    assert_eq!(h.bases[0].base_fen, 480_050);
    assert_eq!(h.months[0].due_fen, Some(4_801));
    // The same file again corrects in place.
    let r = dues::import_bases(&w.db, NOW, &cli(), &w.all, good, "a.csv", false)
        .await
        .unwrap();
    assert_eq!((r.imported, r.updated), (0, 4));
    let rec = audit::list(
        &w.db,
        &tongpin_core::auth::cap::command_line(),
        &audit::Filter::default(),
        0,
        1,
    )
    .await
    .unwrap();
    assert_eq!(
        (rec[0].action.as_str(), rec[0].detail.as_str()),
        ("dues.import", "新增 0 条，更正 4 条")
    );

    // A missing column, and a template that reads back.
    let r = dues::import_bases(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        "姓名,身份证号\n张三,1\n".into(),
        "a.csv",
        true,
    )
    .await
    .unwrap();
    let missing: Vec<&str> = r.errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(missing, ["类别", "月工资基数（元）", "起始月份"]);
    let tpl = dues::base_template(NOW).unwrap();
    let grid = tongpin_core::sheet::read(&tpl, "t.xlsx").unwrap();
    assert_eq!(grid.rows[0], dues::BASE_COLUMNS.map(String::from).to_vec());
    let e = dues::import_bases(&w.db, NOW, &cli(), &w.all, b"%PDF".to_vec(), "a.pdf", true).await;
    assert_eq!(invalid(e).0, "文件");
}

#[tokio::test]
async fn every_read_and_write_keeps_to_the_scope() {
    let w = world().await;
    let a = w.member("张三", &w.a1_id).await;
    let b = w.member("李四", &w.b1_id).await;
    w.base(&a, "2025-01", "在职", "4000").await;
    w.base(&b, "2025-01", "在职", "4000").await;
    let l = dues::ledger(&w.db, &w.a1, None, None, NOW).await.unwrap();
    assert_eq!(l.month, "2026-02");
    let names: Vec<&str> = l.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["张三"]);
    let r = dues::ledger(&w.db, &w.a1, Some(&w.b1_id), None, NOW).await;
    assert_eq!(invalid(r).0, "组织");
    let r = dues::ledger(&w.db, &w.a1, None, Some("2026-03"), NOW).await;
    assert_eq!(invalid(r).0, "月份");
    let l = dues::ledger(&w.db, &w.all, Some(&w.b1_id), None, NOW).await.unwrap();
    assert_eq!(l.rows.len(), 1);
    assert!(matches!(
        dues::history(&w.db, &w.a1, &b, NOW).await,
        Err(Error::NotFound(_))
    ));
    let nb = NewBase {
        from_month: "2026-01".into(),
        category: "在职".into(),
        base_yuan: "9000".into(),
        ..NewBase::default()
    };
    assert!(matches!(
        dues::set_base(&w.db, NOW, &cli(), &w.a1, &b, &nb).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        dues::record_payments(&w.db, NOW, &cli(), &w.a1, &b, &["2026-01".into()], "").await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(w.payments().await, 0);
}
