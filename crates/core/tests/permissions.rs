//! Roles are inherited down the organization tree, and the three admin
//! powers stay apart.
use tongpin_core::audit::Actor;
use tongpin_core::auth::{self, cap, NewAccount, Power, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::{self, NewOrg};
use tongpin_core::Error;

const NOW: i64 = 1_790_000_000_000;

fn cli() -> Actor {
    Actor::anonymous("测试", "local")
}

fn new_account(username: &str) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: "测试".into(),
        password: "Passw0rd!x".into(),
        must_change: false,
    }
}

async fn account(db: &Db, username: &str) -> String {
    auth::create_account(db, NOW, &cli(), &cap::command_line(), new_account(username))
        .await
        .unwrap()
}

async fn admin(db: &Db, username: &str, kind: Role) -> String {
    auth::create_admin(db, NOW, &cli(), new_account(username), kind)
        .await
        .unwrap()
}

async fn grant(db: &Db, id: &str, role: Role, org: Option<&str>) -> Result<String, Error> {
    auth::grant_role(db, NOW, &cli(), &cap::command_line(), id, role, org).await
}

/// 党委 > (总支A > 支部A1, 总支B > 支部B1)
struct Tree {
    root: String,
    a: String,
    a1: String,
    b1: String,
}

async fn tree(db: &Db, sys: &tongpin_core::org::Scope) -> Tree {
    let mk = |name: &str, kind: &str, parent: Option<&String>| NewOrg {
        name: name.into(),
        kind: kind.into(),
        parent_id: parent.cloned(),
        founded_on: None,
    };
    let root = org::create(db, NOW, &cli(), sys, mk("机关党委", "committee", None))
        .await
        .unwrap();
    let a = org::create(db, NOW, &cli(), sys, mk("总支A", "general_branch", Some(&root)))
        .await
        .unwrap();
    let b = org::create(db, NOW, &cli(), sys, mk("总支B", "general_branch", Some(&root)))
        .await
        .unwrap();
    let a1 = org::create(db, NOW, &cli(), sys, mk("支部A1", "branch", Some(&a)))
        .await
        .unwrap();
    let b1 = org::create(db, NOW, &cli(), sys, mk("支部B1", "branch", Some(&b)))
        .await
        .unwrap();
    Tree { root, a, a1, b1 }
}

async fn principal(db: &Db, username: &str) -> auth::Principal {
    let ok = auth::login(db, NOW, username, "Passw0rd!x", "web", "127.0.0.1")
        .await
        .unwrap();
    auth::authenticate(db, NOW, &ok.token).await.unwrap()
}

#[tokio::test]
async fn a_grant_covers_its_subtree_and_nothing_else() {
    let db = fresh_db().await.unwrap();
    admin(&db, "sys", Role::SystemAdmin).await;
    let sys = principal(&db, "sys").await.scope(Power::ManageOrgs).unwrap();
    let t = tree(&db, &sys).await;

    let id = account(&db, "zongzhi").await;
    grant(&db, &id, Role::OrgAdmin, Some(&t.a)).await.unwrap();
    let scope = principal(&db, "zongzhi").await.scope(Power::ViewOrgs).unwrap();
    let names: Vec<String> = org::list(&db, &scope)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names, vec!["总支A", "支部A1"]);
    assert!(org::get(&db, &scope, &t.a1).await.is_ok());
    assert!(matches!(org::get(&db, &scope, &t.b1).await, Err(Error::NotFound(_))));
    assert!(matches!(org::get(&db, &scope, &t.root).await, Err(Error::NotFound(_))));

    // Creating under another subtree, or a top organization, is refused.
    let manage = principal(&db, "zongzhi").await.scope(Power::ManageOrgs).unwrap();
    let outside = NewOrg {
        name: "越权支部".into(),
        kind: "branch".into(),
        parent_id: Some(t.b1.clone()),
        founded_on: None,
    };
    assert!(org::create(&db, NOW, &cli(), &manage, outside).await.is_err());
    let top = NewOrg {
        name: "另一个党委".into(),
        kind: "committee".into(),
        parent_id: None,
        founded_on: None,
    };
    assert!(matches!(
        org::create(&db, NOW, &cli(), &manage, top).await,
        Err(Error::Forbidden(_))
    ));
    let inside = NewOrg {
        name: "支部A2".into(),
        kind: "branch".into(),
        parent_id: Some(t.a.clone()),
        founded_on: None,
    };
    assert!(org::create(&db, NOW, &cli(), &manage, inside).await.is_ok());
}

#[tokio::test]
async fn the_three_admin_powers_cannot_be_combined() {
    let db = fresh_db().await.unwrap();
    let id = admin(&db, "one", Role::SystemAdmin).await;
    // An admin kind is never granted, not even by the command line's grant:
    // only `create_admin` gives one, with a new account.
    for other in [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin] {
        let e = grant(&db, &id, other, None).await.unwrap_err();
        assert!(matches!(e, Error::Forbidden(ref m) if m.contains("命令行")), "{e:?}");
    }
    let e = auth::create_admin(&db, NOW, &cli(), new_account("notadmin"), Role::OrgAdmin)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }), "{e:?}");
    // A taken username: nothing half-written (no second grant for "one").
    assert!(
        auth::create_admin(&db, NOW, &cli(), new_account("one"), Role::AuditAdmin)
            .await
            .is_err()
    );
    let held = auth::list_grants(&db, Some(&id)).await.unwrap();
    assert_eq!(held.len(), 1);
    // Nor with a business role, in either order.
    let sys = principal(&db, "one").await.scope(Power::ManageOrgs).unwrap();
    let root = org::create(
        &db,
        NOW,
        &cli(),
        &sys,
        NewOrg {
            name: "党委".into(),
            kind: "committee".into(),
            parent_id: None,
            founded_on: None,
        },
    )
    .await
    .unwrap();
    // The grants' job is the security admin's: a system admin's account is another kind's.
    assert!(matches!(
        grant(&db, &id, Role::OrgAdmin, Some(&root)).await,
        Err(Error::Forbidden(_))
    ));
    let sec = admin(&db, "sec", Role::SecurityAdmin).await;
    assert!(matches!(
        grant(&db, &sec, Role::OrgAdmin, Some(&root)).await,
        Err(Error::Conflict(ref m)) if m.contains("三权分立")
    ));
    let two = account(&db, "two").await;
    grant(&db, &two, Role::OrgAdmin, Some(&root)).await.unwrap();
    assert!(grant(&db, &two, Role::AuditAdmin, None).await.is_err());
    // Business roles need an organization.
    let three = account(&db, "three").await;
    assert!(matches!(
        grant(&db, &three, Role::Member, None).await,
        Err(Error::Invalid { .. })
    ));

    // Each admin's powers, and the capabilities they make.
    let p = principal(&db, "one").await;
    assert!(
        p.can(Power::ManageAccounts)
            && !p.can(Power::ReadAudit)
            && !p.can(Power::SetPolicy)
            && !p.can(Power::GrantRoles)
    );
    assert!(p.capability::<cap::Accounts>().is_some());
    assert!(p.capability::<cap::Grants>().is_none());
    assert!(p.capability::<cap::Audit>().is_none());
    assert!(p.capability::<cap::Policy>().is_none());
    assert!(p.capability::<cap::Channels>().is_none());
}

/// Two system admins disabling each other at once: one of them stays.
#[tokio::test]
async fn the_last_holder_of_a_kind_is_not_disabled() {
    let db = fresh_db().await.unwrap();
    let a = admin(&db, "sys-a", Role::SystemAdmin).await;
    let b = admin(&db, "sys-b", Role::SystemAdmin).await;
    let pa = principal(&db, "sys-a").await;
    let pb = principal(&db, "sys-b").await;
    let (ca, cb) = (
        pa.capability::<cap::Accounts>().unwrap(),
        pb.capability::<cap::Accounts>().unwrap(),
    );
    let (aa, ab) = (pa.actor("local"), pb.actor("local"));
    let (r1, r2) = tokio::join!(
        auth::set_disabled(&db, NOW, &aa, &ca, &b, true),
        auth::set_disabled(&db, NOW, &ab, &cb, &a, true),
    );
    assert!(r1.is_ok() ^ r2.is_ok(), "{r1:?} {r2:?}");
    let refused = r1.err().or(r2.err()).unwrap();
    assert!(
        matches!(refused, Error::Conflict(ref m) if m.contains("最后一个")),
        "{refused:?}"
    );
    let enabled = auth::list_accounts(&db, Some("sys-"), 0, 10)
        .await
        .unwrap()
        .0
        .iter()
        .filter(|x| !x.disabled)
        .count();
    assert_eq!(enabled, 1);
}
