//! Transfers through HTTP: a sending and a receiving branch secretary, the
//! refusals, the pages and the letter.
mod common;
use axum::http::{Method, StatusCode};
use common::{id_with_check, TestApp, PW};
use serde_json::{json, Value};
use tongpin_core::auth::Role;

fn person(name: &str, id17: &str, org: &str) -> Value {
    json!({ "name": name, "citizen_id": id_with_check(id17), "phone": "13812345678", "org_id": org, "status": "正式党员", "joined_on": "2010-07-01" })
}

struct World {
    app: TestApp,
    a1: String,
    b1: String,
    /// Tokens: the sending (A1) and receiving (B1) branch secretaries, a member.
    sja: String,
    sjb: String,
    member: String,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let (_, _, a1, _, b1) = app.tree().await;
    app.account("sja", Role::BranchSecretary, Some(&a1)).await;
    app.account("sjb", Role::BranchSecretary, Some(&b1)).await;
    app.account("dy", Role::Member, Some(&a1)).await;
    World {
        sja: app.token("sja", PW).await,
        sjb: app.token("sjb", PW).await,
        member: app.token("dy", PW).await,
        app,
        a1,
        b1,
    }
}

impl World {
    async fn add(&self, name: &str, id17: &str) -> String {
        let r = self
            .app
            .api(
                Method::POST,
                "/api/v1/people",
                Some(&self.sja),
                Some(person(name, id17, &self.a1)),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["id"].as_str().unwrap().to_string()
    }
    async fn post(&self, token: &str, path: &str, body: Option<Value>) -> common::Resp {
        self.app.api(Method::POST, path, Some(token), body).await
    }
    async fn get(&self, token: &str, path: &str) -> common::Resp {
        self.app.api(Method::GET, path, Some(token), None).await
    }
}

#[tokio::test]
async fn sender_requests_and_only_the_receiver_decides() {
    let w = world().await;
    let zs = w.add("张三", "11010519800101001").await;
    let r = w
        .post(
            &w.sja,
            "/api/v1/transfers",
            Some(json!({ "person_id": zs, "kind": "internal", "to_org_id": w.b1, "reason": "工作调动" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let tid = r.json()["id"].as_str().unwrap().to_string();

    let out = w.get(&w.sja, "/api/v1/transfers?direction=out").await.json();
    assert_eq!(out["total"], 1);
    assert_eq!(out["items"][0]["status"], "pending");
    assert_eq!(out["items"][0]["to_org_name"], "支部B1");
    assert_eq!(w.get(&w.sja, "/api/v1/transfers?direction=in").await.json()["total"], 0);
    let incoming = w
        .get(&w.sjb, "/api/v1/transfers?direction=in&status=pending")
        .await
        .json();
    assert_eq!(incoming["total"], 1);
    assert_eq!(incoming["items"][0]["person_name"], "张三");

    // The sender cannot accept; the receiver cannot cancel.
    let r = w.post(&w.sja, &format!("/api/v1/transfers/{tid}/accept"), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = w.post(&w.sjb, &format!("/api/v1/transfers/{tid}/cancel"), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.post(&w.sjb, &format!("/api/v1/transfers/{tid}/accept"), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = w.post(&w.sjb, &format!("/api/v1/transfers/{tid}/accept"), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // The person moved: the receiver sees them, the sender no longer does.
    let r = w.get(&w.sjb, &format!("/api/v1/people/{zs}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["org_id"], w.b1.as_str());
    assert_eq!(
        w.get(&w.sja, &format!("/api/v1/people/{zs}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.get(&w.sja, "/api/v1/people").await.json()["total"], 0);
    assert_eq!(
        w.get(&w.sja, &format!("/api/v1/transfers/{tid}")).await.json()["status"],
        "accepted"
    );

    let actions = w.app.audit_actions().await;
    assert!(actions.iter().any(|(a, _, r)| a == "transfer.request" && r == "ok"));
    assert!(actions.iter().any(|(a, _, r)| a == "transfer.accept" && r == "ok"));
}

#[tokio::test]
async fn refusals_name_the_field_or_the_missing_power() {
    let w = world().await;
    let zs = w.add("张三", "11010519800101001").await;
    let cases = [
        (
            json!({ "person_id": zs, "kind": "internal", "to_org_id": w.a1 }),
            "转入组织",
        ),
        (json!({ "person_id": zs, "kind": "internal" }), "转入组织"),
        (
            json!({ "person_id": "nobody", "kind": "internal", "to_org_id": w.b1 }),
            "人员",
        ),
        (
            json!({ "person_id": zs, "kind": "sideways", "to_org_id": w.b1 }),
            "转接类型",
        ),
        (
            json!({ "person_id": zs, "kind": "out", "outside_org": "" }),
            "转入单位党组织",
        ),
        (
            json!({ "kind": "in", "outside_org": "某大学党委", "letter_no": "x", "person": person("李四", "11010519800101002", &w.b1) }),
            "所属组织",
        ),
    ];
    for (body, field) in cases {
        let r = w.post(&w.sja, "/api/v1/transfers", Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text());
        assert_eq!(r.json()["field"], field, "{body}");
    }
    let r = w
        .post(
            &w.sja,
            "/api/v1/transfers",
            Some(json!({ "person_id": zs, "kind": "internal", "to_org_id": w.b1, "colour": "red" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .app
        .raw_json(Method::POST, "/api/v1/transfers", &w.sja, "{not json")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        w.get(&w.sja, "/api/v1/transfers?direction=sideways").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A member may not transfer anyone, nor the other branch this person.
    let r = w
        .post(
            &w.member,
            "/api/v1/transfers",
            Some(json!({ "person_id": zs, "kind": "internal", "to_org_id": w.b1 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .post(
            &w.sjb,
            "/api/v1/transfers",
            Some(json!({ "person_id": zs, "kind": "out", "outside_org": "某大学党委" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        w.get(&w.sja, "/api/v1/transfers?direction=all").await.json()["total"],
        0
    );

    // Returning needs a reason; then nothing moves.
    let tid = w
        .post(
            &w.sja,
            "/api/v1/transfers",
            Some(json!({ "person_id": zs, "kind": "internal", "to_org_id": w.b1 })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = w
        .post(
            &w.sjb,
            &format!("/api/v1/transfers/{tid}/return"),
            Some(json!({ "reason": " " })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "退回原因");
    let r = w
        .post(
            &w.sjb,
            &format!("/api/v1/transfers/{tid}/return"),
            Some(json!({ "reason": "手续未齐" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let t = w.get(&w.sja, &format!("/api/v1/transfers/{tid}")).await.json();
    assert_eq!(
        (t["status"].as_str(), t["decision_note"].as_str()),
        (Some("returned"), Some("手续未齐"))
    );
    assert_eq!(
        w.get(&w.sja, &format!("/api/v1/people/{zs}")).await.json()["org_id"],
        w.a1.as_str()
    );
    // Unknown ids are 404, never a 5xx.
    assert_eq!(
        w.post(&w.sjb, "/api/v1/transfers/nope/accept", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.get(&w.sjb, "/api/v1/transfers/nope").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn pages_letter_and_forms() {
    let w = world().await;
    let zs = w.add("张三", "11010519800101001").await;
    let ls = w.add("李四", "11010519800101002").await;
    let a = w.app.browser("sja", PW).await;
    let b = w.app.browser("sjb", PW).await;

    // The person page offers 转接; the form chooses the destination with the
    // type-ahead, which searches the whole system and names each by its path.
    let page = w.app.get(&format!("/people/{zs}"), Some(&a.cookie)).await.text();
    assert!(page.contains(&format!("/transfers/new?person={zs}")));
    let form = w.app.get(&format!("/transfers/new?person={zs}"), Some(&a.cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("/api/v1/orgs/pick?for=transfer"));
    assert!(
        !form.text().contains("机关党委/总支B/支部B1"),
        "no list of every organization"
    );
    let picked = w.app.get("/api/v1/orgs/pick?for=transfer&q=B1", Some(&a.cookie)).await;
    assert_eq!(picked.status, StatusCode::OK, "{}", picked.text());
    assert_eq!(picked.json()["items"][0]["org_name"], "机关党委/总支B/支部B1");
    // The letter's validity and the receiving side's days read the rule table.
    let t = tongpin_core::rules::transfer::LETTER_VALID_MONTHS;
    let d = tongpin_core::rules::transfer::DECIDE_WITHIN_DAYS;
    assert!(form.text().contains(&format!("开具介绍信（有效期 {t} 个月）")));
    assert!(form.text().contains(&format!("转入组织应在 {d} 日内接收或退回")));
    // Same organization: the form comes back with the reason.
    let r = w
        .app
        .form(
            &a,
            "/transfers/new",
            &[("person_id", &zs), ("kind", "internal"), ("to_org_id", &w.a1)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("不能转入本人当前所在的组织"));
    let r = w
        .app
        .form(
            &a,
            "/transfers/new",
            &[
                ("person_id", &zs),
                ("kind", "internal"),
                ("to_org_id", &w.b1),
                ("reason", "工作调动"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // The receiver's to-do tab has 接收 and 退回; accepting by form works.
    let inbox = w.app.get("/transfers?tab=in", Some(&b.cookie)).await.text();
    assert!(inbox.contains("张三") && inbox.contains("接收") && inbox.contains("退回原因"));
    let tid = w.get(&w.sjb, "/api/v1/transfers?direction=in").await.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = w
        .app
        .form(&b, &format!("/transfers/{tid}/return"), &[("reason", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w.app.form(&b, &format!("/transfers/{tid}/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(w
        .app
        .get("/transfers?tab=out", Some(&a.cookie))
        .await
        .text()
        .contains("已接收"));

    // Out of the system: a letter page with the number, no menu or buttons.
    let r = w
        .app
        .form(
            &a,
            "/transfers/new",
            &[
                ("person_id", &ls),
                ("kind", "out"),
                ("outside_org", "某某市财政局机关党委"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let tid = w
        .get(&w.sja, "/api/v1/transfers?direction=out&status=done")
        .await
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let letter = w.app.get(&format!("/transfers/{tid}/letter"), Some(&a.cookie)).await;
    assert_eq!(letter.status, StatusCode::OK);
    let html = letter.text();
    for part in [
        "中国共产党党员组织关系介绍信",
        "机党转〔2026〕1号",
        "李四同志",
        "某某市财政局机关党委",
        "中共机关党委",
    ] {
        assert!(html.contains(part), "{part}");
    }
    assert!(!html.contains("menu-item") && !html.contains("<button"));
    // The branch secretary may not reveal: the printed ID stays masked.
    assert!(html.contains("********"));
    // The person left the roster but stays readable, without 转接.
    assert_eq!(w.get(&w.sja, "/api/v1/people").await.json()["total"], 0);
    let page = w.app.get(&format!("/people/{ls}"), Some(&a.cookie)).await.text();
    assert!(page.contains("转出本系统") && !page.contains("/transfers/new?person="));
    // No letter for someone else's transfer, or for one that is not out.
    assert_eq!(
        w.app
            .get(&format!("/transfers/{tid}/letter"), Some(&b.cookie))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // In from outside, by form.
    let fields = [
        ("outside_org", "某某大学化学学院党委"),
        ("letter_no", "某大党转〔2026〕3号"),
        ("name", "王五"),
        ("citizen_id", "110105198001010030"),
        ("org_id", w.b1.as_str()),
        ("status", "正式党员"),
        ("joined_on", "2008-05-04"),
    ];
    let r = w.app.form(&b, "/transfers/in", &fields).await;
    // The made-up citizen ID fails its check digit: the form says so.
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("身份证号"));
    let good = id_with_check("11010519800101003");
    let mut fields = fields.to_vec();
    fields[3] = ("citizen_id", good.as_str());
    let r = w.app.form(&b, "/transfers/in", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let roster = w.get(&w.sjb, "/api/v1/people?q=王五").await.json();
    assert_eq!(roster["total"], 1);
    assert!(w
        .app
        .get("/transfers?tab=all", Some(&b.cookie))
        .await
        .text()
        .contains("某大党转〔2026〕3号"));
}
