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
        housing_corporation -> Bool,
        housing_corporation_reference -> Nullable<Text>,
        role -> Text,
        role_detail -> Nullable<Text>,
        trade_names -> Text,
        establishment_postcode -> Nullable<Text>,
        establishment_house_number -> Nullable<Integer>,
        establishment_house_number_addition -> Nullable<Text>,
        establishment_city -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        source -> Text,
        notes -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        merged_into -> Nullable<Text>,
        merged_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
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
        security_version -> Integer,
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
        security_version -> Integer,
        contact_email -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_client_municipalities (client_id, municipality_code) {
        client_id -> Text,
        municipality_code -> Text,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Text,
        account_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
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
        requeued_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    properties (id) {
        id -> Text,
        municipality_code -> Text,
        landlord_id -> Nullable<Text>,
        postcode -> Text,
        house_number -> Integer,
        house_number_addition -> Text,
        bag_id -> Nullable<Text>,
        neighbourhood_code -> Nullable<Text>,
        kind -> Text,
        usable_floor_area_dm2 -> Integer,
        toilets -> Integer,
        showers -> Integer,
        kitchens -> Integer,
        cooking_points -> Integer,
        washbasins -> Integer,
        washing_machines -> Integer,
        building_permit_missing -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        intermediary_id -> Nullable<Text>,
    }
}

diesel::table! {
    property_rooms (id) {
        id -> Text,
        property_id -> Text,
        position -> Integer,
        label -> Text,
        area_dm2 -> Integer,
        sleeping_room -> Bool,
    }
}

diesel::table! {
    licence_applications (id) {
        id -> Text,
        municipality_code -> Text,
        landlord_id -> Text,
        property_id -> Text,
        kind -> Text,
        state -> Text,
        monthly_rent_cents -> Nullable<BigInt>,
        submitted_on -> Nullable<Date>,
        decision_clock -> Nullable<Text>,
        decision_due_on -> Nullable<Date>,
        information_requested -> Nullable<Text>,
        information_respond_by -> Nullable<Date>,
        extension_reason -> Nullable<Text>,
        bibob_pending -> Bool,
        decision_outcome -> Nullable<Text>,
        decided_on -> Nullable<Date>,
        refusal_grounds -> Nullable<Text>,
        motivation -> Nullable<Text>,
        objection_period_ends_on -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        open_due_on -> Nullable<Date>,
        not_considered_due_on -> Nullable<Date>,
    }
}

diesel::table! {
    application_occupancy (application_id, room_label) {
        application_id -> Text,
        room_label -> Text,
        persons -> Integer,
        partners -> Bool,
    }
}

diesel::table! {
    bibob_checks (application_id) {
        application_id -> Text,
        municipality_code -> Text,
        status -> Text,
        outcome -> Nullable<Text>,
        zienswijze_invited_on -> Nullable<Date>,
        lbb_requested_on -> Nullable<Date>,
        lbb_received_on -> Nullable<Date>,
        lbb_extension_weeks -> Integer,
        findings -> Nullable<Text>,
        updated_at -> Timestamp,
        lbb_advice_due_on -> Nullable<Date>,
    }
}

diesel::table! {
    application_documents (id) {
        id -> Text,
        application_id -> Text,
        municipality_code -> Text,
        kind -> Text,
        filename -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    licences (id) {
        id -> Text,
        number -> Text,
        municipality_code -> Text,
        application_id -> Text,
        landlord_id -> Text,
        property_id -> Text,
        kind -> Text,
        state -> Text,
        valid_from -> Date,
        valid_until -> Nullable<Date>,
        max_occupants -> Integer,
        conditions -> Text,
        state_grounds -> Nullable<Text>,
        state_motivation -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        occupants_displaced -> Nullable<Integer>,
        replacement_housing_arranged -> Nullable<Bool>,
    }
}

diesel::table! {
    licence_room_limits (licence_id, room_label) {
        licence_id -> Text,
        room_label -> Text,
        max_occupants -> Integer,
    }
}

diesel::table! {
    inspections (id) {
        id -> Text,
        municipality_code -> Text,
        status -> Text,
        planned_on -> Nullable<Date>,
        performed_on -> Nullable<Date>,
        postcode -> Text,
        house_number -> Integer,
        house_number_addition -> Nullable<Text>,
        address_key -> Text,
        property_id -> Nullable<Text>,
        licence_id -> Nullable<Text>,
        landlord_id -> Nullable<Text>,
        officers -> Text,
        interpreter_used -> Bool,
        interpreter_language -> Nullable<Text>,
        findings -> Text,
        urgent -> Bool,
        evaluation -> Nullable<Text>,
        evaluated_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        has_signals -> Bool,
        referral_decided -> Bool,
        no_referral_reason -> Nullable<Text>,
    }
}

diesel::table! {
    inspection_referrals (id) {
        id -> Text,
        inspection_id -> Text,
        municipality_code -> Text,
        partner -> Text,
        referred_on -> Date,
        shared_data -> Text,
        legal_basis -> Text,
        recorded_by -> Text,
        created_at -> Timestamp,
        employer_id -> Nullable<Text>,
        owner_id -> Nullable<Text>,
        location_postcode -> Nullable<Text>,
        location_house_number -> Nullable<Integer>,
        location_addition -> Nullable<Text>,
        labour_migrants -> Nullable<Integer>,
        enforcement_done -> Text,
        other_reports -> Text,
        attachment_ids -> Text,
        feedback_received_on -> Nullable<Date>,
        feedback_outcome -> Nullable<Text>,
        feedback_follow_up -> Nullable<Text>,
        feedback_note -> Nullable<Text>,
        feedback_recorded_by -> Nullable<Text>,
        feedback_recorded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    enforcement_cases (id) {
        id -> Text,
        municipality_code -> Text,
        landlord_id -> Text,
        address_key -> Text,
        postcode -> Text,
        house_number -> Integer,
        house_number_addition -> Nullable<Text>,
        property_id -> Nullable<Text>,
        licence_id -> Nullable<Text>,
        landlord_kind -> Text,
        status -> Text,
        stage -> Text,
        opened_on -> Date,
        closed_on -> Nullable<Date>,
        close_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    violations (id) {
        id -> Text,
        municipality_code -> Text,
        case_id -> Text,
        landlord_id -> Text,
        address_key -> Text,
        rule -> Text,
        licence_condition -> Nullable<Text>,
        established_on -> Date,
        description -> Text,
        details -> Text,
        evidence -> Text,
        inspection_id -> Nullable<Text>,
        aggravations -> Text,
        status -> Text,
        close_reason -> Nullable<Text>,
        close_motivation -> Nullable<Text>,
        closed_on -> Nullable<Date>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        dwelling_landlord_id -> Nullable<Text>,
    }
}

diesel::table! {
    sanctions (id) {
        id -> Text,
        municipality_code -> Text,
        case_id -> Text,
        violation_id -> Text,
        landlord_id -> Text,
        kind -> Text,
        rule -> Text,
        violation_date -> Date,
        state_name -> Text,
        state -> Text,
        terms -> Text,
        proposed_step -> Text,
        motivation -> Nullable<Text>,
        amount_cents -> Nullable<BigInt>,
        offender_kind -> Nullable<Text>,
        effective_on -> Date,
        next_deadline -> Nullable<Date>,
        next_deadline_kind -> Nullable<Text>,
        last_deadline -> Nullable<Date>,
        last_deadline_kind -> Nullable<Text>,
        rapport_date -> Nullable<Date>,
        decision_date -> Nullable<Date>,
        final_date -> Nullable<Date>,
        annulled -> Bool,
        occupants_displaced -> Nullable<Integer>,
        replacement_housing_arranged -> Nullable<Bool>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
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
        enforcement_final_on -> Nullable<Date>,
        awaiting_information -> Bool,
        received_at -> Timestamp,
        received_on -> Date,
        due_on -> Date,
        status_changed_at -> Timestamp,
        outcome_on -> Nullable<Date>,
        personal_data_due_on -> Nullable<Date>,
        personal_data_deleted_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        partner -> Nullable<Text>,
        partner_reference -> Nullable<Text>,
        version -> Integer,
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
        referred_on -> Date,
        shared_data -> Nullable<Text>,
        legal_basis -> Text,
        recorded_by -> Text,
        created_at -> Timestamp,
        employer_id -> Nullable<Text>,
        owner_id -> Nullable<Text>,
        location_postcode -> Nullable<Text>,
        location_house_number -> Nullable<Integer>,
        location_addition -> Nullable<Text>,
        labour_migrants -> Nullable<Integer>,
        enforcement_done -> Text,
        other_reports -> Text,
        attachment_ids -> Text,
        feedback_received_on -> Nullable<Date>,
        feedback_outcome -> Nullable<Text>,
        feedback_follow_up -> Nullable<Text>,
        feedback_note -> Nullable<Text>,
        feedback_recorded_by -> Nullable<Text>,
        feedback_recorded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    complaint_mails (complaint_id, outbox_id) {
        complaint_id -> Text,
        outbox_id -> Text,
    }
}

diesel::table! {
    landlord_violation_counts (landlord_id, municipality_code, dimension, key) {
        landlord_id -> Text,
        municipality_code -> Text,
        dimension -> Text,
        key -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    portal_mandates (landlord_id, client_id) {
        landlord_id -> Text,
        client_id -> Text,
        granted_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(accounts -> landlords (landlord_id));
diesel::joinable!(account_municipalities -> accounts (account_id));
diesel::joinable!(api_client_municipalities -> api_clients (client_id));
diesel::joinable!(violations -> enforcement_cases (case_id));
diesel::joinable!(sanctions -> enforcement_cases (case_id));
diesel::joinable!(property_rooms -> properties (property_id));
diesel::joinable!(licence_applications -> properties (property_id));
diesel::joinable!(licences -> properties (property_id));
diesel::joinable!(licences -> landlords (landlord_id));

diesel::table! {
    complaint_intake_keys (key_hash) {
        key_hash -> Text,
        complaint_id -> Text,
        fingerprint -> Text,
        seal_salt -> Text,
        sealed_code -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (actor_kind, actor_id, key_hash) {
        actor_kind -> Text,
        actor_id -> Text,
        key_hash -> Text,
        route -> Text,
        fingerprint -> Text,
        response_status -> Integer,
        response_body -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    objections (id) {
        id -> Text,
        municipality_code -> Text,
        landlord_id -> Text,
        besluit_kind -> Text,
        besluit_id -> Text,
        besluit_notified_on -> Date,
        received_on -> Date,
        lodged_by_kind -> Text,
        lodged_by_description -> Text,
        grounds_summary -> Nullable<Text>,
        advisory_committee -> Bool,
        objection_term_ends_on -> Date,
        on_time -> Bool,
        excusable -> Nullable<Bool>,
        state -> Text,
        hearing_planned_on -> Nullable<Date>,
        heard_on -> Nullable<Date>,
        initial_due_on -> Date,
        decision_due_on -> Date,
        postponed_on -> Nullable<Date>,
        postponement_reason -> Nullable<Text>,
        consent_on -> Nullable<Date>,
        decided_on -> Nullable<Date>,
        decision_notified_on -> Nullable<Date>,
        outcome -> Nullable<Text>,
        withdrawn_on -> Nullable<Date>,
        new_decision_reference -> Nullable<Text>,
        new_decision_id -> Nullable<Text>,
        relief_granted_on -> Nullable<Date>,
        relief_court -> Nullable<Text>,
        relief_suspends -> Nullable<Bool>,
        appeal_lodged_on -> Nullable<Date>,
        appeal_court -> Nullable<Text>,
        appeal_on_time -> Nullable<Bool>,
        appeal_judgment_on -> Nullable<Date>,
        appeal_outcome -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    late_decision_notices (application_id) {
        application_id -> Text,
        municipality_code -> Text,
        received_on -> Date,
        decision_due_on -> Date,
        withdrawn_on -> Nullable<Date>,
        no_penalty_ground -> Nullable<Text>,
        no_penalty_motivation -> Nullable<Text>,
        penalty_decided_on -> Nullable<Date>,
        penalty_amount_cents -> Nullable<BigInt>,
        penalty_deviation_motivation -> Nullable<Text>,
        penalty_objection_ends_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    leases (id) {
        id -> Text,
        municipality_code -> Text,
        property_id -> Text,
        landlord_id -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
        recorded_from -> Text,
        inspection_id -> Nullable<Text>,
        complaint_id -> Nullable<Text>,
        concluded_on -> Date,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        form -> Text,
        information_given_on -> Nullable<Date>,
        information_languages -> Text,
        tied_to_employment -> Bool,
        occupants_are_labour_migrants -> Bool,
        occupant_languages -> Text,
        rent_cents -> Nullable<BigInt>,
        service_costs_cents -> Nullable<BigInt>,
        deposit_cents -> Nullable<BigInt>,
        deposit_returned_on -> Nullable<Date>,
        deposit_deductions -> Bool,
        deduction_specification_given -> Bool,
        occupants -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    party_search_terms (role, term, party_id) {
        role -> Text,
        term -> Text,
        party_id -> Text,
    }
}

diesel::joinable!(party_search_terms -> landlords (party_id));

diesel::table! {
    sanction_publications (sanction_id) {
        sanction_id -> Text,
        municipality_code -> Text,
        postcode -> Text,
        house_number -> Integer,
        house_number_addition -> Text,
        address_key -> Text,
        landlord_id -> Text,
        kind -> Text,
        decided_on -> Date,
        rule -> Text,
        amount_cents -> Nullable<BigInt>,
        published_on -> Date,
        ends_on -> Nullable<Date>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    inspection_parties (inspection_id, position) {
        inspection_id -> Text,
        position -> Integer,
        party_id -> Text,
        role -> Text,
    }
}

diesel::table! {
    inspection_entry_attempts (id) {
        id -> Text,
        inspection_id -> Text,
        attempted_on -> Date,
        reason -> Text,
        note -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inspection_complaints (inspection_id, complaint_id) {
        inspection_id -> Text,
        complaint_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inspection_partners (inspection_id, partner) {
        inspection_id -> Text,
        partner -> Text,
        municipality_code -> Text,
    }
}

diesel::table! {
    registration_signals (id) {
        id -> Text,
        municipality_code -> Text,
        inspection_id -> Text,
        postcode -> Text,
        house_number -> Integer,
        house_number_addition -> Nullable<Text>,
        address_key -> Text,
        persons -> Integer,
        found_on -> Date,
        status -> Text,
        outcome -> Nullable<Text>,
        investigation_started_on -> Nullable<Date>,
        concluded_on -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    complaint_stat_counts (municipality_code, metric, span, day, key) {
        municipality_code -> Text,
        metric -> Text,
        span -> Text,
        day -> Date,
        key -> Text,
        n -> Integer,
    }
}

diesel::table! {
    complaint_handling_counts (municipality_code, span, day, category, days, within_term) {
        municipality_code -> Text,
        span -> Text,
        day -> Date,
        category -> Text,
        days -> Integer,
        within_term -> Bool,
        n -> Integer,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        event_type -> Text,
        occurred_at -> Timestamp,
        municipality_code -> Text,
        subject_kind -> Text,
        subject_id -> Text,
        data -> Text,
        tx_seq -> BigInt,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        client_id -> Text,
        municipality_code -> Text,
        callback_url -> Text,
        event_types -> Text,
        description -> Nullable<Text>,
        state -> Text,
        secret_version -> Integer,
        consecutive_dead_letters -> Integer,
        created_at -> Timestamp,
        paused_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        seq -> BigInt,
        event_id -> BigInt,
        event_type -> Text,
        subject -> Text,
        body -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        attempted_at -> Timestamp,
        status_code -> Nullable<Integer>,
        latency_ms -> Integer,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_dispatch (id) {
        id -> Text,
        after_event -> Nullable<BigInt>,
        position -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    municipalities,
    events,
    webhook_subscriptions,
    webhook_deliveries,
    webhook_attempts,
    webhook_dispatch,
    landlords,
    accounts,
    account_municipalities,
    api_clients,
    api_client_municipalities,
    password_resets,
    portal_mandates,
    audit_log,
    outbox,
    properties,
    property_rooms,
    licence_applications,
    application_occupancy,
    bibob_checks,
    late_decision_notices,
    application_documents,
    licences,
    licence_room_limits,
    inspections,
    inspection_referrals,
    enforcement_cases,
    violations,
    landlord_violation_counts,
    sanctions,
    complaints,
    complaint_messages,
    complaint_attachments,
    complaint_referrals,
    complaint_mails,
    complaint_intake_keys,
    idempotency_keys,
    objections,
    leases,
    party_search_terms,
    sanction_publications,
    inspection_parties,
    inspection_entry_attempts,
    inspection_complaints,
    inspection_partners,
    registration_signals,
    complaint_stat_counts,
    complaint_handling_counts,
);
