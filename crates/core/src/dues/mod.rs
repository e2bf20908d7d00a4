//! Membership dues (党费): the monthly amount by category and pay bracket,
//! the base in force for a month, and arrears warnings.
mod rules;

pub use rules::{
    arrears_warning, base_for_month, consecutive_unpaid_months, monthly_dues_fen, validate_month, DuesCategory,
};
