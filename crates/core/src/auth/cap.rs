//! Admin capabilities (管理能力): values that stand for "the caller may do
//! this admin job". The store functions that change accounts, grants and the
//! security policy, read the audit log and manage notification channels take
//! one as an argument, so no code path reaches them without it.
//!
//! None has a public constructor. A capability is made only by
//! `Principal::capability` (a logged-in account holding the power) or by
//! `command_line` (the `tongpin` command run on the server, its demo and
//! generated data, and tests); the web crate never calls the latter, which
//! `crates/web/tests/admins.rs` checks.
use super::{Power, Role};

mod sealed {
    /// Only this crate can name this, so only this crate can mint.
    pub struct Mint;
}

/// A kind of admin capability: the power it stands for.
pub trait Capability: Sized {
    const POWER: Power;
    #[doc(hidden)]
    fn mint(_: sealed::Mint, holder: Option<String>) -> Self;
    /// The account that holds it; `None` on the command line.
    fn holder(&self) -> Option<&str>;
    /// The admin kind (三员) whose job this is.
    fn kind(&self) -> Role {
        match Self::POWER {
            Power::ManageAccounts => Role::SystemAdmin,
            Power::ReadAudit => Role::AuditAdmin,
            _ => Role::SecurityAdmin,
        }
    }
}

macro_rules! capability {
    ($(#[$m:meta])* $name:ident, $power:expr) => {
        $(#[$m])*
        #[derive(Debug)]
        pub struct $name {
            holder: Option<String>,
        }

        impl Capability for $name {
            const POWER: Power = $power;
            fn mint(_: sealed::Mint, holder: Option<String>) -> Self {
                $name { holder }
            }
            fn holder(&self) -> Option<&str> {
                self.holder.as_deref()
            }
        }
    };
}

capability!(
    /// 账号管理 (the system admin): create, disable, reset, link accounts.
    Accounts,
    Power::ManageAccounts
);
capability!(
    /// 角色授权 (the security admin): grant and revoke business roles.
    Grants,
    Power::GrantRoles
);
capability!(
    /// 安全策略 (the security admin): the policy and login locks.
    Policy,
    Power::SetPolicy
);
capability!(
    /// 审计日志 (the audit admin): read the log.
    Audit,
    Power::ReadAudit
);
capability!(
    /// 通知渠道 (the security admin): manage the channels.
    Channels,
    Power::SetPolicy
);

/// Made by a principal that holds the power.
pub(super) fn for_holder<K: Capability>(account_id: &str) -> K {
    K::mint(sealed::Mint, Some(account_id.to_string()))
}

/// The command line's capability: whoever runs `tongpin` on the server
/// holds the database. Not for the web crate.
pub fn command_line<K: Capability>() -> K {
    K::mint(sealed::Mint, None)
}
