//! The route registry: every route is added through `Routes`, which records
//! what it asks of its caller (`Need`) next to the route itself, so the list
//! the authorization matrix walks is the router and cannot drift from it.
use crate::AppState;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use tongpin_core::auth::Power;

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

/// One route: its method, its path as axum reads it (`/orgs/{id}`), its need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub method: Method,
    pub path: &'static str,
    pub need: Need,
}

/// The router being built and the specs of the routes added to it.
pub struct Routes {
    router: Router<AppState>,
    specs: Vec<Spec>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            specs: Vec::new(),
        }
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
        self.specs.push(Spec { method, path, need });
        // axum merges the methods of one path; a method added twice panics.
        self.router = self.router.route(path, route);
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.specs.extend(other.specs);
        self.router = self.router.merge(other.router);
        self
    }

    pub fn specs(&self) -> &[Spec] {
        &self.specs
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
