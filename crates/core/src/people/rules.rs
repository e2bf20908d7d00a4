use super::model::{AffairsWorker, Gender, NewPerson, Status};
use super::names::{name_pinyin, normalize};
use crate::text::{check, check_optional, TextKind};
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};

/// What an 18-character citizen ID (GB 11643) says about its holder.
#[derive(Debug, PartialEq, Eq)]
pub struct CitizenId {
    pub normalized: String,
    pub birth_date: NaiveDate,
    pub gender: Gender,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Province-level codes (the first two digits).
const PROVINCES: [u32; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
    64, 65, 71, 81, 82,
];

/// Checks length, characters, region, birth date and the check digit.
pub fn check_citizen_id(raw: &str, today: NaiveDate) -> Result<CitizenId> {
    const F: &str = "身份证号";
    let id = normalize(raw).replace(' ', "").to_uppercase();
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return Err(Error::invalid(F, format!("应为 18 位，当前 {} 位", chars.len())));
    }
    if let Some(pos) = chars[..17].iter().position(|c| !c.is_ascii_digit()) {
        return Err(Error::invalid(F, format!("第 {} 位应为数字", pos + 1)));
    }
    if !(chars[17].is_ascii_digit() || chars[17] == 'X') {
        return Err(Error::invalid(F, "第 18 位应为数字或 X"));
    }
    let digits: Vec<u32> = chars[..17].iter().filter_map(|c| c.to_digit(10)).collect();
    if !PROVINCES.contains(&(digits[0] * 10 + digits[1])) {
        return Err(Error::invalid(F, "前两位不是有效的省级行政区划代码，请核对"));
    }
    let birth = NaiveDate::parse_from_str(&id[6..14], "%Y%m%d")
        .map_err(|_| Error::invalid(F, "第 7–14 位的出生日期无效，请核对"))?;
    if birth.year() < 1900 || birth > today {
        return Err(Error::invalid(F, "第 7–14 位的出生日期不合理，请核对"));
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    if CHECK[(sum % 11) as usize] != chars[17] {
        return Err(Error::invalid(F, "校验位错误，请核对第 18 位"));
    }
    let gender = if digits[16] % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    };
    Ok(CitizenId {
        normalized: id,
        birth_date: birth,
        gender,
    })
}

/// 2026-11-28, 2026/11/28, 2026.11.28, 20261128, 2026年11月28日 (full-width too).
pub fn parse_date(field: &str, raw: &str) -> Result<Option<NaiveDate>> {
    let s = normalize(raw).replace(' ', "");
    if s.is_empty() {
        return Ok(None);
    }
    let s = s.replace(['年', '月', '/', '.'], "-").replace('日', "");
    let parsed = NaiveDate::parse_from_str(&s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(&s, "%Y%m%d"));
    parsed
        .map(Some)
        .map_err(|_| Error::invalid(field, format!("“{raw}”不是有效日期，格式应为 2026-11-28")))
}

/// A person whose every field was checked and normalized.
#[derive(Clone, Debug)]
pub struct ValidPerson {
    pub name: String,
    pub name_pinyin: String,
    pub name_initials: String,
    pub gender: Gender,
    pub citizen_id: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub phone: String,
    pub org_id: String,
    pub status: Status,
    pub joined_on: Option<NaiveDate>,
    pub full_on: Option<NaiveDate>,
    pub ethnicity: String,
    pub education: String,
    pub party_post: String,
    pub admin_post: String,
    pub affairs_worker: AffairsWorker,
    pub backbone: bool,
    pub double_high: bool,
}

/// Checks a person as typed. Field names in errors are the Chinese column
/// headers of the import template, so a form and an import say the same.
fn check_name(raw: &str) -> Result<String> {
    let raw_name = normalize(raw);
    // Spaces inside a Chinese name are typing noise; keep them in Latin names.
    let name = if raw_name.chars().any(|c| c > '\u{2E80}') {
        raw_name.replace(' ', "")
    } else {
        raw_name
    };
    check("姓名", &name, 30, TextKind::Name)
}

fn check_id_opt(raw: &str, today: NaiveDate) -> Result<Option<CitizenId>> {
    match normalize(raw).as_str() {
        "" => Ok(None),
        raw => check_citizen_id(raw, today).map(Some),
    }
}

fn parse_gender(raw: &str) -> Result<Option<Gender>> {
    match normalize(raw).as_str() {
        "" => Ok(None),
        g => Gender::parse(g)
            .map(Some)
            .ok_or_else(|| Error::invalid("性别", "应为“男”或“女”")),
    }
}

fn check_phone(raw: &str) -> Result<String> {
    let phone = normalize(raw).replace([' ', '-'], "");
    let mobile = phone.len() == 11 && phone.starts_with('1') && phone.chars().all(|c| c.is_ascii_digit());
    if !phone.is_empty() && !mobile {
        return Err(Error::invalid("手机号", "应为 11 位数字的手机号码"));
    }
    Ok(phone)
}

fn parse_status(raw: &str) -> Result<Status> {
    Status::parse(&normalize(raw)).ok_or_else(|| {
        Error::invalid(
            "人员类别",
            "应为 正式党员、预备党员、发展对象、入党积极分子、入党申请人 或 群众",
        )
    })
}

fn parse_affairs(raw: &str) -> Result<AffairsWorker> {
    AffairsWorker::parse(&normalize(raw)).ok_or_else(|| Error::invalid("党务工作者", "应为“专职”“兼职”或留空"))
}

fn optional_name(field: &str, raw: &str, max: usize) -> Result<String> {
    Ok(check_optional(field, Some(&normalize(raw)), max, TextKind::Name)?.unwrap_or_default())
}

/// Every field's own problem at once (an import reports them all); the
/// checks between fields run in `validate` once these pass.
pub fn field_errors(p: &NewPerson, today: NaiveDate) -> Vec<Error> {
    let checks: [Result<()>; 12] = [
        check_name(&p.name).map(drop),
        check_id_opt(&p.citizen_id, today).map(drop),
        parse_gender(&p.gender).map(drop),
        parse_date("出生日期", &p.birth_date).map(drop),
        check_phone(&p.phone).map(drop),
        parse_status(&p.status).map(drop),
        parse_date("入党日期", &p.joined_on).map(drop),
        parse_date("转正日期", &p.full_on).map(drop),
        parse_affairs(&p.affairs_worker).map(drop),
        optional_name("民族", &p.ethnicity, 20).map(drop),
        optional_name("学历", &p.education, 20).map(drop),
        optional_name("党内职务", &p.party_post, 40)
            .and(optional_name("行政职务", &p.admin_post, 40))
            .map(drop),
    ];
    checks.into_iter().filter_map(Result::err).collect()
}

pub fn validate(p: &NewPerson, today: NaiveDate) -> Result<ValidPerson> {
    let name = check_name(&p.name)?;
    let (name_pinyin, name_initials) = name_pinyin(&name);
    let id = check_id_opt(&p.citizen_id, today)?;
    let typed_gender = parse_gender(&p.gender)?;
    let gender = match (&id, typed_gender) {
        (Some(id), Some(g)) if id.gender != g => {
            return Err(Error::invalid(
                "性别",
                format!("与身份证号不符（身份证号显示为{}）", id.gender.label()),
            ))
        }
        (Some(id), _) => id.gender,
        (None, Some(g)) => g,
        (None, None) => return Err(Error::invalid("性别", "不能为空，请填写“男”或“女”")),
    };
    let typed_birth = parse_date("出生日期", &p.birth_date)?;
    let birth_date = match (&id, typed_birth) {
        (Some(id), Some(b)) if id.birth_date != b => {
            return Err(Error::invalid(
                "出生日期",
                format!("与身份证号不符（身份证号显示为 {}）", id.birth_date.format("%Y-%m-%d")),
            ))
        }
        (Some(id), _) => Some(id.birth_date),
        (None, b) => b,
    };
    if birth_date.is_some_and(|b| b > today) {
        return Err(Error::invalid("出生日期", "不能晚于今天"));
    }

    let phone = check_phone(&p.phone)?;
    let status = parse_status(&p.status)?;
    if let (Status::Applicant, Some(b)) = (status, birth_date) {
        if !crate::rules::of_joining_age(b, today) {
            let from = if id.is_some() {
                "身份证号显示"
            } else {
                "出生日期为"
            };
            return Err(Error::invalid(
                "人员类别",
                format!(
                    "入党申请人须年满 {} 周岁：{from} {}，{} 起方可登记为入党申请人",
                    crate::rules::MIN_JOINING_AGE,
                    b.format("%Y-%m-%d"),
                    crate::rules::birthday(b, crate::rules::MIN_JOINING_AGE.unsigned_abs()).format("%Y-%m-%d")
                ),
            ));
        }
    }
    let joined_on = parse_date("入党日期", &p.joined_on)?;
    let full_on = parse_date("转正日期", &p.full_on)?;
    match (status.is_member(), joined_on) {
        (true, None) => return Err(Error::invalid("入党日期", format!("{}须填写入党日期", status.label()))),
        (false, Some(_)) => {
            return Err(Error::invalid(
                "入党日期",
                format!("{}尚未入党，不应填写入党日期", status.label()),
            ))
        }
        _ => {}
    }
    if let Some(j) = joined_on {
        if j > today {
            return Err(Error::invalid("入党日期", "不能晚于今天"));
        }
        if let Some(b) = birth_date {
            if !crate::rules::of_joining_age(b, j) {
                return Err(Error::invalid(
                    "入党日期",
                    format!(
                        "入党时未满 {} 周岁，请核对入党日期或出生日期",
                        crate::rules::MIN_JOINING_AGE
                    ),
                ));
            }
        }
    }
    match (status, full_on, joined_on) {
        (Status::Full, Some(f), Some(j)) if f <= j => return Err(Error::invalid("转正日期", "应晚于入党日期")),
        (Status::Full, Some(f), _) if f > today => return Err(Error::invalid("转正日期", "不能晚于今天")),
        (s, Some(_), _) if s != Status::Full => {
            return Err(Error::invalid("转正日期", format!("{}不应填写转正日期", s.label())))
        }
        _ => {}
    }
    let affairs_worker = parse_affairs(&p.affairs_worker)?;
    Ok(ValidPerson {
        name,
        name_pinyin,
        name_initials,
        gender,
        citizen_id: id.map(|i| i.normalized),
        birth_date,
        phone,
        org_id: p.org_id.trim().to_string(),
        status,
        joined_on,
        full_on,
        ethnicity: optional_name("民族", &p.ethnicity, 20)?,
        education: optional_name("学历", &p.education, 20)?,
        party_post: optional_name("党内职务", &p.party_post, 40)?,
        admin_post: optional_name("行政职务", &p.admin_post, 40)?,
        affairs_worker,
        backbone: p.backbone,
        double_high: p.double_high,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn field(e: Error) -> String {
        match e {
            Error::Invalid { field, .. } => field,
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn check_digits() {
        // GB 11643 example and an X check digit.
        let id = check_citizen_id("11010519491231002X", today()).unwrap();
        assert_eq!(id.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(id.gender, Gender::Female);
        assert!(check_citizen_id("11010519491231002x", today()).is_ok(), "lower-case x");
        assert!(
            check_citizen_id("１１０１０５１９４９１２３１００２Ｘ", today()).is_ok(),
            "full width"
        );
        let e = check_citizen_id("110105194912310021", today()).unwrap_err();
        assert!(e.to_string().contains("第 18 位"));
        assert!(check_citizen_id("11010519491231002", today()).is_err(), "17 characters");
        assert!(check_citizen_id("11010519490230002X", today()).is_err(), "30 February");
        assert!(
            check_citizen_id("99010519491231002X", today()).is_err(),
            "no such province"
        );
        assert!(check_citizen_id("1101051949123100AX", today()).is_err());
    }

    #[test]
    fn leap_day_births_are_valid_only_in_leap_years() {
        // 2000-02-29 exists; 1900-02-29 does not.
        let ok = with_check("11010520000229001");
        assert!(check_citizen_id(&ok, today()).is_ok());
        let bad = with_check("11010519000229001");
        assert!(check_citizen_id(&bad, today()).is_err());
    }

    fn with_check(first17: &str) -> String {
        let sum: u32 = first17
            .chars()
            .filter_map(|c| c.to_digit(10))
            .zip(WEIGHTS)
            .map(|(d, w)| d * w)
            .sum();
        format!("{first17}{}", CHECK[(sum % 11) as usize])
    }

    #[test]
    fn applicants_are_18_by_the_birth_date_in_the_id() {
        // Born 29 February 2008: 18 on 28 February 2026 (a common year).
        let applicant = NewPerson {
            name: "李小雨".into(),
            citizen_id: with_check("11010520080229002"),
            status: "入党申请人".into(),
            ..NewPerson::default()
        };
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let e = validate(&applicant, day(2, 27)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "人员类别：入党申请人须年满 18 周岁：身份证号显示 2008-02-29，2026-02-28 起方可登记为入党申请人"
        );
        assert!(validate(&applicant, day(2, 28)).is_ok());
        assert!(validate(&applicant, day(3, 1)).is_ok());
        // Other statuses are not held to it.
        let masses = NewPerson {
            status: "群众".into(),
            ..applicant
        };
        assert!(validate(&masses, day(2, 27)).is_ok());
    }

    fn member() -> NewPerson {
        NewPerson {
            name: "张三".into(),
            citizen_id: with_check("11010519800101001"),
            status: "正式党员".into(),
            joined_on: "2005-07-01".into(),
            ..NewPerson::default()
        }
    }

    #[test]
    fn gender_and_birth_come_from_the_id_and_must_agree() {
        let v = validate(&member(), today()).unwrap();
        assert_eq!(v.gender, Gender::Male);
        assert_eq!(v.birth_date, NaiveDate::from_ymd_opt(1980, 1, 1));
        assert_eq!(v.name_initials, "zs");
        let wrong = NewPerson {
            gender: "女".into(),
            ..member()
        };
        assert_eq!(field(validate(&wrong, today()).unwrap_err()), "性别");
        let wrong = NewPerson {
            birth_date: "1980-01-02".into(),
            ..member()
        };
        assert_eq!(field(validate(&wrong, today()).unwrap_err()), "出生日期");
    }

    #[test]
    fn joining_dates_follow_the_status() {
        let no_date = NewPerson {
            joined_on: String::new(),
            ..member()
        };
        assert_eq!(field(validate(&no_date, today()).unwrap_err()), "入党日期");
        let activist = NewPerson {
            status: "入党积极分子".into(),
            ..member()
        };
        assert_eq!(field(validate(&activist, today()).unwrap_err()), "入党日期");
        // Joined at 17 years 364 days: too young; at exactly 18: fine.
        let young = NewPerson {
            joined_on: "1997-12-31".into(),
            ..member()
        };
        assert_eq!(field(validate(&young, today()).unwrap_err()), "入党日期");
        let eighteen = NewPerson {
            joined_on: "1998-01-01".into(),
            ..member()
        };
        assert!(validate(&eighteen, today()).is_ok());
        let full_before = NewPerson {
            full_on: "2005-07-01".into(),
            ..member()
        };
        assert_eq!(field(validate(&full_before, today()).unwrap_err()), "转正日期");
    }

    #[test]
    fn typed_noise_is_normalized() {
        let p = NewPerson {
            name: " 张　三 ".into(),
            phone: "１３８ 1234 5678".into(),
            joined_on: "2005年7月1日".into(),
            ..member()
        };
        let v = validate(&p, today()).unwrap();
        assert_eq!(v.name, "张三");
        assert_eq!(v.phone, "13812345678");
        assert_eq!(v.joined_on, NaiveDate::from_ymd_opt(2005, 7, 1));
        let bad = NewPerson {
            phone: "1234".into(),
            ..member()
        };
        assert_eq!(field(validate(&bad, today()).unwrap_err()), "手机号");
    }
}
