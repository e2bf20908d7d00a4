//! Small helpers for SQL built at run time (filters with optional parts).

/// One bound value.
#[derive(Clone, Debug)]
pub enum Param {
    S(String),
    I(i64),
}

/// A WHERE clause and its parameters, numbered `$1..` in order.
#[derive(Default, Debug)]
pub struct Where {
    conds: Vec<String>,
    params: Vec<Param>,
}

impl Where {
    /// Adds a condition; `{}` in it stands for the parameter's placeholder.
    pub fn push(&mut self, cond: &str, p: Param) {
        let ph = self.param(p);
        self.conds.push(cond.replace("{}", &ph));
    }
    /// Adds a condition whose placeholders were taken with `param`.
    pub fn push_raw(&mut self, cond: String) {
        self.conds.push(cond);
    }
    /// Takes the next placeholder for a value.
    pub fn param(&mut self, p: Param) -> String {
        self.params.push(p);
        format!("${}", self.params.len())
    }
    /// `WHERE a AND b`, or nothing.
    pub fn sql(&self) -> (String, usize) {
        if self.conds.is_empty() {
            (String::new(), 0)
        } else {
            (format!("WHERE {}", self.conds.join(" AND ")), self.conds.len())
        }
    }
    pub fn params(&self) -> &[Param] {
        &self.params
    }
}

/// Binds every parameter to a sqlx query, query_as or query_scalar.
#[macro_export]
macro_rules! bind_all {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                $crate::sql::Param::S(s) => q.bind(s.clone()),
                $crate::sql::Param::I(i) => q.bind(*i),
            };
        }
        q
    }};
}
pub use bind_all;

/// `%text%` for LIKE with `\` as the escape character.
pub fn like_contains(text: &str) -> String {
    format!("%{}%", escape_like(text))
}

/// `text%` for prefix matches.
pub fn like_prefix(text: &str) -> String {
    format!("{}%", escape_like(text))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
