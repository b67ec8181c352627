DROP TABLE complaint_mails;
DROP TABLE complaint_referrals;
DROP TABLE complaint_attachments;
DROP TABLE complaint_messages;
DROP TABLE complaints;
