//! People (人员): the roster, its checks, masking and search.
mod export;
mod import;
mod model;
mod names;
mod rules;
mod store;

pub use export::{export, MAX_EXPORT};
pub use import::{import, template, ImportOptions, ImportReport, COLUMNS};
pub use model::{mask_citizen_id, mask_phone, AffairsWorker, Gender, NewPerson, Person, Status};
pub use names::{name_pinyin, normalize};
pub use rules::{check_citizen_id, parse_date, validate, CitizenId, ValidPerson};
pub use store::{count, count_capped, create, get, page, pick, reveal, search, update, Filter, Picked, COUNT_CAP};
pub(crate) use store::{exists, insert_new, subject_of};
