"""The action tracker: actions from recommendations, audits and inspections to evidenced impact."""
