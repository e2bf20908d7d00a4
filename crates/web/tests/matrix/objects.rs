//! The objects a route's path parameters name: which kind a route takes, and
//! the rows of that kind with the organization paths they belong to.
use tongpin_core::db::Db;
use tongpin_core::with_db;

/// An id no row has (a well-formed UUIDv7).
pub const MISSING: &str = "01900000-0000-7000-8000-000000000000";

/// A route's path prefix (before its first parameter) → the kind of object the
/// parameter names. Longer prefixes first.
pub const KINDS: &[(&str, &str)] = &[
    ("/api/v1/orgs/", "org"),
    ("/orgs/", "org"),
    ("/api/v1/people/", "person"),
    ("/people/", "person"),
    ("/develop/", "person"),
    ("/dues/", "person"),
    ("/life/meetings/", "meeting"),
    ("/api/v1/meetings/", "meeting"),
    ("/life/attachments/", "meeting attachment"),
    ("/plan/tasks/", "task"),
    ("/api/v1/tasks/", "task"),
    ("/plan/goals/", "goal"),
    ("/api/v1/goals/", "goal"),
    ("/plan/kpis/", "kpi"),
    ("/api/v1/kpis/", "kpi"),
    ("/plan/milestones/", "milestone"),
    ("/plan/evidence/", "progress evidence"),
    ("/plan/tokens/", "token"),
    ("/transfers/", "transfer"),
    ("/api/v1/transfers/", "transfer"),
    ("/study/plans/", "study plan"),
    ("/api/v1/study/plans/", "study plan"),
    ("/admin/accounts/", "account"),
    ("/api/v1/accounts/", "account"),
    ("/admin/grants/", "grant"),
    ("/api/v1/grants/", "grant"),
    ("/admin/notify/", "channel"),
    ("/api/v1/locks/", "username"),
    ("/assessments/", "assessment"),
    ("/api/v1/assessments/", "assessment"),
    ("/appeals/", "appeal"),
    ("/duties/", "duty"),
    ("/api/v1/appeals/", "appeal"),
    ("/standards/problems/", "standard problem"),
    ("/api/v1/problems/", "standard problem"),
    ("/standards/applications/", "standard application"),
    ("/api/v1/applications/", "standard application"),
    ("/standards/files/", "standard evidence"),
    ("/standards/warnings/", "org"),
    ("/standards/contacts/", "standard contact"),
    ("/standards/visits/", "standard visit"),
    ("/standards/dispatches/", "standard dispatch"),
    ("/standards/dispatch-reports/", "standard dispatch report"),
    ("/standards/", "standard"),
    ("/api/v1/standards/", "standard"),
];

/// A second parameter's kind, by its name.
pub fn second_kind(param: &str) -> &'static str {
    match param {
        "{unit}" => "unit",
        "{officer}" => "officer",
        "{org}" => "branch",
        "{standard_id}" => "standard",
        "{code}" => "standard item",
        "{target}" => "assessment target",
        other => panic!("no object kind for the parameter {other}"),
    }
}

pub fn kind_of(path: &str) -> &'static str {
    if path == "/transfers/{id}/letter" {
        return "transfer letter";
    }
    KINDS
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, k)| *k)
        .unwrap_or_else(|| panic!("no object kind for {path}: add its prefix to KINDS"))
}

/// (id, organization paths separated by spaces) of a kind; `*` is an object
/// of the whole system (accounts, grants, channels). `$1` is the caller's
/// account, never chosen for a change (it would end the walk's session).
fn listing(kind: &str) -> &'static str {
    match kind {
        // Deepest first: the top organization has rules of its own (only
        // a system admin dissolves it).
        "org" => "SELECT id, path FROM orgs ORDER BY path DESC",
        "person" => "SELECT p.id, o.path FROM people p JOIN orgs o ON o.id = p.org_id ORDER BY p.id",
        "meeting" => "SELECT m.id, o.path FROM meetings m JOIN orgs o ON o.id = m.org_id ORDER BY m.id",
        "meeting attachment" => {
            "SELECT a.id, o.path FROM attachments a JOIN meetings m ON m.id = a.owner_id \
             JOIN orgs o ON o.id = m.org_id WHERE a.owner_kind = 'meeting' ORDER BY a.id"
        }
        "task" => "SELECT t.id, o.path FROM tasks t JOIN orgs o ON o.id = t.org_id ORDER BY t.id",
        "goal" => "SELECT g.id, o.path FROM goals g JOIN orgs o ON o.id = g.org_id ORDER BY g.id",
        "kpi" => {
            "SELECT k.id, o.path FROM kpis k JOIN goals g ON g.id = k.goal_id \
             JOIN orgs o ON o.id = g.org_id ORDER BY k.id"
        }
        "milestone" => {
            "SELECT m.id, o.path FROM task_milestones m JOIN tasks t ON t.id = m.task_id \
             JOIN orgs o ON o.id = t.org_id ORDER BY m.id"
        }
        "progress evidence" => {
            "SELECT a.id, o.path FROM attachments a JOIN task_progress p ON p.id = a.owner_id \
             JOIN tasks t ON t.id = p.task_id JOIN orgs o ON o.id = t.org_id \
             WHERE a.owner_kind = 'plan_progress' ORDER BY a.id"
        }
        "token" => "SELECT k.id, o.path FROM kpi_tokens k JOIN orgs o ON o.id = k.org_id ORDER BY k.id",
        "transfer" => {
            "SELECT t.id, COALESCE(f.path, '') || ' ' || COALESCE(d.path, '') FROM transfers t \
             LEFT JOIN orgs f ON f.id = t.from_org_id LEFT JOIN orgs d ON d.id = t.to_org_id ORDER BY t.id"
        }
        "transfer letter" => {
            "SELECT t.id, f.path FROM transfers t JOIN orgs f ON f.id = t.from_org_id \
             WHERE t.kind = 'out' ORDER BY t.id"
        }
        "study plan" => "SELECT s.id, o.path FROM study_plans s JOIN orgs o ON o.id = s.org_id ORDER BY s.id",
        // The three admin kinds are changed only from the command line (crates/web/tests/admins.rs
        // tests every pair), so the web's objects are the other accounts and grants.
        "account" => {
            "SELECT id, '*' FROM accounts WHERE id <> $1 AND id NOT IN (SELECT account_id FROM role_grants \
             WHERE role IN ('system-admin', 'security-admin', 'audit-admin')) ORDER BY username"
        }
        "grant" => {
            "SELECT id, '*' FROM role_grants WHERE account_id <> $1 \
             AND role NOT IN ('system-admin', 'security-admin', 'audit-admin') ORDER BY id"
        }
        "channel" => "SELECT id, '*' FROM notify_channels ORDER BY id",
        "username" => "SELECT username, '*' FROM accounts WHERE id <> $1 ORDER BY username",
        "unit" => "SELECT u.unit_id, o.path FROM org_units u JOIN orgs o ON o.id = u.org_id ORDER BY u.unit_id",
        "officer" => "SELECT f.id, o.path FROM org_officers f JOIN orgs o ON o.id = f.org_id ORDER BY f.id",
        "branch" => "SELECT id, path FROM orgs WHERE kind = 'branch' ORDER BY path",
        // A draft belongs to its publisher; a published standard is also
        // read in every organization below it (one row per path, the
        // publisher's first), published ones before the others.
        "standard" => {
            "SELECT s.id, b.path FROM standards s JOIN orgs o ON o.id = s.org_id JOIN orgs b \
             ON b.id = o.id OR (s.status <> 'draft' AND b.path LIKE o.path || '%') \
             ORDER BY CASE WHEN s.status = 'published' THEN 0 ELSE 1 END, s.id, \
             CASE WHEN b.id = o.id THEN 0 ELSE 1 END, b.path"
        }
        "standard item" => {
            "SELECT DISTINCT i.code, o.path FROM standard_items i JOIN standards s ON s.id = i.standard_id \
             JOIN orgs o ON o.id = s.org_id ORDER BY 1, 2"
        }
        "standard problem" => {
            "SELECT p.id, o.path FROM standard_problems p JOIN orgs o ON o.id = p.org_id ORDER BY p.id"
        }
        "standard application" => {
            "SELECT a.id, o.path FROM standard_applications a JOIN orgs o ON o.id = a.org_id ORDER BY a.id"
        }
        "standard evidence" => {
            "SELECT a.id, o.path FROM attachments a JOIN standard_checks c ON c.id = a.owner_id \
             JOIN orgs o ON o.id = c.org_id WHERE a.owner_kind = 'standard_check' UNION ALL \
             SELECT a.id, o.path FROM attachments a JOIN standard_problems p ON p.id = a.owner_id \
             JOIN orgs o ON o.id = p.org_id WHERE a.owner_kind = 'standard_problem' ORDER BY 1"
        }
        // The assessor first, then the organizations it assesses (who see it too).
        "assessment" => {
            "SELECT id, path FROM (SELECT a.id, o.path, 0 AS k FROM assessments a JOIN orgs o ON o.id = a.org_id \
             UNION ALL SELECT t.assessment_id, o.path, 1 AS k FROM assessment_targets t JOIN orgs o ON o.id = t.org_id) x \
             ORDER BY id, k, path"
        }
        "assessment target" => {
            "SELECT DISTINCT t.target_id, o.path FROM assessment_targets t JOIN orgs o ON o.id = t.org_id ORDER BY 1, 2"
        }
        "appeal" => {
            "SELECT x.id, o.path || ' ' || tor.path FROM assessment_appeals x JOIN assessments a ON a.id = x.assessment_id \
             JOIN orgs o ON o.id = a.org_id JOIN assessment_targets t ON t.assessment_id = x.assessment_id \
             AND t.target_id = x.target_id JOIN orgs tor ON tor.id = t.org_id ORDER BY x.id"
        }
        "duty" => "SELECT d.id, o.path FROM assessment_duties d JOIN orgs o ON o.id = d.org_id ORDER BY d.id",
        "standard contact" => {
            "SELECT c.id, o.path FROM standard_contacts c JOIN orgs o ON o.id = c.org_id ORDER BY c.id"
        }
        "standard visit" => {
            "SELECT v.id, o.path FROM standard_visits v JOIN standard_contacts c ON c.id = v.contact_id \
             JOIN orgs o ON o.id = c.org_id ORDER BY v.id"
        }
        // A request is read in every organization below its requester; a
        // report is followed up by the requester alone.
        "standard dispatch" => {
            "SELECT d.id, b.path FROM standard_dispatches d JOIN orgs o ON o.id = d.org_id \
             JOIN orgs b ON b.path LIKE o.path || '%' ORDER BY d.id, b.path"
        }
        "standard dispatch report" => {
            "SELECT r.id, o.path FROM standard_dispatch_reports r JOIN standard_dispatches d ON d.id = r.dispatch_id \
             JOIN orgs o ON o.id = d.org_id ORDER BY r.id"
        }
        other => panic!("no listing for {other}"),
    }
}

/// One object: its id and the organization paths it belongs to.
#[derive(Clone, Debug)]
pub struct Object {
    pub id: String,
    pub paths: Vec<String>,
}

impl Object {
    /// In the scope when any of its organizations is; `*` always.
    pub fn within(&self, contains: impl Fn(&str) -> bool) -> bool {
        self.paths.iter().any(|p| p == "*" || contains(p))
    }

    /// Its first organization (a transfer's sender), or its last (the
    /// receiver) when `receiver`, is in the scope.
    pub fn owned_within(&self, contains: impl Fn(&str) -> bool, receiver: bool) -> bool {
        let p = if receiver {
            self.paths.last()
        } else {
            self.paths.first()
        };
        p.is_some_and(|p| p == "*" || contains(p))
    }
}

pub async fn list(db: &Db, kind: &str, account_id: &str) -> Vec<Object> {
    let sql = listing(kind);
    let rows: Vec<(String, String)> = if sql.contains("$1") {
        with_db!(db, |p| sqlx::query_as(sql).bind(account_id).fetch_all(p).await.unwrap())
    } else {
        with_db!(db, |p| sqlx::query_as(sql).fetch_all(p).await.unwrap())
    };
    // A kind may list an object once per organization it belongs to (in a row each, one after another).
    let mut out: Vec<Object> = Vec::new();
    for (id, paths) in rows {
        let paths = paths.split(' ').filter(|p| !p.is_empty()).map(str::to_string);
        match out.last_mut() {
            Some(last) if last.id == id => last.paths.extend(paths),
            _ => out.push(Object {
                id,
                paths: paths.collect(),
            }),
        }
    }
    out
}

/// Audit records with outcome ok so far.
pub async fn ok_records(db: &Db) -> i64 {
    with_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE result = 'ok'"
    )
    .fetch_one(p)
    .await
    .unwrap())
}

/// What the demo does not hold: a file on every meeting, every self-check
/// answer and every problem of the standards, a milestone and a progress
/// report with evidence on every task, a KPI token for every organization,
/// and a notification channel.
pub async fn fixtures(db: &Db) {
    const HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
    let statements = [
        "INSERT INTO files (hash, size, mime, created_at) VALUES ($1, 4, 'application/pdf', 0)",
        "INSERT INTO attachments (id, owner_kind, owner_id, hash, name, created_by, created_at) \
         SELECT 'ma-' || id, 'meeting', id, $1, '纪要.pdf', 'fixture', 0 FROM meetings",
        "INSERT INTO attachments (id, owner_kind, owner_id, hash, name, created_by, created_at) \
         SELECT 'sc-' || id, 'standard_check', id, $1, '自查佐证.pdf', 'fixture', 0 FROM standard_checks",
        "INSERT INTO attachments (id, owner_kind, owner_id, hash, name, created_by, created_at) \
         SELECT 'sp-' || id, 'standard_problem', id, $1, '整改佐证.pdf', 'fixture', 0 FROM standard_problems",
    ];
    for sql in statements {
        with_db!(db, |p| sqlx::query(sql)
            .bind(HASH)
            .execute(p)
            .await
            .map(|_| ())
            .unwrap());
    }
    with_db!(db, |p| sqlx::query(
        "INSERT INTO file_chunks (hash, seq, data) VALUES ($1, 0, $2)"
    )
    .bind(HASH)
    .bind(b"%PDF".to_vec())
    .execute(p)
    .await
    .map(|_| ())
    .unwrap());
    let plain = [
        "INSERT INTO task_milestones (id, task_id, title, due_on, done_on) \
         SELECT 'ms-' || id, id, '阶段成果', '2026-06-30', NULL FROM tasks",
        "INSERT INTO task_progress (id, task_id, percent, note, reported_by, reported_at) \
         SELECT 'tp-' || id, id, 10, '进展', 'fixture', 0 FROM tasks",
        "INSERT INTO attachments (id, owner_kind, owner_id, hash, name, created_by, created_at) \
         SELECT 'pa-' || id, 'plan_progress', id, (SELECT MIN(hash) FROM files), '佐证.pdf', 'fixture', 0 \
         FROM task_progress WHERE id LIKE 'tp-%'",
        "INSERT INTO kpi_tokens (id, org_id, name, token_hash, created_by, created_at) \
         SELECT 'tk-' || id, id, '业务系统', 'hash-' || id, 'fixture', 0 FROM orgs",
    ];
    for sql in plain {
        with_db!(db, |p| sqlx::query(sql).execute(p).await.map(|_| ()).unwrap());
    }
    with_db!(db, |p| sqlx::query(
        "INSERT INTO notify_channels (id, org_id, kind, name, base_url, secret, settings, enabled, \
         created_by, created_at, updated_at) VALUES ('ch-1', NULL, 'dingtalk', '机关党委群', \
         'https://oapi.dingtalk.com/robot/send?access_token=x', 's', '{}', $1, 'fixture', 0, 0)"
    )
    .bind(true)
    .execute(p)
    .await
    .map(|_| ())
    .unwrap());
}
