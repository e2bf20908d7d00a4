//! Accounts, sessions, roles and the scopes they grant (账号、会话与权限).
mod account;
mod admins;
pub mod cap;
mod grant;
mod login;
mod password;
mod policy;
mod principal;
mod role;
mod session;
mod throttle;

pub use account::{
    count_accounts, create_account, link_by_citizen_id, list_accounts, reset_password, set_disabled, Account,
    NewAccount,
};
pub(crate) use account::{get_account, link_person};
pub use admins::create_admin;
pub use grant::{grant_role, list_grants, revoke_grant, GrantRow};
pub use login::{expire_login_records, list_locks, login, unlock, LoginOk};
pub use password::{check_strength, hash_password, hash_password_async, verify_any, verify_password};
pub use policy::Policy;
pub use principal::{GrantInfo, Principal};
pub use role::{Power, Role};
pub use session::{authenticate, change_password, end_session_token, logout, session_csrf};
