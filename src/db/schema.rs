// Portable diesel schema for SQLite and PostgreSQL (ids and enums as text, times as Timestamp).

diesel::table! {
    municipalities (code) {
        code -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    landlords (id) {
        id -> Text,
        kind -> Text,
        name -> Text,
        kvk_number -> Nullable<Text>,
        contact_email -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        display_name -> Text,
        landlord_id -> Nullable<Text>,
        disabled -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    account_municipalities (account_id, municipality_code) {
        account_id -> Text,
        municipality_code -> Text,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        client_id -> Text,
        secret_hash -> Text,
        name -> Text,
        scopes -> Text,
        municipality_code -> Text,
        disabled -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        municipality_code -> Nullable<Text>,
        actor_kind -> Text,
        actor_id -> Nullable<Text>,
        entity_type -> Text,
        entity_id -> Text,
        action -> Text,
        before_state -> Nullable<Text>,
        after_state -> Nullable<Text>,
        reason -> Nullable<Text>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        municipality_code -> Nullable<Text>,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    complaints (id) {
        id -> Text,
        municipality_code -> Text,
        tracking_hash -> Text,
        category -> Text,
        rule_code -> Nullable<Text>,
        status -> Text,
        priority -> Text,
        priority_rank -> Integer,
        language -> Text,
        anonymity -> Text,
        channel -> Text,
        client_id -> Nullable<Text>,
        idempotency_key -> Nullable<Text>,
        idempotency_fingerprint -> Nullable<Text>,
        postcode -> Nullable<Text>,
        house_number -> Nullable<Integer>,
        house_number_addition -> Nullable<Text>,
        location_description -> Nullable<Text>,
        description -> Nullable<Text>,
        signals -> Text,
        has_signals -> Bool,
        contact_name -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        consent_to_contact -> Bool,
        assigned_officer_id -> Nullable<Text>,
        property_id -> Nullable<Text>,
        landlord_id -> Nullable<Text>,
        licence_id -> Nullable<Text>,
        enforcement_case_id -> Nullable<Text>,
        merged_into -> Nullable<Text>,
        no_referral_reason -> Nullable<Text>,
        has_referral -> Bool,
        case_building -> Bool,
        enforcement_final_on -> Nullable<Text>,
        awaiting_information -> Bool,
        received_at -> Timestamp,
        received_on -> Text,
        due_on -> Text,
        status_changed_at -> Timestamp,
        outcome_on -> Nullable<Text>,
        personal_data_due_on -> Nullable<Text>,
        personal_data_deleted_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    complaint_messages (id) {
        id -> Text,
        complaint_id -> Text,
        municipality_code -> Text,
        author -> Text,
        kind -> Text,
        body -> Nullable<Text>,
        author_account_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complaint_attachments (id) {
        id -> Text,
        complaint_id -> Text,
        municipality_code -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complaint_referrals (id) {
        id -> Text,
        complaint_id -> Text,
        municipality_code -> Text,
        partner -> Text,
        referred_on -> Text,
        shared_data -> Nullable<Text>,
        legal_basis -> Text,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complaint_mails (complaint_id, outbox_id) {
        complaint_id -> Text,
        outbox_id -> Text,
    }
}

diesel::joinable!(accounts -> landlords (landlord_id));
diesel::joinable!(account_municipalities -> accounts (account_id));

diesel::allow_tables_to_appear_in_same_query!(
    municipalities,
    landlords,
    accounts,
    account_municipalities,
    api_clients,
    audit_log,
    outbox,
    complaints,
    complaint_messages,
    complaint_attachments,
    complaint_referrals,
    complaint_mails,
);
