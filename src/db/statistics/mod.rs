//! Rows the statistics read (issue #15): counters kept with the writes they count, and the
//! aggregate queries over them. See docs/statistics-meldpunt.md.

pub mod meldpunt;
