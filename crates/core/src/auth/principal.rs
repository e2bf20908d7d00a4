use super::{Power, Role};
use crate::audit::Actor;
use crate::org::Scope;

/// A role held on an organization (or globally, for the separated admins).
#[derive(Clone, Debug)]
pub struct GrantInfo {
    pub role: Role,
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub(crate) org_path: Option<String>,
}

/// A logged-in account. Only `authenticate` makes one, and only a principal
/// hands out scopes.
#[derive(Clone, Debug)]
pub struct Principal {
    pub account_id: String,
    pub username: String,
    pub display_name: String,
    /// The stored session id (a hash of the token), for logout.
    pub session_id: String,
    pub csrf: String,
    /// Why the password must be changed before anything else, if it must.
    pub must_change: Option<&'static str>,
    pub grants: Vec<GrantInfo>,
    /// The person on the roster this account belongs to, if linked.
    pub person_id: Option<String>,
}

impl Principal {
    /// The organizations this principal may act on with `power`, or `None`.
    pub fn scope(&self, power: Power) -> Option<Scope> {
        let mut paths = Vec::new();
        for g in self.grants.iter().filter(|g| g.role.powers().contains(&power)) {
            match &g.org_path {
                None => return Some(Scope::all()),
                Some(p) => paths.push(p.clone()),
            }
        }
        (!paths.is_empty()).then(|| Scope::subtrees(paths))
    }

    /// The admin capability `K`, if this principal holds its power.
    pub fn capability<K: super::cap::Capability>(&self) -> Option<K> {
        self.can(K::POWER).then(|| super::cap::for_holder(&self.account_id))
    }

    /// The admin kind (三员) this account holds, if any.
    pub fn admin_kind(&self) -> Option<Role> {
        self.grants.iter().map(|g| g.role).find(|r| r.is_separated_admin())
    }

    pub fn can(&self, power: Power) -> bool {
        self.grants.iter().any(|g| g.role.powers().contains(&power))
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// "系统管理员；支部书记（第一党支部）".
    pub fn roles_text(&self) -> String {
        let parts: Vec<String> = self
            .grants
            .iter()
            .map(|g| match &g.org_name {
                Some(o) => format!("{}（{o}）", g.role.label()),
                None => g.role.label().to_string(),
            })
            .collect();
        if parts.is_empty() {
            "未授权".into()
        } else {
            parts.join("；")
        }
    }

    pub fn actor(&self, addr: &str) -> Actor {
        Actor {
            id: Some(self.account_id.clone()),
            name: format!("{}（{}）", self.display_name, self.username),
            addr: addr.to_string(),
            scope: self.roles_text(),
        }
    }
}
