//! Nobody sees a control they cannot use (ui.md): each demo role walks the
//! pages it can reach from its menu, and every link and form on them must
//! lead somewhere the role is allowed (never a 403 after a click).
mod common;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{Browser, TestApp};
use std::collections::{BTreeSet, VecDeque};

const DEMO_PASSWORD: &str = "Tongpin@2026";
/// Pages walked per role (one page per route shape).
const MAX_PAGES: usize = 120;

/// `href="…"` and `<form … action="…" method="…">` targets of a page:
/// (method, url).
fn targets(html: &str) -> Vec<(Method, String)> {
    let mut out = Vec::new();
    for part in html.split("href=\"").skip(1) {
        if let Some(url) = part.split('"').next() {
            out.push((Method::GET, url.replace("&amp;", "&")));
        }
    }
    for form in html.split("<form").skip(1) {
        let tag = form.split('>').next().unwrap_or("");
        let attr = |name: &str| {
            tag.split(&format!("{name}=\""))
                .nth(1)
                .and_then(|v| v.split('"').next())
                .map(|v| v.replace("&amp;", "&"))
        };
        let method = match attr("method").as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("post") => Method::POST,
            _ => Method::GET,
        };
        // A form without an action goes back to its own page.
        if let Some(action) = attr("action").filter(|a| !a.is_empty()) {
            out.push((method, action));
        }
    }
    out
}

/// The route a URL belongs to: ids (anything with a digit and a dash, or
/// long hex) become {id}, the query is dropped.
fn shape(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    path.split('/')
        .map(|seg| {
            let digits = seg.chars().filter(char::is_ascii_digit).count();
            if (seg.contains('-') && digits >= 4) || (seg.len() >= 16 && digits > 0) {
                "{id}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn ours(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/assets/") && url != "/logout"
}

async fn send(app: &TestApp, br: &Browser, method: Method, url: &str) -> (StatusCode, String) {
    let mut b = Request::builder()
        .method(method.clone())
        .uri(url)
        .header(header::COOKIE, &br.cookie)
        .header(header::HOST, "tongpin.test")
        .header(header::ORIGIN, "http://tongpin.test");
    let body = if method == Method::POST {
        b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        Body::from(format!("_csrf={}", br.csrf))
    } else {
        Body::empty()
    };
    let r = app.send(b.body(body).unwrap()).await;
    (r.status, r.text())
}

/// Walks a role's pages; returns the controls that answered 403, as
/// "page → METHOD url".
async fn forbidden_controls(app: &TestApp, user: &str) -> Vec<String> {
    let br = app.browser(user, DEMO_PASSWORD).await;
    let mut seen_pages = BTreeSet::new();
    let mut checked = BTreeSet::new();
    let mut queue = VecDeque::from([("/".to_string(), "/".to_string())]);
    let mut bad = Vec::new();
    while let Some((from, url)) = queue.pop_front() {
        if seen_pages.len() >= MAX_PAGES {
            break;
        }
        if !seen_pages.insert(shape(&url)) {
            continue;
        }
        let (status, html) = send(app, &br, Method::GET, &url).await;
        if status == StatusCode::FORBIDDEN {
            bad.push(format!("{from} → GET {url}"));
            continue;
        }
        if status != StatusCode::OK {
            continue;
        }
        for (method, target) in targets(&html) {
            if !ours(&target) {
                continue;
            }
            if method == Method::GET {
                queue.push_back((url.clone(), target));
            } else if checked.insert(shape(&target)) {
                // A post with nothing but the CSRF token: refused for want
                // of power before anything else, or for want of fields.
                let (status, _) = send(app, &br, method, &target).await;
                if status == StatusCode::FORBIDDEN {
                    bad.push(format!("{url} → POST {target}"));
                }
            }
        }
    }
    bad
}

#[tokio::test]
async fn no_role_sees_a_link_or_button_it_may_not_use() {
    let app = TestApp::new().await;
    tongpin_core::seed::seed_demo(&app.db, app.clock_now()).await.unwrap();
    let mut report = Vec::new();
    // The roles that change others' accounts and grants walk last.
    for user in ["dangyuan", "shuji", "dangwei", "shenji", "anquan", "admin"] {
        for b in forbidden_controls(&app, user).await {
            report.push(format!("{user}: {b}"));
        }
    }
    assert!(report.is_empty(), "controls that answer 403:\n{}", report.join("\n"));
}

#[tokio::test]
async fn the_member_menu_holds_only_what_a_member_can_do() {
    let app = TestApp::new().await;
    tongpin_core::seed::seed_demo(&app.db, app.clock_now()).await.unwrap();
    let br = app.browser("dangyuan", DEMO_PASSWORD).await;
    let home = app.get("/", Some(&br.cookie)).await.text();
    let menu = home.split("</nav>").next().unwrap_or("");
    for item in ["我的工作台", "三会一课", "学习记录", "年度计划"] {
        assert!(menu.contains(item), "{item}: {menu}");
    }
    for item in ["频次设置", "督查", "党员名册", "账号管理", "指标填报", "换届提醒"] {
        assert!(!menu.contains(item), "{item} in the member's menu: {menu}");
    }
}
