DROP INDEX complaint_referrals_by_day;
DROP INDEX complaints_by_property_id;
DROP TABLE complaint_handling_counts;
DROP TABLE complaint_stat_counts;
