-- Two-way referrals (issue #15, item 2): the structured content of a referral to a partner
-- (supervision.md, "A referral to a partner should carry") and the partner's feedback. The same
-- columns on complaint and inspection referrals. Party ids are checked by the use case (known,
-- of the right family, not merged) and moved by a party merge (db::party_links). The lists are
-- JSON arrays of codes/ids, checked on the way in; the scalar codes are checked here.
ALTER TABLE complaint_referrals ADD COLUMN employer_id TEXT;
ALTER TABLE complaint_referrals ADD COLUMN owner_id TEXT;
ALTER TABLE complaint_referrals ADD COLUMN location_postcode TEXT;
ALTER TABLE complaint_referrals ADD COLUMN location_house_number INTEGER CHECK (location_house_number BETWEEN 1 AND 99999);
ALTER TABLE complaint_referrals ADD COLUMN location_addition TEXT;
ALTER TABLE complaint_referrals ADD COLUMN labour_migrants INTEGER CHECK (labour_migrants >= 0);
ALTER TABLE complaint_referrals ADD COLUMN enforcement_done TEXT NOT NULL DEFAULT '[]';
ALTER TABLE complaint_referrals ADD COLUMN other_reports TEXT NOT NULL DEFAULT '[]';
ALTER TABLE complaint_referrals ADD COLUMN attachment_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE complaint_referrals ADD COLUMN feedback_received_on DATE;
ALTER TABLE complaint_referrals ADD COLUMN feedback_outcome TEXT CHECK (feedback_outcome IN ('investigation_started',
    'action_taken', 'no_action', 'not_competent', 'forwarded'));
ALTER TABLE complaint_referrals ADD COLUMN feedback_follow_up TEXT CHECK (feedback_follow_up IN ('none', 'joint_inspection',
    'information_requested', 'own_investigation'));
ALTER TABLE complaint_referrals ADD COLUMN feedback_note TEXT;
ALTER TABLE complaint_referrals ADD COLUMN feedback_recorded_by TEXT;
ALTER TABLE complaint_referrals ADD COLUMN feedback_recorded_at TIMESTAMP;
-- The list (newest first) and the feedback queue (awaiting / overdue, oldest first).
CREATE INDEX complaint_referrals_listing ON complaint_referrals (municipality_code, referred_on, id);
CREATE INDEX complaint_referrals_feedback ON complaint_referrals (municipality_code, feedback_received_on, referred_on);
-- A party merge finds the referrals naming a party.
CREATE INDEX complaint_referrals_employer ON complaint_referrals (employer_id);
CREATE INDEX complaint_referrals_owner ON complaint_referrals (owner_id);
ALTER TABLE inspection_referrals ADD COLUMN employer_id TEXT;
ALTER TABLE inspection_referrals ADD COLUMN owner_id TEXT;
ALTER TABLE inspection_referrals ADD COLUMN location_postcode TEXT;
ALTER TABLE inspection_referrals ADD COLUMN location_house_number INTEGER CHECK (location_house_number BETWEEN 1 AND 99999);
ALTER TABLE inspection_referrals ADD COLUMN location_addition TEXT;
ALTER TABLE inspection_referrals ADD COLUMN labour_migrants INTEGER CHECK (labour_migrants >= 0);
ALTER TABLE inspection_referrals ADD COLUMN enforcement_done TEXT NOT NULL DEFAULT '[]';
ALTER TABLE inspection_referrals ADD COLUMN other_reports TEXT NOT NULL DEFAULT '[]';
ALTER TABLE inspection_referrals ADD COLUMN attachment_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE inspection_referrals ADD COLUMN feedback_received_on DATE;
ALTER TABLE inspection_referrals ADD COLUMN feedback_outcome TEXT CHECK (feedback_outcome IN ('investigation_started',
    'action_taken', 'no_action', 'not_competent', 'forwarded'));
ALTER TABLE inspection_referrals ADD COLUMN feedback_follow_up TEXT CHECK (feedback_follow_up IN ('none', 'joint_inspection',
    'information_requested', 'own_investigation'));
ALTER TABLE inspection_referrals ADD COLUMN feedback_note TEXT;
ALTER TABLE inspection_referrals ADD COLUMN feedback_recorded_by TEXT;
ALTER TABLE inspection_referrals ADD COLUMN feedback_recorded_at TIMESTAMP;
-- The list (newest first) and the feedback queue (awaiting / overdue, oldest first).
CREATE INDEX inspection_referrals_listing ON inspection_referrals (municipality_code, referred_on, id);
CREATE INDEX inspection_referrals_feedback ON inspection_referrals (municipality_code, feedback_received_on, referred_on);
-- A party merge finds the referrals naming a party.
CREATE INDEX inspection_referrals_employer ON inspection_referrals (employer_id);
CREATE INDEX inspection_referrals_owner ON inspection_referrals (owner_id);
