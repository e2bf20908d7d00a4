//! The standardization tests' world: 机关党委 > 第一党总支 > 第一党支部 (with a
//! 党小组) and 第二党支部 directly under the 党委; ManageStandard held at each
//! level; a few members on each branch's roster; and a standard for 2026.
#![allow(dead_code)]
use crate::common::cli;
use tongpin_core::auth::{Power, Role};
use tongpin_core::clock::DAY_MS;
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::{self, Scope};
use tongpin_core::people::{self, NewPerson};
use tongpin_core::standard::{standards, NewItem, NewStandard};
use tongpin_core::with_db;

/// 2026-11-28 12:00 Beijing time.
pub const NOW: i64 = 1_795_838_400_000;

/// Noon, Beijing time, on a day.
pub fn at(y: i32, m: u32, d: u32) -> i64 {
    use chrono::TimeZone;
    chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, 12, 0, 0)
        .unwrap()
        .timestamp_millis()
}

pub struct World {
    pub db: Db,
    pub root: String,
    pub general: String,
    pub a: String,
    pub group: String,
    pub b: String,
    /// ManageStandard at the 党委, the 党总支, branch A, branch B.
    pub s_root: Scope,
    pub s_general: Scope,
    pub s_a: Scope,
    pub s_b: Scope,
    /// ViewStandard of a member of branch A.
    pub view_a: Scope,
    /// ManageOrgs and ManagePeople at the 党委.
    pub orgs: Scope,
    pub hr: Scope,
    /// Three full members of A (the first in its group), two of B.
    pub pa: Vec<String>,
    pub pb: Vec<String>,
}

pub async fn person(db: &Db, scope: &Scope, name: &str, org: &str, status: &str) -> String {
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

pub async fn world() -> World {
    let db = fresh_db().await.unwrap();
    let orgs = crate::common::Orgs::new(&db, NOW).await.founded("2020-01-01");
    let root = orgs.add("机关党委", "committee", None).await;
    let general = orgs.add("第一党总支", "general_branch", Some(&root)).await;
    let a = orgs.add("第一党支部", "branch", Some(&general)).await;
    let group = orgs.add("第一党小组", "group", Some(&a)).await;
    let b = orgs.add("第二党支部", "branch", Some(&root)).await;
    let manage = |u: &'static str, r: Role, o: String| {
        let db = db.clone();
        async move { crate::common::scope_of(&db, NOW, u, r, Some(&o), Power::ManageStandard).await }
    };
    let hr = crate::common::scope_of(&db, NOW, "rs", Role::OrgAdmin, Some(&root), Power::ManagePeople).await;
    let pa = vec![
        person(&db, &hr, "赵一", &group, "full").await,
        person(&db, &hr, "钱二", &a, "full").await,
        person(&db, &hr, "孙三", &a, "full").await,
    ];
    let pb = vec![
        person(&db, &hr, "李四", &b, "full").await,
        person(&db, &hr, "周五", &b, "full").await,
    ];
    World {
        s_root: manage("dw", Role::OrgAdmin, root.clone()).await,
        s_general: manage("zb", Role::OrgAdmin, general.clone()).await,
        s_a: manage("sa", Role::BranchSecretary, a.clone()).await,
        s_b: manage("sb", Role::BranchSecretary, b.clone()).await,
        view_a: crate::common::scope_of(&db, NOW, "dy", Role::Member, Some(&a), Power::ViewStandard).await,
        orgs: crate::common::scope_of(&db, NOW, "zz", Role::OrgAdmin, Some(&root), Power::ManageOrgs).await,
        hr,
        pa,
        pb,
        db,
        root,
        general,
        a,
        group,
        b,
    }
}

pub fn item(code: &str, tier: &str, points: i64, evidence: bool, rule: Option<&str>) -> NewItem {
    NewItem {
        code: code.into(),
        dimension: "组织建设".into(),
        title: format!("项目{code}"),
        criteria: "按规定落实".into(),
        evidence_required: evidence,
        points,
        tier: tier.into(),
        rule: rule.map(String::from),
    }
}

/// A1, A2 (evidence required) baseline; C1 baseline computed (committee_seated);
/// B1 (30) and B2 (10) refined.
pub fn items() -> Vec<NewItem> {
    vec![
        item("A1", "baseline", 10, false, None),
        item("A2", "baseline", 10, true, None),
        item("C1", "baseline", 10, false, Some("committee_seated")),
        item("B1", "refined", 30, false, None),
        item("B2", "refined", 10, false, None),
    ]
}

pub fn new_standard(org: &str, items: Vec<NewItem>) -> NewStandard {
    NewStandard {
        org_id: org.into(),
        year: 2026,
        title: "机关党委2026年度党支部建设标准".into(),
        org_kinds: vec!["branch".into()],
        items,
        grade_ii_bp: None,
        grade_iii_bp: None,
    }
}

impl World {
    /// The 党委's published standard for its branches.
    pub async fn published(&self) -> String {
        let id = standards::create(&self.db, NOW, &cli(), &self.s_root, new_standard(&self.root, items()))
            .await
            .unwrap();
        standards::publish(&self.db, NOW, &cli(), &self.s_root, &id)
            .await
            .unwrap();
        id
    }

    /// Makes the first member of each branch its secretary.
    pub async fn secretaries(&self) {
        for (o, p) in [(&self.a, &self.pa[0]), (&self.b, &self.pb[0])] {
            org::add_officer(&self.db, NOW, &cli(), &self.orgs, o, p, "secretary")
                .await
                .unwrap();
        }
    }
}

/// Rows in a table.
pub async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    with_db!(db, |p| sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await.unwrap())
}

/// Audit records with an action.
pub async fn audited(db: &Db, action: &str) -> i64 {
    with_db!(db, |p| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1"
    )
    .bind(action)
    .fetch_one(p)
    .await
    .unwrap())
}

/// An evidence file (a small PDF) saved as an upload, ready to attach.
pub async fn evidence(db: &Db, seed: u8) -> tongpin_core::files::Stored {
    let mut spool = tongpin_core::files::Spool::new("佐证材料.pdf", 1 << 20).unwrap();
    let body: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..2_000u32).map(|i| (i as u8) ^ seed))
        .collect();
    spool.push(&body).await.unwrap();
    tongpin_core::files::save(db, NOW, "uploader", spool).await.unwrap()
}

/// An answer: met or not, nothing else.
pub fn answer(met: Option<bool>) -> tongpin_core::standard::checks::SetItem {
    tongpin_core::standard::checks::SetItem {
        met,
        ..Default::default()
    }
}
