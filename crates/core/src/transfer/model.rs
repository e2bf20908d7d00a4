use crate::people::NewPerson;
use serde::{Deserialize, Serialize};

/// Where a membership goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// To another organization in the system; the receiving side decides.
    Internal,
    /// Out of the system, with an introduction letter (介绍信).
    Out,
    /// In from an organization outside the system.
    In,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Internal, Kind::Out, Kind::In];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Internal => "internal",
            Kind::Out => "out",
            Kind::In => "in",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Internal => "系统内转接",
            Kind::Out => "转出系统外",
            Kind::In => "从系统外转入",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s || k.label() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for the receiving organization (internal only).
    Pending,
    Accepted,
    Returned,
    /// Out or in: done when recorded.
    Done,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Pending,
        Status::Accepted,
        Status::Returned,
        Status::Done,
        Status::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Returned => "returned",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "待接收",
            Status::Accepted => "已接收",
            Status::Returned => "已退回",
            Status::Done => "已办结",
            Status::Cancelled => "已撤销",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.code() == s || x.label() == s)
    }
}

/// A transfer as stored, with the names a list shows.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Transfer {
    pub id: String,
    pub person_id: String,
    pub person_name: String,
    pub kind: String,
    pub from_org_id: Option<String>,
    pub from_org_name: Option<String>,
    #[serde(skip)]
    pub from_org_path: Option<String>,
    pub to_org_id: Option<String>,
    pub to_org_name: Option<String>,
    #[serde(skip)]
    pub to_org_path: Option<String>,
    pub outside_org: String,
    pub status: String,
    pub reason: String,
    pub letter_no: String,
    pub valid_until: Option<String>,
    pub requested_by: String,
    pub decided_by: Option<String>,
    pub decision_note: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

impl Transfer {
    pub fn kind_label(&self) -> &'static str {
        Kind::parse(&self.kind).map(Kind::label).unwrap_or("未知")
    }
    pub fn status_label(&self) -> &'static str {
        Status::parse(&self.status).map(Status::label).unwrap_or("未知")
    }
    pub fn is_pending(&self) -> bool {
        self.status == Status::Pending.code()
    }
    /// Where the membership came from: an organization here, or outside.
    pub fn from_text(&self) -> String {
        match (&self.from_org_name, self.kind.as_str()) {
            (Some(n), _) => n.clone(),
            (None, "in") => self.outside_org.clone(),
            _ => String::new(),
        }
    }
    /// Where it goes.
    pub fn to_text(&self) -> String {
        match (&self.to_org_name, self.kind.as_str()) {
            (Some(n), _) => n.clone(),
            (None, "out") => self.outside_org.clone(),
            _ => String::new(),
        }
    }
}

/// A transfer as typed in a form or the API: text to be checked.
/// `internal` needs `person_id` and `to_org_id`; `out` needs `person_id` and
/// `outside_org`; `in` needs `person` (placed in its `org_id`),
/// `outside_org` and `letter_no`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewTransfer {
    pub kind: String,
    pub person_id: String,
    pub to_org_id: String,
    pub outside_org: String,
    pub reason: String,
    /// The outside organization's letter number (in).
    pub letter_no: String,
    /// The person arriving (in).
    pub person: Option<NewPerson>,
}

/// Which transfers a list shows, seen from the caller's scope.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// Leaving an organization in the scope.
    Out,
    /// Arriving at an organization in the scope.
    In,
    /// Either.
    #[default]
    All,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "out" => Some(Direction::Out),
            "in" => Some(Direction::In),
            "all" | "" => Some(Direction::All),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub direction: Direction,
    /// Part of the person's name.
    pub q: Option<String>,
    pub status: Option<Status>,
}
