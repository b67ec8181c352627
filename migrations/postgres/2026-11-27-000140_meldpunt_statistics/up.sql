-- Meldpunt statistics (issue #15): counters kept in the same transaction as every write of a
-- complaint (`db::complaints::insert` and `save` call `db::statistics::meldpunt`), so that a
-- statistic over a year of a million complaints reads a few thousand counter rows instead of
-- the complaints. docs/statistics-meldpunt.md describes each counter. A merged duplicate
-- (`merged_into` set) is not counted: its primary is the report.

-- Reports per received day (span 'day') and per calendar month (span 'month', `day` its first
-- day) and one key of one dimension:
--   category, area (first 4 digits of the postcode, 'unknown' without one), neighbourhood (of
--   the linked property, only where known), channel, status (current), signal (one row per
--   exploitation signal of the report).
CREATE TABLE complaint_stat_counts (
    municipality_code TEXT NOT NULL,
    metric TEXT NOT NULL CHECK (metric IN ('category', 'area', 'neighbourhood', 'channel', 'status', 'signal')),
    span TEXT NOT NULL CHECK (span IN ('day', 'month')),
    day DATE NOT NULL,
    key TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (municipality_code, metric, span, day, key)
);

-- Handled reports (outcome_on set) per outcome day or month (span), category, whole days from receipt to
-- outcome, and whether the outcome came within the handling term (outcome_on <= due_on): the
-- histogram the median, 90th percentile and share within term are read from.
CREATE TABLE complaint_handling_counts (
    municipality_code TEXT NOT NULL,
    span TEXT NOT NULL CHECK (span IN ('day', 'month')),
    day DATE NOT NULL,
    category TEXT NOT NULL,
    days INTEGER NOT NULL,
    within_term BOOLEAN NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (municipality_code, span, day, category, days, within_term)
);

-- The complaints linked to a property, for moving their neighbourhood counters when the
-- property's neighbourhood code changes (a link is set later, or never: a partial index).
CREATE INDEX complaints_by_property_id ON complaints (property_id) WHERE property_id IS NOT NULL;

-- Referrals per partner and day (referrals_by_partner).
CREATE INDEX complaint_referrals_by_day ON complaint_referrals (municipality_code, referred_on, partner);

-- Back-fill from the complaints already recorded (the same statements as
-- db::statistics::meldpunt::rebuild).
INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
    SELECT municipality_code, 'category', 'day', received_on, category, COUNT(*) FROM complaints
    WHERE merged_into IS NULL GROUP BY municipality_code, received_on, category;
INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
    SELECT municipality_code, 'area', 'day', received_on, COALESCE(substr(postcode, 1, 4), 'unknown'), COUNT(*)
    FROM complaints WHERE merged_into IS NULL
    GROUP BY municipality_code, received_on, COALESCE(substr(postcode, 1, 4), 'unknown');
INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
    SELECT c.municipality_code, 'neighbourhood', 'day', c.received_on, p.neighbourhood_code, COUNT(*)
    FROM complaints c JOIN properties p ON p.id = c.property_id
    WHERE c.merged_into IS NULL AND p.neighbourhood_code IS NOT NULL
    GROUP BY c.municipality_code, c.received_on, p.neighbourhood_code;
INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
    SELECT municipality_code, 'channel', 'day', received_on, channel, COUNT(*) FROM complaints
    WHERE merged_into IS NULL GROUP BY municipality_code, received_on, channel;
INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
    SELECT municipality_code, 'status', 'day', received_on, status, COUNT(*) FROM complaints
    WHERE merged_into IS NULL GROUP BY municipality_code, received_on, status;
INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
    SELECT c.municipality_code, 'signal', 'day', c.received_on, s.column1, COUNT(*)
    FROM complaints c JOIN (VALUES
        ('unlawful_stay_or_work'),
        ('no_dutch_or_illiterate'),
        ('no_contract_in_own_language'),
        ('documents_withheld'),
        ('unaware_of_addresses'),
        ('escorted_to_authorities'),
        ('substandard_employer_housing'),
        ('false_promises'),
        ('debts_to_employer'),
        ('violence_or_threats'),
        ('threatened_dismissal_eviction_reporting'),
        ('dangerous_work'),
        ('excessive_hours'),
        ('underpaid'),
        ('confined_or_watched'),
        ('coached_statements'),
        ('undeclared_or_uninsured'),
        ('other_pressure')
    ) AS s ON (' ' || c.signals || ' ') LIKE ('% ' || s.column1 || ' %')
    WHERE c.merged_into IS NULL
    GROUP BY c.municipality_code, c.received_on, s.column1;
INSERT INTO complaint_handling_counts (municipality_code, span, day, category, days, within_term, n)
    SELECT c.municipality_code, 'day', c.outcome_on, c.category, (c.outcome_on - c.received_on),
        c.outcome_on <= c.due_on, COUNT(*)
    FROM complaints c WHERE c.merged_into IS NULL AND c.outcome_on IS NOT NULL
    GROUP BY c.municipality_code, c.outcome_on, c.category, (c.outcome_on - c.received_on), c.outcome_on <= c.due_on;
INSERT INTO complaint_stat_counts (municipality_code, metric, span, day, key, n)
    SELECT municipality_code, metric, 'month', CAST(date_trunc('month', day) AS DATE), key, SUM(n) FROM complaint_stat_counts
    WHERE span = 'day' GROUP BY municipality_code, metric, CAST(date_trunc('month', day) AS DATE), key;
INSERT INTO complaint_handling_counts (municipality_code, span, day, category, days, within_term, n)
    SELECT municipality_code, 'month', CAST(date_trunc('month', day) AS DATE), category, days, within_term, SUM(n) FROM complaint_handling_counts
    WHERE span = 'day' GROUP BY municipality_code, CAST(date_trunc('month', day) AS DATE), category, days, within_term;
