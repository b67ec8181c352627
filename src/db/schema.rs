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
);
