use thiserror::Error;

/// Whatever caused an internal failure, kept so the log shows the chain.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The one domain error. Messages are Chinese and say what to fix.
#[derive(Debug, Error)]
pub enum Error {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{field}：{message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Locked(String),
    /// Too many failed logins from one address (429).
    #[error("{0}")]
    Throttled(String),
    /// The account must change its password before anything else.
    #[error("{0}")]
    PasswordChangeRequired(String),
    /// A database failure; the driver's error (and its code) is kept.
    #[error("数据库错误：{0}")]
    Db(#[source] sqlx::Error),
    /// Any other failure inside the server (Excel generation, random numbers,
    /// JSON, an HTTP client, demo data): what was being done, and why.
    #[error("{context}{}", .source.as_ref().map(|s| format!("：{s}")).unwrap_or_default())]
    Internal {
        context: String,
        #[source]
        source: Option<BoxError>,
    },
}

pub type Result<T> = std::result::Result<T, Error>;

/// SQLite's primary result codes SQLITE_BUSY and SQLITE_LOCKED; their extended
/// codes (SQLITE_BUSY_SNAPSHOT 517, SQLITE_LOCKED_SHAREDCACHE 262, …) keep
/// them in the low byte.
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
/// PostgreSQL's serialization_failure and deadlock_detected.
const PG_RETRYABLE: [&str; 2] = ["40001", "40P01"];

impl Error {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// An internal failure with its cause.
    pub fn internal(context: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Error::Internal {
            context: context.into(),
            source: Some(source.into()),
        }
    }

    /// An internal failure found by our own check (nothing underneath).
    pub fn unexpected(context: impl Into<String>) -> Self {
        Error::Internal {
            context: context.into(),
            source: None,
        }
    }

    /// A busy or locked SQLite, or a PostgreSQL serialization failure or
    /// deadlock: the transaction is worth running again. Decided on the
    /// engine's error code, never on the message text.
    pub fn is_retryable(&self) -> bool {
        let Error::Db(sqlx::Error::Database(db)) = self else {
            return false;
        };
        let Some(code) = db.code() else { return false };
        if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
            code.parse::<i32>()
                .is_ok_and(|c| matches!(c & 0xff, SQLITE_BUSY | SQLITE_LOCKED))
        } else {
            PG_RETRYABLE.contains(&code.as_ref())
        }
    }

    /// The error and every cause under it, for the server log.
    pub fn report(&self) -> String {
        let mut out = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            let s = c.to_string();
            if !out.ends_with(&s) {
                out.push_str(" ← ");
                out.push_str(&s);
            }
            cause = c.source();
        }
        out
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return Error::Conflict("数据已存在，请勿重复提交".into());
            }
            if db.is_foreign_key_violation() {
                return Error::Conflict("关联的数据不存在或仍被引用".into());
            }
        }
        Error::Db(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_keep_their_cause() {
        let cause = std::io::Error::other("磁盘已满");
        let e = Error::internal("生成 Excel 失败", cause);
        assert_eq!(e.to_string(), "生成 Excel 失败：磁盘已满");
        assert_eq!(
            std::error::Error::source(&e).map(|s| s.to_string()).as_deref(),
            Some("磁盘已满")
        );
        assert_eq!(Error::unexpected("演示组织不全").to_string(), "演示组织不全");
    }

    #[test]
    fn words_in_a_message_never_make_an_error_retryable() {
        assert!(!Error::unexpected("40001: database is locked").is_retryable());
        assert!(!Error::Conflict("database is locked".into()).is_retryable());
        assert!(!Error::Db(sqlx::Error::Protocol("database is locked (40001)".into())).is_retryable());
    }
}
