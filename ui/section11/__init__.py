"""The Section 11 area's widgets: cycle register, moderation, lines of enquiry, interview mode, heat map, letter."""
