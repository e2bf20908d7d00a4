use crate::sql::Where;

/// The organizations a caller may touch for one purpose: everything, or the
/// subtrees under some organizations. Only `auth` makes one (from a logged-in
/// principal's grants), and every organization-scoped query takes one, so an
/// unscoped read cannot be written by accident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    all: bool,
    /// Subtree root paths, none inside another.
    paths: Vec<String>,
    /// Every organization the power was granted on, including those inside
    /// another grant's subtree: whose staff the caller is (`holds_at`).
    granted: Vec<String>,
}

impl Scope {
    pub(crate) fn all() -> Scope {
        Scope {
            all: true,
            paths: Vec::new(),
            granted: Vec::new(),
        }
    }

    pub(crate) fn subtrees(mut paths: Vec<String>) -> Scope {
        paths.sort();
        paths.dedup();
        let granted = paths.clone();
        let mut kept: Vec<String> = Vec::new();
        for p in paths {
            if !kept.iter().any(|k| p.starts_with(k.as_str())) {
                kept.push(p);
            }
        }
        Scope {
            all: false,
            paths: kept,
            granted,
        }
    }

    /// The subtree under one path: only for narrowing a query to an
    /// organization already checked to lie in the caller's scope.
    pub(crate) fn subtree_of(path: &str) -> Scope {
        Scope {
            all: false,
            paths: vec![path.to_string()],
            granted: Vec::new(),
        }
    }

    /// The organizations the power was granted on, or None for everything.
    pub(crate) fn granted(&self) -> Option<&[String]> {
        (!self.all).then_some(self.granted.as_slice())
    }

    /// The subtree roots, or None for everything.
    pub(crate) fn roots(&self) -> Option<&[String]> {
        (!self.all).then_some(self.paths.as_slice())
    }

    pub fn is_all(&self) -> bool {
        self.all
    }

    pub fn contains_path(&self, path: &str) -> bool {
        self.all || self.paths.iter().any(|p| path.starts_with(p.as_str()))
    }

    /// Whether `path` lies strictly below one of the scope's organizations
    /// (the caller acts as its superior), never at a scope's own root.
    pub fn contains_below(&self, path: &str) -> bool {
        if self.all {
            return path.matches('/').count() > 2;
        }
        self.paths
            .iter()
            .any(|p| path.len() > p.len() && path.starts_with(p.as_str()))
    }

    /// Whether the caller holds the power on the organization at `path`
    /// itself (a grant there, not only above it): they act as its staff.
    /// The whole-tree scope (the command line, demo data) acts everywhere.
    pub fn holds_at(&self, path: &str) -> bool {
        self.all || self.granted.iter().any(|g| g == path)
    }

    /// Adds `col` (an org path column) lies in this scope to a WHERE clause.
    pub(crate) fn restrict(&self, w: &mut Where, col: &str) {
        if self.all {
            return;
        }
        if self.paths.is_empty() {
            w.push_raw("1 = 0".into());
            return;
        }
        let ors: Vec<String> = self.paths.iter().map(|p| w.prefix_cond(col, p)).collect();
        w.push_raw(format!("({})", ors.join(" OR ")));
    }
}

impl Scope {
    /// Like `restrict`, written so no index is chosen for it: for queries
    /// with a more selective condition (a name search), which the planner
    /// should answer from that condition's index and check the scope after.
    pub(crate) fn restrict_unindexed(&self, w: &mut Where, col: &str) {
        if self.all {
            return;
        }
        if self.paths.is_empty() {
            w.push_raw("1 = 0".into());
            return;
        }
        let ors: Vec<String> = self
            .paths
            .iter()
            .map(|p| {
                let n = w.param(crate::sql::Param::I(p.chars().count() as i64));
                let v = w.param(crate::sql::Param::S(p.clone()));
                format!("substr({col}, 1, CAST({n} AS INTEGER)) = {v}")
            })
            .collect();
        w.push_raw(format!("({})", ors.join(" OR ")));
    }

    /// Adds "at least one of `cols` (org path columns, possibly NULL) lies in
    /// this scope" to a WHERE clause: a record that joins two organizations,
    /// such as a transfer, is seen from either side.
    pub(crate) fn restrict_any(&self, w: &mut Where, cols: &[&str]) {
        if self.all {
            return;
        }
        if cols.is_empty() {
            w.push_raw("1 = 0".into());
            return;
        }
        let mut ors: Vec<String> = Vec::new();
        for p in &self.paths {
            for col in cols {
                ors.push(w.prefix_cond(col, p));
            }
        }
        if ors.is_empty() {
            w.push_raw("1 = 0".into());
        } else {
            w.push_raw(format!("({})", ors.join(" OR ")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_roots_collapse() {
        let s = Scope::subtrees(vec!["/a/b/".into(), "/a/".into(), "/c/".into()]);
        assert!(s.contains_path("/a/x/"));
        assert!(s.contains_path("/c/"));
        assert!(!s.contains_path("/d/"));
        assert_eq!(s.paths, vec!["/a/".to_string(), "/c/".to_string()]);
        // Staff of /a/b/ as well as of /a/: both grants count as held.
        assert!(s.holds_at("/a/b/") && s.holds_at("/a/") && !s.holds_at("/a/x/"));
        assert!(Scope::all().holds_at("/a/x/"));
    }
}
