"""The coaching core: self-assessments, reflective exercises, weekly prompts, history and data rights.

Slack-free: a user is an opaque id such as "slack:T123:U456". Every service takes a unit of work (`db.uow()`
from bot.storage.open_database) and opens its own transaction(s) in it; errors are CoachError subclasses:
InvalidInputError (with `.field`) for bad input, nothing stored; StorageUnavailableError (retryable) when the
database cannot be reached, nothing stored.

    from bot.storage import open_database
    db = open_database(get_settings())                 # migrates to the latest schema

Self-assessment (bot.coaching.assessments)
    submit_assessment(db.uow(), user_id, {"listening": 3, ...}, notes=None, submission_key=None, source="slack")
        -> SubmissionResult(submission, created); the same key again returns the first submission, created=False.
Reflective exercises (bot.coaching.exercises, bot.coaching.reflection)
    exercise_library() -> ExerciseLibrary (ids, get(id) raises InvalidInputError(field="exercise"))
    start_or_resume_exercise(db.uow(), library, user_id, exercise_id=None) -> ExerciseProgress
    answer_step(db.uow(), library, user_id, session_id, answer, step_id=None) -> ExerciseProgress
    exercise_feedback(progress, retriever) -> ExerciseFeedback(text, citations, passages, attribute_ids)
Weekly prompts (bot.coaching.weekly, bot.coaching.scheduler)
    subscribe(db.uow(), user_id, day="monday", at="09:00", timezone=None), unsubscribe(...), subscription_status(...)
    snooze(db.uow(), user_id, until, week=None): a sent prompt comes back once at `until` (never twice)
    skip_week(db.uow(), user_id, week=None) -> Delivery: that ISO week's prompt is not sent (again)
    run_due(db.uow(), deliver, library, now=None) -> RunReport; deliver(WeeklyPrompt) raises to signal failure.
History (bot.coaching.history, bot.coaching.chart)
    history_summary(db.uow(), user_id) -> HistorySummary; format_history(summary) -> str (plain text: escape it)
    render_history_chart(summary, path=None) -> PNG bytes
    chart_fingerprint(summary) -> str; published_chart(db.uow(), user_id) -> PublishedChart | None;
    remember_published_chart(db.uow(), user_id, fingerprint, ref) -> superseded refs | None: re-publish a chart
    only when ratings change; published_charts(db.uow(), user_id): every copy, for erasure
Privacy notice (bot.coaching.privacy_notice): a notice, not consent (the basis is COACH_LAWFUL_BASIS)
    privacy_notice(settings) -> str; notice_gaps(settings) -> settings it still lacks
    record_notice_shown(db.uow(), user_id, actor=None), notice_shown(db.uow(), user_id)
Data rights (bot.coaching.data_rights)
    export_user_data(db.uow(), user_id, actor=None) -> dict; export_json(dict); ratings_csv(dict)
    erase_user(db.uow(), user_id, pseudonym_secret(settings), actor=None) -> {table: rows deleted}
Uploaded files and erasure that reaches them (bot.coaching.uploads)
    record_upload(db.uow(), user_id, ref, kind, filename) -> bool (False for an unknown user: delete the file)
    erase_with_files(db.uow, user_id, secret, remove) -> ErasureReport(rows, files_deleted, files_left); `remove`
        deletes one file where it was uploaded (Slack: bot.slack.uploads.SlackFileRemover) or is None
    purge_old(db.uow(), settings.retention_days, turn_retention_days=settings.turn_retention_days)
        -> {what: rows purged}
    purge_old_daily(db.uow(), settings.retention_days) -> dict | None (once a UTC day across processes; call it
        from any periodic loop to make retention automatic)
Conversation memory and feedback (bot.coaching.conversation)
    append_turn(uow, conversation_id, role, content, user_id=None, answered=None)
    recent_turns(uow, conversation_id, user_id, 10)  (keyed by conversation AND person)
    `uow` is any bot.coaching.unit_of_work.UnitOfWork: db.uow() or MemoryStore().uow() (bot.coaching.memory_uow)
    record_feedback(db.uow(), user_id, answer_id, helpful, comment=None, conversation_id=None)
    set_profile(db.uow(), user_id, timezone=None, cohort=None, role=None, actor=None): role and cohort changes
        audited with old and new values
Accountability (bot.coaching.accountability): every audit entry names its actor, who acted on the subject's
data. `actor=None` means the person themselves (Slack); the CLI passes its operator ("operator:<OS account>").
    record_action(db.uow(), actor, subject, action, detail=None); audit_trail(db.uow(), subject=..., actor=...)
Programme managers (bot.coaching.roles, bot.coaching.managers_view)
    grant_manager(db.uow(), by, user_id, cohorts=()), revoke_manager(db.uow(), by, user_id): `by` is
        roles.operator("operator:…") at the CLI or Administrator(person, admins) in Slack; others are refused
    managers_view(db.uow(), user_id, min_group=…, period=…, epsilon=…) -> ManagersView: the published group figures
        that include the person, who can see them, the rules in plain language (publishes nothing)
Programme data (bot.coaching.demo_data, bot.coaching.rating_import)
    generate(library, people=300, months=18, cohorts=6, seed=1, until=None) -> DemoProgramme
    load_demo(db.uow(), programme, actor=…, force=False) -> DemoReport; remove_demo(db.uow())
    import_ratings(db.uow(), csv_bytes, actor=…, secret=…) -> ImportReport (all or nothing, idempotent)
Slack retry dedup: db.claim_event(key) -> bool (True only the first time, across processes).
"""
