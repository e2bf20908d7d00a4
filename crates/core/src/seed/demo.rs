use crate::audit::Actor;
use crate::auth::{cap, create_account, create_admin, grant_role, NewAccount, Role};
use crate::db::Db;
use crate::org::{create, NewOrg, Scope};
use crate::{with_db, Error, Result};

pub struct DemoAccount {
    pub username: &'static str,
    pub password: &'static str,
    pub role: &'static str,
}

/// The demo's one password, shown at start-up (demo data only).
const PASSWORD: &str = "Tongpin@2026";

/// (general branch, its branches) of the demo 机关党委.
const TREE: &[(&str, &[&str])] = &[
    (
        "办公室党总支",
        &["综合处党支部", "秘书处党支部", "机关后勤服务中心党支部"],
    ),
    (
        "业务一党总支",
        &[
            "政策法规处党支部",
            "规划发展处党支部",
            "项目管理处党支部",
            "重大项目攻坚组党支部",
        ],
    ),
    ("业务二党总支", &["财务处党支部", "审计处党支部", "人事处党支部"]),
];

/// Fills an empty database with a believable demo organization and its
/// accounts; refuses a database that already has accounts.
pub async fn seed_demo(db: &Db, now: i64) -> Result<Vec<DemoAccount>> {
    let n: i64 = with_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(p)
        .await?);
    if n > 0 {
        return Err(Error::Conflict("数据库中已有账号，演示数据只写入空库".into()));
    }
    let actor = Actor::anonymous("演示数据生成程序", "local");
    let all = Scope::all();
    let org = |name: &str, kind: &str, parent: Option<&str>, founded: &str| NewOrg {
        name: name.into(),
        kind: kind.into(),
        parent_id: parent.map(str::to_string),
        founded_on: Some(founded.into()),
    };
    let root = create(db, now, &actor, &all, org("机关党委", "committee", None, "2012-07-01")).await?;
    let mut first_branch = None;
    let mut first_general = None;
    let mut first_group = None;
    let mut branch_ids = Vec::new();
    for (g, branches) in TREE {
        let gid = create(
            db,
            now,
            &actor,
            &all,
            org(g, "general_branch", Some(&root), "2015-03-18"),
        )
        .await?;
        first_general.get_or_insert(gid.clone());
        for b in *branches {
            let bid = create(db, now, &actor, &all, org(b, "branch", Some(&gid), "2016-06-28")).await?;
            branch_ids.push(bid.clone());
            if first_branch.is_none() {
                first_group = Some(
                    create(
                        db,
                        now,
                        &actor,
                        &all,
                        org("综合处第一党小组", "group", Some(&bid), "2019-04-10"),
                    )
                    .await?,
                );
                first_branch = Some(bid);
            }
        }
    }
    super::people::seed_people(db, now, &actor, &branch_ids, 25).await?;
    super::structure::seed(db, now, &actor).await?;
    super::develop::seed(db, now, &actor, &branch_ids).await?;
    super::dues::seed(db, now, &actor, &branch_ids).await?;
    super::transfers::seed(db, now, &actor, &branch_ids).await?;
    if let (Some(b), Some(g)) = (&first_branch, &first_group) {
        super::structure::into_group(db, b, g).await?;
    }
    let branch = first_branch.unwrap_or_else(|| root.clone());
    let general = first_general.unwrap_or_else(|| root.clone());
    let people: [(&str, &str, Role, Option<&str>); 8] = [
        ("admin", "系统管理员", Role::SystemAdmin, None),
        ("anquan", "安全管理员", Role::SecurityAdmin, None),
        ("shenji", "审计管理员", Role::AuditAdmin, None),
        ("dangwei", "王建国", Role::OrgAdmin, Some(root.as_str())),
        ("zongzhi", "李红梅", Role::OrgAdmin, Some(general.as_str())),
        ("shuji", "张志强", Role::BranchSecretary, Some(branch.as_str())),
        ("dangyuan", "刘晓燕", Role::Member, Some(branch.as_str())),
        ("jijian", "陈卫东", Role::DisciplineInspector, Some(root.as_str())),
    ];
    let mut out = Vec::new();
    let mut member = None;
    for (username, name, role, org) in people {
        let new = NewAccount {
            username: username.into(),
            display_name: name.into(),
            password: PASSWORD.into(),
            must_change: false,
        };
        let id = if role.is_separated_admin() {
            create_admin(db, now, &actor, new, role).await?
        } else {
            let id = create_account(db, now, &actor, &cap::command_line(), new).await?;
            grant_role(db, now, &actor, &cap::command_line(), &id, role, org).await?;
            id
        };
        if role == Role::Member {
            member = Some(id);
        }
        out.push(DemoAccount {
            username,
            password: PASSWORD,
            role: role.label(),
        });
    }
    // The plan names the member's person (linked to the account) on a task.
    if let Some(account) = member {
        super::plan::seed(db, now, &actor, &root, &branch_ids, &account).await?;
        let person: Option<String> = with_db!(db, |p| sqlx::query_scalar(
            "SELECT person_id FROM accounts WHERE id = $1"
        )
        .bind(&account)
        .fetch_one(p)
        .await?);
        super::life::seed(db, now, &actor, &branch_ids, person.as_deref().unwrap_or_default()).await?;
    }
    super::study::seed(db, now, &actor, &root, &branch_ids).await?;
    super::standard::seed(db, now, &actor, &root, &branch_ids).await?;
    super::assess::seed(db, now, &actor, &root, &branch_ids).await?;
    Ok(out)
}
