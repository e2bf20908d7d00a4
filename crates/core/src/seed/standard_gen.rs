//! Synthetic standardization data for the ledger benchmark (`tongpin
//! gen-standard`): the tree and roster of `gen` (one 党委 over 党总支 of 20
//! 党支部 each), last year's records the computed items read — a year of
//! meetings for every branch (a few missed), a secretary in post, the study
//! plan (most approved), dues bases and December's payments (a few behind)
//! — and the 党委's standard for that year with `items` items (the five
//! computed rules and declared ones, baseline and refined), every branch's
//! self-check answers (one in sixteen not started), its standing (open,
//! applied, accepted with a grade) and problems for one in eight, half of
//! them overdue. Everything but the standard itself is written with
//! set-based `INSERT … SELECT` (one SQL text on both engines); nothing is
//! audited. `status || ''` keeps SQLite off the people status index, which
//! would otherwise drive the per-branch lookups through every member.
use crate::audit::Actor;
use crate::db::Db;
use crate::org::Scope;
use crate::standard::{standards, NewItem, NewStandard};
use crate::{with_db, Result};
use chrono::TimeZone;

/// The benchmark standard's title, by which `bench-standard` finds it.
pub const STANDARD_TITLE: &str = "基准测试党支部建设标准";

/// What was generated.
pub struct StandardGen {
    pub committee: String,
    pub standard: String,
    pub year: i32,
    pub branches: i64,
    pub items: usize,
    pub meetings: i64,
    pub checks: i64,
    pub problems: i64,
}

impl StandardGen {
    pub fn summary(&self) -> String {
        format!(
            "已生成 {} 年度标准化建设数据：{} 个党支部、{} 项标准项目、{} 次会议、{} 条自查结果、{} 个问题；党委 {}，标准 {}",
            self.year,
            self.branches,
            self.items,
            self.meetings,
            self.checks,
            self.problems,
            self.committee,
            self.standard
        )
    }
}

/// The standard's items: the five computed rules first, then declared ones
/// up to `n`, about half of them baseline.
fn items(n: usize) -> Vec<NewItem> {
    let dims = ["政治建设", "组织建设", "制度落实", "党建业务融合"];
    let computed = [
        ("C01", "life_compliance", "baseline"),
        ("C02", "committee_seated", "baseline"),
        ("C03", "difficult_goals_supported", "baseline"),
        ("C04", "study_plan_approved", "refined"),
        ("C05", "dues_no_arrears", "refined"),
    ];
    let mut out: Vec<NewItem> = computed
        .iter()
        .enumerate()
        .map(|(i, (code, rule, tier))| NewItem {
            code: code.to_string(),
            dimension: dims[i % dims.len()].into(),
            title: format!("计算项{code}"),
            criteria: String::new(),
            evidence_required: false,
            points: 5,
            tier: tier.to_string(),
            rule: Some(rule.to_string()),
        })
        .collect();
    for k in 1..=n.saturating_sub(computed.len()) {
        out.push(NewItem {
            code: format!("D{k:02}"),
            dimension: dims[k % dims.len()].into(),
            title: format!("自查项{k}"),
            criteria: "按规定落实".into(),
            evidence_required: false,
            points: 1 + (k as i64 % 5),
            tier: if k % 2 == 1 { "baseline" } else { "refined" }.into(),
            rule: None,
        });
    }
    out
}

/// Runs one statement of the generator: `$1` is the standard and `$2` the
/// time when a standard is given, else `$1` is the time.
async fn run(db: &Db, sql: &str, sid: Option<&str>, now: i64) -> Result<u64> {
    Ok(with_db!(db, |p| {
        let q = sqlx::query(sql);
        let q = match sid {
            Some(s) => q.bind(s).bind(now),
            None => q.bind(now),
        };
        q.execute(p).await?.rows_affected()
    }))
}

/// Last year's meetings: (kind, month) per slot.
fn slots() -> Vec<(&'static str, u32)> {
    let mut out = Vec::new();
    for m in 1..=12 {
        out.push(("theme_day", m));
        out.push(("committee_meeting", m));
        if m % 3 == 0 {
            out.push(("general_meeting", m));
            out.push(("party_lecture", m));
        }
    }
    out.push(("life_meeting", 12));
    out.push(("appraisal", 12));
    out
}

pub async fn generate_standard(
    db: &Db,
    now: i64,
    branches: usize,
    items_n: usize,
    per_branch: usize,
) -> Result<StandardGen> {
    let generals = branches.div_ceil(20);
    let root = super::generate(db, now, 1 + generals + branches, branches * per_branch).await?;
    let year = chrono::Datelike::year(&crate::clock::beijing(now)) - 1;
    let under = format!("o.path >= '/{root}/' AND o.path < '/{root}0' AND o.kind = 'branch'");
    // A year of meetings: one branch in sixteen missed a 主题党日 in March.
    for (k, (kind, month)) in slots().iter().enumerate() {
        let skip = if *kind == "theme_day" && *month == 3 {
            " AND substr(o.id, 36, 1) <> 'a'"
        } else {
            ""
        };
        let at = crate::clock::beijing_offset()
            .with_ymd_and_hms(year, *month, 10, 14, 30, 0)
            .single()
            .map_or(now, |t| t.timestamp_millis());
        let sql = format!(
            "INSERT INTO meetings (id, org_id, kind, status, topic, starts_at, month, place, host, recorder, agenda, \
             minutes, voting_members, dual_life, created_by, created_at, updated_at) \
             SELECT o.id || '-m{k}', o.id, '{kind}', 'held', '基准会议', {at}, '{year}-{month:02}', '党员活动室', \
             '支部书记', '组织委员', '', '', NULL, FALSE, '基准数据', $1, $1 FROM orgs o WHERE {under}{skip}"
        );
        run(db, &sql, None, now).await?;
    }
    let statements = [
        // A secretary in post: the branch's first full member.
        format!(
            "INSERT INTO org_officers (id, org_id, person_id, post, since, created_at) \
             SELECT o.id || '-sec', o.id, (SELECT MIN(p.id) FROM people p WHERE p.org_path = o.path AND p.status || '' = 'full'), \
             'secretary', '2024-01-01', $1 FROM orgs o WHERE {under} \
             AND EXISTS (SELECT 1 FROM people p WHERE p.org_path = o.path AND p.status || '' = 'full')"
        ),
        // The study plan: approved, or still filed in three branches of sixteen.
        format!(
            "INSERT INTO study_plans (id, org_id, year, title, status, review_comment, filed_at, reviewed_by, reviewed_at, \
             created_by, created_at, updated_at) SELECT o.id || '-sp', o.id, {year}, '年度学习计划', \
             CASE WHEN substr(o.id, 36, 1) IN ('0', '1', '2') THEN 'filed' ELSE 'approved' END, '', $1, '基准数据', $1, \
             '基准数据', $1, $1 FROM orgs o WHERE {under}"
        ),
        // Dues from January; December paid by all but one member in sixteen.
        format!(
            "INSERT INTO dues_bases (id, person_id, from_month, category, base_fen, farmer_amount_fen, created_at, updated_at) \
             SELECT p.id || '-db', p.id, '{year}-01', '在职', 600000, NULL, $1, $1 FROM people p \
             WHERE p.org_path >= '/{root}/' AND p.org_path < '/{root}0' AND p.status || '' IN ('full', 'probationary')"
        ),
        format!(
            "INSERT INTO dues_payments (id, person_id, month, amount_fen, paid_on, recorded_by, created_at) \
             SELECT p.id || '-dp', p.id, '{year}-12', 6000, '{year}-12-10', '基准数据', $1 FROM people p \
             WHERE p.org_path >= '/{root}/' AND p.org_path < '/{root}0' AND p.status || '' IN ('full', 'probationary') \
             AND substr(p.id, 36, 1) <> 'f'"
        ),
    ];
    for sql in &statements {
        run(db, sql, None, now).await?;
    }

    let actor = Actor::anonymous("基准数据生成程序", "local");
    let all = Scope::all();
    let list = items(items_n);
    let new = NewStandard {
        org_id: root.clone(),
        year: i64::from(year),
        title: STANDARD_TITLE.into(),
        org_kinds: vec!["branch".into()],
        items: list.clone(),
        grade_ii_bp: None,
        grade_iii_bp: None,
    };
    let sid = standards::create(db, now, &actor, &all, new).await?;
    standards::publish(db, now, &actor, &all, &sid).await?;
    // Answers: one branch in sixteen has not started; each item unmet in one branch of sixteen.
    let hex = "0123456789abcdef";
    for (k, it) in list.iter().filter(|i| i.rule.is_none()).enumerate() {
        let unmet = &hex[k % 16..k % 16 + 1];
        let sql = format!(
            "INSERT INTO standard_checks (id, standard_id, org_id, code, met, note, override_reason, updated_by, updated_at) \
             SELECT o.id || '-{code}', $1, o.id, '{code}', \
             CASE WHEN substr(o.id, 35, 1) = '{unmet}' THEN FALSE ELSE TRUE END, '', '', '基准数据', $2 \
             FROM orgs o WHERE {under} AND substr(o.id, 34, 1) <> '0'",
            code = it.code
        );
        run(db, &sql, Some(&sid), now).await?;
    }
    let rest = [
        // An override of 三会一课 with its reason in one branch of 256.
        format!(
            "INSERT INTO standard_checks (id, standard_id, org_id, code, met, note, override_reason, updated_by, updated_at) \
             SELECT o.id || '-C01', $1, o.id, 'C01', TRUE, '', '会议记录已补录，待系统同步', '基准数据', $2 \
             FROM orgs o WHERE {under} AND substr(o.id, 35, 2) = 'aa'"
        ),
        // Standings: a quarter accepted (graded), one in eight applied, the rest open.
        format!(
            "INSERT INTO standard_orgs (standard_id, org_id, stage, grade, round, accepted_at, updated_at) \
             SELECT $1, o.id, \
             CASE WHEN substr(o.id, 33, 1) IN ('0', '1', '2', '3') THEN 'accepted' \
                  WHEN substr(o.id, 33, 1) IN ('4', '5') THEN 'applied' ELSE 'open' END, \
             CASE WHEN substr(o.id, 33, 1) IN ('0', '1') THEN 'i' WHEN substr(o.id, 33, 1) = '2' THEN 'ii' \
                  WHEN substr(o.id, 33, 1) = '3' THEN 'iii' ELSE NULL END, 1, \
             CASE WHEN substr(o.id, 33, 1) IN ('0', '1', '2', '3') THEN $2 ELSE NULL END, $2 \
             FROM orgs o WHERE {under} AND substr(o.id, 34, 1) <> '0'"
        ),
        // Problems in one open branch of eight, half of them past their deadline.
        format!(
            "INSERT INTO standard_problems (id, standard_id, org_id, item_code, round, source, source_id, cause, measure, \
             owner_id, deadline, status, report_note, verify_comment, reopened, created_by, created_at, updated_at) \
             SELECT o.id || '-pr', $1, o.id, 'D01', 1, 'self_check', NULL, '落实不到位', '限期整改', \
             (SELECT MIN(p.id) FROM people p WHERE p.org_path = o.path), \
             CASE WHEN substr(o.id, 36, 1) IN ('1', '3') THEN '{year}-06-30' ELSE '{}-06-30' END, 'open', '', '', 0, \
             '基准数据', $2, $2 FROM orgs o WHERE {under} AND substr(o.id, 36, 1) IN ('1', '2', '3', '4') \
             AND substr(o.id, 33, 1) NOT IN ('0', '1', '2', '3', '4', '5') \
             AND EXISTS (SELECT 1 FROM people p WHERE p.org_path = o.path)",
            year + 2
        ),
    ];
    for sql in &rest {
        run(db, sql, Some(&sid), now).await?;
    }
    with_db!(db, |p| sqlx::query("ANALYZE").execute(p).await?.rows_affected());
    let count = |sql: &'static str| async move {
        Ok::<i64, crate::Error>(with_db!(db, |p| sqlx::query_scalar(sql).fetch_one(p).await?))
    };
    Ok(StandardGen {
        committee: root,
        standard: sid,
        year,
        branches: count("SELECT COUNT(*) FROM orgs WHERE kind = 'branch'").await?,
        items: list.len(),
        meetings: count("SELECT COUNT(*) FROM meetings").await?,
        checks: count("SELECT COUNT(*) FROM standard_checks").await?,
        problems: count("SELECT COUNT(*) FROM standard_problems").await?,
    })
}
