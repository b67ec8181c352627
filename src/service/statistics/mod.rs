//! Statistics for managers and officers (issue #15): aggregates of the municipalities in the
//! caller's scope, for a period, grouped by month, quarter or year. Read-only use cases; the
//! answer is a list of [`StatTable`]s (`crate::domain::statistics`), rendered by the HTTP layer
//! as JSON or CSV.

pub mod enforcement;
pub mod licensing;
pub mod meldpunt;
pub mod monitoring;
pub mod tally;

use crate::domain::statistics::{GroupBy, StatPeriod};

/// What a caller asks for. The municipalities are the unit of work's scope (`tx.scope`).
#[derive(Debug, Clone, Copy)]
pub struct StatQuery {
    pub period: StatPeriod,
    pub group_by: GroupBy,
}
