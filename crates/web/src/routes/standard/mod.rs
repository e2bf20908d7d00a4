//! 标准化建设: building standards (建设标准), each organization's 摸底自查
//! with its evidence, the problem list (问题清单) closed only when the
//! direct superior verifies, applications and acceptance with grades
//! (达标验收), and the superior's ledger (提升定级 / 台账) with print and
//! Excel; the JSON API under /api/v1.
mod api;
mod api_cycle;
mod applications;
mod catalog;
mod check;
mod contacts;
mod decide;
mod dispatch;
mod edit;
mod ledger;
mod openapi;
mod openapi_safe;
mod problems;
mod sheets;
mod support;
mod warnings;

use super::registry::{Need, Routes};
use crate::extract::Auth;
use axum::http::Method;
use axum::routing::post;
use tongpin_core::auth::Power;
use tongpin_core::org::{Org, Scope};
use tongpin_core::standard::{parent_path, Standard, StandardStatus};

pub use openapi::openapi;

/// How many evidence files one answer or one report may carry.
pub const MAX_FILES: usize = 5;

pub fn routes(config: &crate::Config) -> Routes {
    let (view, manage) = (Need::Power(Power::ViewStandard), Need::Power(Power::ManageStandard));
    let evidence = || crate::upload::evidence_body_limit(config, MAX_FILES);
    Routes::new()
        .get("/standards", view, catalog::list)
        .get("/standards/new", manage, catalog::new_page)
        .post("/standards/new", manage, catalog::create)
        .get("/standards/check", view, check::entry)
        .get("/standards/ledger", view, ledger::page)
        .get("/standards/ledger/print", view, ledger::print)
        .get("/standards/ledger/export", view, sheets::ledger)
        .get("/standards/problems", view, problems::list)
        .get("/standards/problems/print", view, problems::print)
        .get("/standards/problems/export", view, sheets::problems)
        .get("/standards/problems/{id}", view, problems::detail)
        .with(
            Method::POST,
            "/standards/problems/{id}/report",
            manage,
            post(problems::report).layer(evidence()),
        )
        .post("/standards/problems/{id}/verify", manage, problems::verify)
        .post("/standards/problems/{id}/edit", manage, problems::update)
        .get("/standards/files/{id}", view, problems::file)
        .get("/standards/warnings", view, warnings::page)
        .get("/standards/warnings/{id}/rectify", manage, warnings::rectify_page)
        .post("/standards/warnings/{id}/rectify", manage, warnings::rectify)
        .get("/standards/contacts", view, contacts::list)
        .post("/standards/contacts/new", manage, contacts::create)
        .get("/standards/contacts/{id}", view, contacts::detail)
        .post("/standards/contacts/{id}/end", manage, contacts::end)
        .post("/standards/contacts/{id}/visits", manage, contacts::visit)
        .post("/standards/visits/{id}/problem", manage, contacts::to_problem)
        .get("/standards/dispatches", view, dispatch::list)
        .post("/standards/dispatches/new", manage, dispatch::create)
        .get("/standards/dispatches/{id}", view, dispatch::detail)
        .with(
            Method::POST,
            "/standards/dispatches/{id}/report",
            manage,
            post(dispatch::report).layer(evidence()),
        )
        .post(
            "/standards/dispatch-reports/{id}/follow-up",
            manage,
            dispatch::follow_up,
        )
        .get("/standards/training", view, support::training_list)
        .post("/standards/training/new", manage, support::training_add)
        .get("/standards/resources", view, support::resources_list)
        .post("/standards/resources", manage, support::resources_save)
        .get("/standards/applications", view, applications::list)
        .post("/standards/applications/batch", manage, applications::batch)
        .get("/standards/applications/{id}", view, applications::detail)
        .post("/standards/applications/{id}/decide", manage, decide::decide)
        .post("/standards/applications/{id}/withdraw", manage, applications::withdraw)
        .get("/standards/{id}", view, catalog::detail)
        .get("/standards/{id}/edit", manage, edit::page)
        .post("/standards/{id}/edit", manage, edit::save)
        .post("/standards/{id}/publish", manage, catalog::publish)
        .post("/standards/{id}/version", manage, catalog::version)
        .post("/standards/{id}/delete", manage, catalog::delete)
        .get("/standards/{id}/orgs/{org}", view, check::page)
        .with(
            Method::POST,
            "/standards/{id}/orgs/{org}/check",
            manage,
            post(check::save).layer(evidence()),
        )
        .post("/standards/{id}/problems", manage, check::add_problem)
        .post("/standards/{id}/apply", manage, check::apply)
        .post("/standards/{id}/return-list", manage, check::return_list)
        .post("/standards/{id}/resubmit", manage, check::resubmit)
        .post("/standards/{id}/move-back", manage, check::move_back)
        .get("/api/v1/standards", view, api::list)
        .post("/api/v1/standards", manage, api::create)
        .get("/api/v1/standards/{id}", view, api::get)
        .post("/api/v1/standards/{id}/publish", manage, api::publish)
        .get("/api/v1/orgs/{id}/self-check", view, api::self_check)
        .put(
            "/api/v1/orgs/{id}/self-check/{standard_id}/items/{code}",
            manage,
            api::set_item,
        )
        .get("/api/v1/orgs/{id}/standard-ledger", view, api::ledger)
        .get("/api/v1/orgs/{id}/weak-orgs", view, warnings::api)
        .get("/api/v1/problems", view, api_cycle::problems)
        .post("/api/v1/problems", manage, api_cycle::create_problem)
        .get("/api/v1/problems/{id}", view, api_cycle::problem)
        .post("/api/v1/problems/{id}/report", manage, api_cycle::report)
        .post("/api/v1/problems/{id}/verify", manage, api_cycle::verify)
        .get("/api/v1/applications", view, api_cycle::list_applications)
        .post("/api/v1/applications", manage, api_cycle::apply)
        .get("/api/v1/applications/{id}", view, api_cycle::application)
        .post("/api/v1/applications/{id}/decide", manage, api_cycle::decide)
}

/// This year in Beijing.
pub fn this_year(a: &Auth) -> i64 {
    i64::from(chrono::Datelike::year(
        &tongpin_core::clock::beijing(a.now()).date_naive(),
    ))
}

/// Today in Beijing, YYYY-MM-DD.
pub fn today(a: &Auth) -> String {
    tongpin_core::clock::beijing(a.now()).date_naive().to_string()
}

/// What the caller may do on one organization's cycle.
#[derive(Clone, Copy, Debug, Default)]
pub struct Can {
    /// Self-check, list and rectify problems, apply: ManageStandard over the organization.
    pub manage: bool,
    /// Verify, decide, return the list, move back: the staff of its direct superior.
    pub superior: bool,
}

impl Can {
    pub fn of(a: &Auth, org: &Org) -> Can {
        match a.who.scope(Power::ManageStandard) {
            Some(s) => Can {
                manage: s.contains_path(&org.path) && org.dissolved_at.is_none(),
                superior: direct_superior(&s, &org.path),
            },
            None => Can::default(),
        }
    }
}

/// Whether the scope's holder is the staff of the direct superior of the organization at `path`.
pub fn direct_superior(scope: &Scope, path: &str) -> bool {
    parent_path(path).is_some_and(|p| scope.holds_at(&p))
}

/// Whether the caller may change the standard itself (its publisher in the ManageStandard scope).
pub fn manages(a: &Auth, s: &Standard) -> bool {
    a.who
        .scope(Power::ManageStandard)
        .is_some_and(|sc| sc.contains_path(&s.org_path))
}

/// The standard's status tag: (label, colour).
pub fn standard_tag(s: &Standard) -> (&'static str, &'static str) {
    match s.status() {
        StandardStatus::Draft => ("草稿", "grey"),
        StandardStatus::Published => ("已发布", "green"),
        StandardStatus::Superseded => ("已被新版本取代", "gold"),
    }
}

/// A ledger status's tag colour.
pub fn status_tone(code: &str) -> &'static str {
    match code {
        "accepted" => "green",
        "applied" | "met" => "gold",
        "not_met" => "red",
        _ => "grey",
    }
}

/// A grade's short label: ⅰ级, ⅱ级, ⅲ级.
pub fn grade_short(code: &str) -> &'static str {
    match code {
        "i" => "ⅰ级",
        "ii" => "ⅱ级",
        "iii" => "ⅲ级",
        _ => "—",
    }
}

/// A moment as the pages read it: 2026年11月28日 14:30:00 (Beijing).
pub fn when(ms: i64) -> String {
    crate::fmt::cn_dates_in(&tongpin_core::clock::format_beijing(ms))
}

/// "82.5%" from basis points.
pub fn share_text(bp: i64) -> String {
    let whole = bp / 100;
    let frac = (bp % 100).abs();
    if frac == 0 {
        format!("{whole}%")
    } else if frac % 10 == 0 {
        format!("{whole}.{}%", frac / 10)
    } else {
        format!("{whole}.{frac:02}%")
    }
}

/// A problem status's tag colour.
pub fn problem_tone(code: &str) -> &'static str {
    match code {
        "closed" => "green",
        "reported" => "gold",
        _ => "red",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shares_read_as_percentages() {
        assert_eq!(super::share_text(7_500), "75%");
        assert_eq!(super::share_text(8_250), "82.5%");
        assert_eq!(super::share_text(6_666), "66.66%");
        assert_eq!(super::share_text(0), "0%");
    }
}
