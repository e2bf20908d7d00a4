//! The tree with its figures: members per organization, officers, the next
//! re-election (换届) and the structure warnings of the rule table.
use super::{list, structure::post_label, Org, RuleSettings, Scope};
use crate::db::Db;
use crate::rules::structure as r;
use crate::sql::Where;
use crate::todo::Todo;
use crate::{bind_all, with_db, Result};
use chrono::{Months, NaiveDate};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Officer {
    pub id: String,
    pub org_id: String,
    pub person_id: String,
    pub name: String,
    pub post: String,
}

impl Officer {
    pub fn post_label(&self) -> &'static str {
        post_label(&self.post)
    }
}

#[derive(Clone, Debug)]
pub struct OrgRow {
    pub org: Org,
    pub depth: usize,
    /// Its members by status (`members`: a branch counts its groups'), still on the roster.
    pub full: i64,
    pub probationary: i64,
    pub others: i64,
    /// Party members (full and probationary).
    pub subtree_members: i64,
    pub officers: Vec<Officer>,
    pub next_election: Option<NaiveDate>,
    pub warnings: Vec<Warning>,
}

/// A structure or term warning: a short tag for tables, the full text for pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub short: &'static str,
    pub detail: String,
}

fn warn(short: &'static str, detail: String) -> Warning {
    Warning { short, detail }
}

impl OrgRow {
    pub fn secretary(&self) -> Option<&Officer> {
        self.officers.iter().find(|o| o.post == "secretary")
    }
}

/// When the current term ends: the last election plus the term.
pub fn next_election(org: &Org) -> Option<NaiveDate> {
    let elected = NaiveDate::parse_from_str(org.elected_on.as_deref()?, "%Y-%m-%d").ok()?;
    let years = org.term_years.unwrap_or_else(|| org.default_term_years());
    elected.checked_add_months(Months::new((years * 12) as u32))
}

/// Structure warnings (warnings, not blocks) for a branch, with the top
/// organization's numbers for members and seats.
pub fn branch_warnings(full: i64, members: i64, seats: i64, has_secretary: bool, s: &RuleSettings) -> Vec<Warning> {
    let mut w = Vec::new();
    if full < r::BRANCH_MIN_FULL_MEMBERS {
        let d = format!(
            "正式党员不足 {} 人（现 {full} 人），宜与邻近支部联合设立",
            r::BRANCH_MIN_FULL_MEMBERS
        );
        w.push(warn("党员不足", d));
    }
    if members > s.branch_max_members {
        let d = format!(
            "党员超过 {} 人（现 {members} 人），宜分设支部或成立党总支",
            s.branch_max_members
        );
        w.push(warn("党员过多", d));
    }
    if full >= r::COMMITTEE_REQUIRED_FROM && seats < s.committee_seats.0 {
        let d = format!(
            "正式党员 {} 人以上应设立支部委员会（{}–{} 人），现有委员 {seats} 人",
            r::COMMITTEE_REQUIRED_FROM,
            s.committee_seats.0,
            s.committee_seats.1
        );
        w.push(warn("应设支委会", d));
    }
    if seats > r::COMMITTEE_MAX_SEATS {
        w.push(warn(
            "支委过多",
            format!("支部委员 {seats} 人，超过 {} 人", r::COMMITTEE_MAX_SEATS),
        ));
    }
    if !has_secretary {
        w.push(warn("未配书记", "尚未配备书记".into()));
    }
    w
}

/// Organizations named by id at most this many at once; more are read by
/// the scope.
const BY_ID_AT_MOST: usize = 500;

/// Every organization in the scope, in tree order, with its figures (the
/// whole tree: for the re-election list; the tree page reads `level`).
pub async fn overview(db: &Db, scope: &Scope, today: NaiveDate) -> Result<Vec<OrgRow>> {
    let orgs = list(db, scope).await?;
    rows_of(db, scope, &orgs, None, today).await
}

/// One organization of the scope with its figures.
pub async fn row_of(db: &Db, scope: &Scope, org: &Org, today: NaiveDate) -> Result<OrgRow> {
    let mut rows = rows_of(db, scope, std::slice::from_ref(org), Some(&org.path), today).await?;
    rows.pop().ok_or_else(|| crate::Error::NotFound("组织不存在".into()))
}

/// `orgs` (all in the scope) with their figures; their members are counted
/// over the subtree at `under` (all of them lie in it), or the whole scope.
pub(super) async fn rows_of(
    db: &Db,
    scope: &Scope,
    orgs: &[Org],
    under: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<OrgRow>> {
    let settings = super::rule_settings_all(db).await?;
    let mut w = Where::default();
    scope.restrict(&mut w, "org_path");
    if let Some(path) = under {
        w.prefix("org_path", path);
    }
    let members = super::members::roll_up(&super::members::counted(db, w).await?);
    let mut w2 = Where::default();
    if orgs.len() <= BY_ID_AT_MOST {
        let ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
        let list = if ids.is_empty() {
            "NULL".to_string()
        } else {
            w2.in_list(&ids)
        };
        w2.push_raw(format!("o.org_id IN ({list})"));
    } else {
        scope.restrict(&mut w2, "g.path");
    }
    let (cond2, _) = w2.sql();
    let sql2 = format!(
        "SELECT o.id, o.org_id, o.person_id, p.name, o.post FROM org_officers o JOIN people p ON p.id = o.person_id \
         JOIN orgs g ON g.id = o.org_id {cond2} ORDER BY o.created_at, o.id"
    );
    let officers: Vec<Officer> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql2), w2.params())
        .fetch_all(p)
        .await?);
    // Each organization's officers by id, in post order: one pass, not one per organization.
    let mut officers_of: std::collections::HashMap<String, Vec<Officer>> = std::collections::HashMap::new();
    for x in officers {
        officers_of.entry(x.org_id.clone()).or_default().push(x);
    }
    Ok(orgs
        .iter()
        .map(|o| {
            let m = members.get(&o.id).copied().unwrap_or_default();
            let (full, probationary, others, subtree_members) = (m.full, m.probationary, m.others, m.party());
            let officers = officers_of.remove(&o.id).unwrap_or_default();
            let next = next_election(o);
            let mut warnings = Vec::new();
            if o.dissolved_at.is_none() {
                if o.kind == "branch" {
                    let seats = officers.len() as i64;
                    let has_secretary = officers.iter().any(|x| x.post == "secretary");
                    warnings = branch_warnings(full, full + probationary, seats, has_secretary, &settings(&o.path));
                }
                match next {
                    Some(d) if d < today => warnings.push(warn("超期未换届", format!("任期已于 {d} 届满，应及时换届"))),
                    Some(d) if (d - today).num_days() <= r::REELECTION_WARNING_DAYS => {
                        warnings.push(warn("即将换届", format!("将于 {d} 任期届满，请做好换届准备")))
                    }
                    None if o.kind != "group" => warnings.push(warn("未登记换届", "未登记换届时间".into())),
                    _ => {}
                }
            }
            OrgRow {
                depth: o.depth(),
                org: o.clone(),
                full,
                probationary,
                others,
                subtree_members,
                officers,
                next_election: next,
                warnings,
            }
        })
        .collect())
}

/// Re-elections due within 90 days or overdue (换届提醒): only the
/// organizations whose term ends by then are read.
pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let today = crate::clock::beijing(now).date_naive();
    let limit = today + chrono::Duration::days(r::REELECTION_WARNING_DAYS);
    let mut w = Where::default();
    scope.restrict(&mut w, "path");
    w.push(
        "term_ends_on <= {}",
        crate::sql::Param::S(limit.format("%Y-%m-%d").to_string()),
    );
    w.push_raw("dissolved_at IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT * FROM orgs {cond} ORDER BY term_ends_on");
    let due: Vec<Org> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(due
        .into_iter()
        .filter_map(|o| {
            let due = next_election(&o)?;
            let days = (due - today).num_days();
            Some(Todo {
                kind: "org",
                title: format!("{}：换届", o.name),
                detail: if days < 0 {
                    format!("任期已于 {due} 届满，已超期 {} 天", -days)
                } else {
                    format!(
                        "任期将于 {due} 届满（{days} 天后），应提前 {} 天做好换届准备",
                        r::REELECTION_WARNING_DAYS
                    )
                },
                due: Some(due.format("%Y-%m-%d").to_string()),
                from: None,
                overdue: days < 0,
                href: "/orgs/elections".into(),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_at_their_edges() {
        let has = |w: Vec<Warning>, s: &str| w.iter().any(|w| w.detail.contains(s));
        assert!(has(
            branch_warnings(2, 2, 0, true, &RuleSettings::default()),
            "不足 3 人"
        ));
        assert!(branch_warnings(3, 3, 0, true, &RuleSettings::default()).is_empty());
        assert!(branch_warnings(50, 50, 5, true, &RuleSettings::default()).is_empty());
        assert!(has(
            branch_warnings(50, 51, 5, true, &RuleSettings::default()),
            "超过 50 人"
        ));
        assert!(branch_warnings(6, 6, 0, true, &RuleSettings::default()).is_empty());
        assert!(has(
            branch_warnings(7, 7, 2, true, &RuleSettings::default()),
            "支部委员会"
        ));
        assert!(branch_warnings(7, 7, 3, true, &RuleSettings::default()).is_empty());
        assert!(has(
            branch_warnings(9, 9, 8, true, &RuleSettings::default()),
            "超过 7 人"
        ));
        assert!(has(branch_warnings(9, 9, 3, false, &RuleSettings::default()), "书记"));
    }

    #[test]
    fn terms_end_on_the_anniversary() {
        let mut o = Org {
            id: "x".into(),
            parent_id: None,
            name: "支部".into(),
            kind: "branch".into(),
            path: "/x/".into(),
            founded_on: "2020-01-01".into(),
            dissolved_at: None,
            created_at: 0,
            dissolved_into: None,
            term_years: None,
            elected_on: Some("2024-02-29".into()),
            term_ends_on: None,
            org_type: "other".into(),
        };
        assert_eq!(next_election(&o), NaiveDate::from_ymd_opt(2027, 2, 28));
        o.term_years = Some(5);
        assert_eq!(next_election(&o), NaiveDate::from_ymd_opt(2029, 2, 28));
    }
}
