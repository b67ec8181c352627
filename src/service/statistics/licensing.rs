//! Statistics of the licensing (issue #15). See docs/statistics.md for each table's definition.

use crate::domain::statistics::StatTable;
use crate::error::AppResult;
use crate::service::Tx;

use super::StatQuery;

/// Every statistic of the licensing for the query's period, in the caller's scope.
pub fn tables(_tx: &mut Tx<'_>, _query: StatQuery) -> AppResult<Vec<StatTable>> {
    Ok(Vec::new())
}
