"""Case reviews: the register, statutory clocks, and the analysis records
(key practice episodes, findings, recommendations) of each review.

Services take a ``UnitOfWork`` (writes) or a ``Session`` (reads) and raise
``app.errors.InvalidInput`` with one readable message for bad input.
"""
