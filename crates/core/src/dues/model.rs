//! Dues records as stored, as typed, and as the ledger shows them.
use super::money::{parse_yuan, yuan, MAX_BASE_FEN};
use super::rules::{monthly_dues_fen, rate_label, validate_month, DuesCategory};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Column names of the base import; errors of a typed base name the same.
pub const F_FROM: &str = "起始月份";
pub const F_CATEGORY: &str = "类别";
pub const F_BASE: &str = "月工资基数（元）";
pub const F_FARMER: &str = "农民党费（元）";

/// A base as stored: in force from `from_month` until a later base.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Base {
    pub id: String,
    pub person_id: String,
    pub from_month: String,
    pub category: String,
    pub base_fen: i64,
    pub farmer_amount_fen: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Base {
    pub fn category(&self) -> Option<DuesCategory> {
        DuesCategory::from_code(&self.category)
    }
    pub fn category_label(&self) -> &'static str {
        self.category().map(DuesCategory::label).unwrap_or("未知")
    }
    /// The monthly amount this base gives, by the rule table.
    pub fn amount_fen(&self) -> Result<i64> {
        let c = self
            .category()
            .ok_or_else(|| Error::invalid(F_CATEGORY, format!("无法识别的类别“{}”", self.category)))?;
        monthly_dues_fen(c, self.base_fen, self.farmer_amount_fen)
    }
    pub fn rate(&self) -> String {
        self.category()
            .map(|c| rate_label(c, self.base_fen))
            .unwrap_or_default()
    }
}

/// A payment as stored: what was paid for one month, and when.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Payment {
    pub id: String,
    pub person_id: String,
    pub month: String,
    pub amount_fen: i64,
    pub paid_on: String,
    pub recorded_by: String,
    pub created_at: i64,
}

/// A base as typed in a form, an import row or the API. Amounts are yuan
/// text ("4500.50"); the API may give fen instead.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewBase {
    pub from_month: String,
    /// A code (working) or a label (在职).
    pub category: String,
    pub base_yuan: String,
    pub base_fen: Option<i64>,
    pub farmer_amount_yuan: String,
    pub farmer_amount_fen: Option<i64>,
}

/// A base whose every field was checked, with the amount it gives.
#[derive(Clone, Debug)]
pub struct ValidBase {
    pub from_month: String,
    pub category: DuesCategory,
    pub base_fen: i64,
    pub farmer_amount_fen: Option<i64>,
    pub amount_fen: i64,
}

/// "2026-03", "2026-3", "2026/03", "2026年3月", "2026.3" and a whole date
/// (Excel turns a typed month into the 1st of it) → "2026-03".
pub fn normalize_month(raw: &str) -> String {
    let s = crate::people::normalize(raw).replace(' ', "");
    let s = s.replace(['年', '/', '.'], "-").replace(['月', '日'], "-");
    let parts: Vec<&str> = s.split('-').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, m] if y.len() == 4 && (1..=2).contains(&m.len()) => format!("{y}-{m:0>2}"),
        [y, m, d] if y.len() == 4 && (1..=2).contains(&m.len()) && is_day(d) => format!("{y}-{m:0>2}"),
        _ => s,
    }
}

fn is_day(d: &str) -> bool {
    d.parse::<u32>().is_ok_and(|n| (1..=31).contains(&n)) && d.len() <= 2
}

/// Checks a typed month; the error names `field` and repeats the text.
pub fn parse_month_field(field: &str, raw: &str) -> Result<String> {
    let m = normalize_month(raw);
    if m.is_empty() {
        return Err(Error::invalid(field, "不能为空，格式如 2026-03"));
    }
    validate_month(&m)
        .map(|_| m)
        .map_err(|_| Error::invalid(field, format!("“{}”不是有效月份，格式应为 2026-03", raw.trim())))
}

fn amount(field: &str, yuan_text: &str, fen: Option<i64>) -> Result<Option<i64>> {
    match (yuan_text.trim().is_empty(), fen) {
        (true, None) => Ok(None),
        (false, Some(_)) => Err(Error::invalid(field, "元与分只填一种")),
        (true, Some(f)) if f < 0 => Err(Error::invalid(field, "不能为负数")),
        (true, Some(f)) => Ok(Some(f)),
        (false, None) => parse_yuan(field, yuan_text).map(Some),
    }
}

impl NewBase {
    /// Every field's own problem at once (an import reports them all).
    pub fn field_errors(&self) -> Vec<Error> {
        let mut out: Vec<Error> = [
            parse_month_field(F_FROM, &self.from_month).map(drop),
            self.parse_category().map(drop),
        ]
        .into_iter()
        .filter_map(Result::err)
        .collect();
        if self.parse_category().is_ok() {
            // The amounts, checked with a month known to be good.
            let probe = NewBase {
                from_month: "2000-01".into(),
                ..self.clone()
            };
            out.extend(probe.validate().err());
        }
        out
    }

    fn parse_category(&self) -> Result<DuesCategory> {
        let t = crate::people::normalize(&self.category);
        if t.is_empty() {
            return Err(Error::invalid(F_CATEGORY, "不能为空，请选择"));
        }
        DuesCategory::ALL
            .into_iter()
            .find(|c| c.code() == t || c.label() == t || (t == "退休" && *c == DuesCategory::Retired))
            .ok_or_else(|| Error::invalid(F_CATEGORY, "应为 在职、离退休、学生、失业、低保 或 农民"))
    }

    pub fn validate(&self) -> Result<ValidBase> {
        let from_month = parse_month_field(F_FROM, &self.from_month)?;
        let category = self.parse_category()?;
        let base = amount(F_BASE, &self.base_yuan, self.base_fen)?;
        let paid_by_pay = matches!(category, DuesCategory::Working | DuesCategory::Retired);
        let base_fen = match base {
            None | Some(0) if paid_by_pay => {
                return Err(Error::invalid(F_BASE, "在职、离退休党员须填写月工资基数（税后）"))
            }
            Some(f) if f > MAX_BASE_FEN => {
                return Err(Error::invalid(
                    F_BASE,
                    format!("超过 {} 元，请核对", yuan(MAX_BASE_FEN)),
                ))
            }
            b => b.unwrap_or(0),
        };
        let farmer = amount(F_FARMER, &self.farmer_amount_yuan, self.farmer_amount_fen)?;
        let farmer_amount_fen = if category == DuesCategory::Farmer { farmer } else { None };
        let amount_fen = monthly_dues_fen(category, base_fen, farmer_amount_fen).map_err(|e| match e {
            Error::Invalid { field, message } if field == "农民党费" => Error::invalid(F_FARMER, message),
            Error::Invalid { message, .. } => Error::invalid(F_BASE, message),
            e => e,
        })?;
        Ok(ValidBase {
            from_month,
            category,
            base_fen,
            farmer_amount_fen,
            amount_fen,
        })
    }
}

/// Where a member stands for one month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthState {
    /// A payment is recorded for the month.
    Paid,
    /// Not paid yet, and nothing earlier is owed (this month is not over).
    Unpaid,
    /// Not paid, with months in arrears (`arrears`).
    Arrears,
    /// No base in force for the month: the amount is not known.
    NoBase,
}

/// One member's dues for one month, every figure computed from the base in
/// force and the payment recorded.
#[derive(Clone, Debug, Serialize)]
pub struct MonthDues {
    pub month: String,
    /// The category code of the base in force.
    pub category: Option<String>,
    pub category_label: String,
    pub base_fen: Option<i64>,
    pub rate: String,
    pub due_fen: Option<i64>,
    pub paid_fen: Option<i64>,
    pub paid_on: Option<String>,
    pub state: MonthState,
    /// Consecutive unpaid months up to this month (this month counted only
    /// once it is over).
    pub arrears: u32,
}

impl MonthDues {
    /// 已缴 / 未缴 / 欠缴 N 个月 / 未设基数.
    pub fn state_label(&self) -> String {
        match self.state {
            MonthState::Paid => "已缴".into(),
            MonthState::Unpaid => "未缴".into(),
            MonthState::Arrears => format!("欠缴 {} 个月", self.arrears),
            MonthState::NoBase => "未设基数".into(),
        }
    }
    /// The tag colour: red from 3 months in arrears (the first warning).
    pub fn state_tag(&self) -> &'static str {
        match self.state {
            MonthState::Paid => "green",
            MonthState::Arrears if self.arrears >= crate::rules::dues::ARREARS_FIRST_WARNING_MONTHS => "red",
            MonthState::Arrears => "gold",
            MonthState::Unpaid | MonthState::NoBase => "grey",
        }
    }
    /// What was paid short of the amount due (after a base was corrected).
    pub fn short_fen(&self) -> i64 {
        match (self.due_fen, self.paid_fen) {
            (Some(d), Some(p)) if d > p => d - p,
            _ => 0,
        }
    }
    pub fn base_yuan(&self) -> String {
        self.base_fen.map(yuan).unwrap_or_default()
    }
    pub fn due_yuan(&self) -> String {
        self.due_fen.map(yuan).unwrap_or_default()
    }
    pub fn paid_yuan(&self) -> String {
        self.paid_fen.map(yuan).unwrap_or_default()
    }
    /// Whether a payment of the amount due can be recorded for the month.
    pub fn payable(&self) -> bool {
        self.paid_fen.is_none() && self.due_fen.is_some()
    }
}

/// A row of the monthly ledger.
#[derive(Clone, Debug, Serialize)]
pub struct LedgerRow {
    pub person_id: String,
    pub name: String,
    pub org_id: String,
    /// The member's branch (the organization itself when it is no group).
    pub branch: String,
    #[serde(flatten)]
    pub dues: MonthDues,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    pub members: usize,
    pub paid: usize,
    pub unpaid: usize,
    /// Members with 3 or more months in arrears.
    pub warned: usize,
    pub due_fen: i64,
    pub paid_fen: i64,
    /// Due and not paid this month.
    pub outstanding_fen: i64,
}

impl Totals {
    /// The totals of some ledger rows.
    pub fn of(rows: &[LedgerRow]) -> Totals {
        let mut t = Totals::default();
        for d in rows.iter().map(|r| &r.dues) {
            t.members += 1;
            t.due_fen += d.due_fen.unwrap_or(0);
            t.paid_fen += d.paid_fen.unwrap_or(0);
            if d.state == MonthState::Paid {
                t.paid += 1;
            } else {
                t.unpaid += 1;
                t.outstanding_fen += d.due_fen.unwrap_or(0);
            }
            if d.arrears >= crate::rules::dues::ARREARS_FIRST_WARNING_MONTHS {
                t.warned += 1;
            }
        }
        t
    }
    pub fn due_yuan(&self) -> String {
        yuan(self.due_fen)
    }
    pub fn paid_yuan(&self) -> String {
        yuan(self.paid_fen)
    }
    pub fn outstanding_yuan(&self) -> String {
        yuan(self.outstanding_fen)
    }
}

/// The monthly ledger of a branch or subtree.
#[derive(Clone, Debug, Serialize)]
pub struct Ledger {
    pub month: String,
    pub org_id: Option<String>,
    pub rows: Vec<LedgerRow>,
    pub totals: Totals,
}

/// A base in a person's history, with what it gives.
#[derive(Clone, Debug, Serialize)]
pub struct BaseLine {
    pub from_month: String,
    pub category: String,
    pub category_label: String,
    pub base_fen: i64,
    pub farmer_amount_fen: Option<i64>,
    pub rate: String,
    pub amount_fen: Option<i64>,
}

impl BaseLine {
    pub fn base_yuan(&self) -> String {
        yuan(self.base_fen)
    }
    pub fn amount_yuan(&self) -> String {
        self.amount_fen.map(yuan).unwrap_or_default()
    }
}

/// One member's dues: the bases, the last 12 months and the arrears now.
#[derive(Clone, Debug, Serialize)]
pub struct PersonDues {
    pub person_id: String,
    pub name: String,
    pub status: String,
    pub branch: String,
    /// The first month dues are owed: the month of joining (for a
    /// probationary member, the month the branch general meeting accepted them).
    pub start_month: Option<String>,
    /// The first month the product tracks: the later of the start month and
    /// the first base.
    pub tracked_from: Option<String>,
    /// Newest first.
    pub bases: Vec<BaseLine>,
    /// The last 12 months, newest first, this month included.
    pub months: Vec<MonthDues>,
    /// Consecutive unpaid months up to last month.
    pub arrears: u32,
    pub warning: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<ValidBase>) -> String {
        match r {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }
    fn nb(month: &str, category: &str, base: &str) -> NewBase {
        NewBase {
            from_month: month.into(),
            category: category.into(),
            base_yuan: base.into(),
            ..NewBase::default()
        }
    }

    #[test]
    fn months_as_people_type_them() {
        for typed in [
            "2026-03",
            "2026-3",
            "2026/03",
            "2026年3月",
            "2026.3",
            "2026-03-01",
            "２０２６－０３",
        ] {
            assert_eq!(normalize_month(typed), "2026-03", "{typed}");
        }
        assert_eq!(
            parse_month_field("起始月份", "2026-13")
                .map_err(|e| e.to_string())
                .unwrap_err(),
            "起始月份：“2026-13”不是有效月份，格式应为 2026-03"
        );
    }

    #[test]
    fn a_typed_base_is_checked_and_priced() {
        let v = nb("2026-3", "在职", "4,500.00").validate().unwrap();
        assert_eq!(
            (v.from_month.as_str(), v.base_fen, v.amount_fen),
            ("2026-03", 450_000, 4_500)
        );
        let v = nb("2026-03", "retired", "5000.01").validate().unwrap();
        assert_eq!(v.amount_fen, 5_000);
        let v = nb("2026-03", "学生", "").validate().unwrap();
        assert_eq!((v.base_fen, v.amount_fen), (0, 20));
        let farmer = NewBase {
            farmer_amount_yuan: "0.5".into(),
            ..nb("2026-03", "农民", "")
        };
        assert_eq!(farmer.validate().unwrap().amount_fen, 50);
        let api = NewBase {
            base_fen: Some(1_000_001),
            ..nb("2026-03", "working", "")
        };
        assert_eq!(api.validate().unwrap().amount_fen, 20_000);

        assert_eq!(field(nb("2026-03", "在职", "").validate()), F_BASE);
        assert_eq!(field(nb("2026-03", "在职", "4500.123").validate()), F_BASE);
        assert_eq!(field(nb("2026-03", "在职", "2000000").validate()), F_BASE);
        assert_eq!(field(nb("2026-03", "干部", "4500").validate()), F_CATEGORY);
        assert_eq!(field(nb("", "在职", "4500").validate()), F_FROM);
        assert_eq!(field(nb("2026-03", "农民", "").validate()), F_FARMER);
        let both = NewBase {
            base_fen: Some(1),
            ..nb("2026-03", "在职", "4500")
        };
        assert_eq!(field(both.validate()), F_BASE);
        let errs = nb("2026-99", "干部", "x").field_errors();
        assert_eq!(errs.len(), 2, "{errs:?}");
    }
}
