"""Section 11 audits and the Chair's support-and-challenge interviews (no Qt here).

Service API for the GUI (stable names; reads take a `Session` from
`workspace.reading()`, writes a `UnitOfWork` through `context.write(...)`;
read results are plain dataclasses). Writes that create a record return it: take
what you need (e.g. `.uuid`) inside the work function, since the record is
detached once the unit of work ends. Call `ensure_shipped(uow)` once when the
area opens so the two shipped frameworks exist.

Frameworks and scales (`frameworks`, `scales`)
    list_frameworks(session) -> [FrameworkView]        (FrameworkView.standards: [StandardView])
    ensure_shipped(uow)                                 install the two shipped frameworks
    add_standard(uow, framework_uuid, title=, ...) / edit_standard(uow, standard_uuid, ...) /
    retire_standard(uow, standard_uuid, retired=True) / copy_framework(uow, framework_uuid, version_label=)
    all_scales() -> [Scale]; get_scale(key) -> Scale   Scale.levels, .label(v), .short(v), .rag(v), .parse(text)
    rag_label(rag) ; RAG_COLOURS[rag]                  colour + text, never colour alone

Cycles and the register (`cycles`, `status`)
    list_cycles(session) -> [CycleView]; cycle_view(session, cycle_uuid) -> CycleView
    add_cycle(uow, name=, period_start=, period_end=, framework=, scale_key=, return_due=, panel_date=,
              interview_from=, interview_to=, agencies=[names]) ; edit_cycle(uow, cycle_uuid, **changes)
    cycle_register(session, cycle_uuid, today=None) -> [RegisterRow]   status, late, next step per agency
    add_participant(uow, cycle_uuid, agency_uuid, sector=None) / remove_participant(uow, participant_uuid) /
    set_sector(uow, participant_uuid, sector) / set_status(uow, participant_uuid, status)
    status.STATUSES, status.STATUS_LABELS, status.NEXT_STEP

Returns (`returns`)
    template_bytes(session, participant_uuid) -> bytes (XLSX); template_filename(session, participant_uuid);
    mark_sent(uow, participant_uuid)
    import_return(uow, cycle_uuid, path, dry_run=False) -> ReturnImportResult
    read_completed_return(session, cycle_uuid, data, source_name) then apply_preview(uow, preview): the GUI's
        two steps (show preview.report / preview.changes, then write)
    evidence_files(session, participant_uuid) -> [(uuid, filename, size, standard_uuid)]
    attach_evidence(uow, participant_uuid, path, standard_uuid=None) ; evidence_content(session, file_uuid)

Moderation (`moderation`)
    assessment_rows(session, participant_uuid) -> [AssessmentRow]  self, moderated, RAG, last cycle, evidence
    moderate(uow, participant_uuid, standard_uuid, score|None, rationale, moderated_by=)
    record_self_assessment(uow, participant_uuid, standard_uuid, score=, evidence=, impact=, improvement=,
                           target_date=)
    rationale_needed(self_score, moderated_score) -> bool

Lines of enquiry (`enquiry`)
    lines_of_enquiry(session, participant_uuid) -> [EnquiryLine]
    suggest_lines(uow, participant_uuid) -> int ; add_line(uow, participant_uuid, prompt, standard_uuid=None)
    remove_line(uow, enquiry_uuid) ; move_line(uow, enquiry_uuid, -1|+1) ; reorder_lines(uow, participant_uuid, [uuids])

Interview (`interview`)
    interview_record(session, participant_uuid) -> InterviewRecord | None   (drafts laid over; .lines; .actions)
    book_interview(uow, participant_uuid, on=, start_time=, place=, attendees=[Attendee|dict])
    check_attendees([Attendee|dict]) -> [dict]   AttendeeProblem(.row from 1, .field) names the first bad row
    proposed_attendees(session, participant_uuid, member_name, member_role) -> [Attendee]  for a first booking
    update_interview(uow, interview_uuid, scheduled_on=, start_time=, place=, attendees=, notes=, strengths=,
                     challenges=)
    record_line(uow, enquiry_uuid, question_asked=, answer=, evidence_promised=, evidence_due=, judgement=,
                judgement_note=)
    save_draft(uow, interview_uuid, record_uuid, field, text)   AUTOSAVE: call on every change (one committed
        row, about 30 ms on the shared test machine; coalesce bursts with a short single-shot timer);
        record_uuid is the interview's uuid for notes/strengths/challenges/place, or a line's uuid for
        question_asked/answer/evidence_promised/judgement_note
    commit_drafts(uow, interview_uuid) -> int ; discard_drafts(uow, interview_uuid)
    mark_held(uow, interview_uuid, held_on=None)
    agree_action(uow, participant_uuid, title=, due=, enquiry_uuid=None, lead_officer=, success_measure=) -> ref
    agreed_actions(session, participant_uuid) -> [LinkedAction]

Letters (`letters`)
    letter_settings(session) -> LetterSettings ; save_letter_settings(uow, **fields)
    current_letter(session, participant_uuid) -> LetterView | None
    draft_letter(uow, participant_uuid) -> LetterView ; edit_letter(uow, letter_uuid, sections={...})
    letter_pdf(session, letter_uuid) -> bytes ; letter_docx(session, letter_uuid) -> bytes
    issue_letter(uow, letter_uuid, issued_by=) -> LetterView (frozen, hash audited) ;
    reissue_letter(uow, participant_uuid) ; letters_of(session, participant_uuid) -> [LetterView] newest first ;
    regenerate_letter(uow, letter_uuid) ; SECTIONS, SECTION_TITLES (the editable parts, in order)

Charts and reports (`charts`, `reports`)
    heat_map_data(session, cycle_uuid) -> HeatMap ; heat_map_figure(heat, width_mm=170) -> Figure
    self_vs_moderated(session, cycle_uuid) -> [SelfModeratedRow] ; self_vs_moderated_figure(rows, cycle_name)
    year_on_year(session, cycle_uuid) -> [YearOnYearRow] ; year_on_year_figure(rows, cycle_name, by="agency"|"standard")
    sector_summary(session, cycle_uuid) -> [SectorRow]
    figure_png / figure_svg / figure_flowable from app.office.vector_charts (figures use no GUI backend: draw
        them in a worker, show the PNG in a QLabel or the SVG in a QSvgWidget)
    cycle_report_xlsx(session, cycle_uuid) -> bytes ; cycle_report_pdf(session, cycle_uuid) -> bytes
    Files the user saves go through app.store.user_files.write_user_file(path, data, overwrite=...).
"""
