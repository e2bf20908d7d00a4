//! Membership dues (党费): the monthly amount by category and pay bracket,
//! the base in force for a month, payments, arrears warnings, the monthly
//! ledger and its sheet, and bases imported from a sheet.
mod import;
mod ledger;
mod model;
mod money;
mod rules;
mod standing;
mod store;

pub use import::{base_template, import_bases, BaseImportReport, BASE_COLUMNS};
pub use ledger::{export, history, ledger, paid_up_to, todos, HISTORY_MONTHS, LEDGER_COLUMNS};
pub use model::{
    normalize_month, parse_month_field, Base, BaseLine, Ledger, LedgerRow, MonthDues, MonthState, NewBase, Payment,
    PersonDues, Totals, ValidBase,
};
pub use money::{parse_yuan, yuan, MAX_BASE_FEN};
pub use rules::{
    add_months, arrears_warning, base_for_month, consecutive_unpaid_months, monthly_dues_fen, months_from,
    paid_through, rate_label, validate_month, DuesCategory,
};
pub use standing::recount as recount_standing;
pub use store::{base_in_force, current_month, record_batch, record_payments, set_base, start_month, MAX_BATCH};
