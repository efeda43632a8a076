// Kept in step with migrations/ by hand (diesel_cli needs libpq); the API tests catch drift.
diesel::table! {
    organizations (id) {
        id -> Uuid,
        name -> Text,
        short_name -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    areas (id) {
        id -> Uuid,
        organization_id -> Uuid,
        name -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    locations (id) {
        id -> Uuid,
        organization_id -> Nullable<Uuid>,
        name -> Text,
        address -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        username -> Text,
        display_name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        role -> Text,
        auth_source -> Text,
        password_hash -> Nullable<Text>,
        directory_dn -> Nullable<Text>,
        active -> Bool,
        locale -> Text,
        organization_id -> Nullable<Uuid>,
        area_id -> Nullable<Uuid>,
        location_id -> Nullable<Uuid>,
        last_login_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        absent_until -> Nullable<Timestamptz>,
        absence_note -> Nullable<Text>,
        token_generation -> Int4,
        identity_number -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        family_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        created_by_id -> Uuid,
        name -> Text,
        prefix -> Text,
        token_hash -> Bytea,
        scopes -> Array<Text>,
        allowed_networks -> Array<Text>,
        expires_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        last_used_address -> Nullable<Text>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        window_start -> Timestamptz,
        failures -> Int4,
    }
}

diesel::table! {
    desks (id) {
        id -> Uuid,
        code -> Text,
        name -> Text,
        description -> Nullable<Text>,
        mailbox -> Nullable<Text>,
        timezone -> Text,
        auto_close_hours -> Int4,
        survey_satisfied_min -> Int2,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        priority_matrix -> Jsonb,
        calendar_id -> Nullable<Uuid>,
        sla_policy_id -> Nullable<Uuid>,
        require_identity_number -> Bool,
        notifications_off -> Array<Text>,
        auto_close_business_days -> Nullable<Int2>,
        survey_ask_solved -> Bool,
        survey_reminder_hours -> Array<Int4>,
        staff_close_allowed -> Bool,
    }
}

diesel::table! {
    desk_organizations (desk_id, organization_id) {
        desk_id -> Uuid,
        organization_id -> Uuid,
    }
}

diesel::table! {
    desk_supervisors (desk_id, user_id) {
        desk_id -> Uuid,
        user_id -> Uuid,
    }
}

diesel::table! {
    support_groups (id) {
        id -> Uuid,
        desk_id -> Uuid,
        name -> Text,
        level -> Int2,
        external_provider -> Bool,
        description -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    group_members (group_id, user_id) {
        group_id -> Uuid,
        user_id -> Uuid,
    }
}

diesel::table! {
    catalog_nodes (id) {
        id -> Uuid,
        desk_id -> Uuid,
        parent_id -> Nullable<Uuid>,
        code -> Text,
        kind -> Text,
        name -> Text,
        description -> Nullable<Text>,
        position -> Int4,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    services (node_id) {
        node_id -> Uuid,
        objective -> Nullable<Text>,
        scope -> Nullable<Text>,
        audience -> Jsonb,
        form_fields -> Jsonb,
        required_attachments -> Jsonb,
        default_type -> Text,
        default_priority -> Text,
        responsible_group_id -> Nullable<Uuid>,
        sla_policy_id -> Nullable<Uuid>,
        availability -> Nullable<Text>,
        promised_resolution -> Nullable<Text>,
        resolution_minutes -> Nullable<Int4>,
    }
}

diesel::table! {
    service_routes (service_id, organization_id) {
        service_id -> Uuid,
        organization_id -> Uuid,
        group_id -> Uuid,
    }
}

// `tickets.search`, `tickets.followup_search` and `tickets.desk_search` (tsvectors, kept by the
// `tickets_words` trigger and the follow-ups) are used from raw SQL only.
diesel::table! {
    tickets (id) {
        id -> Uuid,
        number -> Int8,
        desk_id -> Uuid,
        service_id -> Uuid,
        ticket_type -> Text,
        priority -> Text,
        impact -> Nullable<Text>,
        urgency -> Nullable<Text>,
        status -> Text,
        subject -> Text,
        description -> Text,
        contact_phone -> Nullable<Text>,
        location_id -> Nullable<Uuid>,
        area_id -> Nullable<Uuid>,
        organization_id -> Nullable<Uuid>,
        requester_id -> Uuid,
        created_by_id -> Uuid,
        channel -> Text,
        assigned_group_id -> Nullable<Uuid>,
        assigned_agent_id -> Nullable<Uuid>,
        level -> Int2,
        fields -> Jsonb,
        hold_reason -> Nullable<Text>,
        hold_note -> Nullable<Text>,
        desist_at -> Nullable<Timestamptz>,
        rejection_reason -> Nullable<Text>,
        redirected_to -> Nullable<Text>,
        solution -> Nullable<Text>,
        solution_type -> Nullable<Text>,
        reopen_count -> Int4,
        response_due_at -> Nullable<Timestamptz>,
        resolution_due_at -> Nullable<Timestamptz>,
        taken_at -> Nullable<Timestamptz>,
        resolved_at -> Nullable<Timestamptz>,
        closed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        sla_policy_id -> Nullable<Uuid>,
        sla_policy_version -> Nullable<Int4>,
        response_met -> Nullable<Bool>,
        resolution_met -> Nullable<Bool>,
        external_reference -> Nullable<Text>,
        hold_note_public -> Bool,
        reopen_reason -> Nullable<Text>,
        response_minutes -> Nullable<Int4>,
        resolution_minutes -> Nullable<Int4>,
        handed_over -> Bool,
    }
}

diesel::table! {
    calendars (id) {
        id -> Uuid,
        name -> Text,
        timezone -> Text,
        always_open -> Bool,
        country -> Nullable<Text>,
        intervals -> Jsonb,
        extra_holidays -> Jsonb,
        removed_holidays -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    sla_policies (id) {
        id -> Uuid,
        name -> Text,
        calendar_id -> Nullable<Uuid>,
        targets -> Jsonb,
        at_risk_share -> Float8,
        rules -> Jsonb,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    ticket_pauses (id) {
        id -> Uuid,
        ticket_id -> Uuid,
        reason -> Text,
        started_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sla_rule_firings (ticket_id, rule_id) {
        ticket_id -> Uuid,
        rule_id -> Uuid,
        fired_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        id -> Uuid,
        kind -> Text,
        unique_key -> Nullable<Text>,
        payload -> Jsonb,
        run_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        attempts -> Int4,
        last_error -> Nullable<Text>,
        done_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        failed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    followups (id) {
        id -> Uuid,
        ticket_id -> Uuid,
        author_id -> Uuid,
        visibility -> Text,
        body -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    attachments (id) {
        id -> Uuid,
        ticket_id -> Uuid,
        followup_id -> Nullable<Uuid>,
        requirement_key -> Nullable<Text>,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> Int8,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ticket_events (id) {
        id -> Uuid,
        ticket_id -> Uuid,
        actor_id -> Nullable<Uuid>,
        kind -> Text,
        old_value -> Nullable<Jsonb>,
        new_value -> Nullable<Jsonb>,
        visibility -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Uuid,
        key -> Text,
        request_hash -> Text,
        ticket_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        kind -> Text,
        ticket_id -> Uuid,
        desk_id -> Uuid,
        actor_id -> Nullable<Uuid>,
        data -> Jsonb,
        created_at -> Timestamptz,
        expanded_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Uuid,
        notification_id -> Nullable<Uuid>,
        kind -> Text,
        ticket_id -> Nullable<Uuid>,
        ticket_number -> Nullable<Int8>,
        desk_id -> Nullable<Uuid>,
        recipient_id -> Nullable<Uuid>,
        to_address -> Text,
        from_address -> Text,
        reply_to -> Nullable<Text>,
        locale -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        message_id -> Text,
        thread_id -> Nullable<Text>,
        state -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamptz>,
        failed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    surveys (id) {
        id -> Uuid,
        ticket_id -> Uuid,
        requester_id -> Uuid,
        desk_id -> Uuid,
        service_id -> Uuid,
        group_id -> Nullable<Uuid>,
        agent_id -> Nullable<Uuid>,
        state -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
        answered_at -> Nullable<Timestamptz>,
        rating -> Nullable<Int2>,
        solved -> Nullable<Bool>,
        comment -> Nullable<Text>,
        satisfied -> Nullable<Bool>,
    }
}

diesel::table! {
    mail_templates (desk_id, kind, locale) {
        desk_id -> Uuid,
        kind -> Text,
        locale -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        updated_by -> Nullable<Uuid>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    survey_reminders (survey_id, hours_before) {
        survey_id -> Uuid,
        hours_before -> Int4,
        due_at -> Timestamptz,
        recorded_at -> Timestamptz,
    }
}

diesel::table! {
    desk_mailboxes (desk_id) {
        desk_id -> Uuid,
        host -> Text,
        port -> Int4,
        tls_mode -> Text,
        username -> Text,
        folder -> Text,
        default_service_id -> Uuid,
        unknown_sender -> Text,
        enabled -> Bool,
        poll_seconds -> Int4,
        uid_validity -> Nullable<Int8>,
        last_uid -> Int8,
        last_polled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    notification_opt_outs (user_id, kind) {
        user_id -> Uuid,
        kind -> Text,
    }
}

diesel::table! {
    mailbox_messages (desk_id, message_key) {
        desk_id -> Uuid,
        message_key -> Text,
        uid_validity -> Nullable<Int8>,
        uid -> Nullable<Int8>,
        sender -> Nullable<Text>,
        subject -> Nullable<Text>,
        outcome -> Text,
        reason -> Nullable<Text>,
        ticket_id -> Nullable<Uuid>,
        followup_id -> Nullable<Uuid>,
        notes -> Jsonb,
        received_at -> Timestamptz,
    }
}

diesel::table! {
    mailbox_answers (id) {
        id -> Uuid,
        desk_id -> Uuid,
        message_key -> Text,
        kind -> Text,
        to_address -> Text,
        locale -> Text,
        vars -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    survey_throttle (key) {
        key -> Text,
        window_start -> Timestamptz,
        hits -> Int4,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Uuid,
        url -> Text,
        description -> Nullable<Text>,
        events -> Array<Text>,
        secret -> Text,
        active -> Bool,
        consecutive_failures -> Int4,
        failing_since -> Nullable<Timestamptz>,
        disabled_at -> Nullable<Timestamptz>,
        disabled_reason -> Nullable<Text>,
        created_by_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        webhook_id -> Uuid,
        event_id -> Uuid,
        event_type -> Text,
        payload -> Jsonb,
        state -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        last_status_code -> Nullable<Int4>,
        last_error -> Nullable<Text>,
        last_attempt_at -> Nullable<Timestamptz>,
        delivered_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_allowed_hosts (host) {
        host -> Text,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(surveys -> tickets (ticket_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(survey_reminders -> surveys (survey_id));
diesel::joinable!(followups -> tickets (ticket_id));
diesel::joinable!(ticket_pauses -> tickets (ticket_id));
diesel::joinable!(sla_policies -> calendars (calendar_id));
diesel::joinable!(attachments -> tickets (ticket_id));
diesel::joinable!(attachments -> followups (followup_id));
diesel::joinable!(ticket_events -> tickets (ticket_id));
diesel::joinable!(tickets -> desks (desk_id));
diesel::joinable!(tickets -> catalog_nodes (service_id));
diesel::joinable!(desk_organizations -> desks (desk_id));
diesel::joinable!(desk_mailboxes -> desks (desk_id));
diesel::joinable!(desk_supervisors -> desks (desk_id));
diesel::joinable!(support_groups -> desks (desk_id));
diesel::joinable!(group_members -> support_groups (group_id));
diesel::joinable!(group_members -> users (user_id));
diesel::joinable!(catalog_nodes -> desks (desk_id));
diesel::joinable!(services -> catalog_nodes (node_id));
diesel::joinable!(services -> support_groups (responsible_group_id));
diesel::joinable!(service_routes -> support_groups (group_id));
diesel::joinable!(areas -> organizations (organization_id));
diesel::joinable!(locations -> organizations (organization_id));
diesel::joinable!(users -> organizations (organization_id));
diesel::joinable!(users -> areas (area_id));
diesel::joinable!(users -> locations (location_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    webhooks,
    webhook_deliveries,
    webhook_allowed_hosts,
    notifications,
    outbox,
    mail_templates,
    notification_opt_outs,
    organizations,
    areas,
    locations,
    users,
    refresh_tokens,
    api_tokens,
    login_throttle,
    desks,
    desk_organizations,
    desk_supervisors,
    support_groups,
    group_members,
    catalog_nodes,
    services,
    service_routes,
    tickets,
    followups,
    attachments,
    ticket_events,
    idempotency_keys,
    calendars,
    sla_policies,
    ticket_pauses,
    sla_rule_firings,
    jobs,
    desk_mailboxes,
    mailbox_messages,
    mailbox_answers,
    surveys,
    survey_reminders,
    survey_throttle,
);
