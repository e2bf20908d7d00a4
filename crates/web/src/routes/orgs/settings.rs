//! 规则设置: the numbers the rules call "usually" (优秀比例、支部党员上限、
//! 支委会委员人数), set by the top organization's 党务管理员 for its whole
//! tree; each change audited.
use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tongpin_core::auth::Power;
use tongpin_core::org::{self, share_label, RuleSettings};
use tongpin_core::rules::structure;
use tongpin_core::Error;

#[derive(Template)]
#[template(path = "orgs/settings.html")]
struct Page {
    shell: Shell,
    /// The top organization the numbers belong to, when the caller's scope
    /// holds it (only then may they be changed).
    top: Option<String>,
    s: RuleSettings,
    share: String,
    defaults: RuleSettings,
    default_share: String,
    max_seats: i64,
    min_members: i64,
    saved: bool,
    error: Option<String>,
    error_field: String,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SettingsForm {
    excellent_num: String,
    excellent_den: String,
    branch_max_members: String,
    committee_min_seats: String,
    committee_max_seats: String,
}

fn int(field: &str, raw: &str) -> Result<i64, Error> {
    raw.trim()
        .parse()
        .map_err(|_| Error::invalid(field, format!("“{}”不是整数，请填写数字", raw.trim())))
}

impl SettingsForm {
    fn to_settings(&self) -> Result<RuleSettings, Error> {
        Ok(RuleSettings {
            excellent: (
                int("优秀比例上限", &self.excellent_num)?,
                int("优秀比例上限", &self.excellent_den)?,
            ),
            branch_max_members: int("支部党员上限", &self.branch_max_members)?,
            committee_seats: (
                int("支委会委员人数", &self.committee_min_seats)?,
                int("支委会委员人数", &self.committee_max_seats)?,
            ),
        })
    }
}

async fn build(
    a: &Auth,
    shown: Option<RuleSettings>,
    saved: bool,
    error: Option<Error>,
) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ViewOrgs).await?;
    let db = &a.state.db;
    let manage = a.who.scope(Power::ManageOrgs);
    let top = match manage {
        Some(m) => org::top_in_scope(db, &m).await?,
        None => None,
    };
    let path = match &top {
        Some((_, _, path)) => Some(path.clone()),
        None => org::top_in_scope(db, &scope).await?.map(|t| t.2),
    };
    // Below the top, the numbers that hold for the caller's own organizations.
    let path = match path {
        Some(p) => Some(p),
        None => org::list(db, &scope).await?.first().map(|o| o.path.clone()),
    };
    let current = match path {
        Some(p) => org::rule_settings(db, &p).await?,
        None => RuleSettings::default(),
    };
    let s = shown.unwrap_or(current);
    let defaults = RuleSettings::default();
    let error_field = match &error {
        Some(Error::Invalid { field, .. }) => field.clone(),
        _ => String::new(),
    };
    Ok(Html(render(&Page {
        shell: Shell::new(a, "/orgs", &["组织管理", "组织架构", "规则设置"]),
        top: top.map(|t| t.1),
        share: share_label(s.excellent),
        s,
        default_share: share_label(defaults.excellent),
        defaults,
        max_seats: structure::COMMITTEE_MAX_SEATS,
        min_members: structure::BRANCH_MIN_FULL_MEMBERS,
        saved,
        error: error.map(|e| e.to_string()),
        error_field,
    })))
}

pub async fn page(a: Auth, Query(q): Query<SavedQuery>) -> Result<Html<String>, PageError> {
    Ok(build(&a, None, q.saved.is_some(), None).await?)
}

pub async fn save(a: Auth, Form(f): Form<SettingsForm>) -> Response {
    let r = async {
        let scope = a.require(Power::ManageOrgs).await?;
        let s = f.to_settings()?;
        org::set_rule_settings(&a.state.db, a.now(), &a.actor(), &scope, s).await
    }
    .await;
    match r {
        Ok(()) => Redirect::to("/orgs/settings?saved=1").into_response(),
        Err(e @ Error::Invalid { .. }) => {
            let shown = RuleSettings {
                excellent: (
                    f.excellent_num.trim().parse().unwrap_or(0),
                    f.excellent_den.trim().parse().unwrap_or(0),
                ),
                branch_max_members: f.branch_max_members.trim().parse().unwrap_or(0),
                committee_seats: (
                    f.committee_min_seats.trim().parse().unwrap_or(0),
                    f.committee_max_seats.trim().parse().unwrap_or(0),
                ),
            };
            match build(&a, Some(shown), false, Some(e)).await {
                Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}
