//! Accounts, sessions, roles and the scopes they grant (账号、会话与权限).
mod account;
mod grant;
mod password;
mod policy;
mod principal;
mod role;
mod session;

pub use account::{
    count_accounts, create_account, get_account, link_person, link_person_by_citizen_id, list_accounts, reset_password,
    set_disabled, Account, NewAccount,
};
pub use grant::{grant_role, list_grants, revoke_grant, GrantRow};
pub use password::{check_strength, hash_password, verify_password};
pub use policy::Policy;
pub use principal::{GrantInfo, Principal};
pub use role::{Power, Role};
pub use session::{
    authenticate, change_password, end_session_token, list_locks, login, logout, session_csrf, unlock, LoginOk,
};
