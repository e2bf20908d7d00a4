//! Roster benchmarks (`tongpin bench roster`): each figure against the
//! database answering the same raw query alone, measured in the same run.
use crate::audit::Actor;
use crate::auth::{self, NewAccount, Power, Role};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::people::{self, Filter, ImportOptions};
use crate::sheet::{self, Table};
use crate::{with_db, Error, Result};
use std::time::Instant;

pub struct Figure {
    pub label: &'static str,
    /// Milliseconds: (p50, p99) of the product's call, then of the baseline.
    pub ours: (f64, f64),
    pub base: (f64, f64),
}

pub(crate) fn percentiles(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| {
        v.get(((v.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    (at(0.5), at(0.99))
}

/// Times `ours` against `raw` `runs` times each, interleaved, alternating
/// which goes first so neither always finds the other's caches warm.
/// Milliseconds, (p50, p99) of each: (ours, raw).
pub(crate) async fn paired<A, B, FA, FB, TA, TB>(
    runs: usize,
    mut ours: A,
    mut raw: B,
) -> Result<((f64, f64), (f64, f64))>
where
    A: FnMut() -> FA,
    B: FnMut() -> FB,
    FA: std::future::Future<Output = Result<TA>>,
    FB: std::future::Future<Output = Result<TB>>,
{
    let (mut o, mut r) = (Vec::new(), Vec::new());
    for i in 0..runs.max(1) {
        for raw_now in [i % 2 == 0, i % 2 == 1] {
            let t = Instant::now();
            if raw_now {
                std::hint::black_box(raw().await?);
                r.push(t.elapsed().as_secs_f64() * 1000.0);
            } else {
                std::hint::black_box(ours().await?);
                o.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    Ok((percentiles(o), percentiles(r)))
}

pub(crate) async fn time<F, Fut>(runs: usize, mut f: F) -> Result<(f64, f64)>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let mut v = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i).await?;
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(percentiles(v))
}

/// A scope over the whole generated tree, from a real login.
pub(crate) async fn root_scope(db: &Db, now: i64, root: &str, power: Power) -> Result<Scope> {
    let actor = Actor::anonymous("基准测试", "local");
    let name = format!("bench{}", now % 1_000_000);
    let new = NewAccount {
        username: name.clone(),
        display_name: "基准测试".into(),
        password: "Bench#2026x".into(),
        must_change: false,
    };
    let id = auth::create_account(db, now, &actor, &auth::cap::command_line(), new).await?;
    auth::grant_role(
        db,
        now,
        &actor,
        &auth::cap::command_line(),
        &id,
        Role::OrgAdmin,
        Some(root),
    )
    .await?;
    let ok = auth::login(db, now, &name, "Bench#2026x", "api", "local").await?;
    auth::authenticate(db, now, &ok.token)
        .await?
        .scope(power)
        .ok_or_else(|| Error::unexpected("no scope"))
}

/// Search by name prefix, by pinyin initials and by subtree (first page of
/// 20 and the total, as the roster page asks), and counting the root's subtree.
pub async fn roster(db: &Db, now: i64, runs: usize) -> Result<Vec<Figure>> {
    // Fresh statistics, as a running database has them after a bulk load.
    with_db!(db, |p| sqlx::query("ANALYZE").execute(p).await?.rows_affected());
    let orgs = with_db!(db, |p| sqlx::query_as::<_, (String, String, String)>(
        "SELECT id, path, kind FROM orgs WHERE dissolved_at IS NULL ORDER BY path"
    )
    .fetch_all(p)
    .await?);
    let root = orgs
        .first()
        .cloned()
        .ok_or_else(|| Error::unexpected("先运行 tongpin gen"))?;
    let generals: Vec<(String, String)> = orgs
        .iter()
        .filter(|o| o.2 == "general_branch")
        .map(|o| (o.0.clone(), o.1.clone()))
        .collect();
    let scope = root_scope(db, now, &root.0, Power::ManagePeople).await?;
    const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"];
    const INITIALS: [&str; 8] = ["wj", "lh", "zz", "lx", "cw", "yh", "hj", "zl"];
    let mut out = Vec::new();

    let page = |q: Option<String>, org_id: Option<String>| Filter {
        q,
        org_id,
        ..Filter::default()
    };
    let ours = time(runs, |i| {
        let f = page(Some(SURNAMES[i % 8].into()), None);
        let (db, scope) = (db.clone(), scope.clone());
        async move { first_page(&db, &scope, &f).await }
    })
    .await?;
    let base = time(runs, |i| {
        let (lo, hi) = crate::sql::prefix_range(SURNAMES[i % 8]);
        let (plo, phi) = crate::sql::prefix_range(&people::name_pinyin(SURNAMES[i % 8]).0);
        let db = db.clone();
        async move {
            let cond = "name >= $1 AND name < $2 AND name_pinyin >= $3 AND name_pinyin < $4";
            raw_page(&db, cond, &[lo, hi.unwrap_or_default(), plo, phi.unwrap_or_default()]).await
        }
    })
    .await?;
    out.push(Figure {
        label: "按姓名前缀搜索（如“王”）",
        ours,
        base,
    });

    let ours = time(runs, |i| {
        let f = page(Some(INITIALS[i % 8].into()), None);
        let (db, scope) = (db.clone(), scope.clone());
        async move { first_page(&db, &scope, &f).await }
    })
    .await?;
    let base = time(runs, |i| {
        let (lo, hi) = crate::sql::prefix_range(INITIALS[i % 8]);
        let (flo, fhi) = crate::sql::prefix_range(&INITIALS[i % 8][..1]);
        let (hi, fhi) = (hi.unwrap_or_default(), fhi.unwrap_or_default());
        let db = db.clone();
        async move {
            raw_page(
                &db,
                "((name_initials >= $1 AND name_initials < $2) OR (name_pinyin >= $1 AND name_pinyin < $2)) \
                 AND name_pinyin >= $3 AND name_pinyin < $4",
                &[lo, hi, flo, fhi],
            )
            .await
        }
    })
    .await?;
    out.push(Figure {
        label: "按拼音首字母搜索（如“wj”）",
        ours,
        base,
    });

    let ours = time(runs, |i| {
        let f = page(None, generals.get(i % generals.len().max(1)).map(|g| g.0.clone()));
        let (db, scope) = (db.clone(), scope.clone());
        async move { first_page(&db, &scope, &f).await }
    })
    .await?;
    let base = time(runs, |i| {
        let path = generals
            .get(i % generals.len().max(1))
            .map(|g| g.1.clone())
            .unwrap_or_default();
        let (lo, hi) = crate::sql::prefix_range(&path);
        let db = db.clone();
        async move { raw_page(&db, "org_path >= $1 AND org_path < $2", &[lo, hi.unwrap_or_default()]).await }
    })
    .await?;
    out.push(Figure {
        label: "按组织子树列出（一个党总支）",
        ours,
        base,
    });

    // The roster page as a committee's admin opens it: no filter at all.
    let ours = time(runs, |_| {
        let (db, scope) = (db.clone(), scope.clone());
        async move { first_page(&db, &scope, &Filter::default()).await }
    })
    .await?;
    // The root's subtree is the whole roster: the raw query names no subtree.
    let base = time(runs, |_| {
        let db = db.clone();
        async move { raw_page(&db, "1 = 1", &[]).await }
    })
    .await?;
    out.push(Figure {
        label: "打开党员名册（全树第一页，不加筛选）",
        ours,
        base,
    });

    let ours = time(runs, |_| {
        let f = page(None, Some(root.0.clone()));
        let (db, scope) = (db.clone(), scope.clone());
        async move { people::count(&db, &scope, &f).await.map(drop) }
    })
    .await?;
    let base = time(runs, |_| {
        let (lo, hi) = crate::sql::prefix_range(&root.1);
        let db = db.clone();
        async move {
            let sql = "SELECT COUNT(*) FROM people WHERE org_path >= $1 AND org_path < $2";
            let hi = hi.unwrap_or_default();
            with_db!(&db, |p| sqlx::query_scalar::<_, i64>(sql)
                .bind(&lo)
                .bind(&hi)
                .fetch_one(p)
                .await?);
            Ok(())
        }
    })
    .await?;
    out.push(Figure {
        label: "统计党委全部人数（根子树计数）",
        ours,
        base,
    });
    Ok(out)
}

/// What the roster page and `GET /api/v1/people` ask: the total, counted no
/// further than the page shows it, and the first 20 by pinyin.
async fn first_page(db: &Db, scope: &Scope, f: &Filter) -> Result<()> {
    let counted = people::count_capped(db, scope, f, people::COUNT_CAP).await?;
    people::page(db, scope, f, counted, 0, 20).await.map(drop)
}

/// The raw form of the roster page: the capped total and the first 20 by
/// pinyin, on the rows alone (no scope, no masking).
async fn raw_page(db: &Db, cond: &str, params: &[String]) -> Result<()> {
    let count = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM people WHERE left_on IS NULL AND {cond} LIMIT {}) t",
        people::COUNT_CAP + 1
    );
    let page = format!("SELECT * FROM people WHERE left_on IS NULL AND {cond} ORDER BY name_pinyin, id LIMIT 20");
    with_db!(db, |p| {
        // Planned for its values, as the roster's own queries are.
        let mut q = sqlx::query_scalar::<_, i64>(&count).persistent(false);
        for v in params {
            q = q.bind(v);
        }
        q.fetch_one(p).await?;
        let mut q = sqlx::query(&page).persistent(false);
        for v in params {
            q = q.bind(v);
        }
        q.fetch_all(p).await?;
    });
    Ok(())
}

/// Imports `rows` new people from an .xlsx made here (valid rows, into the
/// generated branches) and times it against calamine reading the same file.
/// Returns (calamine ms, import ms, rows imported).
pub async fn import(db: &Db, now: i64, rows: usize) -> Result<(f64, f64, usize)> {
    let root: (String,) = with_db!(db, |p| sqlx::query_as(
        "SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY path LIMIT 1"
    )
    .fetch_one(p)
    .await?);
    let scope = root_scope(db, now + 1, &root.0, Power::ManagePeople).await?;
    let paths: Vec<String> = org::name_paths(db, &scope)
        .await?
        .into_iter()
        .filter(|(o, _)| o.kind == "branch")
        .map(|(_, p)| p)
        .collect();
    let table = Table {
        sheet: "名册".into(),
        headers: people::COLUMNS[..7].iter().map(|c| c.to_string()).collect(),
        rows: (0..rows)
            .map(|k| {
                let birth = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
                    + chrono::Duration::days((k % 9000) as i64);
                let cid =
                    crate::seed::bench_citizen_id("370202", &birth.format("%Y%m%d").to_string(), (k / 9000) as u32);
                let name = format!(
                    "{}{}",
                    ["周", "吴", "郑", "孙"][k % 4],
                    ["明", "华", "强", "芳"][k / 4 % 4]
                );
                vec![
                    name,
                    String::new(),
                    cid,
                    String::new(),
                    paths[k % paths.len().max(1)].clone(),
                    "群众".into(),
                    String::new(),
                ]
            })
            .collect(),
        lists: vec![],
    };
    let bytes = sheet::to_xlsx(&table)?;
    let copy = bytes.clone();
    let t = Instant::now();
    tokio::task::spawn_blocking(move || {
        use calamine::{Reader, Xlsx};
        let mut wb: Xlsx<_> =
            Xlsx::new(std::io::Cursor::new(copy)).map_err(|e| Error::internal("读取基准表格失败", e))?;
        let name = wb.sheet_names().first().cloned().unwrap_or_default();
        wb.worksheet_range(&name)
            .map(drop)
            .map_err(|e| Error::internal("读取基准工作表失败", e))
    })
    .await
    .map_err(|e| Error::internal("基准读取任务中断", e))??;
    let calamine_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let actor = Actor::anonymous("基准测试", "local");
    let r = people::import(db, now, &actor, &scope, bytes, "bench.xlsx", ImportOptions::default()).await?;
    let import_ms = t.elapsed().as_secs_f64() * 1000.0;
    if !r.errors.is_empty() {
        return Err(Error::unexpected(format!(
            "基准导入有 {} 个错误：{:?}",
            r.errors.len(),
            r.errors.first()
        )));
    }
    Ok((calamine_ms, import_ms, r.imported))
}
