//! Roles are inherited down the organization tree, and the three admin
//! powers stay apart.
use tongpin_core::audit::Actor;
use tongpin_core::auth::{self, NewAccount, Power, Role};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::{self, NewOrg};
use tongpin_core::Error;

const NOW: i64 = 1_790_000_000_000;

fn cli() -> Actor {
    Actor::anonymous("测试", "local")
}

async fn account(db: &Db, username: &str) -> String {
    let new = NewAccount {
        username: username.into(),
        display_name: "测试".into(),
        password: "Passw0rd!x".into(),
        must_change: false,
    };
    auth::create_account(db, NOW, &cli(), new).await.unwrap()
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
    let sys_id = account(&db, "sys").await;
    auth::grant_role(&db, NOW, &cli(), &sys_id, Role::SystemAdmin, None)
        .await
        .unwrap();
    let sys = principal(&db, "sys").await.scope(Power::ManageOrgs).unwrap();
    let t = tree(&db, &sys).await;

    let id = account(&db, "zongzhi").await;
    auth::grant_role(&db, NOW, &cli(), &id, Role::OrgAdmin, Some(&t.a))
        .await
        .unwrap();
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
    let id = account(&db, "one").await;
    auth::grant_role(&db, NOW, &cli(), &id, Role::SystemAdmin, None)
        .await
        .unwrap();
    for other in [Role::SecurityAdmin, Role::AuditAdmin] {
        let e = auth::grant_role(&db, NOW, &cli(), &id, other, None).await.unwrap_err();
        assert!(matches!(e, Error::Conflict(ref m) if m.contains("三权分立")), "{e:?}");
    }
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
    assert!(auth::grant_role(&db, NOW, &cli(), &id, Role::OrgAdmin, Some(&root))
        .await
        .is_err());
    let two = account(&db, "two").await;
    auth::grant_role(&db, NOW, &cli(), &two, Role::OrgAdmin, Some(&root))
        .await
        .unwrap();
    assert!(auth::grant_role(&db, NOW, &cli(), &two, Role::AuditAdmin, None)
        .await
        .is_err());
    // Admin roles take no organization; business roles need one.
    let three = account(&db, "three").await;
    assert!(matches!(
        auth::grant_role(&db, NOW, &cli(), &three, Role::AuditAdmin, Some(&root)).await,
        Err(Error::Invalid { .. })
    ));
    assert!(matches!(
        auth::grant_role(&db, NOW, &cli(), &three, Role::Member, None).await,
        Err(Error::Invalid { .. })
    ));

    // Each admin's powers.
    let p = principal(&db, "one").await;
    assert!(
        p.can(Power::ManageAccounts)
            && !p.can(Power::ReadAudit)
            && !p.can(Power::SetPolicy)
            && !p.can(Power::GrantRoles)
    );
}
