use super::Policy;
use crate::{Error, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// At most one Argon2 check per core at a time: a login storm waits its turn
/// (64 checks at once would take 64 × 19 MiB).
fn argon2_slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| Semaphore::new(hasher_count()))
}

fn hasher_count() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

type Job = Box<dyn FnOnce() + Send>;

/// Threads of their own for Argon2, at the lowest CPU priority: while the
/// server has other work, a login storm takes only the CPU that work leaves,
/// so searches and pages keep their speed and logins slow down instead.
fn hashers() -> &'static std::sync::mpsc::Sender<Job> {
    static HASHERS: OnceLock<std::sync::mpsc::Sender<Job>> = OnceLock::new();
    HASHERS.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..hasher_count() {
            let rx = rx.clone();
            let started = std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || {
                lowest_priority();
                loop {
                    let job = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    // A panicking check answers an error (its sender drops), not a dead thread.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            });
            if let Err(e) = started {
                tracing::error!("starting a password hashing thread failed: {e}");
            }
        }
        tx
    })
}

/// Nice 19 for the calling thread (on Linux a thread's nice value is its own).
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority takes plain integers and touches no memory of ours;
    // PRIO_PROCESS with id 0 means the calling thread on Linux.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

async fn off_workers<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let _slot = argon2_slots()
        .acquire()
        .await
        .map_err(|e| Error::unexpected(format!("密码校验不可用：{e}")))?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    hashers()
        .send(Box::new(move || {
            let _ = tx.send(f());
        }))
        .map_err(|_| Error::unexpected("密码校验不可用：校验线程已停止"))?;
    rx.await.map_err(|_| Error::unexpected("密码校验失败"))
}

/// `hash_password` off the async workers.
pub async fn hash_password_async(pw: &str) -> Result<String> {
    let pw = pw.to_string();
    off_workers(move || hash_password(&pw)).await?
}

/// `verify_password` off the async workers: does `pw` match any of `hashes`?
pub async fn verify_any(pw: &str, hashes: Vec<String>) -> Result<bool> {
    let pw = pw.to_string();
    off_workers(move || hashes.iter().any(|h| verify_password(&pw, h))).await
}

/// `verify_password`, or for a username that does not exist the same work
/// (so the answer takes as long), off the async workers.
pub(crate) async fn verify_or_dummy(pw: &str, hash: Option<String>) -> Result<bool> {
    let pw = pw.to_string();
    off_workers(move || match hash {
        Some(h) => verify_password(&pw, &h),
        None => {
            verify_dummy(&pw);
            false
        }
    })
    .await
}

/// An argon2id PHC string.
pub fn hash_password(pw: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| Error::internal("随机数不可用", e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::internal("生成密码盐失败", e.to_string()))?;
    Argon2::default()
        .hash_password(pw.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal("密码哈希失败", e.to_string()))
}

pub fn verify_password(pw: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// Spends the same work as a real check, for a username that does not exist.
pub(crate) fn verify_dummy(pw: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let h = DUMMY.get_or_init(|| hash_password("dummy-Password-1").unwrap_or_default());
    let _ = verify_password(pw, h);
}

/// The password policy's pure part: length, character classes, username.
pub fn check_strength(pw: &str, username: &str, p: &Policy) -> Result<()> {
    const FIELD: &str = "新密码";
    let n = pw.chars().count() as i64;
    if n < p.password_min_length {
        return Err(Error::invalid(
            FIELD,
            format!("长度至少 {} 位，当前 {n} 位", p.password_min_length),
        ));
    }
    if n > 128 {
        return Err(Error::invalid(FIELD, "长度不能超过 128 位"));
    }
    if pw.chars().any(char::is_control) {
        return Err(Error::invalid(FIELD, "不能包含控制字符"));
    }
    let classes = [
        pw.chars().any(|c| c.is_ascii_lowercase()),
        pw.chars().any(|c| c.is_ascii_uppercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count() as i64;
    if classes < p.password_min_classes {
        return Err(Error::invalid(
            FIELD,
            format!(
                "须包含大写字母、小写字母、数字、符号中的至少 {} 类，当前 {classes} 类",
                p.password_min_classes
            ),
        ));
    }
    if !username.is_empty() && pw.to_lowercase().contains(&username.to_lowercase()) {
        return Err(Error::invalid(FIELD, "不能包含用户名"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_edges() {
        let p = Policy::default();
        assert!(check_strength("Abcdef1!", "zhang", &p).is_ok());
        assert!(check_strength("Abcde1!", "zhang", &p).is_err(), "7 characters");
        assert!(check_strength("abcdefgh1", "zhang", &p).is_err(), "2 classes");
        assert!(check_strength("abcdefg1!", "zhang", &p).is_ok(), "3 classes");
        assert!(check_strength("Zhang123!", "zhang", &p).is_err(), "contains username");
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash_password("Abcdef1!").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Abcdef1!", &h));
        assert!(!verify_password("Abcdef1?", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
