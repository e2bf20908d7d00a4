use thiserror::Error;

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
    #[error("数据库错误：{0}")]
    Db(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// SQLSTATE 40001 (serialization failure) or SQLite busy: worth retrying.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Db(m) if m.contains("40001") || m.contains("database is locked"))
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
            if let Some(code) = db.code() {
                return Error::Db(format!("{code}: {}", db.message()));
            }
        }
        Error::Db(e.to_string())
    }
}
