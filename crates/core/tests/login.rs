//! Logging in under attack: the failure count holds under parallel guesses,
//! a lock is not lifted by the right password, the per-address throttle,
//! and failure rows for unknown names expire.
mod common;
use common::cli;
use tongpin_core::auth::{self, cap, NewAccount, Policy, Role};
use tongpin_core::clock::{HOUR_MS, MINUTE_MS};
use tongpin_core::db::{testing::fresh_db, Db};
use tongpin_core::rules::security as rule;
use tongpin_core::{with_db, Error};

const NOW: i64 = 1_790_000_000_000;
const PW: &str = "Passw0rd!x";

async fn world() -> Db {
    let db = fresh_db().await.unwrap();
    let new = NewAccount {
        username: "zhang".into(),
        display_name: "张三".into(),
        password: PW.into(),
        must_change: false,
    };
    auth::create_admin(&db, NOW, &cli(), new, Role::AuditAdmin)
        .await
        .unwrap();
    db
}

async fn attempt_row(db: &Db, username: &str) -> Option<(i64, Option<i64>)> {
    with_db!(db, |p| sqlx::query_as(
        "SELECT failures, locked_until FROM login_attempts WHERE username = $1"
    )
    .bind(username)
    .fetch_optional(p)
    .await
    .unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_wrong_guesses_still_lock_after_five() {
    let db = world().await;
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let db = db.clone();
            // Each from its own address, so the address throttle stays out of it.
            tokio::spawn(
                async move { auth::login(&db, NOW, "zhang", "Wrong-guess1", "api", &format!("10.0.0.{i}")).await },
            )
        })
        .collect();
    let mut wrong = Vec::new();
    let mut locked = 0;
    for t in tasks {
        match t.await.unwrap() {
            Err(Error::Unauthorized(m)) => wrong.push(m),
            Err(Error::Locked(_)) => locked += 1,
            other => panic!("{:?}", other.map(|_| ())),
        }
    }
    // Exactly the failures before the threshold answer "wrong password";
    // each counted once (1, 2, 3, 4), none lost to another's write.
    assert_eq!(wrong.len() as i64, rule::LOCKOUT_THRESHOLD - 1, "{wrong:?}");
    for n in 1..rule::LOCKOUT_THRESHOLD {
        assert_eq!(
            wrong.iter().filter(|m| m.contains(&format!("连续失败 {n} 次"))).count(),
            1,
            "{wrong:?}"
        );
    }
    assert_eq!(locked, 50 - wrong.len());
    let (_, until) = attempt_row(&db, "zhang").await.unwrap();
    assert_eq!(until, Some(NOW + rule::LOCKOUT_MINUTES * MINUTE_MS));
}

#[tokio::test]
async fn the_right_password_does_not_lift_a_lock() {
    let db = world().await;
    for i in 0..rule::LOCKOUT_THRESHOLD {
        let e = auth::login(&db, NOW + i, "zhang", "Wrong-guess1", "api", "10.1.1.1")
            .await
            .err()
            .unwrap();
        assert_eq!(matches!(e, Error::Locked(_)), i + 1 == rule::LOCKOUT_THRESHOLD, "{e:?}");
    }
    // Locked by the last failure, at NOW + threshold - 1.
    let until = NOW + rule::LOCKOUT_THRESHOLD - 1 + rule::LOCKOUT_MINUTES * MINUTE_MS;
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { auth::login(&db, NOW + 10, "zhang", PW, "api", "10.1.1.2").await })
        })
        .collect();
    for t in tasks {
        assert!(matches!(t.await.unwrap(), Err(Error::Locked(_))));
    }
    assert_eq!(attempt_row(&db, "zhang").await.unwrap().1, Some(until));
    // One millisecond before the lock ends it holds; at its end the password works.
    assert!(matches!(
        auth::login(&db, until - 1, "zhang", PW, "api", "10.1.1.2").await,
        Err(Error::Locked(_))
    ));
    assert!(auth::login(&db, until, "zhang", PW, "api", "10.1.1.2").await.is_ok());
    assert!(attempt_row(&db, "zhang").await.is_none());
}

#[tokio::test]
async fn an_address_failing_across_usernames_is_throttled() {
    let db = world().await;
    let limit = rule::THROTTLE_FAILURES;
    for i in 0..limit {
        let e = auth::login(&db, NOW + i, &format!("user{i}"), "Wrong-guess1", "api", "10.2.2.2")
            .await
            .err()
            .unwrap();
        assert!(matches!(e, Error::Unauthorized(_)), "attempt {i}: {e:?}");
    }
    // The limit reached: even the right password answers 429, before any check.
    let e = auth::login(&db, NOW + limit, "zhang", PW, "api", "10.2.2.2")
        .await
        .err()
        .unwrap();
    assert!(matches!(e, Error::Throttled(ref m) if m.contains("分钟")), "{e:?}");
    // Another address is not affected.
    assert!(auth::login(&db, NOW + limit, "zhang", PW, "api", "10.2.2.3")
        .await
        .is_ok());
    // The window moves on: the failures' minute counts for THROTTLE_MINUTES
    // full minutes after it ends, then leaves the window.
    let minute_end = (NOW / MINUTE_MS + 1) * MINUTE_MS;
    let still = minute_end + (rule::THROTTLE_MINUTES - 1) * MINUTE_MS;
    assert!(matches!(
        auth::login(&db, still, "zhang", PW, "api", "10.2.2.2").await,
        Err(Error::Throttled(_))
    ));
    let after = minute_end + rule::THROTTLE_MINUTES * MINUTE_MS;
    assert!(auth::login(&db, after, "zhang", PW, "api", "10.2.2.2").await.is_ok());
}

#[tokio::test]
async fn the_throttle_follows_the_security_policy() {
    let db = world().await;
    let policy = Policy {
        throttle_failures: 5,
        throttle_minutes: 1,
        ..Policy::default()
    };
    policy.save(&db, NOW, &cli(), &cap::command_line()).await.unwrap();
    for i in 0..4 {
        assert!(matches!(
            auth::login(&db, NOW, &format!("u{i}"), "Wrong-guess1", "api", "10.3.3.3").await,
            Err(Error::Unauthorized(_))
        ));
    }
    // Four failures: below the limit, the fifth attempt is still judged.
    assert!(matches!(
        auth::login(&db, NOW, "u4", "Wrong-guess1", "api", "10.3.3.3").await,
        Err(Error::Unauthorized(_))
    ));
    assert!(matches!(
        auth::login(&db, NOW, "zhang", PW, "api", "10.3.3.3").await,
        Err(Error::Throttled(_))
    ));
    for (field, bad) in [("同一地址登录失败上限", (4, 5)), ("同一地址失败计数时段", (20, 61))] {
        let p = Policy {
            throttle_failures: bad.0,
            throttle_minutes: bad.1,
            ..Policy::default()
        };
        let e = p.validate().unwrap_err();
        assert!(
            matches!(e, Error::Invalid { field: ref f, .. } if f.starts_with(field)),
            "{e:?}"
        );
    }
}

#[tokio::test]
async fn failure_rows_for_unknown_names_expire() {
    let db = world().await;
    auth::login(&db, NOW, "nobody", "Wrong-guess1", "api", "10.4.4.4")
        .await
        .ok();
    for i in 0..rule::LOCKOUT_THRESHOLD {
        auth::login(&db, NOW, "ghost", "Wrong-guess1", "api", &format!("10.4.5.{i}"))
            .await
            .ok();
    }
    let kept = rule::LOGIN_FAILURES_KEPT_HOURS * HOUR_MS;
    auth::expire_login_records(&db, NOW + kept).await.unwrap();
    assert!(
        attempt_row(&db, "nobody").await.is_some(),
        "kept for exactly the period"
    );
    auth::expire_login_records(&db, NOW + kept + 1).await.unwrap();
    assert!(attempt_row(&db, "nobody").await.is_none());
    // "ghost" was locked; its lock (30 minutes) ended long before: gone too.
    assert!(attempt_row(&db, "ghost").await.is_none());
    let rows: i64 = with_db!(&db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM login_throttle")
        .fetch_one(p)
        .await
        .unwrap());
    assert_eq!(rows, 0, "address counts older than any window are dropped");
}
