"""reviews: case reviews, chronology entries, episodes, findings, recommendations, glossary, duplicates

Revision ID: 0002_reviews
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_reviews"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("reviews",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review",
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("subject_pseudonym", sa.String(length=120), nullable=False),
        sa.Column("subject_dob", sa.Date(), nullable=True),
        sa.Column("scope_from", sa.Date(), nullable=True),
        sa.Column("scope_to", sa.Date(), nullable=True),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("lead_reviewers", sa.Text(), nullable=False),
        sa.Column("participating_agencies", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("incident_known_on", sa.Date(), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("milestones", sa.JSON(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_review")),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_reference"), ["reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_updated_stamp"), ["updated_stamp"], unique=False)

    op.create_table(
        "chronology_entry",
        sa.Column("review_uuid", sa.String(length=36), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("start_date", sa.String(length=16), nullable=False),
        sa.Column("date_key", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.String(length=8), nullable=True),
        sa.Column("end_date", sa.String(length=16), nullable=True),
        sa.Column("end_time", sa.String(length=8), nullable=True),
        sa.Column("agency_uuid", sa.String(length=36), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("child_seen", sa.Boolean(), nullable=True),
        sa.Column("child_voice", sa.Boolean(), nullable=True),
        sa.Column("child_voice_note", sa.Text(), nullable=False),
        sa.Column("action_outcome", sa.Text(), nullable=False),
        sa.Column("agency_analysis", sa.Text(), nullable=False),
        sa.Column("reviewer_comment", sa.Text(), nullable=False),
        sa.Column("significant", sa.Boolean(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("imported_from", sa.String(length=300), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["agency_uuid"], ["agency.uuid"], name=op.f("fk_chronology_entry_agency_uuid_agency")),
        sa.ForeignKeyConstraint(["review_uuid"], ["review.uuid"], name=op.f("fk_chronology_entry_review_uuid_review")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_chronology_entry")),
    )
    with op.batch_alter_table("chronology_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chronology_entry_review_order"),
            ["review_uuid", "date_key", "start_time", "sequence"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_chronology_entry_updated_stamp"), ["updated_stamp"], unique=False)

    op.create_table(
        "glossary_term",
        sa.Column("review_uuid", sa.String(length=36), nullable=False),
        sa.Column("real_text", sa.String(length=300), nullable=False),
        sa.Column("replacement", sa.String(length=120), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["review_uuid"], ["review.uuid"], name=op.f("fk_glossary_term_review_uuid_review")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_glossary_term")),
    )
    with op.batch_alter_table("glossary_term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_glossary_term_review_uuid"), ["review_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_glossary_term_updated_stamp"), ["updated_stamp"], unique=False)

    op.create_table(
        "key_practice_episode",
        sa.Column("review_uuid", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_uuid"], ["review.uuid"], name=op.f("fk_key_practice_episode_review_uuid_review")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_key_practice_episode")),
    )
    with op.batch_alter_table("key_practice_episode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_key_practice_episode_review_uuid"), ["review_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_key_practice_episode_updated_stamp"), ["updated_stamp"], unique=False)

    op.create_table(
        "duplicate_link",
        sa.Column("review_uuid", sa.String(length=36), nullable=False),
        sa.Column("entry_a", sa.String(length=36), nullable=False),
        sa.Column("entry_b", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_a"], ["chronology_entry.uuid"], name=op.f("fk_duplicate_link_entry_a_chronology_entry")
        ),
        sa.ForeignKeyConstraint(
            ["entry_b"], ["chronology_entry.uuid"], name=op.f("fk_duplicate_link_entry_b_chronology_entry")
        ),
        sa.ForeignKeyConstraint(["review_uuid"], ["review.uuid"], name=op.f("fk_duplicate_link_review_uuid_review")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_duplicate_link")),
    )
    with op.batch_alter_table("duplicate_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_link_entry_a"), ["entry_a"], unique=False)
        batch_op.create_index(batch_op.f("ix_duplicate_link_entry_b"), ["entry_b"], unique=False)
        batch_op.create_index(batch_op.f("ix_duplicate_link_review_uuid"), ["review_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_duplicate_link_updated_stamp"), ["updated_stamp"], unique=False)

    op.create_table(
        "entry_episode_link",
        sa.Column("entry_uuid", sa.String(length=36), nullable=False),
        sa.Column("episode_uuid", sa.String(length=36), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_uuid"], ["chronology_entry.uuid"], name=op.f("fk_entry_episode_link_entry_uuid_chronology_entry")
        ),
        sa.ForeignKeyConstraint(
            ["episode_uuid"],
            ["key_practice_episode.uuid"],
            name=op.f("fk_entry_episode_link_episode_uuid_key_practice_episode"),
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_entry_episode_link")),
    )
    with op.batch_alter_table("entry_episode_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_episode_link_entry_uuid"), ["entry_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_episode_link_episode_uuid"), ["episode_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_episode_link_updated_stamp"), ["updated_stamp"], unique=False)

    op.create_table(
        "finding",
        sa.Column("review_uuid", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("episode_uuid", sa.String(length=36), nullable=True),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_uuid"], ["key_practice_episode.uuid"], name=op.f("fk_finding_episode_uuid_key_practice_episode")
        ),
        sa.ForeignKeyConstraint(["review_uuid"], ["review.uuid"], name=op.f("fk_finding_review_uuid_review")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_finding")),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_review_uuid"), ["review_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_updated_stamp"), ["updated_stamp"], unique=False)

    op.create_table(
        "recommendation",
        sa.Column("review_uuid", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("finding_uuid", sa.String(length=36), nullable=True),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_uuid"], ["finding.uuid"], name=op.f("fk_recommendation_finding_uuid_finding")
        ),
        sa.ForeignKeyConstraint(["review_uuid"], ["review.uuid"], name=op.f("fk_recommendation_review_uuid_review")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_recommendation")),
    )
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recommendation_review_uuid"), ["review_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_recommendation_updated_stamp"), ["updated_stamp"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_updated_stamp"))
        batch_op.drop_index(batch_op.f("ix_recommendation_review_uuid"))

    op.drop_table("recommendation")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_updated_stamp"))
        batch_op.drop_index(batch_op.f("ix_finding_review_uuid"))

    op.drop_table("finding")
    with op.batch_alter_table("entry_episode_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_episode_link_updated_stamp"))
        batch_op.drop_index(batch_op.f("ix_entry_episode_link_episode_uuid"))
        batch_op.drop_index(batch_op.f("ix_entry_episode_link_entry_uuid"))

    op.drop_table("entry_episode_link")
    with op.batch_alter_table("duplicate_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_link_updated_stamp"))
        batch_op.drop_index(batch_op.f("ix_duplicate_link_review_uuid"))
        batch_op.drop_index(batch_op.f("ix_duplicate_link_entry_b"))
        batch_op.drop_index(batch_op.f("ix_duplicate_link_entry_a"))

    op.drop_table("duplicate_link")
    with op.batch_alter_table("key_practice_episode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_practice_episode_updated_stamp"))
        batch_op.drop_index(batch_op.f("ix_key_practice_episode_review_uuid"))

    op.drop_table("key_practice_episode")
    with op.batch_alter_table("glossary_term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_glossary_term_updated_stamp"))
        batch_op.drop_index(batch_op.f("ix_glossary_term_review_uuid"))

    op.drop_table("glossary_term")
    with op.batch_alter_table("chronology_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chronology_entry_updated_stamp"))
        batch_op.drop_index(batch_op.f("ix_chronology_entry_review_order"))

    op.drop_table("chronology_entry")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_updated_stamp"))
        batch_op.drop_index(batch_op.f("ix_review_reference"))

    op.drop_table("review")
