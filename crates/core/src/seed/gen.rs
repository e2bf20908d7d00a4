use crate::auth::hash_password;
use crate::db::Db;
use crate::{ids, with_tx, Result};

/// Synthetic scale data for benchmarks: `orgs` organizations (one committee,
/// general branches of about 20 branches each) and `people` member accounts
/// spread over the branches, all with the password `Bench@2026!`.
/// Returns the root organization's id.
pub async fn generate(db: &Db, now: i64, orgs: usize, people: usize) -> Result<String> {
    let hash = hash_password("Bench@2026!")?;
    let root = ids::new_id();
    let mut rows: Vec<(String, Option<String>, String, &'static str, String)> = vec![(
        root.clone(),
        None,
        "基准测试党委".into(),
        "committee",
        format!("/{root}/"),
    )];
    let mut branches = Vec::new();
    let mut general: Option<(String, String)> = None;
    let mut in_general = 0;
    while rows.len() < orgs.max(1) {
        if general.is_none() || in_general == 20 {
            let id = ids::new_id();
            let path = format!("/{root}/{id}/");
            rows.push((
                id.clone(),
                Some(root.clone()),
                format!("第{}党总支", rows.len()),
                "general_branch",
                path.clone(),
            ));
            general = Some((id, path));
            in_general = 0;
            continue;
        }
        if let Some((gid, gpath)) = &general {
            let id = ids::new_id();
            let path = format!("{gpath}{id}/");
            rows.push((
                id.clone(),
                Some(gid.clone()),
                format!("第{}党支部", rows.len()),
                "branch",
                path,
            ));
            branches.push(id);
            in_general += 1;
        }
    }
    let mut tx = db.begin().await?;
    for chunk in rows.chunks(500) {
        let mut sql =
            String::from("INSERT INTO orgs (id, parent_id, name, kind, path, founded_on, created_at) VALUES ");
        let vals: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, '2020-01-01', ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        sql.push_str(&vals.join(", "));
        with_tx!(&mut tx, |c| {
            let mut q = sqlx::query(&sql);
            for (id, parent, name, kind, path) in chunk {
                q = q.bind(id).bind(parent).bind(name).bind(*kind).bind(path).bind(now);
            }
            q.execute(c).await?.rows_affected()
        });
    }
    let targets: Vec<&String> = if branches.is_empty() {
        vec![&root]
    } else {
        branches.iter().collect()
    };
    let ids: Vec<(String, String)> = (0..people).map(|_| (ids::new_id(), ids::new_id())).collect();
    for (n, chunk) in ids.chunks(400).enumerate() {
        let mut acc = String::from(
            "INSERT INTO accounts (id, username, display_name, password_hash, must_change_password, password_changed_at, disabled, created_at) VALUES ",
        );
        let mut grant = String::from("INSERT INTO role_grants (id, account_id, role, org_id, created_at) VALUES ");
        let av: Vec<String> = (0..chunk.len())
            .map(|i| {
                format!(
                    "(${}, ${}, ${}, $1, FALSE, $2, FALSE, $2)",
                    i * 3 + 3,
                    i * 3 + 4,
                    i * 3 + 5
                )
            })
            .collect();
        let gv: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, 'member', ${}, $1)", i * 3 + 2, i * 3 + 3, i * 3 + 4))
            .collect();
        acc.push_str(&av.join(", "));
        grant.push_str(&gv.join(", "));
        with_tx!(&mut tx, |c| {
            let mut q = sqlx::query(&acc).bind(&hash).bind(now);
            for (i, (id, _)) in chunk.iter().enumerate() {
                let k = n * 400 + i;
                q = q.bind(id).bind(format!("user{k}")).bind(format!("成员{k}"));
            }
            q.execute(&mut *c).await?;
            let mut q = sqlx::query(&grant).bind(now);
            for (i, (id, gid)) in chunk.iter().enumerate() {
                let k = n * 400 + i;
                q = q.bind(gid).bind(id).bind(targets[k % targets.len()]);
            }
            q.execute(&mut *c).await?.rows_affected()
        });
    }
    tx.commit().await?;
    Ok(root)
}
