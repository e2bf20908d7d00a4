//! The world of these tests: 机关党委 > 总支A (the assessor) > 支部A1 (the
//! target), 总支B > 支部B1; an 组织管理员 at each; one assessment of 支部A1
//! by 总支A with a masses item (M1) and an entered item (E1).
#![allow(dead_code)]
use crate::common::{TestApp, PW};
use tongpin_core::assess::{setup, NewAssessment, NewIndicator};
use tongpin_core::audit::Actor;
use tongpin_core::auth::{self, Power, Role};
use tongpin_core::org::Scope;
use tongpin_core::with_db;

pub struct World {
    pub app: TestApp,
    pub root: String,
    pub a: String,
    pub a1: String,
    pub b: String,
    pub b1: String,
    /// The assessment of 支部A1 by 总支A.
    pub id: String,
}

pub fn cli() -> Actor {
    Actor::anonymous("测试", "local")
}

/// The scope `username` holds `power` in.
pub async fn scope_of(app: &TestApp, username: &str, power: Power) -> Scope {
    let ok = auth::login(&app.db, app.clock_now(), username, PW, "api", "local")
        .await
        .unwrap();
    let p = auth::authenticate(&app.db, app.clock_now(), &ok.token).await.unwrap();
    p.scope(power).unwrap()
}

pub fn ind(code: &str, kind: &str, full: &str, masses: bool) -> NewIndicator {
    NewIndicator {
        code: code.into(),
        dimension: "党建工作".into(),
        title: format!("指标{code}"),
        full_points: full.into(),
        kind: kind.into(),
        raters: if masses {
            vec![("masses".into(), "1".into())]
        } else {
            Vec::new()
        },
        ..NewIndicator::default()
    }
}

/// An assessment by 总支A of its branch, with these indicators.
pub async fn assessment(app: &TestApp, a: &str, a1: &str, title: &str, inds: Vec<NewIndicator>) -> String {
    let scope = scope_of(app, "adm-a", Power::ManageAssessment).await;
    let new = NewAssessment {
        org_id: a.into(),
        title: title.into(),
        period: "2026".into(),
        subject: "orgs".into(),
        target_ids: vec![a1.into()],
        indicators: inds,
        ..NewAssessment::default()
    };
    setup::create(&app.db, app.clock_now(), &cli(), &scope, new)
        .await
        .unwrap()
}

pub async fn world() -> World {
    let app = TestApp::new().await;
    let (root, a, a1, b, b1) = app.tree().await;
    for (u, org) in [
        ("adm-root", &root),
        ("adm-a", &a),
        ("adm-a1", &a1),
        ("adm-b", &b),
        ("adm-b1", &b1),
    ] {
        app.account(u, Role::OrgAdmin, Some(org)).await;
    }
    let inds = vec![ind("M1", "rated", "10", true), ind("E1", "entered", "90", false)];
    let id = assessment(&app, &a, &a1, "2026年度党支部考核", inds).await;
    World {
        app,
        root,
        a,
        a1,
        b,
        b1,
        id,
    }
}

pub async fn count(w: &World, sql: &str) -> i64 {
    with_db!(&w.app.db, |p| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(p)
        .await
        .unwrap())
}

/// Closes the assessment as its assessor.
pub async fn close(w: &World) {
    let scope = scope_of(&w.app, "adm-a", Power::ManageAssessment).await;
    tongpin_core::assess::freeze::close(&w.app.db, w.app.clock_now(), &cli(), &scope, &w.id)
        .await
        .unwrap();
}

pub async fn text(w: &World, sql: &str) -> String {
    with_db!(&w.app.db, |p| sqlx::query_scalar::<_, String>(sql)
        .fetch_one(p)
        .await
        .unwrap())
}
