//! The assessment tests' world: 机关党委 with three branches (第一、第二、第三
//! 党支部); ManageAssessment held at the 党委 (the assessor), at each branch
//! (its secretary) and at a top committee above the 党委 (who decides
//! appeals); a few Party members on each branch's roster; and helpers to
//! set up indicators.
#![allow(dead_code)]
use crate::common::cli;
use tongpin_core::assess::{setup, NewAssessment, NewIndicator};
use tongpin_core::auth::{self, NewAccount, Power, Principal, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::Scope;
use tongpin_core::people::{self, NewPerson};
use tongpin_core::with_db;

/// Noon, Beijing time, on a day.
pub fn at(y: i32, m: u32, d: u32) -> i64 {
    use chrono::TimeZone;
    chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, 12, 0, 0)
        .unwrap()
        .timestamp_millis()
}

/// 2027-01-10 12:00 Beijing time: the year 2026 is over.
pub fn now() -> i64 {
    at(2027, 1, 10)
}

pub struct World {
    pub db: Db,
    /// 上级党委 (decides appeals) > 机关党委 (assessor) > branches A, B, C.
    pub top: String,
    pub root: String,
    pub a: String,
    pub b: String,
    pub c: String,
    /// ManageAssessment at the top committee, the 党委, and each branch.
    pub s_top: Scope,
    pub s_root: Scope,
    pub s_a: Scope,
    pub s_b: Scope,
    pub s_c: Scope,
    /// ViewAssessment of a member of branch A.
    pub view_a: Scope,
    /// The account ids behind s_root, s_a, s_b.
    pub acc_root: String,
    pub acc_a: String,
    pub acc_b: String,
    pub hr: Scope,
    /// Three full members in each branch.
    pub pa: Vec<String>,
    pub pb: Vec<String>,
    pub pc: Vec<String>,
}

/// Logs in a new account holding `role` on `org`.
pub async fn principal(db: &Db, username: &str, role: Role, org: &str) -> Principal {
    let new = NewAccount {
        username: username.into(),
        display_name: username.into(),
        password: "Passw0rd!x".into(),
        must_change: false,
    };
    crate::common::account_with_role(db, now(), new, role, Some(org)).await;
    let ok = auth::login(db, now(), username, "Passw0rd!x", "api", "local")
        .await
        .unwrap();
    auth::authenticate(db, now(), &ok.token).await.unwrap()
}

pub async fn person(db: &Db, hr: &Scope, name: &str, org: &str, n: u32) -> String {
    let p = NewPerson {
        name: name.into(),
        citizen_id: crate::common::id_with_check(&format!("11010519800101{n:03}")),
        org_id: org.into(),
        status: "正式党员".into(),
        joined_on: "2010-07-01".into(),
        ..NewPerson::default()
    };
    people::create(db, now(), &cli(), hr, &p).await.unwrap()
}

pub async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = crate::common::Orgs::new(&db, now()).await.founded("2020-01-01");
    let top = orgs.add("上级党委", "committee", None).await;
    let root = orgs.add("机关党委", "committee", Some(&top)).await;
    let a = orgs.add("第一党支部", "branch", Some(&root)).await;
    let b = orgs.add("第二党支部", "branch", Some(&root)).await;
    let c = orgs.add("第三党支部", "branch", Some(&root)).await;
    let p_top = principal(&db, "top", Role::OrgAdmin, &top).await;
    let p_root = principal(&db, "jg", Role::OrgAdmin, &root).await;
    let p_a = principal(&db, "sa", Role::BranchSecretary, &a).await;
    let p_b = principal(&db, "sb", Role::BranchSecretary, &b).await;
    let p_c = principal(&db, "sc", Role::BranchSecretary, &c).await;
    let p_m = principal(&db, "ma", Role::Member, &a).await;
    let hr = p_root.scope(Power::ManagePeople).unwrap();
    let mut n = 0;
    let mut roster = Vec::new();
    for (org, names) in [
        (&a, ["张一", "张二", "张三"]),
        (&b, ["李一", "李二", "李三"]),
        (&c, ["王一", "王二", "王三"]),
    ] {
        let mut ids = Vec::new();
        for name in names {
            n += 1;
            ids.push(person(&db, &hr, name, org, n).await);
        }
        roster.push(ids);
    }
    let m = |p: &Principal| p.scope(Power::ManageAssessment).unwrap();
    World {
        s_top: m(&p_top),
        s_root: m(&p_root),
        s_a: m(&p_a),
        s_b: m(&p_b),
        s_c: m(&p_c),
        view_a: p_m.scope(Power::ViewAssessment).unwrap(),
        acc_root: p_root.account_id.clone(),
        acc_a: p_a.account_id.clone(),
        acc_b: p_b.account_id.clone(),
        hr,
        pc: roster.pop().unwrap(),
        pb: roster.pop().unwrap(),
        pa: roster.pop().unwrap(),
        db,
        top,
        root,
        a,
        b,
        c,
    }
}

/// An indicator: `kind` computed (with `metric`), entered or rated.
pub fn ind(code: &str, kind: &str, full: &str) -> NewIndicator {
    NewIndicator {
        code: code.into(),
        dimension: "党建工作".into(),
        title: format!("指标{code}"),
        full_points: full.into(),
        kind: kind.into(),
        ..NewIndicator::default()
    }
}

pub fn computed(code: &str, metric: &str, full: &str) -> NewIndicator {
    NewIndicator {
        metric: metric.into(),
        ..ind(code, "computed", full)
    }
}

pub fn rated(code: &str, full: &str, raters: &[(&str, &str)]) -> NewIndicator {
    NewIndicator {
        raters: raters.iter().map(|(g, w)| (g.to_string(), w.to_string())).collect(),
        ..ind(code, "rated", full)
    }
}

/// An assessment of the 党委's three branches for 2026.
pub fn new_assessment(w: &World, indicators: Vec<NewIndicator>) -> NewAssessment {
    NewAssessment {
        org_id: w.root.clone(),
        title: "2026年度党支部考核".into(),
        period: "2026".into(),
        subject: "orgs".into(),
        target_ids: vec![w.a.clone(), w.b.clone(), w.c.clone()],
        indicators,
        ..NewAssessment::default()
    }
}

pub async fn create(w: &World, indicators: Vec<NewIndicator>) -> String {
    setup::create(&w.db, now(), &cli(), &w.s_root, new_assessment(w, indicators))
        .await
        .unwrap()
}

pub async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    with_db!(db, |p| sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await.unwrap())
}

/// Audit records of an action.
pub async fn audited(db: &Db, action: &str) -> i64 {
    with_db!(db, |p| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1"
    )
    .bind(action)
    .fetch_one(p)
    .await
    .unwrap())
}
