//! Fixtures the store tests share.
#![allow(dead_code)]
use tongpin_core::audit::Actor;
use tongpin_core::auth::{self, cap, NewAccount, Power, Role};
use tongpin_core::db::Db;
use tongpin_core::org::Scope;

/// The command line as the actor.
pub fn cli() -> Actor {
    Actor::anonymous("测试", "local")
}

/// A citizen ID: the 17 digits given and their GB 11643 check digit.
pub fn id_with_check(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17
        .chars()
        .filter_map(|c| c.to_digit(10))
        .zip(W)
        .map(|(d, w)| d * w)
        .sum();
    format!("{first17}{}", C[(sum % 11) as usize])
}

/// An account holding `role` (on `org`, for a business role), made as the
/// command line makes it.
pub async fn account_with_role(db: &Db, now: i64, new: NewAccount, role: Role, org: Option<&str>) -> String {
    if role.is_separated_admin() {
        return auth::create_admin(db, now, &cli(), new, role).await.unwrap();
    }
    let id = auth::create_account(db, now, &cli(), &cap::command_line(), new)
        .await
        .unwrap();
    auth::grant_role(db, now, &cli(), &cap::command_line(), &id, role, org)
        .await
        .unwrap();
    id
}

/// An account with `role` on `org`, logged in, and the scope it holds for `power`.
pub async fn scope_of(db: &Db, now: i64, username: &str, role: Role, org: Option<&str>, power: Power) -> Scope {
    let new = NewAccount {
        username: username.into(),
        display_name: "测试".into(),
        password: "Passw0rd!x".into(),
        must_change: false,
    };
    account_with_role(db, now, new, role, org).await;
    let ok = auth::login(db, now, username, "Passw0rd!x", "api", "local")
        .await
        .unwrap();
    auth::authenticate(db, now, &ok.token)
        .await
        .unwrap()
        .scope(power)
        .unwrap()
}

/// Builds an organization tree as a system admin.
pub struct Orgs {
    db: Db,
    now: i64,
    sys: Scope,
    founded_on: Option<String>,
}

impl Orgs {
    /// Logs in a system admin ("sys") to create the organizations.
    pub async fn new(db: &Db, now: i64) -> Orgs {
        let sys = scope_of(db, now, "sys", Role::SystemAdmin, None, Power::ManageOrgs).await;
        Orgs {
            db: db.clone(),
            now,
            sys,
            founded_on: None,
        }
    }

    /// Organizations created from here on were founded on `date` (YYYY-MM-DD).
    pub fn founded(mut self, date: &str) -> Orgs {
        self.founded_on = Some(date.into());
        self
    }

    /// Creates an organization and returns its id.
    pub async fn add(&self, name: &str, kind: &str, parent: Option<&String>) -> String {
        let new = tongpin_core::org::NewOrg {
            name: name.into(),
            kind: kind.into(),
            parent_id: parent.cloned(),
            founded_on: self.founded_on.clone(),
        };
        tongpin_core::org::create(&self.db, self.now, &cli(), &self.sys, new)
            .await
            .unwrap()
    }
}
