//! The walk behind tests/authz_matrix.rs: requests built from the registry,
//! objects chosen by the caller's scope, expectations per need.
mod assess;
mod objects;

use crate::common::{Resp, TestApp, T0};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use objects::{fixtures, kind_of, list, ok_records, second_kind, Object, MISSING};
use tongpin_core::auth::{authenticate, Power, Principal};
use tongpin_core::db::testing::copy_of;
use tongpin_web::{registry, Need, Spec};

const DEMO_PASSWORD: &str = "Tongpin@2026";
const BOUNDARY: &str = "matrixboundary";

/// Routes whose body is multipart (uploads); they take the CSRF token in the query.
const MULTIPART: &[&str] = &[
    "/people/import",
    "/dues/import",
    "/plan/import",
    "/life/meetings/new",
    "/life/meetings/{id}/edit",
    "/plan/tasks/{id}/progress",
    "/standards/{id}/orgs/{org}/check",
    "/standards/problems/{id}/report",
    "/standards/dispatches/{id}/report",
    "/api/v1/people/import",
    "/api/v1/dues/bases/import",
];

/// Changes only a superior makes: the object lies strictly below the
/// caller's organizations (a plan is reviewed by the organization above).
const BELOW_ONLY: &[&str] = &[
    "/study/plans/{id}/approve",
    "/study/plans/{id}/return",
    "/api/v1/study/plans/{id}/approve",
    "/api/v1/study/plans/{id}/return",
    "/standards/contacts/{id}/end",
    "/standards/contacts/{id}/visits",
    "/standards/visits/{id}/problem",
];

/// Changes only the staff of the object's direct superior make (隶属关系,
/// 分级负责): the organization itself and any higher one are refused.
const DIRECT_ONLY: &[&str] = &[
    "/standards/problems/{id}/verify",
    "/standards/applications/{id}/decide",
    "/standards/warnings/{id}/rectify",
    "/api/v1/problems/{id}/verify",
    "/api/v1/applications/{id}/decide",
    "/appeals/{id}/decide",
    "/api/v1/appeals/{id}/decide",
];

/// Changes only a transfer's receiving organization makes.
const RECEIVER_ONLY: &[&str] = &[
    "/transfers/{id}/accept",
    "/transfers/{id}/return",
    "/api/v1/transfers/{id}/accept",
    "/api/v1/transfers/{id}/return",
];

/// Changes only the top organization's admins make (the frequencies every
/// organization follows); anyone below is refused.
const TOP_ONLY: &[&str] = &["/life/frequencies"];

/// Pages and lists that show one organization chosen with `?org=`.
const ORG_PAGES: &[&str] = &[
    "/plan",
    "/plan/timeline",
    "/plan/matrix",
    "/plan/fusion",
    "/plan/export",
    "/plan/values",
    "/plan/start",
    "/life",
    "/life/compliance",
    "/life/supervision",
    "/life/supervision/export",
    "/life/ledger",
    "/life/ledger/export",
    "/dues/export",
    "/study/plans",
    "/study/plans/edit",
    "/study/review",
    "/study/records",
    "/study/records/batch",
    "/study/courses",
    "/api/v1/study/plans",
    "/api/v1/study/courses",
    "/standards/check",
    "/standards/ledger",
    "/standards/ledger/print",
    "/standards/ledger/export",
    "/standards/problems",
    "/standards/problems/print",
    "/standards/problems/export",
    "/duties",
    "/reports/edit",
    "/standards/warnings",
    "/standards/contacts",
    "/standards/training",
    "/standards/resources",
    "/assessments",
];

pub struct World {
    pub app: TestApp,
}

/// The demo and the fixtures, made once per test process; each world works
/// on a copy of its own, so one role's changes never reach another's walk.
static DEMO: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

impl World {
    pub async fn demo() -> World {
        let db = copy_of(&DEMO, |db| async move {
            tongpin_core::seed::seed_demo(&db, T0).await?;
            fixtures(&db).await;
            assess::fixtures(&db, T0).await;
            Ok(())
        })
        .await
        .expect("a copy of the demo database");
        World {
            app: TestApp::on(db, Default::default()),
        }
    }
}

/// A logged-in demo account: its cookie and CSRF token, its API token, and
/// what it may do.
struct Caller {
    user: String,
    cookie: String,
    csrf: String,
    token: String,
    who: Principal,
}

impl Caller {
    /// Whether the caller holds the need's power over the top organization.
    async fn at_top(&self, app: &TestApp, need: Need) -> bool {
        let orgs = list(&app.db, "org", &self.who.account_id).await;
        let top = orgs.iter().min_by_key(|o| o.paths.first().map_or(0, String::len));
        let reach = self.reaches(need.power(|p| self.who.can(p)), Reach::Scope);
        match (top, reach) {
            (Some(t), Some(r)) => t.within(&r),
            _ => false,
        }
    }

    fn meets(&self, need: Need) -> bool {
        need.met_by(|p| self.who.can(p), self.who.person_id.is_some())
    }

    /// Whether an organization path lies where the caller holds `power`
    /// (strictly below it, or right below where the caller is staff).
    fn reaches(&self, power: Option<Power>, reach: Reach) -> Option<impl Fn(&str) -> bool + '_> {
        let scope = power.and_then(|p| self.who.scope(p))?;
        Some(move |path: &str| match reach {
            Reach::Scope => scope.contains_path(path),
            Reach::Below => scope.contains_below(path),
            Reach::Direct => tongpin_core::standard::parent_path(path).is_some_and(|p| scope.holds_at(&p)),
        })
    }
}

/// What a request carries: a body its route may accept, or one no route can
/// parse (malformed JSON, a broken multipart, a form field holding U+0000).
#[derive(Clone, Copy, PartialEq)]
enum Payload {
    Plausible,
    Unparsable,
}

/// Where a route's object counts as the caller's own.
#[derive(Clone, Copy)]
enum Reach {
    Scope,
    Below,
    Direct,
}

fn reach_of(path: &str) -> Reach {
    if BELOW_ONLY.contains(&path) {
        Reach::Below
    } else if DIRECT_ONLY.contains(&path) {
        Reach::Direct
    } else {
        Reach::Scope
    }
}

async fn send(app: &TestApp, caller: Option<&Caller>, method: &Method, spec_path: &str, url: &str) -> Resp {
    send_with(app, caller, method, spec_path, url, Payload::Plausible).await
}

async fn send_with(
    app: &TestApp,
    caller: Option<&Caller>,
    method: &Method,
    spec_path: &str,
    url: &str,
    payload: Payload,
) -> Resp {
    let bad = payload == Payload::Unparsable;
    let api = url.starts_with("/api/");
    let multipart = MULTIPART.contains(&spec_path);
    let mut uri = url.to_string();
    let mut b = Request::builder()
        .method(method.clone())
        .header(header::HOST, "tongpin.test")
        .header(header::ORIGIN, "http://tongpin.test");
    let mut body = Body::empty();
    match caller {
        Some(c) if api => b = b.header(header::AUTHORIZATION, format!("Bearer {}", c.token)),
        Some(c) => b = b.header(header::COOKIE, &c.cookie),
        None => {}
    }
    let csrf = caller.map(|c| c.csrf.clone()).unwrap_or_default();
    if *method != Method::GET && *method != Method::DELETE {
        if multipart {
            let sep = if uri.contains('?') { '&' } else { '?' };
            uri = format!("{uri}{sep}_csrf={csrf}");
            b = b.header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            );
            body = Body::from(if bad {
                "not a multipart body".to_string()
            } else {
                format!("--{BOUNDARY}--\r\n")
            });
        } else if api {
            b = b.header(header::CONTENT_TYPE, "application/json");
            body = Body::from(if bad { "{\"" } else { "{}" });
        } else if bad {
            b = b
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("x-csrf-token", &csrf);
            body = Body::from("name=%00");
        } else {
            b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            body = Body::from(format!("_csrf={csrf}"));
        }
    } else if *method == Method::DELETE && !api {
        b = b.header("x-csrf-token", csrf);
    }
    app.send(b.uri(uri).body(body).unwrap()).await
}

fn params(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| s.starts_with('{')).collect()
}

/// The path with its parameters replaced by the objects' ids, in order.
fn fill(path: &str, ids: &[&str]) -> String {
    let mut ids = ids.iter();
    path.split('/')
        .map(|s| {
            if s.starts_with('{') {
                ids.next().copied().unwrap_or(MISSING)
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Ids for a route's parameters: the first names `first`, a further one of
/// the same organization when there is one, else one below the first's
/// (first) organization that the caller reaches (a branch under a standard's
/// publisher).
async fn ids_for(app: &TestApp, c: &Caller, s: &Spec, first: Option<&Object>) -> Vec<String> {
    let ps = params(s.path);
    let Some(o) = first else {
        return ps.iter().map(|_| MISSING.to_string()).collect();
    };
    let reach = c.reaches(s.need.power(|p| c.who.can(p)), Reach::Scope);
    let top = o.paths.first().cloned().unwrap_or_default();
    let below = |r: &Object| {
        r.paths
            .first()
            .is_some_and(|p| p.len() > top.len() && p.starts_with(top.as_str()))
            && reach.as_ref().is_some_and(|f| r.within(f))
    };
    let mut ids = vec![o.id.clone()];
    for p in ps.iter().skip(1) {
        let rows = list(&app.db, second_kind(p), &c.who.account_id).await;
        let same = rows
            .iter()
            .find(|r| r.paths == o.paths)
            .or_else(|| rows.iter().find(|r| below(r)))
            .or(rows.first());
        ids.push(same.map(|r| r.id.clone()).unwrap_or_else(|| MISSING.into()));
    }
    ids
}

fn line(c: &Caller, s: &Spec, case: &str, url: &str, r: &Resp) -> String {
    let text = r.text();
    let excerpt: String = text.chars().take(160).collect();
    format!(
        "{} {} {} [{case}] {url} → {}: {excerpt}",
        c.user, s.method, s.path, r.status
    )
}

fn passes(r: &Resp) -> bool {
    r.status.is_success() || r.status.is_redirection()
}

async fn check(app: &TestApp, c: &Caller, s: &Spec, bad: &mut Vec<String>) {
    let ps = params(s.path);
    let kind = ps.first().map(|_| kind_of(s.path));
    let rows = match kind {
        Some(k) => list(&app.db, k, &c.who.account_id).await,
        None => Vec::new(),
    };
    let get = s.method == Method::GET;
    if !c.meets(s.need) {
        let ids = ids_for(app, c, s, rows.first()).await;
        let url = fill(s.path, &ids.iter().map(String::as_str).collect::<Vec<_>>());
        // The need is checked before the body is read: a body no route could
        // parse still answers 403, not the parser's 4xx.
        let r = send_with(app, Some(c), &s.method, s.path, &url, Payload::Unparsable).await;
        if r.status != StatusCode::FORBIDDEN {
            bad.push(line(c, s, "lacks the need", &url, &r));
        }
        return;
    }
    let mut cases: Vec<(&str, Option<&Object>)> = Vec::new();
    if kind.is_none() {
        if get && ORG_PAGES.contains(&s.path) {
            return; // org_pages walks it with ?org=
        }
        cases.push(("no object", None));
    } else {
        cases.push(("missing", None));
        let power = s.need.power(|p| c.who.can(p));
        match (c.reaches(power, Reach::Scope), c.reaches(power, reach_of(s.path))) {
            (Some(reach), Some(inside)) => {
                cases.push(("outside", rows.iter().find(|o| !o.within(&reach))));
                cases.push((
                    "inside",
                    rows.iter()
                        .find(|o| o.owned_within(&inside, RECEIVER_ONLY.contains(&s.path))),
                ));
            }
            _ => cases.push(("inside", rows.first())),
        }
    }
    let mut missing = None;
    for (case, object) in cases {
        if case != "missing" && case != "no object" && object.is_none() {
            continue;
        }
        let ids = ids_for(app, c, s, object).await;
        let url = fill(s.path, &ids.iter().map(String::as_str).collect::<Vec<_>>());
        let before = ok_records(&app.db).await;
        let r = send(app, Some(c), &s.method, s.path, &url).await;
        let wrong = match case {
            _ if r.status.is_server_error() => true,
            "missing" => {
                missing = Some(r.status);
                passes(&r)
            }
            "outside" => passes(&r) || Some(r.status) != missing || ok_records(&app.db).await != before,
            _ if get => !passes(&r),
            _ if TOP_ONLY.contains(&s.path) && !c.at_top(app, s.need).await => r.status != StatusCode::FORBIDDEN,
            _ => r.status == StatusCode::FORBIDDEN,
        };
        if wrong {
            bad.push(line(c, s, case, &url, &r));
        }
    }
}

/// Pages showing the organization in `?org=`: one in the caller's scope
/// shows, one outside answers as one that does not exist.
async fn org_pages(app: &TestApp, c: &Caller, specs: &[Spec], bad: &mut Vec<String>) {
    let orgs = list(&app.db, "org", &c.who.account_id).await;
    for path in ORG_PAGES {
        let s = specs
            .iter()
            .find(|s| s.path == *path && s.method == Method::GET)
            .unwrap_or_else(|| panic!("{path} is not a GET route"));
        if !c.meets(s.need) {
            continue;
        }
        let Some(inside) = c.reaches(s.need.power(|p| c.who.can(p)), Reach::Scope) else {
            continue;
        };
        let url = |id: &str| format!("{path}?org={id}");
        let missing = send(app, Some(c), &s.method, path, &url(MISSING)).await;
        if passes(&missing) || missing.status.is_server_error() {
            bad.push(line(c, s, "?org= missing", &url(MISSING), &missing));
        }
        if let Some(o) = orgs.iter().find(|o| !o.within(&inside)) {
            let r = send(app, Some(c), &s.method, path, &url(&o.id)).await;
            if passes(&r) || r.status != missing.status {
                bad.push(line(c, s, "?org= outside", &url(&o.id), &r));
            }
        }
        if let Some(o) = orgs.iter().find(|o| o.within(&inside)) {
            let r = send(app, Some(c), &s.method, path, &url(&o.id)).await;
            if !passes(&r) {
                bad.push(line(c, s, "?org= inside", &url(&o.id), &r));
            }
        }
    }
}

/// Logging out or ending the API session would end the walk: last.
fn ends_session(s: &Spec) -> bool {
    s.path == "/logout" || (s.path == "/api/v1/session" && s.method == Method::DELETE)
}

pub async fn walk(w: &World, user: &str) {
    let app = &w.app;
    let br = app.browser(user, DEMO_PASSWORD).await;
    let token = app.token(user, DEMO_PASSWORD).await;
    let who = authenticate(&app.db, app.clock_now(), &token).await.unwrap();
    let c = Caller {
        user: user.into(),
        cookie: br.cookie,
        csrf: br.csrf,
        token,
        who,
    };
    let mut specs = registry();
    let mut bad = Vec::new();
    org_pages(app, &c, &specs, &mut bad).await;
    // Reads first, then changes, so a change cannot hide a read's answer.
    specs.sort_by_key(|s| (s.method != Method::GET, ends_session(s)));
    for s in specs.iter().filter(|s| s.need != Need::Anyone) {
        check(app, &c, s, &mut bad).await;
    }
    assert!(bad.is_empty(), "{} wrong answers:\n{}", bad.len(), bad.join("\n"));
}

/// Without a session every route but the public ones answers 401 (API) or
/// sends the browser to the login page.
pub async fn anonymous(w: &World) {
    let mut bad = Vec::new();
    for s in registry().iter().filter(|s| s.need != Need::Anyone) {
        let url = fill(s.path, &[]);
        let r = send(&w.app, None, &s.method, s.path, &url).await;
        let ok = if url.starts_with("/api/") {
            r.status == StatusCode::UNAUTHORIZED
        } else {
            r.status.is_redirection() && r.header("location").starts_with("/login")
        };
        if !ok {
            bad.push(format!("{} {} → {} {}", s.method, url, r.status, r.header("location")));
        }
    }
    assert!(bad.is_empty(), "anonymous callers let through:\n{}", bad.join("\n"));
}

/// The object kinds the routes take that have no row to try.
pub async fn empty_kinds(w: &World) -> Vec<&'static str> {
    let mut kinds: Vec<&'static str> = registry()
        .iter()
        .filter(|s| s.need != Need::Anyone)
        .flat_map(|s| {
            let ps = params(s.path);
            let first = ps.first().map(|_| kind_of(s.path));
            first
                .into_iter()
                .chain(ps.iter().skip(1).map(|p| second_kind(p)))
                .collect::<Vec<_>>()
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    let mut empty = Vec::new();
    for k in kinds {
        if list(&w.app.db, k, "").await.is_empty() {
            empty.push(k);
        }
    }
    empty
}
