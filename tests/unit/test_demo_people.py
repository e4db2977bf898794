"""The demo's people are the same people in every area, so a trial user is not told two stories."""

from __future__ import annotations

from sqlalchemy import select

from app.actions.queries import list_actions
from app.exchange.contacts import list_contacts
from app.meetings.service import list_meetings
from app.store.workspace import Workspace
from db.models.reviews import Review


def test_the_chair_and_lead_reviewer_are_the_same_people_in_every_area(demo_workspace: Workspace) -> None:
    with demo_workspace.reading() as session:
        by_role = {contact.role: contact.display_name for contact in list_contacts(session)}
        chairs = {row.chair for row in list_meetings(session)}
        reviewers = {review.lead_reviewers for review in session.scalars(select(Review))}
        approvers = {row.approved_by for row in list_actions(session) if row.approved_by}
    chair, lead_reviewer = by_role["Independent Chair"], by_role["Independent lead reviewer"]
    assert chairs == {chair}
    assert any(lead_reviewer in text for text in reviewers)
    assert all(chair in approver for approver in approvers)


def test_a_closed_action_names_its_meeting_without_repeating_the_date_beside_it(demo_workspace: Workspace) -> None:
    with demo_workspace.reading() as session:
        meetings = {row.approved_at_meeting for row in list_actions(session) if row.approved_by}
    assert meetings and not any(any(ch.isdigit() for ch in meeting) for meeting in meetings)
