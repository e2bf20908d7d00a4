//! The safeguards of standardization through HTTP: 软弱涣散 warnings and
//! the rectification round, 联系点 with visits, 督查调度, 书记培训 and 基础保障.
mod contacts;
mod dispatch;
mod support;
mod warnings;
