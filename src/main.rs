//! The `tongpin` command line: parses arguments, builds config, calls core or web.
mod audit_files;
mod jobs;
mod memory;

use anyhow::{bail, Context, Result};
use audit_files::AuditFiles;
use clap::{Parser, Subcommand};
use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use tongpin_core::audit::Actor;
use tongpin_core::auth::{self, NewAccount, Role};
use tongpin_core::clock::{Clock, SystemClock};
use tongpin_core::db::{self, Db};
use tongpin_web::{AppState, Config};

#[derive(Parser)]
#[command(name = "tongpin", version, about = "同频：党建与业务融合平台")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    #[command(flatten)]
    audit_files: AuditFiles,
}

#[derive(clap::Args)]
struct ServeArgs {
    #[arg(long, env = "TONGPIN_DB", default_value = "sqlite://tongpin.db")]
    db: String,
    #[arg(long, env = "TONGPIN_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Mark the session cookie Secure (serve behind TLS).
    #[arg(long, env = "TONGPIN_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Largest request body in bytes.
    #[arg(long, env = "TONGPIN_BODY_LIMIT", default_value_t = 10 * 1024 * 1024)]
    body_limit: usize,
    /// Largest evidence file (佐证材料) in MiB; routes that take evidence allow bodies this large.
    #[arg(long, env = "TONGPIN_MAX_UPLOAD_MIB",
          default_value_t = tongpin_core::rules::evidence::MAX_BYTES / (1024 * 1024),
          value_parser = clap::value_parser!(u64).range(1..=1024))]
    max_upload_mib: u64,
    /// A private CA bundle (PEM) trusted besides the public roots, for an intranet mail server or a
    /// private edition of the DingTalk, WeCom or Feishu robots.
    #[arg(long, env = "TONGPIN_CA_BUNDLE")]
    ca_bundle: Option<std::path::PathBuf>,
    /// Reverse proxies in front of tongpin (comma-separated addresses): only a request from one of them has its
    /// client address taken from X-Forwarded-For (the right-most entry that is not such a proxy).
    #[arg(long, env = "TONGPIN_TRUSTED_PROXY", value_delimiter = ',')]
    trusted_proxy: Vec<std::net::IpAddr>,
    /// A PostgreSQL streaming replica of `--db`: the superior's views (督导矩阵, 融合度, 组织生活督查)
    /// read from it while it is less than a minute behind, and say how far behind it is.
    #[arg(long, env = "TONGPIN_REPLICA_DB")]
    replica_db: Option<String>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve the web application (migrates first).
    Serve(ServeArgs),
    /// Fill an empty database with a Chinese demo organization and serve it.
    Demo(ServeArgs),
    /// Apply the database migrations.
    Migrate {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
    },
    /// Rebuilds the compliance counts kept on write (合规计数) from the records:
    /// every year kept, and `--year` besides.
    RecountLife {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long)]
        year: Option<i32>,
    },
    /// Rebuilds what the to-dos keep to find their people (待办候选): each
    /// member's dues standing and each person's next development deadline.
    RecountTodos {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
    },
    /// Accounts from the command line (the first admins).
    Admin {
        #[command(subcommand)]
        cmd: AdminCmd,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Copy all data between engines (e.g. SQLite to PostgreSQL) into an empty target.
    Copy {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Consistent online backup of a SQLite database.
    Backup {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long)]
        out: String,
    },
    /// Synthetic scale data for benchmarks.
    Gen {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long, default_value_t = 1000)]
        orgs: usize,
        #[arg(long, default_value_t = 100_000)]
        people: usize,
    },
    /// Roster benchmarks on data made by `gen`: searches, counting, a large import.
    #[command(hide = true)]
    BenchRoster {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long, default_value_t = 30)]
        runs: usize,
        #[arg(long, default_value_t = 100_000)]
        import_rows: usize,
    },
    /// Synthetic plan data for the matrix benchmark: one committee, its goals broken down to every branch.
    #[command(hide = true)]
    GenPlan {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long, default_value_t = 2000)]
        branches: usize,
        #[arg(long, default_value_t = 20)]
        goals: usize,
        /// Party tasks per branch (one deployed from the committee, the rest its own).
        #[arg(long, default_value_t = 5)]
        tasks: usize,
    },
    /// Plan benchmarks on data made by `gen-plan`: the matrix against its raw queries, the fusion view.
    #[command(hide = true)]
    BenchPlan {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long, default_value_t = 15)]
        runs: usize,
    },
    /// Synthetic organizational life for the compliance benchmark: `gen`'s tree and roster, a year of meetings.
    #[command(hide = true)]
    GenLife {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long, default_value_t = 50_000)]
        orgs: usize,
        #[arg(long, default_value_t = 1_220_000)]
        people: usize,
    },
    /// Organizational-life benchmarks on data made by `gen-life`: supervision against counting attendance.
    #[command(hide = true)]
    BenchLife {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long, default_value_t = 7)]
        runs: usize,
    },
    /// Synthetic standardization data for the ledger benchmark: `gen`'s tree, last year's records and a standard.
    #[command(hide = true)]
    GenStandard {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long, default_value_t = 50_000)]
        branches: usize,
        #[arg(long, default_value_t = 40)]
        items: usize,
        /// People on each branch's roster.
        #[arg(long, default_value_t = 8)]
        per_branch: usize,
    },
    /// Standardization benchmarks on data made by `gen-standard`: the ledger and the computed items against their raw queries.
    #[command(hide = true)]
    BenchStandard {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long, default_value_t = 7)]
        runs: usize,
    },
    /// Synthetic assessment data for the results benchmark: `gen-standard`'s records, a year's plan and study, and an assessment of every branch.
    #[command(hide = true)]
    GenAssess {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long, default_value_t = 50_000)]
        branches: usize,
        #[arg(long, default_value_t = 60)]
        indicators: usize,
        /// People on each branch's roster.
        #[arg(long, default_value_t = 8)]
        per_branch: usize,
    },
    /// Assessment benchmarks on data made by `gen-assess`: the results and one drill-down against their raw queries.
    #[command(hide = true)]
    BenchAssess {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long, default_value_t = 7)]
        runs: usize,
    },
    /// A bare axum handler (GET / answers "ok"): the baseline benchmarks compare against.
    #[command(hide = true)]
    BenchBaseline {
        #[arg(long, default_value = "127.0.0.1:8081")]
        listen: SocketAddr,
    },
}

#[derive(Subcommand)]
enum AdminCmd {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long)]
        username: String,
        /// system-admin, security-admin, audit-admin, or org-admin (with --org).
        #[arg(long)]
        role: String,
        #[arg(long)]
        org: Option<String>,
        /// Display name; the username when absent.
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Exit 0 when the chain is intact (checked with the audit key and against the anchor file);
    /// otherwise 1, naming the first broken record.
    Verify {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
    },
    /// Delete records older than a date (YYYY-MM-DD, Beijing time); at least 6 calendar months are kept.
    Purge {
        #[arg(long, env = "TONGPIN_DB")]
        db: String,
        #[arg(long)]
        before: String,
    },
}

/// Connected and migrated, not yet sealed with the audit key.
async fn connect(url: &str) -> Result<Db> {
    let db = Db::connect(url)
        .await
        .with_context(|| format!("无法连接数据库 {url}"))?;
    db::migrate(&db).await.context("数据库迁移失败")?;
    Ok(db)
}

/// Connected, migrated and sealed: ready to append audit records.
async fn open(url: &str, files: &AuditFiles) -> Result<Db> {
    files.seal(connect(url).await?, url, SystemClock.now_ms()).await
}

fn cli_actor() -> Actor {
    Actor::anonymous("命令行", "local")
}

fn main() -> Result<()> {
    memory::tune();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> Result<()> {
    tracing_subscriber::fmt()
        .with_target(false)
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let clock = SystemClock;
    let files = cli.audit_files;
    match cli.cmd {
        Cmd::Serve(a) => serve(a, false, &files).await,
        Cmd::Demo(a) => serve(a, true, &files).await,
        Cmd::Migrate { db } => {
            open(&db, &files).await?;
            println!("迁移完成");
            Ok(())
        }
        Cmd::RecountLife { db, year } => {
            let db = open(&db, &files).await?;
            let t = std::time::Instant::now();
            let years = tongpin_core::life::tallies::rebuild(&db, year).await?;
            let years: Vec<String> = years.iter().map(|y| y.to_string()).collect();
            println!(
                "已重算组织生活合规计数：{}，用时 {:.1} 秒",
                if years.is_empty() {
                    "尚无已计数的年度".to_string()
                } else {
                    format!("{} 年度", years.join("、"))
                },
                t.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Cmd::RecountTodos { db } => {
            let db = open(&db, &files).await?;
            let t = std::time::Instant::now();
            let members = tongpin_core::dues::recount_standing(&db).await?;
            let developing = tongpin_core::develop::recount_due(&db).await?;
            println!(
                "已重算待办候选：党费 {members} 人、发展党员 {developing} 人，用时 {:.1} 秒",
                t.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Cmd::Admin {
            cmd:
                AdminCmd::Create {
                    db,
                    username,
                    role,
                    org,
                    name,
                },
        } => {
            let role =
                Role::from_code(&role).context("角色应为 system-admin、security-admin、audit-admin 或 org-admin")?;
            if !matches!(
                role,
                Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin | Role::OrgAdmin
            ) {
                bail!("命令行只创建 system-admin、security-admin、audit-admin 或 org-admin；其他角色请在系统中授予");
            }
            if role.is_separated_admin() && org.is_some() {
                bail!("{} 是全局角色，不应指定 --org", role.code());
            }
            if role == Role::OrgAdmin && org.is_none() {
                bail!("org-admin 须以 --org 指定组织");
            }
            let db = open(&db, &files).await?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let new = NewAccount {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                password,
                must_change: false,
            };
            let now = clock.now_ms();
            let id = if role.is_separated_admin() {
                // The account and its kind in one transaction: the only way an admin kind is given.
                auth::create_admin(&db, now, &cli_actor(), new, role).await?
            } else {
                let id = auth::create_account(&db, now, &cli_actor(), &auth::cap::command_line(), new).await?;
                let by = auth::cap::command_line();
                if let Err(e) = auth::grant_role(&db, now, &cli_actor(), &by, &id, role, org.as_deref()).await {
                    bail!("账号已创建，但授予角色失败：{e}");
                }
                id
            };
            tongpin_core::audit::anchor_head(&db, now).await?;
            println!("已创建账号 {id}，角色：{}", role.label());
            Ok(())
        }
        Cmd::Audit {
            cmd: AuditCmd::Verify { db },
        } => {
            let key = files.existing_key(&db)?;
            let anchors = files.anchors(&db);
            let pool = connect(&db).await?;
            match tongpin_core::audit::verify_with(&pool, key.as_ref(), Some(&anchors)).await? {
                Ok(v) => {
                    match v.anchors {
                        Some(a) => println!("审计链完整：共 {} 条记录，与锚点文件的 {a} 个锚点相符", v.records),
                        None => println!(
                            "审计链完整：共 {} 条记录。注意：{}，无法发现末尾被截去",
                            v.records,
                            if key.is_none() {
                                "没有审计密钥".to_string()
                            } else {
                                format!("没有锚点文件 {}", anchors.display())
                            }
                        ),
                    }
                    Ok(())
                }
                Err(b) => {
                    eprintln!("审计链被破坏：第 {} 条记录，{}", b.seq, b.reason);
                    std::process::exit(1);
                }
            }
        }
        Cmd::Audit {
            cmd: AuditCmd::Purge { db, before },
        } => {
            let day =
                chrono::NaiveDate::parse_from_str(&before, "%Y-%m-%d").context("--before 的格式应为 2026-05-01")?;
            let cutoff = day
                .and_hms_opt(0, 0, 0)
                .context("日期无效")?
                .and_utc()
                .timestamp_millis()
                - 8 * 3_600_000;
            let db = open(&db, &files).await?;
            let n = tongpin_core::audit::purge_before(&db, clock.now_ms(), cutoff, &cli_actor()).await?;
            println!("已清理 {n} 条 {before} 之前的审计记录；其余记录仍可校验");
            Ok(())
        }
        Cmd::Copy { from, to } => {
            let src = open(&from, &files).await?;
            if let Some(seal) = src.seal() {
                files.share_key(seal.key(), &to)?;
            }
            let dst = connect(&to).await?;
            let report = db::copy_all(&src, &dst).await?;
            for (t, n) in report {
                println!("{t}: {n} 行");
            }
            files.seal(dst, &to, clock.now_ms()).await?;
            println!("复制完成：行数一致，目标库审计链完整");
            Ok(())
        }
        Cmd::Backup { db: url, out } => {
            open(&url, &files).await?.backup_sqlite(&out).await?;
            println!("已备份到 {out}");
            println!("{}", files.backup_note(&url));
            Ok(())
        }
        Cmd::Gen { db, orgs, people } => {
            let db = open(&db, &files).await?;
            let root = tongpin_core::seed::generate(&db, clock.now_ms(), orgs, people).await?;
            println!("已生成 {orgs} 个组织、{people} 名人员（前 100000 人有党员账号）；根组织 {root}");
            Ok(())
        }
        Cmd::BenchRoster { db, runs, import_rows } => {
            let db = open(&db, &files).await?;
            println!("| 操作 | p50 ms | p99 ms | 仅数据库 p50 ms | 仅数据库 p99 ms | p50 比值 |");
            println!("|---|---:|---:|---:|---:|---:|");
            for f in tongpin_core::bench::roster(&db, clock.now_ms(), runs).await? {
                println!(
                    "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
                    f.label,
                    f.ours.0,
                    f.ours.1,
                    f.base.0,
                    f.base.1,
                    f.ours.0 / f.base.0.max(0.001)
                );
            }
            if import_rows > 0 {
                let (cal, imp, n) = tongpin_core::bench::import(&db, clock.now_ms(), import_rows).await?;
                println!();
                println!(
                    "导入 {n} 行 .xlsx：{:.0} ms；calamine 仅读取同一文件：{:.0} ms；比值 {:.1}",
                    imp,
                    cal,
                    imp / cal.max(0.001)
                );
            }
            Ok(())
        }
        Cmd::GenPlan {
            db,
            branches,
            goals,
            tasks,
        } => {
            let db = open(&db, &files).await?;
            let t = std::time::Instant::now();
            let g = tongpin_core::seed::generate_plan(&db, clock.now_ms(), branches, goals, tasks).await?;
            println!(
                "已生成 {} 年度计划：{} 个组织、{} 项目标（含分解）、{} 个指标值、{} 项党建任务，用时 {:.1} 秒；党委 {}",
                g.year,
                g.orgs,
                g.goals,
                g.values,
                g.tasks,
                t.elapsed().as_secs_f64(),
                g.committee
            );
            Ok(())
        }
        Cmd::GenLife { db, orgs, people } => {
            let db = open(&db, &files).await?;
            let t = std::time::Instant::now();
            let g = tongpin_core::seed::generate_life(&db, clock.now_ms(), orgs, people).await?;
            println!("{}，用时 {:.1} 秒", g.summary(), t.elapsed().as_secs_f64());
            Ok(())
        }
        Cmd::BenchLife { db, runs } => {
            let db = open(&db, &files).await?;
            print!(
                "{}",
                tongpin_core::bench_life::life(&db, clock.now_ms(), runs)
                    .await?
                    .markdown()
            );
            Ok(())
        }
        Cmd::GenStandard {
            db,
            branches,
            items,
            per_branch,
        } => {
            let db = open(&db, &files).await?;
            let t = std::time::Instant::now();
            let g = tongpin_core::seed::generate_standard(&db, clock.now_ms(), branches, items, per_branch).await?;
            println!("{}，用时 {:.1} 秒", g.summary(), t.elapsed().as_secs_f64());
            Ok(())
        }
        Cmd::BenchStandard { db, runs } => {
            let db = open(&db, &files).await?;
            print!(
                "{}",
                tongpin_core::bench_standard::standard(&db, clock.now_ms(), runs)
                    .await?
                    .markdown()
            );
            Ok(())
        }
        Cmd::GenAssess {
            db,
            branches,
            indicators,
            per_branch,
        } => {
            let db = open(&db, &files).await?;
            let t = std::time::Instant::now();
            let g = tongpin_core::seed::generate_assess(&db, clock.now_ms(), branches, indicators, per_branch).await?;
            println!("{}，用时 {:.1} 秒", g.summary(), t.elapsed().as_secs_f64());
            Ok(())
        }
        Cmd::BenchAssess { db, runs } => {
            let db = open(&db, &files).await?;
            let b = tongpin_core::bench_assess::assess(&db, clock.now_ms(), runs).await?;
            print!("{}", b.markdown());
            Ok(())
        }
        Cmd::BenchPlan { db, runs } => {
            let db = open(&db, &files).await?;
            let b = tongpin_core::bench_plan::plan(&db, clock.now_ms(), runs).await?;
            print!("{}", b.markdown());
            Ok(())
        }
        Cmd::BenchBaseline { listen } => {
            let app = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
            let listener = tokio::net::TcpListener::bind(listen).await?;
            println!("baseline on http://{listen}");
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await?;
            Ok(())
        }
    }
}

async fn serve(a: ServeArgs, demo: bool, files: &AuditFiles) -> Result<()> {
    let trust = match &a.ca_bundle {
        Some(path) => {
            let pem = std::fs::read(path).with_context(|| format!("无法读取 CA 证书文件 {}", path.display()))?;
            tongpin_core::notify::Trust::with_bundle(&pem).with_context(|| format!("CA 证书文件 {}", path.display()))?
        }
        None => tongpin_core::notify::Trust::public(),
    };
    let db = open(&a.db, files).await?;
    let db = match &a.replica_db {
        Some(url) => db.with_replica(url).await?,
        None => db,
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    if demo {
        match tongpin_core::seed::seed_demo(&db, clock.now_ms()).await {
            Ok(accounts) => {
                println!("演示数据已生成。演示账号（密码相同）：");
                for d in accounts {
                    println!("  {:<10} {:<14} {}", d.username, d.password, d.role);
                }
            }
            Err(tongpin_core::Error::Conflict(m)) => println!("{m}；沿用已有数据"),
            Err(e) => return Err(e.into()),
        }
    }
    let config = Config {
        secure_cookies: a.secure_cookies,
        body_limit: a.body_limit,
        evidence_max_bytes: a.max_upload_mib * 1024 * 1024,
        trust: trust.clone(),
        trusted_proxies: a.trusted_proxy,
    };
    jobs::spawn_all(&db, &clock, trust);
    let state = AppState::new(db.clone(), clock, config);
    let app = tongpin_web::router(state);
    let listener = tokio::net::TcpListener::bind(a.listen)
        .await
        .with_context(|| format!("无法监听 {}", a.listen))?;
    println!("同频已启动：http://{}", a.listen);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    if let Err(e) = tongpin_core::audit::anchor_head(&db, SystemClock.now_ms()).await {
        tracing::warn!("anchoring the audit chain failed: {e}");
    }
    db.close().await;
    println!("已停止");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, finish requests in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
