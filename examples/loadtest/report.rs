//! The Markdown report: the machine, each target of issue 11 (measured, reference, ratio,
//! target, met) and every scenario's raw figures.

use crate::oha::Outcome;
use crate::procfs::PerRequest;
use crate::Settings;

/// One measured scenario.
#[derive(Clone, Debug)]
pub struct Measure {
    pub name: String,
    pub connections: usize,
    pub ok_per_sec: f64,
    pub ok: u64,
    pub failed: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub cost: Option<PerRequest>,
}

impl Measure {
    pub fn of(name: &str, connections: usize, o: &Outcome, cost: Option<PerRequest>) -> Measure {
        Measure {
            name: name.to_string(),
            connections,
            ok_per_sec: o.ok_per_sec,
            ok: o.ok,
            failed: o.failed,
            p50_ms: o.p50_ms,
            p99_ms: o.p99_ms,
            cost,
        }
    }

    pub fn line(&self) -> String {
        let cost = self
            .cost
            .map(|c| {
                format!(
                    ", CPU {:.3} ms (db {:.3}) and {:.1} KB written per request",
                    c.api_cpu_ms,
                    c.db_cpu_ms,
                    c.write_bytes / 1024.0
                )
            })
            .unwrap_or_default();
        format!(
            "{}: {:.0} req/s at {} connections, p50 {:.2} ms, p99 {:.2} ms, {} failed{cost}",
            self.name, self.ok_per_sec, self.connections, self.p50_ms, self.p99_ms, self.failed
        )
    }
}

pub struct Report {
    pub settings: String,
    /// PostgreSQL version and durability settings; `None` on SQLite.
    pub postgres: Option<String>,
    pub raw_normal: f64,
    pub raw_full: f64,
    /// FULL on as many connections as the intake load.
    pub raw_full_concurrent: f64,
    pub bare_root: f64,
    pub bare_health: f64,
    pub health: f64,
    pub register: f64,
    /// The public sanctions register, lookups spread over the same addresses.
    pub sanctions_register: f64,
    /// `HUURTOEZICHT_REGISTER_CACHE_SECONDS` of the register measurement.
    pub register_cache: String,
    pub intake_default: Option<Measure>,
    pub intake_normal: Option<Measure>,
    pub submit: Option<Measure>,
    pub list_small: Option<Measure>,
    pub list_big: Option<Measure>,
    /// The staff search over 100,000 parties (issue 14).
    pub party_search: Option<Measure>,
    pub rss_idle_mib: f64,
    pub rss_after_mib: f64,
    pub rss_peak_mib: f64,
    /// Private memory (`RssAnon`): VmRSS without the mapped program and database files.
    pub anon_idle_mib: f64,
    pub anon_after_mib: f64,
    pub mixed: String,
    pub webhooks: Option<crate::webhooks::Throughput>,
    pub scenarios: Vec<Measure>,
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn machine() -> String {
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let ram_gib = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map(|kb| kb / 1024.0 / 1024.0)
        .unwrap_or(f64::NAN);
    format!(
        "{model}, {cores} cores, {ram_gib:.1} GiB RAM, Linux {}, load average {} at the end, {}",
        read("/proc/sys/kernel/osrelease").trim(),
        read("/proc/loadavg").split_whitespace().take(3).collect::<Vec<_>>().join(" "),
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    )
}

fn yes(met: bool) -> &'static str {
    if met {
        "yes"
    } else {
        "**no**"
    }
}

impl Report {
    pub fn new(s: &Settings, postgres: Option<String>) -> Report {
        Report {
            settings: format!(
                "{} s per scenario after {} s warm-up, {} connections (officer list: {}), mixed load {} s, officer list on {} and {} complaints",
                s.seconds, s.warmup, s.connections, s.list_clients, s.mixed_seconds, s.small_rows, s.big_rows
            ),
            postgres,
            raw_normal: f64::NAN,
            raw_full: f64::NAN,
            raw_full_concurrent: f64::NAN,
            bare_root: f64::NAN,
            bare_health: f64::NAN,
            health: f64::NAN,
            register: f64::NAN,
            sanctions_register: f64::NAN,
            register_cache: String::new(),
            intake_default: None,
            intake_normal: None,
            submit: None,
            list_small: None,
            list_big: None,
            party_search: None,
            rss_idle_mib: f64::NAN,
            rss_after_mib: f64::NAN,
            rss_peak_mib: f64::NAN,
            anon_idle_mib: f64::NAN,
            anon_after_mib: f64::NAN,
            mixed: String::new(),
            webhooks: None,
            scenarios: Vec::new(),
        }
    }

    fn cpu(&self, m: &Option<Measure>) -> (String, f64) {
        match m.as_ref().and_then(|m| m.cost) {
            None => ("not measured".into(), f64::NAN),
            Some(c) if self.postgres.is_some() => (
                format!("API {:.3} ms + database {:.3} ms", c.api_cpu_ms, c.db_cpu_ms),
                c.api_cpu_ms + c.db_cpu_ms,
            ),
            Some(c) => (format!("{:.3} ms", c.api_cpu_ms), c.api_cpu_ms),
        }
    }

    pub fn markdown(&self) -> String {
        let pg = self.postgres.is_some();
        let mut rows: Vec<[String; 6]> = Vec::new();
        let mut row =
            |what: &str, measured: String, reference: String, ratio: f64, target: &str, met: Option<bool>| {
                let ratio = if ratio.is_finite() { format!("{ratio:.2}") } else { "—".into() };
                let met = match met {
                    Some(m) => yes(m).to_string(),
                    None => "—".into(),
                };
                rows.push([what.into(), measured, reference, ratio, target.into(), met]);
            };
        let rate = |v: f64| if v.is_finite() { format!("{v:.0}/s") } else { "not measured".into() };
        let intake = self.intake_default.as_ref().map(|m| m.ok_per_sec).unwrap_or(f64::NAN);
        let sqlite_only = |met: bool| if pg { None } else { Some(met) };
        let r = intake / self.raw_normal;
        row(
            "Complaint intake (the default durability) vs raw commit, synchronous=NORMAL",
            rate(intake),
            format!("{} raw NORMAL", rate(self.raw_normal)),
            r,
            if pg { "SQLite target" } else { "≥ 0.70" },
            sqlite_only(r >= 0.70),
        );
        let r = intake / self.raw_full;
        row(
            "Complaint intake (the default durability) vs raw commit, synchronous=FULL",
            rate(intake),
            format!("{} raw FULL", rate(self.raw_full)),
            r,
            if pg { "SQLite target" } else { "≥ 2 (clear the floor by far)" },
            sqlite_only(r >= 2.0),
        );
        let r = intake / self.raw_full_concurrent;
        row(
            "Complaint intake (the default durability) vs raw commit, synchronous=FULL, same connections",
            rate(intake),
            format!("{} raw FULL", rate(self.raw_full_concurrent)),
            r,
            if pg { "SQLite target" } else { "≥ 2 (clear the floor by far)" },
            sqlite_only(r >= 2.0),
        );
        if let Some(m) = &self.intake_normal {
            row(
                "Complaint intake with HUURTOEZICHT_SQLITE_SYNCHRONOUS=normal",
                rate(m.ok_per_sec),
                format!("{} raw NORMAL", rate(self.raw_normal)),
                m.ok_per_sec / self.raw_normal,
                "(reported)",
                None,
            );
        }
        let (text, ms) = self.cpu(&self.intake_default);
        row(
            "Server CPU per complaint intake",
            text,
            String::new(),
            f64::NAN,
            if pg { "state (PostgreSQL)" } else { "≤ 0.35 ms" },
            sqlite_only(ms <= 0.35),
        );
        let (text, ms) = self.cpu(&self.submit);
        row(
            "Server CPU per licence submit",
            text,
            String::new(),
            f64::NAN,
            if pg { "state (PostgreSQL)" } else { "≤ 0.7 ms" },
            sqlite_only(ms <= 0.7),
        );
        if let Some(c) = self.intake_default.as_ref().and_then(|m| m.cost) {
            row(
                "Bytes written per complaint intake",
                if pg {
                    format!(
                        "API {:.1} KB + database {:.1} KB",
                        c.write_bytes / 1024.0,
                        c.db_write_bytes / 1024.0
                    )
                } else {
                    format!("{:.1} KB", c.write_bytes / 1024.0)
                },
                String::new(),
                f64::NAN,
                "(reported)",
                None,
            );
        }
        let r = self.register / self.bare_root;
        row(
            &format!(
                "Public register, lookups spread over 100k addresses (answer cache {} s)",
                self.register_cache
            ),
            rate(self.register),
            format!("{} bare actix-web `GET /`", rate(self.bare_root)),
            r,
            "≥ 0.50",
            Some(r >= 0.50),
        );
        row(
            &format!(
                "Public sanctions register, lookups spread over 100k addresses, 10k fines (answer cache {} s)",
                self.register_cache
            ),
            rate(self.sanctions_register),
            String::new(),
            f64::NAN,
            "≥ 10,000/s (SQLite)",
            sqlite_only(self.sanctions_register >= 10_000.0),
        );
        let r = self.health / self.bare_health;
        row(
            "`GET /health`",
            rate(self.health),
            format!("{} bare `GET /health`", rate(self.bare_health)),
            r,
            "≥ 0.90",
            Some(r >= 0.90),
        );
        row(
            "RSS idle after start-up",
            format!("{:.1} MiB", self.rss_idle_mib),
            String::new(),
            f64::NAN,
            "≤ 30 MiB",
            Some(self.rss_idle_mib <= 30.0),
        );
        row(
            "RSS after the mixed load (logins, register, intake, list)",
            format!("{:.1} MiB (peak {:.1})", self.rss_after_mib, self.rss_peak_mib),
            String::new(),
            f64::NAN,
            "≤ 100 MiB",
            Some(self.rss_after_mib <= 100.0),
        );
        row(
            "Private memory (RssAnon) idle / after the mixed load: RSS without the program file and the database file mapped from the OS cache",
            format!("{:.1} MiB / {:.1} MiB", self.anon_idle_mib, self.anon_after_mib),
            String::new(),
            f64::NAN,
            "(reported)",
            None,
        );
        for m in [&self.list_small, &self.list_big].into_iter().flatten() {
            row(
                &format!(
                    "Officer list p99, {} clients, {}",
                    m.connections,
                    m.name.trim_start_matches("officer list, ")
                ),
                format!("{:.2} ms (p50 {:.2})", m.p99_ms, m.p50_ms),
                String::new(),
                f64::NAN,
                "< 10 ms",
                Some(m.p99_ms < 10.0),
            );
        }
        if let Some(m) = &self.party_search {
            row(
                &format!(
                    "Party search p99, {} clients, {}",
                    m.connections,
                    m.name.trim_start_matches("party search, ")
                ),
                format!("{:.2} ms (p50 {:.2})", m.p99_ms, m.p50_ms),
                String::new(),
                f64::NAN,
                "< 20 ms",
                Some(m.p99_ms < 20.0),
            );
        }
        if let Some(w) = &self.webhooks {
            let clean = w.bad_signatures == 0 && w.duplicates == 0;
            row(
                &format!(
                    "Webhook delivery, {} events to a local receiver that verifies each signature (concurrency {}); \
                     until every delivery is recorded as delivered",
                    w.events, w.concurrency
                ),
                format!(
                    "{} (received: {}; {} bad signatures, {} copies; server CPU {:.3} ms/event)",
                    rate(w.recorded_per_sec),
                    rate(w.received_per_sec),
                    w.bad_signatures,
                    w.duplicates,
                    w.api_cpu_ms
                ),
                String::new(),
                f64::NAN,
                "≥ 1,000/s",
                Some(clean && w.recorded_per_sec >= 1_000.0),
            );
        }
        row(
            "Acknowledged records survive SIGKILL",
            "in the test suite, not here".into(),
            String::new(),
            f64::NAN,
            "all found",
            None,
        );

        let mut out = String::new();
        out.push_str(&format!("Machine: {}\n\n", machine()));
        match &self.postgres {
            Some(v) => out.push_str(&format!(
                "Backend: PostgreSQL ({v}); raw commit references are SQLite on the same disk.\n\n"
            )),
            None => out.push_str("Backend: SQLite (WAL), database in the load test's work folder.\n\n"),
        }
        out.push_str(&format!("Run: {}.\n\n", self.settings));
        out.push_str("| target | measured | reference | ratio | target | met |\n|---|---|---|---|---|---|\n");
        for r in &rows {
            out.push_str(&format!("| {} |\n", r.join(" | ")));
        }
        out.push_str(&format!(
            "\nMixed load: {}.\n\n",
            if self.mixed.is_empty() { "not run" } else { &self.mixed }
        ));
        out.push_str("| scenario | connections | ok req/s | p50 ms | p99 ms | ok / failed | API CPU ms/req | DB CPU ms/req | KB written/req (API + DB) |\n|---|---|---|---|---|---|---|---|---|\n");
        for m in &self.scenarios {
            let (api, db, kb) = match m.cost {
                Some(c) => (
                    format!("{:.3}", c.api_cpu_ms),
                    if pg { format!("{:.3}", c.db_cpu_ms) } else { "—".into() },
                    if pg {
                        format!("{:.1} + {:.1}", c.write_bytes / 1024.0, c.db_write_bytes / 1024.0)
                    } else {
                        format!("{:.1}", c.write_bytes / 1024.0)
                    },
                ),
                None => ("—".into(), "—".into(), "—".into()),
            };
            out.push_str(&format!(
                "| {} | {} | {:.0} | {:.2} | {:.2} | {} / {} | {api} | {db} | {kb} |\n",
                m.name, m.connections, m.ok_per_sec, m.p50_ms, m.p99_ms, m.ok, m.failed
            ));
        }
        out
    }
}
