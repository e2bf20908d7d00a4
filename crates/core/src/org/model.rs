use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Committee,
    GeneralBranch,
    Branch,
    Group,
}

impl OrgKind {
    pub const ALL: [OrgKind; 4] = [
        OrgKind::Committee,
        OrgKind::GeneralBranch,
        OrgKind::Branch,
        OrgKind::Group,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrgKind::Committee => "committee",
            OrgKind::GeneralBranch => "general_branch",
            OrgKind::Branch => "branch",
            OrgKind::Group => "group",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Committee => "党委",
            OrgKind::GeneralBranch => "党总支",
            OrgKind::Branch => "党支部",
            OrgKind::Group => "党小组",
        }
    }
    pub fn from_code(s: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Whether an organization of this kind may sit under `parent`.
    pub fn may_sit_under(self, parent: Option<OrgKind>) -> bool {
        use OrgKind::*;
        matches!(
            (self, parent),
            (Committee, None | Some(Committee))
                | (GeneralBranch, Some(Committee))
                | (Branch, Some(Committee | GeneralBranch))
                | (Group, Some(Branch))
        )
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Org {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub kind: String,
    /// `/root-id/.../own-id/`: a subtree is every path with this prefix.
    #[serde(skip)]
    pub path: String,
    pub founded_on: String,
    pub dissolved_at: Option<i64>,
    pub created_at: i64,
    /// The organization this one was merged into, if it was.
    pub dissolved_into: Option<String>,
    /// The term in years; None takes the rule's default.
    pub term_years: Option<i64>,
    /// The last election (换届), YYYY-MM-DD.
    pub elected_on: Option<String>,
    /// When the term ends, YYYY-MM-DD (the election plus the term).
    pub term_ends_on: Option<String>,
    /// The type (单位性质) a code of `rules::structure::ORG_TYPES`.
    pub org_type: String,
}

impl Org {
    pub fn org_type_label(&self) -> &'static str {
        crate::rules::structure::ORG_TYPES
            .iter()
            .find(|(c, _)| *c == self.org_type)
            .map_or("其他", |(_, l)| l)
    }
    /// The term unless one was set: 5 years for villages and communities, else 3.
    pub fn default_term_years(&self) -> i64 {
        crate::rules::structure::term_years_for(&self.org_type)
    }
    pub fn kind_label(&self) -> &'static str {
        OrgKind::from_code(&self.kind).map(OrgKind::label).unwrap_or("组织")
    }
    pub fn depth(&self) -> usize {
        self.path.matches('/').count().saturating_sub(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_shape() {
        assert!(OrgKind::Committee.may_sit_under(None));
        assert!(!OrgKind::Branch.may_sit_under(None));
        assert!(OrgKind::Branch.may_sit_under(Some(OrgKind::GeneralBranch)));
        assert!(!OrgKind::Committee.may_sit_under(Some(OrgKind::Branch)));
        assert!(OrgKind::Group.may_sit_under(Some(OrgKind::Branch)));
        assert!(!OrgKind::Group.may_sit_under(Some(OrgKind::Committee)));
    }
}
