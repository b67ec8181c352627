//! The current time, replaceable in tests. Times are UTC, truncated to microseconds so that
//! SQLite (nanoseconds) and PostgreSQL (microseconds) store the same value.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, SubsecRound, Utc};

#[derive(Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock that stands still at `at` until moved with [`Clock::advance`] or [`Clock::set`].
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self { fixed: Some(Arc::new(Mutex::new(at))) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let t = match &self.fixed {
            None => Utc::now(),
            Some(m) => *m.lock().unwrap_or_else(|p| p.into_inner()),
        };
        t.trunc_subsecs(6)
    }

    /// Now as a naive UTC timestamp for the database.
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// Today's calendar date in the Netherlands (legal day counting uses Europe/Amsterdam).
    pub fn today_nl(&self) -> NaiveDate {
        self.now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
    }

    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(m) = &self.fixed {
            *m.lock().unwrap_or_else(|p| p.into_inner()) = at;
        }
    }

    pub fn advance(&self, by: Duration) {
        if let Some(m) = &self.fixed {
            let mut g = m.lock().unwrap_or_else(|p| p.into_inner());
            *g += by;
        }
    }
}
