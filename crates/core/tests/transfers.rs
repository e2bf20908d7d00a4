//! Transfers of membership on whichever engine the tests run: the receiving
//! side decides, the history travels with the person, letters are numbered
//! per year, and refused input writes nothing.
use tongpin_core::audit;
use tongpin_core::auth::{Power, Role};
use tongpin_core::clock::DAY_MS;
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::Scope;
use tongpin_core::people::{self, NewPerson};
use tongpin_core::transfer::{self, Direction, Filter, NewTransfer, Status};
use tongpin_core::{with_db, Error};

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;
use common::{cli, id_with_check};

async fn scope_of(db: &Db, username: &str, role: Role, org: Option<&str>, power: Power) -> Scope {
    common::scope_of(db, NOW, username, role, org, power).await
}

struct World {
    db: Db,
    /// ManagePeople scopes: the whole committee, branch A1, branch B1.
    all: Scope,
    a1: Scope,
    b1: Scope,
    a1_id: String,
    b1_id: String,
    group_id: String,
    dissolved_id: String,
}

async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = common::Orgs::new(&db, NOW).await;
    let root = orgs.add("机关党委", "committee", None).await;
    let a = orgs.add("总支A", "general_branch", Some(&root)).await;
    let a1_id = orgs.add("支部A1", "branch", Some(&a)).await;
    let group_id = orgs.add("第一党小组", "group", Some(&a1_id)).await;
    let b = orgs.add("总支B", "general_branch", Some(&root)).await;
    let b1_id = orgs.add("支部B1", "branch", Some(&b)).await;
    let dissolved_id = orgs.add("支部B2", "branch", Some(&b)).await;
    with_db!(&db, |p| sqlx::query("UPDATE orgs SET dissolved_at = $1 WHERE id = $2")
        .bind(NOW - DAY_MS)
        .bind(&dissolved_id)
        .execute(p)
        .await
        .unwrap()
        .rows_affected());
    World {
        all: scope_of(&db, "dw", Role::OrgAdmin, Some(&root), Power::ManagePeople).await,
        a1: scope_of(&db, "sja", Role::BranchSecretary, Some(&a1_id), Power::ManagePeople).await,
        b1: scope_of(&db, "sjb", Role::BranchSecretary, Some(&b1_id), Power::ManagePeople).await,
        db,
        a1_id,
        b1_id,
        group_id,
        dissolved_id,
    }
}

fn new_person(name: &str, id17: &str, org: &str, status: &str) -> NewPerson {
    NewPerson {
        name: name.into(),
        citizen_id: id_with_check(id17),
        phone: "13812345678".into(),
        org_id: org.into(),
        status: status.into(),
        joined_on: if status == "正式党员" {
            "2010-07-01".into()
        } else {
            String::new()
        },
        ..NewPerson::default()
    }
}

async fn add(w: &World, name: &str, id17: &str) -> String {
    people::create(
        &w.db,
        NOW,
        &cli(),
        &w.all,
        &new_person(name, id17, &w.a1_id, "正式党员"),
    )
    .await
    .unwrap()
}

fn internal(person: &str, to: &str) -> NewTransfer {
    NewTransfer {
        kind: "internal".into(),
        person_id: person.into(),
        to_org_id: to.into(),
        reason: "工作调动".into(),
        ..NewTransfer::default()
    }
}

fn out(person: &str) -> NewTransfer {
    NewTransfer {
        kind: "out".into(),
        person_id: person.into(),
        outside_org: "某某市财政局机关党委".into(),
        reason: "调出本单位".into(),
        ..NewTransfer::default()
    }
}

async fn listed(w: &World, scope: &Scope, direction: Direction, status: Option<Status>) -> Vec<String> {
    let f = Filter {
        direction,
        status,
        q: None,
    };
    transfer::list(&w.db, scope, &f, 0, 100)
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|t| t.person_name)
        .collect()
}

async fn roster(w: &World, scope: &Scope) -> Vec<String> {
    people::search(&w.db, scope, &people::Filter::default(), 0, 100)
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|p| p.name)
        .collect()
}

async fn rows(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    with_db!(db, |p| sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await.unwrap())
}

fn field_of<T: std::fmt::Debug>(r: tongpin_core::Result<T>) -> String {
    match r {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

#[tokio::test]
async fn accepting_moves_the_person_and_the_old_branch_sees_nothing_after() {
    let w = world().await;
    let zs = add(&w, "张三", "11010519800101001").await;
    let tid = transfer::request(&w.db, NOW, &cli(), &w.a1, &internal(&zs, &w.b1_id))
        .await
        .unwrap();
    // Both sides see it; the receiving side has it as a to-do.
    assert_eq!(listed(&w, &w.a1, Direction::Out, None).await, vec!["张三"]);
    assert!(listed(&w, &w.a1, Direction::In, None).await.is_empty());
    assert_eq!(
        listed(&w, &w.b1, Direction::In, Some(Status::Pending)).await,
        vec!["张三"]
    );
    let todos = transfer::todos(&w.db, &w.b1, NOW).await.unwrap();
    assert_eq!(todos.len(), 1);
    assert_eq!(todos[0].kind, "transfer");
    assert_eq!(todos[0].due.as_deref(), Some("2026-12-28"));
    assert!(!todos[0].overdue);
    assert!(transfer::todos(&w.db, &w.b1, NOW + 31 * DAY_MS).await.unwrap()[0].overdue);
    assert!(transfer::todos(&w.db, &w.a1, NOW).await.unwrap().is_empty());
    // Until accepted the person stays where they are.
    assert_eq!(roster(&w, &w.a1).await, vec!["张三"]);
    assert!(roster(&w, &w.b1).await.is_empty());

    // Only the receiving side accepts.
    assert!(matches!(
        transfer::accept(&w.db, NOW, &cli(), &w.a1, &tid).await,
        Err(Error::Forbidden(_))
    ));
    transfer::accept(&w.db, NOW + 1000, &cli(), &w.b1, &tid).await.unwrap();
    let t = transfer::get(&w.db, &w.b1, &tid).await.unwrap();
    assert_eq!(t.status, "accepted");
    assert_eq!(t.decided_at, Some(NOW + 1000));
    // A second decision is refused.
    assert!(matches!(
        transfer::accept(&w.db, NOW, &cli(), &w.b1, &tid).await,
        Err(Error::Conflict(_))
    ));

    // The person moved: the new branch sees them, the old one does not.
    let p = people::get(&w.db, &w.b1, &zs).await.unwrap();
    assert_eq!(p.org_id, w.b1_id);
    assert!(matches!(people::get(&w.db, &w.a1, &zs).await, Err(Error::NotFound(_))));
    assert!(roster(&w, &w.a1).await.is_empty());
    assert_eq!(roster(&w, &w.b1).await, vec!["张三"]);

    // A record made after the move (here a later transfer of the same
    // person, requested by the new branch) is invisible to the old branch,
    // while the history made before the move travels with the person.
    let later = transfer::request(&w.db, NOW + 2000, &cli(), &w.b1, &out(&zs))
        .await
        .unwrap();
    let ids = |v: Vec<transfer::Transfer>| v.into_iter().map(|t| t.id).collect::<Vec<_>>();
    assert_eq!(
        ids(transfer::of_person(&w.db, &w.b1, &zs).await.unwrap()),
        vec![later.clone(), tid.clone()]
    );
    assert_eq!(
        ids(transfer::of_person(&w.db, &w.a1, &zs).await.unwrap()),
        vec![tid.clone()]
    );
    assert!(matches!(
        transfer::get(&w.db, &w.a1, &later).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        transfer::letter(&w.db, &w.a1, &later).await,
        Err(Error::NotFound(_))
    ));
    assert_eq!(listed(&w, &w.a1, Direction::All, None).await, vec!["张三"]);
    assert_eq!(listed(&w, &w.b1, Direction::All, None).await.len(), 2);

    let actions: Vec<String> = audit::list(
        &w.db,
        &tongpin_core::auth::cap::command_line(),
        &audit::Filter::default(),
        0,
        1000,
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.action)
    .filter(|a| a.starts_with("transfer."))
    .collect();
    assert_eq!(actions, vec!["transfer.out", "transfer.accept", "transfer.request"]);
}

#[tokio::test]
async fn returning_keeps_the_person_and_needs_a_reason() {
    let w = world().await;
    let zs = add(&w, "张三", "11010519800101001").await;
    let tid = transfer::request(&w.db, NOW, &cli(), &w.a1, &internal(&zs, &w.b1_id))
        .await
        .unwrap();
    assert_eq!(
        field_of(transfer::send_back(&w.db, NOW, &cli(), &w.b1, &tid, "  ").await),
        "退回原因"
    );
    assert!(matches!(
        transfer::send_back(&w.db, NOW, &cli(), &w.a1, &tid, "不接收").await,
        Err(Error::Forbidden(_))
    ));
    transfer::send_back(&w.db, NOW, &cli(), &w.b1, &tid, "本支部不对应该同志工作岗位")
        .await
        .unwrap();
    let t = transfer::get(&w.db, &w.a1, &tid).await.unwrap();
    assert_eq!((t.status.as_str(), t.status_label()), ("returned", "已退回"));
    assert_eq!(t.decision_note, "本支部不对应该同志工作岗位");
    assert_eq!(t.decided_by.as_deref(), Some("测试"));
    assert_eq!(people::get(&w.db, &w.a1, &zs).await.unwrap().org_id, w.a1_id);
    assert!(transfer::todos(&w.db, &w.b1, NOW).await.unwrap().is_empty());
    // A returned transfer is closed: a new one may be requested.
    transfer::request(&w.db, NOW, &cli(), &w.a1, &internal(&zs, &w.b1_id))
        .await
        .unwrap();
}

#[tokio::test]
async fn one_open_transfer_per_person_and_the_sender_cancels() {
    let w = world().await;
    let zs = add(&w, "张三", "11010519800101001").await;
    let tid = transfer::request(&w.db, NOW, &cli(), &w.a1, &internal(&zs, &w.b1_id))
        .await
        .unwrap();
    let before = rows(&w.db, "transfers").await;
    assert_eq!(
        field_of(transfer::request(&w.db, NOW, &cli(), &w.all, &internal(&zs, &w.b1_id)).await),
        "人员"
    );
    assert_eq!(
        field_of(transfer::request(&w.db, NOW, &cli(), &w.a1, &out(&zs)).await),
        "人员"
    );
    assert_eq!(rows(&w.db, "transfers").await, before);
    // The receiving side cannot cancel; the sender can, while it waits.
    assert!(matches!(
        transfer::cancel(&w.db, NOW, &cli(), &w.b1, &tid).await,
        Err(Error::Forbidden(_))
    ));
    transfer::cancel(&w.db, NOW, &cli(), &w.a1, &tid).await.unwrap();
    assert!(matches!(
        transfer::accept(&w.db, NOW, &cli(), &w.b1, &tid).await,
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        transfer::cancel(&w.db, NOW, &cli(), &w.a1, &tid).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(people::get(&w.db, &w.a1, &zs).await.unwrap().org_id, w.a1_id);
    transfer::request(&w.db, NOW, &cli(), &w.a1, &internal(&zs, &w.b1_id))
        .await
        .unwrap();
}

#[tokio::test]
async fn out_of_the_system_leaves_the_roster_with_a_numbered_letter() {
    let w = world().await;
    let zs = add(&w, "张三", "11010519800101001").await;
    let ls = add(&w, "李四", "11010519800101002").await;
    let ww = add(&w, "王五", "11010519800101003").await;
    let t1 = transfer::request(&w.db, NOW, &cli(), &w.a1, &out(&zs)).await.unwrap();
    let t2 = transfer::request(&w.db, NOW, &cli(), &w.a1, &out(&ls)).await.unwrap();
    // The next year starts again from 1 (2027-01-02 Beijing time).
    let t3 = transfer::request(&w.db, NOW + 35 * DAY_MS, &cli(), &w.a1, &out(&ww))
        .await
        .unwrap();
    let letter = transfer::letter(&w.db, &w.a1, &t1).await.unwrap();
    assert_eq!(letter.transfer.letter_no, "机党转〔2026〕1号");
    assert_eq!(letter.transfer.valid_until.as_deref(), Some("2027-02-28"));
    assert_eq!(letter.transfer.status, "done");
    assert_eq!(letter.issuer, "机关党委");
    assert_eq!(letter.from_path, "机关党委/总支A/支部A1");
    assert_eq!(letter.issued_on, "2026-11-28");
    assert_eq!(letter.transfer.to_text(), "某某市财政局机关党委");
    assert_eq!(
        transfer::get(&w.db, &w.a1, &t2).await.unwrap().letter_no,
        "机党转〔2026〕2号"
    );
    assert_eq!(
        transfer::get(&w.db, &w.a1, &t3).await.unwrap().letter_no,
        "机党转〔2027〕1号"
    );

    // Off the roster and its counts, but still readable where they left.
    assert!(roster(&w, &w.a1).await.is_empty());
    assert_eq!(
        people::search(&w.db, &w.all, &people::Filter::default(), 0, 0)
            .await
            .unwrap()
            .1,
        0
    );
    let p = people::get(&w.db, &w.a1, &zs).await.unwrap();
    assert_eq!(p.left_on.as_deref(), Some("2026-11-28"));
    // No further transfer of someone who left.
    assert_eq!(
        field_of(transfer::request(&w.db, NOW, &cli(), &w.a1, &internal(&zs, &w.b1_id)).await),
        "人员"
    );
    assert_eq!(
        field_of(transfer::request(&w.db, NOW, &cli(), &w.a1, &out(&zs)).await),
        "人员"
    );
    // No letter without a receiving organization, or for a non-member.
    let zl = people::create(
        &w.db,
        NOW,
        &cli(),
        &w.a1,
        &new_person("赵六", "11010519900101004", &w.a1_id, "入党积极分子"),
    )
    .await
    .unwrap();
    assert_eq!(
        field_of(transfer::request(&w.db, NOW, &cli(), &w.a1, &out(&zl)).await),
        "人员"
    );
    let qq = add(&w, "钱七", "11010519800101005").await;
    let mut blank = out(&qq);
    blank.outside_org = " ".into();
    assert_eq!(
        field_of(transfer::request(&w.db, NOW, &cli(), &w.a1, &blank).await),
        "转入单位党组织"
    );
    // Letters exist only for transfers out.
    let tin = transfer::request(&w.db, NOW, &cli(), &w.a1, &internal(&qq, &w.b1_id))
        .await
        .unwrap();
    assert!(matches!(
        transfer::letter(&w.db, &w.a1, &tin).await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn in_from_outside_puts_the_person_on_the_roster() {
    let w = world().await;
    let arriving = |org: &str, status: &str, letter: &str| NewTransfer {
        kind: "in".into(),
        outside_org: "某某大学化学学院党委".into(),
        letter_no: letter.into(),
        reason: "调入".into(),
        person: Some(new_person("孙八", "11010519800101006", org, status)),
        ..NewTransfer::default()
    };
    let before = (rows(&w.db, "transfers").await, rows(&w.db, "people").await);
    assert_eq!(
        field_of(
            transfer::request(
                &w.db,
                NOW,
                &cli(),
                &w.b1,
                &arriving(&w.a1_id, "正式党员", "京大党转〔2026〕3号")
            )
            .await
        ),
        "所属组织"
    );
    assert_eq!(
        field_of(transfer::request(&w.db, NOW, &cli(), &w.b1, &arriving(&w.b1_id, "正式党员", "")).await),
        "介绍信编号"
    );
    assert_eq!(
        field_of(transfer::request(&w.db, NOW, &cli(), &w.b1, &arriving(&w.b1_id, "入党积极分子", "x")).await),
        "人员类别"
    );
    let mut no_person = arriving(&w.b1_id, "正式党员", "x");
    no_person.person = None;
    assert_eq!(
        field_of(transfer::request(&w.db, NOW, &cli(), &w.b1, &no_person).await),
        "人员"
    );
    assert_eq!((rows(&w.db, "transfers").await, rows(&w.db, "people").await), before);

    let tid = transfer::request(
        &w.db,
        NOW,
        &cli(),
        &w.b1,
        &arriving(&w.b1_id, "正式党员", "京大党转〔2026〕3号"),
    )
    .await
    .unwrap();
    assert_eq!(roster(&w, &w.b1).await, vec!["孙八"]);
    let t = transfer::get(&w.db, &w.b1, &tid).await.unwrap();
    assert_eq!((t.kind.as_str(), t.status.as_str()), ("in", "done"));
    assert_eq!(t.letter_no, "京大党转〔2026〕3号");
    assert_eq!(t.from_text(), "某某大学化学学院党委");
    assert_eq!(t.to_org_id.as_deref(), Some(w.b1_id.as_str()));
    assert_eq!(listed(&w, &w.b1, Direction::In, None).await, vec!["孙八"]);
    assert!(listed(&w, &w.a1, Direction::All, None).await.is_empty());
    // The same citizen ID twice is refused, and nothing is written.
    let before = (rows(&w.db, "transfers").await, rows(&w.db, "people").await);
    assert_eq!(
        field_of(transfer::request(&w.db, NOW, &cli(), &w.b1, &arriving(&w.b1_id, "正式党员", "y")).await),
        "身份证号"
    );
    assert_eq!((rows(&w.db, "transfers").await, rows(&w.db, "people").await), before);
}

#[tokio::test]
async fn bad_requests_are_refused_with_nothing_written() {
    let w = world().await;
    let zs = add(&w, "张三", "11010519800101001").await;
    let audit_before = audit::count(
        &w.db,
        &tongpin_core::auth::cap::command_line(),
        &audit::Filter::default(),
    )
    .await
    .unwrap();
    let ask = |t: NewTransfer, scope: Scope| {
        let db = w.db.clone();
        async move { field_of(transfer::request(&db, NOW, &cli(), &scope, &t).await) }
    };
    assert_eq!(ask(internal(&zs, &w.a1_id), w.a1.clone()).await, "转入组织");
    assert_eq!(ask(internal(&zs, &w.dissolved_id), w.a1.clone()).await, "转入组织");
    assert_eq!(ask(internal(&zs, &w.group_id), w.a1.clone()).await, "转入组织");
    assert_eq!(ask(internal(&zs, "no-such-org"), w.a1.clone()).await, "转入组织");
    assert_eq!(ask(internal(&zs, ""), w.a1.clone()).await, "转入组织");
    assert_eq!(ask(internal("no-such-person", &w.b1_id), w.a1.clone()).await, "人员");
    assert_eq!(ask(internal("", &w.b1_id), w.a1.clone()).await, "人员");
    // Someone else's person is as unknown as a made-up one.
    assert_eq!(ask(internal(&zs, &w.b1_id), w.b1.clone()).await, "人员");
    let mut odd = internal(&zs, &w.b1_id);
    odd.kind = "sideways".into();
    assert_eq!(ask(odd, w.a1.clone()).await, "转接类型");
    let mut long = internal(&zs, &w.b1_id);
    long.reason = "很".repeat(201);
    assert_eq!(ask(long, w.a1.clone()).await, "转接原因");
    assert_eq!(rows(&w.db, "transfers").await, 0);
    assert_eq!(rows(&w.db, "transfer_letter_seq").await, 0);
    assert_eq!(
        audit::count(
            &w.db,
            &tongpin_core::auth::cap::command_line(),
            &audit::Filter::default()
        )
        .await
        .unwrap(),
        audit_before
    );
    // Deciding an unknown transfer: not found, never a panic.
    assert!(matches!(
        transfer::accept(&w.db, NOW, &cli(), &w.b1, "nope").await,
        Err(Error::NotFound(_))
    ));
}

/// The branch's full members and officers' names, as its overview row shows them.
async fn branch_row(w: &World, org_id: &str) -> (i64, Vec<String>) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let rows = tongpin_core::org::overview(&w.db, &w.all, today).await.unwrap();
    let r = rows.into_iter().find(|r| r.org.id == org_id).unwrap();
    (
        r.full,
        r.officers
            .iter()
            .map(|o| format!("{}{}", o.name, o.post_label()))
            .collect(),
    )
}

#[tokio::test]
async fn a_member_who_leaves_leaves_the_old_branchs_posts_and_counts_that_day() {
    let w = world().await;
    let zs = add(&w, "张三", "11010519800101001").await;
    let ls = add(&w, "李四", "11010519800101002").await;
    add(&w, "王五", "11010519800101003").await;
    let a = |id: &str, post: &str| {
        let (db, all, a1, id, post) = (
            w.db.clone(),
            w.all.clone(),
            w.a1_id.clone(),
            id.to_string(),
            post.to_string(),
        );
        async move {
            tongpin_core::org::add_officer(&db, NOW, &cli(), &all, &a1, &id, &post)
                .await
                .unwrap()
        }
    };
    a(&zs, "publicity").await;
    a(&ls, "secretary").await;
    assert_eq!(
        branch_row(&w, &w.a1_id).await,
        (3, vec!["张三宣传委员".to_string(), "李四书记".into()])
    );

    // Out of the system: off the roster, the counts and the officers at once.
    transfer::request(&w.db, NOW, &cli(), &w.a1, &out(&zs)).await.unwrap();
    assert_eq!(branch_row(&w, &w.a1_id).await, (2, vec!["李四书记".to_string()]));
    assert_eq!(roster(&w, &w.a1).await.len(), 2);

    // Within the system: the post ends when the receiving branch accepts.
    let t = transfer::request(&w.db, NOW, &cli(), &w.a1, &internal(&ls, &w.b1_id))
        .await
        .unwrap();
    assert_eq!(branch_row(&w, &w.a1_id).await, (2, vec!["李四书记".to_string()]));
    transfer::accept(&w.db, NOW, &cli(), &w.b1, &t).await.unwrap();
    assert_eq!(branch_row(&w, &w.a1_id).await, (1, vec![]));
    assert_eq!(branch_row(&w, &w.b1_id).await, (1, vec![]));
    // The audit record of each completion names the posts it ended.
    let details: Vec<String> = audit::list(
        &w.db,
        &tongpin_core::auth::cap::command_line(),
        &audit::Filter::default(),
        0,
        1000,
    )
    .await
    .unwrap()
    .into_iter()
    .filter(|r| r.action == "transfer.out" || r.action == "transfer.accept")
    .map(|r| r.detail)
    .collect();
    assert!(details.iter().any(|d| d.contains("免去：支部A1书记")), "{details:?}");
    assert!(
        details.iter().any(|d| d.contains("免去：支部A1宣传委员")),
        "{details:?}"
    );
}

#[tokio::test]
async fn the_letter_states_dues_paid_up_to_from_the_ledger() {
    use tongpin_core::dues::{self, NewBase};
    let w = world().await;
    let zs = add(&w, "张三", "11010519800101001").await;
    let ls = add(&w, "李四", "11010519800101002").await;
    let ww = add(&w, "王五", "11010519800101003").await;
    for id in [&zs, &ls, &ww] {
        let nb = NewBase {
            from_month: "2026-01".into(),
            category: "在职".into(),
            base_yuan: "6000".into(),
            ..NewBase::default()
        };
        dues::set_base(&w.db, NOW, &cli(), &w.all, id, &nb).await.unwrap();
    }
    let pay = |id: &str, months: &[&str]| {
        let months: Vec<String> = months.iter().map(|m| m.to_string()).collect();
        let (db, all, id) = (w.db.clone(), w.all.clone(), id.to_string());
        async move {
            dues::record_payments(&db, NOW, &cli(), &all, &id, &months, "2026-11-20")
                .await
                .unwrap()
        }
    };
    let run: Vec<String> = (1..=10).map(|m| format!("2026-{m:02}")).collect();
    pay(&zs, &run.iter().map(String::as_str).collect::<Vec<_>>()).await;
    // A gap in March: paid up to February, whatever was paid later.
    pay(&ls, &["2026-01", "2026-02", "2026-04", "2026-05"]).await;
    let mut letters = Vec::new();
    for id in [&zs, &ls, &ww] {
        let t = transfer::request(&w.db, NOW, &cli(), &w.a1, &out(id)).await.unwrap();
        letters.push(transfer::letter(&w.db, &w.a1, &t).await.unwrap().dues_paid_to);
    }
    assert_eq!(
        letters,
        vec![Some("2026-10".to_string()), Some("2026-02".to_string()), None]
    );
}
