//! What the demo does not hold for the assessment's ballots and appeals: an
//! assessment by the 总支 of its branches with a masses item, closed, and
//! an appeal of the branch against it; a duty on a leader's 一岗双责 list.
use tongpin_core::assess::appeals::{self, Appellant};
use tongpin_core::assess::duties::{self, NewDuty};
use tongpin_core::assess::{freeze, setup, NewAssessment, NewIndicator};
use tongpin_core::audit::Actor;
use tongpin_core::auth::{authenticate, login, Power};
use tongpin_core::db::Db;
use tongpin_core::org::Scope;

async fn scope_of(db: &Db, now: i64, user: &str) -> Scope {
    let ok = login(db, now, user, super::DEMO_PASSWORD, "api", "local")
        .await
        .unwrap();
    let who = authenticate(db, now, &ok.token).await.unwrap();
    who.scope(Power::ManageAssessment).unwrap()
}

fn ind(code: &str, kind: &str, raters: Vec<(String, String)>) -> NewIndicator {
    NewIndicator {
        code: code.into(),
        dimension: "党建工作".into(),
        title: format!("指标{code}"),
        full_points: "50".into(),
        kind: kind.into(),
        raters,
        ..NewIndicator::default()
    }
}

pub async fn fixtures(db: &Db, now: i64) {
    let cli = Actor::anonymous("fixture", "local");
    let general = scope_of(db, now, "dangwei").await;
    // The branch of the secretary, assessed by the organization right above it.
    let org_id: String = tongpin_core::with_db!(db, |p| sqlx::query_scalar(
        "SELECT g.org_id FROM role_grants g JOIN accounts a ON a.id = g.account_id WHERE a.username = 'shuji'"
    )
    .fetch_one(p)
    .await
    .unwrap());
    let parent: String = tongpin_core::with_db!(db, |p| sqlx::query_scalar("SELECT parent_id FROM orgs WHERE id = $1")
        .bind(&org_id)
        .fetch_one(p)
        .await
        .unwrap());
    let new = NewAssessment {
        org_id: parent,
        title: "2026年度党支部考核".into(),
        period: "2026".into(),
        subject: "orgs".into(),
        target_ids: vec![org_id.clone()],
        indicators: vec![
            ind("M1", "rated", vec![("masses".into(), "1".into())]),
            ind("E1", "entered", Vec::new()),
        ],
        ..NewAssessment::default()
    };
    let id = setup::create(db, now, &cli, &general, new).await.unwrap();
    freeze::close(db, now, &cli, &general, &id).await.unwrap();
    let branch = scope_of(db, now, "shuji").await;
    let who = Appellant {
        scope: Some(&branch),
        person_id: None,
    };
    appeals::file(db, now, &cli, &who, &id, &org_id, "组织生活记录未计入")
        .await
        .unwrap();
    let person: String = tongpin_core::with_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM people WHERE org_id = $1 AND left_on IS NULL ORDER BY id LIMIT 1"
    )
    .bind(&org_id)
    .fetch_one(p)
    .await
    .unwrap());
    let duty = NewDuty {
        org_id,
        year: 2026,
        person_id: person,
        side: "party".into(),
        duty: "每季度听取分管部门党建工作汇报".into(),
    };
    duties::add(db, now, &cli, &branch, duty).await.unwrap();
}
