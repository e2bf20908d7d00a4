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
    /// `col` starts with `prefix`, as a range both engines answer from an
    /// index (a LIKE pattern cannot use one: SQLite's LIKE ignores case, and
    /// PostgreSQL's generic plans cannot see a prefix in a parameter).
    pub fn prefix(&mut self, col: &str, prefix: &str) {
        let (lo, hi) = prefix_range(prefix);
        let a = self.param(Param::S(lo));
        match hi {
            Some(hi) => {
                let b = self.param(Param::S(hi));
                self.conds.push(format!("({col} >= {a} AND {col} < {b})"));
            }
            None => self.conds.push(format!("{col} >= {a}")),
        }
    }
    /// Like `prefix`, but the condition is returned for the caller to combine.
    pub fn prefix_cond(&mut self, col: &str, prefix: &str) -> String {
        let (lo, hi) = prefix_range(prefix);
        let a = self.param(Param::S(lo));
        match hi {
            Some(hi) => {
                let b = self.param(Param::S(hi));
                format!("({col} >= {a} AND {col} < {b})")
            }
            None => format!("{col} >= {a}"),
        }
    }
    /// Placeholders for a list of text values ("$3, $4, $5"), for `IN (…)`.
    pub fn in_list(&mut self, values: &[String]) -> String {
        let phs: Vec<String> = values.iter().map(|v| self.param(Param::S(v.clone()))).collect();
        phs.join(", ")
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

/// [lo, hi): every string starting with `prefix` sorts in it (bytewise,
/// which is code-point order for UTF-8). `hi` is the prefix with its last
/// character moved up by one; None when no such bound exists.
pub fn prefix_range(prefix: &str) -> (String, Option<String>) {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (last as u32 + 1..=char::MAX as u32).find_map(char::from_u32);
        if let Some(n) = next {
            chars.push(n);
            return (prefix.to_string(), Some(chars.into_iter().collect()));
        }
    }
    (prefix.to_string(), None)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ranges() {
        assert_eq!(prefix_range("/a/"), ("/a/".into(), Some("/a0".into())));
        assert_eq!(prefix_range("wj"), ("wj".into(), Some("wk".into())));
        assert_eq!(prefix_range("王"), ("王".into(), Some("玌".into())));
        assert_eq!(prefix_range(""), ("".into(), None));
    }
}
