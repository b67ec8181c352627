//! Inspections: recording, referral decisions, evaluation and the occupant notice.

mod records;
mod visits;
