//! Property tests of the validators and importers (battery S1): whatever a
//! user types or uploads, each answers Ok or a field-naming refusal, never a
//! panic, and what it accepts keeps its promise.
use chrono::NaiveDate;
use proptest::prelude::*;
use tongpin_core::people::{check_citizen_id, parse_date, validate, NewPerson};
use tongpin_core::plan::{parse_figure, Period};
use tongpin_core::text::{check, TextKind};
use tongpin_core::{dues, sheet, Error};

fn refusal_names_a_field(e: &Error) -> bool {
    matches!(e, Error::Invalid { field, message } if !field.is_empty() && !message.is_empty())
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default()
}

/// Any text, weighted towards what breaks parsers: controls, markup, digits, CJK.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f<>&\"'=+@\\-0-9a-zA-Z王李\u{ffff}\u{fffe} ]{0,80}",
        "[0-9Xx./\\- ]{0,25}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn text_checks_answer_or_name_the_field(v in hostile(), max in 1usize..100) {
        for kind in [TextKind::Username, TextKind::Name, TextKind::Free] {
            match check("字段", &v, max, kind) {
                Ok(s) => {
                    prop_assert!(s.chars().count() <= max);
                    prop_assert!(!s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t'));
                    prop_assert_eq!(s.trim(), s.as_str());
                }
                Err(e) => prop_assert!(refusal_names_a_field(&e), "{e:?}"),
            }
        }
    }

    #[test]
    fn citizen_ids_dates_money_and_figures_never_panic(v in hostile()) {
        if let Err(e) = check_citizen_id(&v, today()) { prop_assert!(refusal_names_a_field(&e), "{e:?}") }
        if let Err(e) = parse_date("日期", &v) { prop_assert!(refusal_names_a_field(&e), "{e:?}") }
        match dues::parse_yuan("金额", &v) {
            Ok(fen) => prop_assert!(fen >= 0),
            Err(e) => prop_assert!(refusal_names_a_field(&e), "{e:?}"),
        }
        if let Err(e) = parse_figure("指标值", &v) { prop_assert!(refusal_names_a_field(&e), "{e:?}") }
        let _ = Period::parse_any(&v);
    }

    #[test]
    fn a_person_is_valid_or_refused_by_field(name in hostile(), cid in hostile(), phone in hostile(),
                                             status in hostile(), joined in hostile(), birth in hostile()) {
        let p = NewPerson {
            name, citizen_id: cid, phone, org_id: "o1".into(), status, joined_on: joined, birth_date: birth,
            ..NewPerson::default()
        };
        if let Err(e) = validate(&p, today()) { prop_assert!(refusal_names_a_field(&e), "{e:?}") }
    }

    #[test]
    fn any_upload_reads_or_is_refused_as_the_file(bytes in proptest::collection::vec(any::<u8>(), 0..2048),
                                                  zip_head in any::<bool>(), csv_name in any::<bool>()) {
        let mut bytes = bytes;
        if zip_head {
            bytes.splice(0..0, b"PK\x03\x04".iter().copied());
        }
        let name = if csv_name { "名册.csv" } else { "名册.xlsx" };
        if let Err(e) = sheet::read(&bytes, name) { prop_assert!(refusal_names_a_field(&e), "{e:?}") }
    }

    #[test]
    fn csv_text_reads_or_is_refused(text in "[a-z0-9王,\"\\n\\r ]{0,400}") {
        if let Err(e) = sheet::read(text.as_bytes(), "a.csv") { prop_assert!(refusal_names_a_field(&e), "{e:?}") }
    }
}
