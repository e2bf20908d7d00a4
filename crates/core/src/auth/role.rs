use serde::Serialize;

/// The roles of the product (domain §1). The first three are the separated
/// admin powers (三权分立): none may be held together with any other role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Role {
    SystemAdmin,
    SecurityAdmin,
    AuditAdmin,
    OrgAdmin,
    BranchSecretary,
    CommitteeMember,
    Member,
    Masses,
    AdminHead,
    DisciplineInspector,
}

/// What a role lets its holder do, each within the scope of the grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Power {
    ManageAccounts,
    ManageOrgs,
    ViewOrgs,
    GrantRoles,
    SetPolicy,
    ReadAudit,
    /// Read the roster (masked).
    ViewPeople,
    /// Add, edit and import people.
    ManagePeople,
    /// See full citizen IDs and phones (each reveal audited).
    RevealPersonal,
    /// Read the annual plan (年度计划), its board and views.
    ViewPlan,
    /// Set goals and tasks, deploy and accept them, issue KPI tokens.
    ManagePlan,
    /// Enter KPI values (指标填报).
    EnterKpi,
    /// Report progress on tasks (同落实).
    ReportProgress,
    /// Read meeting records, compliance and supervision (组织生活).
    ViewLife,
    /// Plan and record meetings (三会一课 etc.).
    ManageLife,
    /// Read study plans, records and required courses (学习).
    ViewStudy,
    /// File the organization's study plan, review the subordinates' plans,
    /// set required courses and record study for the organization's members.
    ManageStudy,
    /// Read building standards, self-checks, problem lists and the ledger
    /// (标准化规范化建设) of the organizations in scope.
    ViewStandard,
    /// Publish standards, self-check, rectify problems and apply for the
    /// organization; as the direct superior, verify problems and decide
    /// applications of the organizations directly below.
    ManageStandard,
    /// Read the assessments (考核评价) of the organizations in scope: the
    /// assessor's results while open, an assessed organization's own result
    /// once published; rate as a peer or oneself where named.
    ViewAssessment,
    /// Set up assessments, enter points and the superior's rating, issue the
    /// masses' ballots, close (publish); appeal for the organization; decide
    /// appeals against the assessments of the organizations directly below;
    /// write the 述职 report and the 一岗双责 lists.
    ManageAssessment,
}

impl Power {
    /// What the power allows, in words (audit log, messages).
    pub fn label(self) -> &'static str {
        match self {
            Power::ManageAccounts => "管理账号",
            Power::ManageOrgs => "管理组织",
            Power::ViewOrgs => "查看组织",
            Power::GrantRoles => "角色授权",
            Power::SetPolicy => "设置安全策略",
            Power::ReadAudit => "查阅审计日志",
            Power::ViewPeople => "查看党员名册",
            Power::ManagePeople => "管理党员信息",
            Power::RevealPersonal => "查看完整个人信息",
            Power::ViewPlan => "查看年度计划",
            Power::ManagePlan => "管理年度计划",
            Power::EnterKpi => "填报指标",
            Power::ReportProgress => "报告任务进展",
            Power::ViewLife => "查看组织生活",
            Power::ManageLife => "管理组织生活",
            Power::ViewStudy => "查看学习",
            Power::ManageStudy => "管理学习",
            Power::ViewStandard => "查看标准化建设",
            Power::ManageStandard => "管理标准化建设",
            Power::ViewAssessment => "查看考核评价",
            Power::ManageAssessment => "管理考核评价",
        }
    }
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
        Role::OrgAdmin,
        Role::BranchSecretary,
        Role::CommitteeMember,
        Role::Member,
        Role::Masses,
        Role::AdminHead,
        Role::DisciplineInspector,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system-admin",
            Role::SecurityAdmin => "security-admin",
            Role::AuditAdmin => "audit-admin",
            Role::OrgAdmin => "org-admin",
            Role::BranchSecretary => "branch-secretary",
            Role::CommitteeMember => "committee-member",
            Role::Member => "member",
            Role::Masses => "masses",
            Role::AdminHead => "admin-head",
            Role::DisciplineInspector => "discipline-inspector",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
            Role::OrgAdmin => "党务管理员",
            Role::BranchSecretary => "支部书记",
            Role::CommitteeMember => "支委委员",
            Role::Member => "党员",
            Role::Masses => "群众",
            Role::AdminHead => "行政负责人",
            Role::DisciplineInspector => "纪检委员",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    /// The three separated admin powers: granted without an organization.
    pub fn is_separated_admin(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin)
    }

    pub fn powers(self) -> &'static [Power] {
        use Power::*;
        match self {
            Role::SystemAdmin => &[ManageAccounts, ManageOrgs, ViewOrgs],
            Role::SecurityAdmin => &[GrantRoles, SetPolicy, ViewOrgs],
            Role::AuditAdmin => &[ReadAudit],
            Role::OrgAdmin => &[
                ManageOrgs,
                ViewOrgs,
                ViewPeople,
                ManagePeople,
                RevealPersonal,
                ViewPlan,
                ManagePlan,
                EnterKpi,
                ReportProgress,
                ViewLife,
                ManageLife,
                ViewStudy,
                ManageStudy,
                ViewStandard,
                ManageStandard,
                ViewAssessment,
                ManageAssessment,
            ],
            Role::BranchSecretary => &[
                ViewOrgs,
                ViewPeople,
                ManagePeople,
                ViewPlan,
                ManagePlan,
                EnterKpi,
                ReportProgress,
                ViewLife,
                ManageLife,
                ViewStudy,
                ManageStudy,
                ViewStandard,
                ManageStandard,
                ViewAssessment,
                ManageAssessment,
            ],
            Role::CommitteeMember => &[
                ViewOrgs,
                ViewPeople,
                ViewPlan,
                ReportProgress,
                ViewLife,
                ManageLife,
                ViewStudy,
                ViewStandard,
                ViewAssessment,
            ],
            Role::DisciplineInspector => &[
                ViewOrgs,
                ViewPeople,
                ViewPlan,
                ViewLife,
                ViewStudy,
                ViewStandard,
                ViewAssessment,
            ],
            Role::AdminHead => &[ViewOrgs, ViewPlan, EnterKpi, ViewAssessment],
            Role::Member => &[ViewOrgs, ViewPlan, ViewLife, ViewStudy, ViewStandard, ViewAssessment],
            Role::Masses => &[ViewOrgs],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separated_powers_do_not_overlap() {
        let sys = Role::SystemAdmin.powers();
        let sec = Role::SecurityAdmin.powers();
        let aud = Role::AuditAdmin.powers();
        assert!(
            !sys.contains(&Power::ReadAudit) && !sys.contains(&Power::SetPolicy) && !sys.contains(&Power::GrantRoles)
        );
        assert!(
            !sec.contains(&Power::ManageOrgs)
                && !sec.contains(&Power::ManageAccounts)
                && !sec.contains(&Power::ReadAudit)
        );
        assert_eq!(aud, &[Power::ReadAudit]);
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }
}
