use crate::auth::hash_password;
use crate::db::Db;
use crate::{ids, with_tx, Result};

/// Synthetic scale data for benchmarks: `orgs` organizations (one committee,
/// general branches of about 20 branches each), `people` people on the
/// roster spread over the branches, and member accounts for the first
/// 100,000 of them (password `Bench@2026!`). Returns the root's id.
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
    let paths: std::collections::HashMap<&str, &str> = rows.iter().map(|r| (r.0.as_str(), r.4.as_str())).collect();
    roster(&mut tx, now, &targets, &paths, people).await?;
    let ids: Vec<(String, String)> = (0..people.min(ACCOUNT_CAP))
        .map(|_| (ids::new_id(), ids::new_id()))
        .collect();
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
    // As a running database has them after its autovacuum.
    db.analyze("people").await;
    Ok(root)
}

/// Member accounts made by `generate`; the roster itself may be far larger.
const ACCOUNT_CAP: usize = 100_000;

/// `n` people on the roster, round-robin over the branches, every status,
/// unique valid citizen IDs (birth day × sequence number).
async fn roster(
    tx: &mut crate::db::Tx,
    now: i64,
    branches: &[&String],
    paths: &std::collections::HashMap<&str, &str>,
    n: usize,
) -> Result<()> {
    use super::people::{citizen_id, GIVEN_FEMALE, GIVEN_MALE, REGIONS, SURNAMES};
    const PER: usize = 400;
    const STATUSES: [&str; 8] = [
        "full",
        "full",
        "full",
        "full",
        "probationary",
        "candidate",
        "activist",
        "masses",
    ];
    let start = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or_default();
    for chunk_start in (0..n).step_by(PER) {
        let end = (chunk_start + PER).min(n);
        let mut sql = String::from(
            "INSERT INTO people (id, org_id, org_path, name, name_pinyin, name_initials, gender, ethnicity, birth_date, citizen_id, \
             phone, education, status, joined_on, full_on, party_post, admin_post, affairs_worker, backbone, double_high, created_at, updated_at) VALUES ",
        );
        let vals: Vec<String> = (0..end - chunk_start)
            .map(|i| {
                let b = i * 12 + 1;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, '汉族', ${}, ${}, ${}, '大学本科', ${}, ${}, NULL, '', '科员', '', FALSE, FALSE, {now}, {now})",
                    b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11
                )
            })
            .collect();
        sql.push_str(&vals.join(", "));
        let mut rows = Vec::with_capacity(end - chunk_start);
        for k in chunk_start..end {
            let male = !k.is_multiple_of(3);
            let given = if male {
                GIVEN_MALE[k / 7 % GIVEN_MALE.len()]
            } else {
                GIVEN_FEMALE[k / 7 % GIVEN_FEMALE.len()]
            };
            let name = format!("{}{given}", SURNAMES[k % SURNAMES.len()]);
            let (full, initials) = crate::people::name_pinyin(&name);
            let birth = start + chrono::Duration::days((k % 14_600) as i64);
            // (birth day, region, sequence) never repeats below 14,600 × 8 × 50 people.
            let rest = k / 14_600;
            let cid = citizen_id(
                REGIONS[rest % REGIONS.len()],
                &birth.format("%Y%m%d").to_string(),
                (rest / REGIONS.len()) as u32,
                male,
            );
            let status = STATUSES[k % STATUSES.len()];
            let joined = matches!(status, "full" | "probationary").then(|| {
                format!(
                    "{}-07-01",
                    birth.format("%Y").to_string().parse::<i32>().unwrap_or(1980) + 25
                )
            });
            let org = branches[k % branches.len()].clone();
            let path = paths.get(org.as_str()).copied().unwrap_or("/").to_string();
            rows.push((
                ids::new_id(),
                org,
                path,
                name,
                full,
                initials,
                if male { "male" } else { "female" },
                birth.format("%Y-%m-%d").to_string(),
                cid,
                format!("139{:08}", k % 100_000_000),
                status,
                joined,
            ));
        }
        with_tx!(&mut *tx, |c| {
            let mut q = sqlx::query(&sql);
            for r in &rows {
                q = q
                    .bind(&r.0)
                    .bind(&r.1)
                    .bind(&r.2)
                    .bind(&r.3)
                    .bind(&r.4)
                    .bind(&r.5)
                    .bind(r.6)
                    .bind(&r.7)
                    .bind(&r.8)
                    .bind(&r.9)
                    .bind(r.10)
                    .bind(&r.11);
            }
            q.execute(c).await?.rows_affected()
        });
    }
    Ok(())
}
