"""Meetings of the board and subgroups: agendas, papers, packs, meeting mode and minutes."""
