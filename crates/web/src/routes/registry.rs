//! The route registry: every route is added through `Routes`, which records
//! what it asks of its caller (`Need`) next to the route itself, so the list
//! the authorization matrix walks is the router and cannot drift from it.
//! The need is also checked here, in a layer before the handler, so a caller
//! without it is refused (403, audited) before any extractor reads the body.
use crate::extract::{bearer_token, Auth, Checked};
use crate::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use tongpin_core::auth::Power;
use tongpin_core::plan::tokens;
use tongpin_core::Error;

/// What a route asks of its caller before it does anything for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// No session: the login page, health, assets, the OpenAPI document.
    Anyone,
    /// Any logged-in account (its own password, to-dos, the work bench).
    Login,
    /// The power, in the scope the caller holds it (the object must be in it).
    Power(Power),
    /// One of several powers; the request says which (a picker's `for=`,
    /// an import's kind), a caller holding none of them is refused.
    AnyOf(&'static [Power]),
    /// An account linked to a person on the roster, acting for themself.
    Linked,
    /// The power in scope, or the linked person the object is about (a task
    /// assigned to them, their own study year).
    PowerOrLinked(Power),
    /// A session holding `EnterKpi`, or a KPI token of the KPI's organization.
    KpiToken,
}

impl Need {
    /// Whether a caller meets the need at all, before any object is looked
    /// at: `has` tells whether they hold a power anywhere, `linked` whether
    /// their account is linked to a person on the roster.
    pub fn met_by(self, has: impl Fn(Power) -> bool, linked: bool) -> bool {
        match self {
            Need::Anyone | Need::Login => true,
            Need::Power(p) => has(p),
            Need::AnyOf(ps) => ps.iter().any(|p| has(*p)),
            Need::Linked => linked,
            Need::PowerOrLinked(p) => linked || has(p),
            Need::KpiToken => has(Power::EnterKpi),
        }
    }

    /// The power whose scope decides which objects the route reaches.
    pub fn power(self, has: impl Fn(Power) -> bool) -> Option<Power> {
        match self {
            Need::Power(p) | Need::PowerOrLinked(p) => Some(p),
            Need::AnyOf(ps) => ps.iter().copied().find(|p| has(*p)),
            Need::KpiToken => Some(Power::EnterKpi),
            Need::Anyone | Need::Login | Need::Linked => None,
        }
    }
}

/// Refuses a logged-in caller who does not meet the route's need, before the
/// handler and its extractors run; no session answers as `Auth` does (401 or
/// the login page). The handler still asks for its scope: this checks only
/// that the caller holds the power somewhere.
async fn check_need(State((state, need)): State<(AppState, Need)>, req: Request, next: Next) -> Response {
    let kpi_token =
        need == Need::KpiToken && bearer_token(req.headers()).is_some_and(|t| t.starts_with(tokens::PREFIX));
    if matches!(need, Need::Anyone | Need::Login) || kpi_token {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let a = match Auth::from_request_parts(&mut parts, &state).await {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    if !need.met_by(|p| a.who.can(p), a.who.person_id.is_some()) {
        let e = match need {
            Need::Linked => {
                Error::Forbidden("您的账号未关联名册中的人员，不能办理本人事项；请联系党务管理员关联".into())
            }
            _ => a.deny_for(&need.lacking()).await,
        };
        return a.refusal(e);
    }
    parts.extensions.insert(Checked(a.who));
    next.run(Request::from_parts(parts, body)).await
}

impl Need {
    /// What a caller who does not meet the need lacks, in words.
    fn lacking(self) -> String {
        match self {
            Need::Power(p) | Need::PowerOrLinked(p) => p.label().to_string(),
            Need::AnyOf(ps) => ps.iter().map(|p| p.label()).collect::<Vec<_>>().join("或"),
            Need::KpiToken => Power::EnterKpi.label().to_string(),
            Need::Anyone | Need::Login | Need::Linked => String::new(),
        }
    }
}

/// One route: its method, its path as axum reads it (`/orgs/{id}`), its need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub method: Method,
    pub path: &'static str,
    pub need: Need,
}

/// The routes being gathered, each with its spec; `into_router` puts each
/// behind the check of its need.
pub struct Routes {
    routes: Vec<(Spec, MethodRouter<AppState>)>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    pub fn new() -> Routes {
        Routes { routes: Vec::new() }
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, h: H) -> Routes {
        self.with(Method::GET, path, need, on(MethodFilter::GET, h))
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, h: H) -> Routes {
        self.with(Method::POST, path, need, on(MethodFilter::POST, h))
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, h: H) -> Routes {
        self.with(Method::PUT, path, need, on(MethodFilter::PUT, h))
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, need: Need, h: H) -> Routes {
        self.with(Method::DELETE, path, need, on(MethodFilter::DELETE, h))
    }

    /// A route whose method router carries a layer (an evidence body limit);
    /// `route` must answer `method` only.
    pub fn with(mut self, method: Method, path: &'static str, need: Need, route: MethodRouter<AppState>) -> Routes {
        self.routes.push((Spec { method, path, need }, route));
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.routes.extend(other.routes);
        self
    }

    pub fn specs(&self) -> Vec<Spec> {
        self.routes.iter().map(|(s, _)| s.clone()).collect()
    }

    /// The router: each route behind the check of its need (outermost, so
    /// before a route's own layers and its extractors).
    pub fn into_router(self, state: &AppState) -> Router<AppState> {
        self.routes.into_iter().fold(Router::new(), |router, (spec, route)| {
            let guarded = route.route_layer(from_fn_with_state((state.clone(), spec.need), check_need));
            // axum merges the methods of one path; a method added twice panics.
            router.route(spec.path, guarded)
        })
    }
}
