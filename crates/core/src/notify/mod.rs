//! Outbound notifications (消息通知): DingTalk, WeCom and Feishu group robots
//! and e-mail over SMTP (lettre). Callers queue a message (`enqueue`); a background job
//! (`run_once`) sends what is due, records every attempt and retries with the
//! rule table's backoff.
mod check;
mod job;
mod model;
mod robot;
mod send;
pub mod sign;
mod smtp;
mod store;
mod trust;

pub use job::run_once;
pub use model::{mask_url, Attempt, Channel, ChannelInput, ChannelView, Kind, OutboxItem, Settings, Status, MASK};
pub use robot::{judge, request};
pub use send::{deliver, Client, Delivery};
pub use store::{
    channel, create_channel, delete_channel, enqueue, list_attempts, list_channels, list_outbox, send_test,
    set_enabled, update_channel, Target,
};
pub use trust::Trust;
