//! TestApp: the Router in-process on a fresh database (SQLite, or PostgreSQL
//! when TONGPIN_TEST_PG is set) with a clock the test moves.
#![allow(dead_code)]
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tongpin_core::audit::Actor;
use tongpin_core::auth::{self, cap, NewAccount, Role};
use tongpin_core::clock::ManualClock;
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::org::NewOrg;
use tongpin_web::{AppState, Config};
use tower::ServiceExt;

pub const PW: &str = "Passw0rd!x";
pub const T0: i64 = 1_790_000_000_000;

pub struct TestApp {
    pub db: Db,
    pub clock: Arc<ManualClock>,
    pub router: axum::Router,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

/// A browser: the session cookie and the page's CSRF token.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

fn cli() -> Actor {
    Actor::anonymous("测试", "local")
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::with_config(Config::default()).await
    }

    pub async fn with_config(config: Config) -> TestApp {
        Self::on(fresh_db().await.expect("test database"), config)
    }

    /// The application on a database made elsewhere (a copy of a shared template).
    pub fn on(db: Db, config: Config) -> TestApp {
        let clock = Arc::new(ManualClock::new(T0));
        let state = AppState::new(db.clone(), clock.clone(), config);
        TestApp {
            router: tongpin_web::router(state),
            db,
            clock,
        }
    }

    /// An account with a role; its password (PW) is its own (no forced change).
    pub async fn account(&self, username: &str, role: Role, org: Option<&str>) -> String {
        let new = NewAccount {
            username: username.into(),
            display_name: format!("{username}姓名"),
            password: PW.into(),
            must_change: false,
        };
        let now = self.clock_now();
        if role.is_separated_admin() {
            return auth::create_admin(&self.db, now, &cli(), new, role).await.unwrap();
        }
        let id = auth::create_account(&self.db, now, &cli(), &cap::command_line(), new)
            .await
            .unwrap();
        auth::grant_role(&self.db, now, &cli(), &cap::command_line(), &id, role, org)
            .await
            .unwrap();
        id
    }

    pub fn clock_now(&self) -> i64 {
        use tongpin_core::clock::Clock;
        self.clock.now_ms()
    }

    /// 党委 > (总支A > 支部A1, 总支B > 支部B1); returns (root, a, a1, b, b1).
    pub async fn tree(&self) -> (String, String, String, String, String) {
        let sys = self.account("tree-sys", Role::SystemAdmin, None).await;
        let _ = sys;
        let ok = auth::login(&self.db, self.clock_now(), "tree-sys", PW, "api", "local")
            .await
            .unwrap();
        let p = auth::authenticate(&self.db, self.clock_now(), &ok.token).await.unwrap();
        let scope = p.scope(auth::Power::ManageOrgs).unwrap();
        let mk = |n: &str, k: &str, parent: Option<&String>| NewOrg {
            name: n.into(),
            kind: k.into(),
            parent_id: parent.cloned(),
            founded_on: None,
        };
        let now = self.clock_now();
        let root = tongpin_core::org::create(&self.db, now, &cli(), &scope, mk("机关党委", "committee", None))
            .await
            .unwrap();
        let a = tongpin_core::org::create(
            &self.db,
            now,
            &cli(),
            &scope,
            mk("总支A", "general_branch", Some(&root)),
        )
        .await
        .unwrap();
        let a1 = tongpin_core::org::create(&self.db, now, &cli(), &scope, mk("支部A1", "branch", Some(&a)))
            .await
            .unwrap();
        let b = tongpin_core::org::create(
            &self.db,
            now,
            &cli(),
            &scope,
            mk("总支B", "general_branch", Some(&root)),
        )
        .await
        .unwrap();
        let b1 = tongpin_core::org::create(&self.db, now, &cli(), &scope, mk("支部B1", "branch", Some(&b)))
            .await
            .unwrap();
        (root, a, a1, b, b1)
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Resp { status, headers, body }
    }

    /// A JSON call with an optional bearer token.
    pub async fn api(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        };
        self.send(req.unwrap()).await
    }

    pub async fn raw_json(&self, method: Method, path: &str, token: &str, body: impl Into<Body>) -> Resp {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.into())
            .unwrap();
        self.send(req).await
    }

    pub async fn token(&self, username: &str, password: &str) -> String {
        let r = self
            .api(
                Method::POST,
                "/api/v1/session",
                None,
                Some(serde_json::json!({ "username": username, "password": password })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.text());
        r.json()["token"].as_str().unwrap().to_string()
    }

    /// Logs in through the login form and reads the CSRF token from a page.
    pub async fn browser(&self, username: &str, password: &str) -> Browser {
        let r = self
            .form_raw("/login", &[("username", username), ("password", password)], None)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login {username}: {}", r.text());
        let set = r.header("set-cookie");
        let cookie = set.split(';').next().unwrap().to_string();
        let page = self.get("/password", Some(&cookie)).await;
        let csrf = page
            .text()
            .split("name=\"csrf-token\" content=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        Browser { cookie, csrf }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Resp {
        let mut b = Request::builder().uri(path);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// A form post as a browser on this site sends it (Origin = Host).
    pub async fn form_raw(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, "tongpin.test")
            .header(header::ORIGIN, "http://tongpin.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// A form post from a logged-in browser, with its CSRF token.
    pub async fn form(&self, br: &Browser, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, &str)> = vec![("_csrf", br.csrf.as_str())];
        all.extend_from_slice(fields);
        self.form_raw(path, &all, Some(&br.cookie)).await
    }

    pub async fn audit_actions(&self) -> Vec<(String, String, String)> {
        tongpin_core::audit::list(
            &self.db,
            &tongpin_core::auth::cap::command_line(),
            &tongpin_core::audit::Filter::default(),
            0,
            10_000,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.action, r.object, r.result))
        .collect()
    }
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
