//! The command line: migrate, admin create, audit verify, backup, copy, serve.
use std::io::Write;
use std::process::{Command, Stdio};
use tongpin_core::db::Db;
use tongpin_core::with_db;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tongpin"))
}

fn temp_db() -> (String, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!("tongpin-cli-{}.db", tongpin_core::ids::new_id()));
    (format!("sqlite://{}", path.display()), path)
}

fn admin_create(db: &str, username: &str, role: &str, password: &str) -> std::process::Output {
    let mut child = bin()
        .args(["admin", "create", "--db", db, "--username", username, "--role", role])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(password.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn admin_create_then_verify_then_tamper() {
    let (db, path) = temp_db();
    assert!(bin().args(["migrate", "--db", &db]).status().unwrap().success());
    let out = admin_create(&db, "root1", "system-admin", "Operator#2026\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A weak password and an org-admin without --org are refused.
    assert!(!admin_create(&db, "root2", "security-admin", "weak").status.success());
    assert!(!admin_create(&db, "root3", "org-admin", "Operator#2026")
        .status
        .success());

    let ok = bin().args(["audit", "verify", "--db", &db]).output().unwrap();
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("完整"));

    // The operator's own password is not forced to change.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        // The database as the server opens it: sealed with the key `admin create` made beside it.
        let (key, _) = tongpin_core::audit::default_paths(&db);
        let d = Db::connect(&db).await.unwrap();
        let source = tongpin_core::audit::KeySource::File(key);
        let d = tongpin_core::audit::open_sealed(d, 1_790_000_000_000, &source, None)
            .await
            .unwrap();
        let ok = tongpin_core::auth::login(&d, 1_790_000_000_000, "root1", "Operator#2026", "api", "local")
            .await
            .unwrap();
        assert!(!ok.must_change);
        with_db!(&d, |p| sqlx::query("UPDATE audit_log SET object = 'x' WHERE seq = 1")
            .execute(p)
            .await
            .unwrap()
            .rows_affected());
        d.close().await;
    });
    let bad = bin().args(["audit", "verify", "--db", &db]).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("第 1 条"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let _ = std::fs::remove_file(path);
}

#[test]
fn backup_and_copy() {
    let (db, _) = temp_db();
    assert!(admin_create(&db, "root1", "audit-admin", "Operator#2026")
        .status
        .success());
    let out = std::env::temp_dir().join(format!("tongpin-backup-{}.db", tongpin_core::ids::new_id()));
    let out = out.display().to_string();
    let b = bin().args(["backup", "--db", &db, "--out", &out]).output().unwrap();
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let restored = format!("sqlite://{out}");
    // A restore puts the audit key (backed up apart from the database) beside the copy.
    std::fs::copy(
        tongpin_core::audit::default_paths(&db).0,
        tongpin_core::audit::default_paths(&restored).0,
    )
    .unwrap();
    assert!(bin()
        .args(["audit", "verify", "--db", &restored])
        .status()
        .unwrap()
        .success());
    // Backing up over an existing file is refused.
    assert!(!bin()
        .args(["backup", "--db", &db, "--out", &out])
        .status()
        .unwrap()
        .success());
    // Copy into an empty database works, into a full one is refused.
    let (empty, _) = temp_db();
    let c = bin().args(["copy", "--from", &db, "--to", &empty]).output().unwrap();
    assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
    assert!(!bin()
        .args(["copy", "--from", &db, "--to", &empty])
        .status()
        .unwrap()
        .success());
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let (db, _) = temp_db();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = bin()
        .args(["serve", "--db", &db, "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(up, "server did not start");
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut buf = String::new();
    std::io::Read::read_to_string(&mut s, &mut buf).unwrap();
    assert!(buf.starts_with("HTTP/1.1 200"), "{buf}");
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn purge_keeps_six_months() {
    let (db, _) = temp_db();
    assert!(admin_create(&db, "root1", "audit-admin", "Operator#2026")
        .status
        .success());
    let recent = bin()
        .args(["audit", "purge", "--db", &db, "--before", "2999-01-01"])
        .output()
        .unwrap();
    assert!(!recent.status.success());
    assert!(
        String::from_utf8_lossy(&recent.stderr).contains("6 个月"),
        "{}",
        String::from_utf8_lossy(&recent.stderr)
    );
    let old = bin()
        .args(["audit", "purge", "--db", &db, "--before", "2000-01-01"])
        .output()
        .unwrap();
    assert!(old.status.success());
    assert!(bin().args(["audit", "verify", "--db", &db]).status().unwrap().success());
}

#[test]
fn serve_refuses_a_ca_bundle_without_certificates() {
    let (db, _) = temp_db();
    let bundle = std::env::temp_dir().join(format!("tongpin-ca-{}.pem", tongpin_core::ids::new_id()));
    std::fs::write(&bundle, "not a certificate\n").unwrap();
    let out = bin()
        .args(["serve", "--db", &db, "--listen", "127.0.0.1:0", "--ca-bundle"])
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("CA 证书文件") && err.contains("PEM"), "{err}");
    std::fs::remove_file(&bundle).ok();
}
