"""section11: frameworks, cycles, returns, moderation, lines of enquiry, interviews, letters

Revision ID: 0006_section11
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_section11"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("section11",)
depends_on: str | Sequence[str] | None = None

TABLES = (
    "s11_letter",
    "s11_interview",
    "s11_evidence_file",
    "s11_enquiry",
    "s11_assessment",
    "s11_participant",
    "s11_standard",
    "s11_cycle",
    "s11_settings",
    "s11_framework",
    "s11_draft",
)


def _exchange_columns() -> list[sa.Column]:
    return [
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "s11_draft",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("interview_uuid", sa.String(length=36), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_s11_draft")),
    )
    with op.batch_alter_table("s11_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_draft_interview_uuid"), ["interview_uuid"], unique=False)
    op.create_table(
        "s11_framework",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version_label", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("based_on_uuid", sa.String(length=36), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        *_exchange_columns(),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_s11_framework")),
    )
    with op.batch_alter_table("s11_framework", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_framework_updated_stamp"), ["updated_stamp"], unique=False)
    op.create_table(
        "s11_settings",
        sa.Column("partnership_name", sa.String(length=200), nullable=False),
        sa.Column("letterhead", sa.Text(), nullable=False),
        sa.Column("signatory_name", sa.String(length=200), nullable=False),
        sa.Column("signatory_role", sa.String(length=200), nullable=False),
        *_exchange_columns(),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_s11_settings")),
    )
    with op.batch_alter_table("s11_settings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_settings_updated_stamp"), ["updated_stamp"], unique=False)
    op.create_table(
        "s11_cycle",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("framework_uuid", sa.String(length=36), nullable=False),
        sa.Column("scale_key", sa.String(length=40), nullable=False),
        sa.Column("return_due", sa.Date(), nullable=True),
        sa.Column("panel_date", sa.Date(), nullable=True),
        sa.Column("interview_from", sa.Date(), nullable=True),
        sa.Column("interview_to", sa.Date(), nullable=True),
        sa.Column("previous_cycle_uuid", sa.String(length=36), nullable=True),
        sa.Column("closed", sa.Boolean(), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["framework_uuid"], ["s11_framework.uuid"], name=op.f("fk_s11_cycle_framework_uuid_s11_framework")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_s11_cycle")),
    )
    with op.batch_alter_table("s11_cycle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_cycle_framework_uuid"), ["framework_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_cycle_updated_stamp"), ["updated_stamp"], unique=False)
    op.create_table(
        "s11_standard",
        sa.Column("framework_uuid", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("good_practice", sa.Text(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("evidence_prompts", sa.JSON(), nullable=False),
        sa.Column("lineage", sa.String(length=60), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["framework_uuid"], ["s11_framework.uuid"], name=op.f("fk_s11_standard_framework_uuid_s11_framework")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_s11_standard")),
    )
    with op.batch_alter_table("s11_standard", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_standard_framework_uuid"), ["framework_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_standard_lineage"), ["lineage"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_standard_updated_stamp"), ["updated_stamp"], unique=False)
    op.create_table(
        "s11_participant",
        sa.Column("cycle_uuid", sa.String(length=36), nullable=False),
        sa.Column("agency_uuid", sa.String(length=36), nullable=False),
        sa.Column("sector", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("status_changed_on", sa.Date(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("return_version", sa.Integer(), nullable=False),
        sa.Column("return_sha256", sa.String(length=64), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["cycle_uuid"], ["s11_cycle.uuid"], name=op.f("fk_s11_participant_cycle_uuid_s11_cycle")
        ),
        sa.ForeignKeyConstraint(["agency_uuid"], ["agency.uuid"], name=op.f("fk_s11_participant_agency_uuid_agency")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_s11_participant")),
    )
    with op.batch_alter_table("s11_participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_participant_cycle_uuid"), ["cycle_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_participant_agency_uuid"), ["agency_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_participant_updated_stamp"), ["updated_stamp"], unique=False)
    op.create_table(
        "s11_assessment",
        sa.Column("participant_uuid", sa.String(length=36), nullable=False),
        sa.Column("standard_uuid", sa.String(length=36), nullable=False),
        sa.Column("self_score", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("improvement", sa.Text(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("carried_forward", sa.Boolean(), nullable=False),
        sa.Column("moderated_score", sa.Integer(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("moderated_by", sa.String(length=200), nullable=False),
        sa.Column("moderated_on", sa.Date(), nullable=True),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["standard_uuid"], ["s11_standard.uuid"], name=op.f("fk_s11_assessment_standard_uuid_s11_standard")
        ),
        sa.ForeignKeyConstraint(
            ["participant_uuid"],
            ["s11_participant.uuid"],
            name=op.f("fk_s11_assessment_participant_uuid_s11_participant"),
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_s11_assessment")),
    )
    with op.batch_alter_table("s11_assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_assessment_participant_uuid"), ["participant_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_assessment_standard_uuid"), ["standard_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_assessment_updated_stamp"), ["updated_stamp"], unique=False)
    op.create_table(
        "s11_enquiry",
        sa.Column("participant_uuid", sa.String(length=36), nullable=False),
        sa.Column("standard_uuid", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("reason_text", sa.Text(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.Column("question_asked", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("evidence_promised", sa.Text(), nullable=False),
        sa.Column("evidence_due", sa.Date(), nullable=True),
        sa.Column("judgement", sa.Integer(), nullable=True),
        sa.Column("judgement_note", sa.Text(), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["participant_uuid"], ["s11_participant.uuid"], name=op.f("fk_s11_enquiry_participant_uuid_s11_participant")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_s11_enquiry")),
    )
    with op.batch_alter_table("s11_enquiry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_enquiry_participant_uuid"), ["participant_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_enquiry_updated_stamp"), ["updated_stamp"], unique=False)
    op.create_table(
        "s11_evidence_file",
        sa.Column("participant_uuid", sa.String(length=36), nullable=False),
        sa.Column("standard_uuid", sa.String(length=36), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["participant_uuid"],
            ["s11_participant.uuid"],
            name=op.f("fk_s11_evidence_file_participant_uuid_s11_participant"),
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_s11_evidence_file")),
    )
    with op.batch_alter_table("s11_evidence_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_evidence_file_participant_uuid"), ["participant_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_evidence_file_updated_stamp"), ["updated_stamp"], unique=False)
    op.create_table(
        "s11_interview",
        sa.Column("participant_uuid", sa.String(length=36), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=True),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("challenges", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["participant_uuid"],
            ["s11_participant.uuid"],
            name=op.f("fk_s11_interview_participant_uuid_s11_participant"),
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_s11_interview")),
    )
    with op.batch_alter_table("s11_interview", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_interview_participant_uuid"), ["participant_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_interview_updated_stamp"), ["updated_stamp"], unique=False)
    op.create_table(
        "s11_letter",
        sa.Column("participant_uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issued_by", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("docx", sa.LargeBinary(), nullable=True),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["participant_uuid"], ["s11_participant.uuid"], name=op.f("fk_s11_letter_participant_uuid_s11_participant")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_s11_letter")),
    )
    with op.batch_alter_table("s11_letter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_s11_letter_participant_uuid"), ["participant_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_s11_letter_updated_stamp"), ["updated_stamp"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
