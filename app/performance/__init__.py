"""Performance data and Quality Assurance scrutiny: indicators as data, agency returns, SPC exceptions.

Only aggregate figures live here (counts, rates, percentages per agency and
quarter), never child-level data.
"""
