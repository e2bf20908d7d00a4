//! The demo's safeguards of standardization (保障措施): a leader of 办公室
//! 党总支 paired with 秘书处 (联系点) and two visits, the second one's finding
//! listed as a problem; a 督查调度 request to the branches of the 机关党委 with
//! 人事处 reported and 后勤 late; secretary training records and basic
//! resources (staff, budget, venue) for a few branches. 秘书处 stays flagged
//! 软弱涣散 (its overdue problem, seed/standard.rs). Everything goes through
//! the store functions, so the rules and the audit hold.
use crate::audit::Actor;
use crate::clock::DAY_MS;
use crate::db::Db;
use crate::org::Scope;
use crate::standard::contacts::{self, NewContact, NewVisit};
use crate::standard::dispatch::{self, NewDispatch};
use crate::standard::problems::{Fields, Found};
use crate::standard::resources::{self, NewResources};
use crate::standard::training::{self, NewTraining};
use crate::{with_db, Result};
use chrono::Datelike;

/// A person on the roster at `path` and below, the organization's own people
/// first (the leader of a 党总支 sits in it).
async fn person_under(db: &Db, org_id: &str, k: usize) -> Result<Option<(String, String)>> {
    let rows: Vec<(String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT p.id, p.org_id FROM people p JOIN orgs o ON o.id = p.org_id JOIN orgs r ON r.id = $1 \
         WHERE o.path LIKE r.path || '%' AND p.left_on IS NULL AND p.status = 'full' \
         ORDER BY LENGTH(o.path), p.name_pinyin, p.id"
    )
    .bind(org_id)
    .fetch_all(p)
    .await?);
    Ok(rows.get(k).or(rows.first()).cloned())
}

/// The branch's secretary in post, on its roster (the training is theirs).
async fn secretary_of(db: &Db, org_id: &str) -> Result<Option<(String, String)>> {
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT p.id, p.org_id FROM org_officers f JOIN people p ON p.id = f.person_id \
         WHERE f.org_id = $1 AND f.post = 'secretary' AND p.left_on IS NULL ORDER BY p.id LIMIT 1"
    )
    .bind(org_id)
    .fetch_optional(p)
    .await?))
}

async fn parent_of(db: &Db, org_id: &str) -> Result<Option<String>> {
    Ok(
        with_db!(db, |p| sqlx::query_scalar("SELECT parent_id FROM orgs WHERE id = $1")
            .bind(org_id)
            .fetch_optional(p)
            .await?)
        .flatten(),
    )
}

fn day(now: i64, back: i64) -> String {
    crate::clock::beijing(now - back * DAY_MS).date_naive().to_string()
}

/// `sid`: this year's standard; `mishu`, `renshi`, `houqin`: the branches named above.
#[allow(clippy::too_many_arguments)]
pub async fn seed(
    db: &Db,
    now: i64,
    actor: &Actor,
    root: &str,
    sid: &str,
    mishu: &str,
    renshi: &str,
    houqin: &str,
) -> Result<()> {
    let all = Scope::all();
    // 联系点: a leader of 秘书处's 党总支, since three months ago.
    let superior = parent_of(db, mishu).await?.unwrap_or_else(|| root.to_string());
    if let Some((leader, _)) = person_under(db, &superior, 0).await? {
        let new = NewContact {
            org_id: mishu.into(),
            leader_id: leader,
            superior_org_id: superior.clone(),
            since: day(now, 90),
            note: "指导组织生活规范化和问题整改".into(),
        };
        let c = contacts::create_contact(db, now - 90 * DAY_MS, actor, &all, new).await?;
        let first = NewVisit {
            visited_on: day(now, 60),
            summary: "参加支部主题党日，查阅“三会一课”记录，与支部委员逐一谈话".into(),
            findings: String::new(),
        };
        contacts::log_visit(db, now - 60 * DAY_MS, actor, &all, &c, first).await?;
        let second = NewVisit {
            visited_on: day(now, 10),
            summary: "列席支委会，检查组织生活会查摆问题整改台账".into(),
            findings: "民主评议党员尚未部署，党员档案整理不及时".into(),
        };
        let v = contacts::log_visit(db, now - 10 * DAY_MS, actor, &all, &c, second).await?;
        if let Some((owner, _)) = person_under(db, mishu, 1).await? {
            let found = Found {
                item_code: "C2".into(),
                fields: Fields {
                    cause: "民主评议党员尚未部署，党员档案整理不及时".into(),
                    measure: "制定民主评议工作方案，年底前完成评议并整理档案".into(),
                    owner_id: owner,
                    deadline: day(now, -50),
                },
            };
            contacts::finding_to_problem(db, now - 10 * DAY_MS, actor, &all, &v, sid, found).await?;
        }
    }

    // 督查调度: asked a month ago, due five days ago; 人事处 reported, 后勤 late.
    let asked = now - 30 * DAY_MS;
    let year = crate::clock::beijing(asked).date_naive().year();
    let quarter = (crate::clock::beijing(asked).date_naive().month0() / 3) + 1;
    let new = NewDispatch {
        org_id: root.into(),
        title: "标准化建设推进情况调度".into(),
        request: "请报送本季度对标自查、问题整改进展和下一步安排，附问题整改台账".into(),
        period: format!("{year}-Q{quarter}"),
        due_on: day(now, 5),
        org_kinds: vec!["branch".into()],
    };
    let d = dispatch::create(db, asked, actor, &all, new).await?;
    let text = "已完成全部项目自查，达标项全部达到，提升项 2 项已落实；下一步准备申报验收";
    dispatch::report(db, now - 8 * DAY_MS, actor, &all, &d, renshi, text, Vec::new()).await?;
    let _ = houqin;

    // 书记培训 and 基础保障 for the three branches.
    let y = crate::clock::beijing(now).date_naive().year();
    for (k, (org, hours, budget, venue)) in [
        (mishu, "16", "8000", "机关党员活动室"),
        (renshi, "32", "12000", "人事处党员之家"),
        (houqin, "24", "10000", "后勤服务中心党员活动室"),
    ]
    .into_iter()
    .enumerate()
    {
        let secretary = match secretary_of(db, org).await? {
            Some(p) => Some(p),
            None => person_under(db, org, 0).await?,
        };
        if let Some((person, person_org)) = secretary {
            let t = NewTraining {
                person_id: person,
                org_id: person_org,
                title: "基层党组织书记示范培训班".into(),
                organizer: "市委组织部".into(),
                started_on: day(now, 40 + 10 * k as i64),
                ended_on: day(now, 36 + 10 * k as i64),
                hours: hours.into(),
            };
            training::record(db, now - 30 * DAY_MS, actor, &all, t).await?;
        }
        let r = NewResources {
            org_id: org.into(),
            year: i64::from(y),
            full_time_staff: i64::from(k == 1),
            part_time_staff: 2,
            budget_yuan: budget.into(),
            venue: venue.into(),
            venue_area: 40 + 10 * k as i64,
            note: String::new(),
        };
        resources::set(db, now, actor, &all, r).await?;
    }
    Ok(())
}
