//! Reshaping the tree: subtrees move with their people, merges and
//! dissolutions keep history, terms and officers follow the rules.

use tongpin_core::audit;
use tongpin_core::auth::{Power, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::{self, Scope};
use tongpin_core::people::{self, Filter, NewPerson};
use tongpin_core::Error;

/// 2026-11-28 12:00 Beijing time.
const NOW: i64 = 1_795_838_400_000;

mod common;
use common::{cli, id_with_check};

async fn scope(db: &Db, username: &str, role: Role, org: Option<&str>, power: Power) -> Scope {
    common::scope_of(db, NOW, username, role, org, power).await
}

struct T {
    db: Db,
    all: Scope,
    a: String,
    a1: String,
    b: String,
    b1: String,
}

async fn tree() -> T {
    let db = fresh_db().await.unwrap();
    let orgs = common::Orgs::new(&db, NOW).await;
    let root = orgs.add("机关党委", "committee", None).await;
    let a = orgs.add("总支A", "general_branch", Some(&root)).await;
    let a1 = orgs.add("支部A1", "branch", Some(&a)).await;
    let b = orgs.add("总支B", "general_branch", Some(&root)).await;
    let b1 = orgs.add("支部B1", "branch", Some(&b)).await;
    let all = scope(&db, "dw", Role::OrgAdmin, Some(&root), Power::ManageOrgs).await;
    T { db, all, a, a1, b, b1 }
}

async fn add_people(t: &T, org: &str, n: u32, base: u32) {
    for i in 0..n {
        let p = NewPerson {
            name: format!("党员{}", base + i),
            citizen_id: id_with_check(&format!("11010519800101{:03}", base + i)),
            org_id: org.into(),
            status: "正式党员".into(),
            joined_on: "2010-07-01".into(),
            ..NewPerson::default()
        };
        people::create(&t.db, NOW, &cli(), &t.all, &p).await.unwrap();
    }
}

async fn in_org(t: &T, scope: &Scope, org: &str) -> i64 {
    let f = Filter {
        org_id: Some(org.into()),
        ..Filter::default()
    };
    people::search(&t.db, scope, &f, 0, 1).await.map(|x| x.1).unwrap_or(-1)
}

#[tokio::test]
async fn a_moved_subtree_takes_its_people_and_scopes_follow() {
    let t = tree().await;
    add_people(&t, &t.a1, 3, 100).await;
    let za = scope(&t.db, "za", Role::OrgAdmin, Some(&t.a), Power::ViewPeople).await;
    assert_eq!(in_org(&t, &za, &t.a1).await, 3);
    org::move_subtree(&t.db, NOW, &cli(), &t.all, &t.a1, &t.b)
        .await
        .unwrap();
    // The people followed the branch; 总支A's admin no longer sees them, 总支B's does.
    assert_eq!(in_org(&t, &t.all, &t.b).await, 3);
    assert_eq!(people::search(&t.db, &za, &Filter::default(), 0, 1).await.unwrap().1, 0);
    // Under its own descendant, or a kind that cannot hold it: refused.
    let e = org::move_subtree(&t.db, NOW, &cli(), &t.all, &t.b, &t.a1)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }), "{e:?}");
    assert!(org::move_subtree(&t.db, NOW, &cli(), &t.all, &t.a, &t.b1)
        .await
        .is_err());
}

#[tokio::test]
async fn dissolving_needs_an_empty_org_and_keeps_its_records() {
    let t = tree().await;
    add_people(&t, &t.b1, 2, 200).await;
    let e = org::dissolve(&t.db, NOW, &cli(), &t.all, &t.b1).await.unwrap_err();
    assert!(e.to_string().contains("2 名人员"));
    // Merging moves the people and dissolves the branch, pointing at its successor.
    org::merge(&t.db, NOW, &cli(), &t.all, &t.b1, &t.a1).await.unwrap();
    assert_eq!(in_org(&t, &t.all, &t.a1).await, 2);
    let gone = org::get(&t.db, &t.all, &t.b1).await.unwrap();
    assert!(gone.dissolved_at.is_some());
    assert_eq!(gone.dissolved_into.as_deref(), Some(t.a1.as_str()));
    // A general branch with no live children and no people can be dissolved; the superior still reads it.
    org::dissolve(&t.db, NOW, &cli(), &t.all, &t.b).await.unwrap();
    assert!(org::get(&t.db, &t.all, &t.b).await.unwrap().dissolved_at.is_some());
    // Only organizations of one kind merge.
    assert!(org::merge(&t.db, NOW, &cli(), &t.all, &t.a1, &t.a).await.is_err());
}

/// The numbers the rules call "usually" are the top organization's: a change
/// moves the warnings and their messages, is refused below the top and out
/// of range, and is audited.
#[tokio::test]
async fn the_top_organizations_numbers_drive_the_structure_warnings() {
    let t = tree().await;
    add_people(&t, &t.a1, 7, 300).await;
    let today = tongpin_core::clock::beijing(NOW).date_naive();
    let a1_warnings = || async {
        let rows = org::overview(&t.db, &t.all, today).await.unwrap();
        let a1 = rows.iter().find(|r| r.org.id == t.a1).unwrap();
        a1.warnings
            .iter()
            .map(|w| format!("{}：{}", w.short, w.detail))
            .collect::<Vec<_>>()
    };
    let before = a1_warnings().await;
    assert!(
        before.iter().any(|w| w.contains("应设立支部委员会（3–5 人）")),
        "{before:?}"
    );
    assert!(!before.iter().any(|w| w.starts_with("党员过多")), "{before:?}");
    let s = org::RuleSettings {
        excellent: (2, 5),
        branch_max_members: 6,
        committee_seats: (2, 4),
    };
    // Only the top organization's scope sets them.
    let a = scope(&t.db, "zb", Role::OrgAdmin, Some(&t.a), Power::ManageOrgs).await;
    assert!(matches!(
        org::set_rule_settings(&t.db, NOW, &cli(), &a, s).await,
        Err(Error::Forbidden(_))
    ));
    org::set_rule_settings(&t.db, NOW, &cli(), &t.all, s).await.unwrap();
    let after = a1_warnings().await;
    assert!(
        after.iter().any(|w| w.contains("应设立支部委员会（2–4 人）")),
        "{after:?}"
    );
    assert!(
        after
            .iter()
            .any(|w| w == "党员过多：党员超过 6 人（现 7 人），宜分设支部或成立党总支"),
        "{after:?}"
    );
    let a1_path = org::get(&t.db, &t.all, &t.a1).await.unwrap().path;
    assert_eq!(org::rule_settings(&t.db, &a1_path).await.unwrap(), s);
    // Out of range: named by field, nothing changed.
    let field = |r: Result<(), Error>| match r {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    let bad = |f: fn(&mut org::RuleSettings)| {
        let mut x = s;
        f(&mut x);
        x
    };
    let me = cli();
    let set = |x| org::set_rule_settings(&t.db, NOW, &me, &t.all, x);
    assert_eq!(field(set(bad(|x| x.excellent = (4, 3))).await), "优秀比例上限");
    assert_eq!(field(set(bad(|x| x.branch_max_members = 2)).await), "支部党员上限");
    assert_eq!(field(set(bad(|x| x.committee_seats = (5, 3))).await), "支委会委员人数");
    assert_eq!(field(set(bad(|x| x.committee_seats = (3, 8))).await), "支委会委员人数");
    assert_eq!(org::rule_settings(&t.db, &a1_path).await.unwrap(), s);
    let f = audit::Filter {
        action: Some("org.rule_settings".into()),
        ..Default::default()
    };
    let logged = audit::list(&t.db, &tongpin_core::auth::cap::command_line(), &f, 0, 10)
        .await
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert!(
        logged[0].detail.contains("优秀不超过三分之一，支部党员不超过 50 人，支委会 3–5 人 → 优秀不超过五分之二，支部党员不超过 6 人，支委会 2–4 人"),
        "{}",
        logged[0].detail
    );
}

/// Villages and communities (organization types) serve 5-year terms: the
/// term defaults from the type, the type is set with its field named when
/// wrong, and the change is audited.
#[tokio::test]
async fn the_term_defaults_from_the_organization_type() {
    let t = tree().await;
    let today = tongpin_core::clock::beijing(NOW).date_naive();
    let a1 = org::get(&t.db, &t.all, &t.a1).await.unwrap();
    assert_eq!((a1.org_type.as_str(), a1.default_term_years()), ("other", 3));
    assert!(matches!(
        org::set_org_type(&t.db, NOW, &cli(), &t.all, &t.a1, "居委会").await,
        Err(Error::Invalid { field, .. }) if field == "单位性质"
    ));
    org::set_org_type(&t.db, NOW, &cli(), &t.all, &t.a1, "社区")
        .await
        .unwrap();
    org::set_org_type(&t.db, NOW, &cli(), &t.all, &t.b1, "village")
        .await
        .unwrap();
    let a1 = org::get(&t.db, &t.all, &t.a1).await.unwrap();
    assert_eq!((a1.org_type_label(), a1.default_term_years()), ("社区", 5));
    // A term never set: the election plus the type's default.
    let mut elected = a1.clone();
    elected.elected_on = Some("2023-12-01".into());
    assert_eq!(
        org::next_election(&elected),
        chrono::NaiveDate::from_ymd_opt(2028, 12, 1)
    );
    elected.org_type = "agency".into();
    assert_eq!(
        org::next_election(&elected),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
    );
    org::set_term(&t.db, NOW, &cli(), &t.all, &t.a1, "2023-12-01", 5)
        .await
        .unwrap();
    let rows = org::overview(&t.db, &t.all, today).await.unwrap();
    let row = rows.iter().find(|r| r.org.id == t.a1).unwrap();
    assert_eq!(row.next_election, chrono::NaiveDate::from_ymd_opt(2028, 12, 1));
    let e = org::set_term(&t.db, NOW, &cli(), &t.all, &t.a1, "2023-12-01", 6)
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("应为 1 到 5 年（一般 3 年，村、社区 5 年）"),
        "{e}"
    );
    let f = audit::Filter {
        action: Some("org.type".into()),
        ..Default::default()
    };
    let logged = audit::list(&t.db, &tongpin_core::auth::cap::command_line(), &f, 0, 10)
        .await
        .unwrap();
    assert_eq!(logged.len(), 2);
    assert!(logged.iter().any(|r| r.detail.contains("单位性质 其他 → 社区")));
}

#[tokio::test]
async fn terms_officers_and_warnings() {
    let t = tree().await;
    add_people(&t, &t.a1, 7, 300).await;
    let today = tongpin_core::clock::beijing(NOW).date_naive();
    let rows = org::overview(&t.db, &t.all, today).await.unwrap();
    let a1 = rows.iter().find(|r| r.org.id == t.a1).unwrap();
    let shorts: Vec<&str> = a1.warnings.iter().map(|w| w.short).collect();
    assert_eq!(shorts, vec!["应设支委会", "未配书记", "未登记换届"]);
    // Elected 2023-12-01 for 3 years: due 2026-12-01, within 90 days of 2026-11-28.
    org::set_term(&t.db, NOW, &cli(), &t.all, &t.a1, "2023-12-01", 3)
        .await
        .unwrap();
    let todos = org::todos(&t.db, &t.all, NOW).await.unwrap();
    assert_eq!(todos.len(), 1);
    assert!(!todos[0].overdue && todos[0].due.as_deref() == Some("2026-12-01"));
    // 91 days ahead is not yet a to-do; a past end is overdue.
    org::set_term(&t.db, NOW, &cli(), &t.all, &t.a, "2024-02-27", 3)
        .await
        .unwrap();
    org::set_term(&t.db, NOW, &cli(), &t.all, &t.b, "2023-11-27", 3)
        .await
        .unwrap();
    let todos = org::todos(&t.db, &t.all, NOW).await.unwrap();
    assert_eq!(todos.iter().filter(|x| x.overdue).count(), 1);
    assert_eq!(todos.len(), 2);
    assert!(org::set_term(&t.db, NOW, &cli(), &t.all, &t.a1, "2030-01-01", 3)
        .await
        .is_err());
    assert!(org::set_term(&t.db, NOW, &cli(), &t.all, &t.a1, "2024-01-01", 9)
        .await
        .is_err());
    // Officers: full members of the org; one secretary.
    let (members, _) = people::search(
        &t.db,
        &t.all,
        &Filter {
            org_id: Some(t.a1.clone()),
            ..Filter::default()
        },
        0,
        10,
    )
    .await
    .unwrap();
    org::add_officer(&t.db, NOW, &cli(), &t.all, &t.a1, &members[0].id, "secretary")
        .await
        .unwrap();
    assert!(
        org::add_officer(&t.db, NOW, &cli(), &t.all, &t.a1, &members[1].id, "secretary")
            .await
            .is_err()
    );
    org::add_officer(&t.db, NOW, &cli(), &t.all, &t.a1, &members[1].id, "organization")
        .await
        .unwrap();
    org::add_officer(&t.db, NOW, &cli(), &t.all, &t.a1, &members[2].id, "publicity")
        .await
        .unwrap();
    assert!(
        org::add_officer(&t.db, NOW, &cli(), &t.all, &t.b1, &members[3].id, "secretary")
            .await
            .is_err(),
        "not a member there"
    );
    let rows = org::overview(&t.db, &t.all, today).await.unwrap();
    let a1 = rows.iter().find(|r| r.org.id == t.a1).unwrap();
    assert_eq!(a1.secretary().map(|s| s.name.as_str()), Some(members[0].name.as_str()));
    assert!(
        a1.warnings
            .iter()
            .all(|w| w.short != "应设支委会" && w.short != "未配书记"),
        "{:?}",
        a1.warnings
    );
    assert_eq!(a1.full, 7);
}

/// The business units an organization is attached to are read through the
/// reader's scope: another subtree's organization answers as missing.
#[tokio::test]
async fn units_of_an_organization_outside_the_scope_answer_as_missing() {
    let t = tree().await;
    let unit = org::create_unit(
        &t.db,
        NOW,
        &cli(),
        &t.all,
        org::NewUnit {
            name: "项目一部".into(),
            kind: "项目组".into(),
            parent_id: None,
            owner_org_id: Some(t.a.clone()),
        },
    )
    .await
    .unwrap();
    org::attach(&t.db, NOW, &cli(), &t.all, &t.a1, &unit, true)
        .await
        .unwrap();
    let sa = scope(&t.db, "za", Role::OrgAdmin, Some(&t.a), Power::ViewOrgs).await;
    let sb = scope(&t.db, "zb", Role::OrgAdmin, Some(&t.b), Power::ViewOrgs).await;
    let names: Vec<String> = org::units_of(&t.db, &sa, &t.a1)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["项目一部"]);
    let e = org::units_of(&t.db, &sb, &t.a1).await.unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    assert!(org::units_of(&t.db, &sb, &t.b1).await.unwrap().is_empty());
}
