use serde::Serialize;

/// The status pipeline (§3), plus non-member staff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Applicant,
    Activist,
    Candidate,
    Probationary,
    Full,
    Masses,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Full,
        Status::Probationary,
        Status::Candidate,
        Status::Activist,
        Status::Applicant,
        Status::Masses,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Applicant => "applicant",
            Status::Activist => "activist",
            Status::Candidate => "candidate",
            Status::Probationary => "probationary",
            Status::Full => "full",
            Status::Masses => "masses",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::Applicant => "入党申请人",
            Status::Activist => "入党积极分子",
            Status::Candidate => "发展对象",
            Status::Probationary => "预备党员",
            Status::Full => "正式党员",
            Status::Masses => "群众",
        }
    }
    /// A code or a Chinese label.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.code() == s || x.label() == s)
    }
    /// Members have joined the Party (and so have a joining date).
    pub fn is_member(self) -> bool {
        matches!(self, Status::Probationary | Status::Full)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
    pub fn parse(s: &str) -> Option<Gender> {
        match s {
            "男" | "male" | "M" | "m" => Some(Gender::Male),
            "女" | "female" | "F" | "f" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// 专职 / 兼职 Party-affairs worker, or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AffairsWorker {
    None,
    FullTime,
    PartTime,
}

impl AffairsWorker {
    pub fn code(self) -> &'static str {
        match self {
            AffairsWorker::None => "",
            AffairsWorker::FullTime => "full_time",
            AffairsWorker::PartTime => "part_time",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            AffairsWorker::None => "",
            AffairsWorker::FullTime => "专职",
            AffairsWorker::PartTime => "兼职",
        }
    }
    pub fn parse(s: &str) -> Option<AffairsWorker> {
        match s {
            "" | "否" | "无" => Some(AffairsWorker::None),
            "full_time" | "专职" => Some(AffairsWorker::FullTime),
            "part_time" | "兼职" => Some(AffairsWorker::PartTime),
            _ => None,
        }
    }
}

/// A person as stored. `citizen_id` and `phone` are the full values: mask
/// them (`masked`) before they leave the server unless a reveal was allowed.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Person {
    pub id: String,
    pub org_id: String,
    #[serde(skip)]
    pub org_path: String,
    pub name: String,
    pub name_pinyin: String,
    pub name_initials: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: Option<String>,
    pub citizen_id: Option<String>,
    pub phone: String,
    pub education: String,
    pub status: String,
    pub joined_on: Option<String>,
    pub full_on: Option<String>,
    pub party_post: String,
    pub admin_post: String,
    pub business_unit_id: Option<String>,
    pub affairs_worker: String,
    pub backbone: bool,
    pub double_high: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// The day the membership was transferred out of the system (off the
    /// roster; still readable for the organization left).
    #[sqlx(default)]
    pub left_on: Option<String>,
}

impl Person {
    /// The same person with the citizen ID and phone masked.
    pub fn masked(mut self) -> Person {
        self.citizen_id = self.citizen_id.as_deref().map(mask_citizen_id);
        self.phone = mask_phone(&self.phone);
        self
    }
    pub fn status_label(&self) -> &'static str {
        Status::parse(&self.status).map(Status::label).unwrap_or("未知")
    }
    /// The tag colour of the status in lists and headers.
    pub fn status_tag(&self) -> &'static str {
        match self.status.as_str() {
            "full" => "tag-red",
            "probationary" => "tag-gold",
            _ => "tag-grey",
        }
    }
    pub fn gender_label(&self) -> &'static str {
        Gender::parse(&self.gender).map(Gender::label).unwrap_or("")
    }
    pub fn affairs_label(&self) -> &'static str {
        AffairsWorker::parse(&self.affairs_worker)
            .map(AffairsWorker::label)
            .unwrap_or("")
    }
}

/// 110105********1234: region and last four kept.
pub fn mask_citizen_id(id: &str) -> String {
    let c: Vec<char> = id.chars().collect();
    if c.len() < 10 {
        return "*".repeat(c.len());
    }
    let head: String = c[..6].iter().collect();
    let tail: String = c[c.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(c.len() - 10))
}

/// 138****5678.
pub fn mask_phone(phone: &str) -> String {
    let c: Vec<char> = phone.chars().collect();
    if c.len() < 7 {
        return "*".repeat(c.len());
    }
    let head: String = c[..3].iter().collect();
    let tail: String = c[c.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(c.len() - 7))
}

/// A person as typed in a form, an import row or the API: text to be checked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewPerson {
    pub name: String,
    pub gender: String,
    pub citizen_id: String,
    pub phone: String,
    pub org_id: String,
    pub status: String,
    pub joined_on: String,
    pub full_on: String,
    pub birth_date: String,
    pub ethnicity: String,
    pub education: String,
    pub party_post: String,
    pub admin_post: String,
    pub affairs_worker: String,
    pub backbone: bool,
    pub double_high: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_what_identifies_nothing() {
        assert_eq!(mask_citizen_id("11010519491231002X"), "110105********002X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone(""), "");
    }
}
