"""What the performance data area offers the others: exceptions as action sources, the quarter's
performance report for meeting packs, and its demo part."""

from __future__ import annotations

from app.contributions import ActionSourceKind, PackReport, ReportFilter, agency_filter, lazy, offer
from app.records.naming import register_kinds

offer(
    "performance",
    action_source=ActionSourceKind.of_records(
        "app.performance.action_source",
        "performance_exception",
        "Performance exception",
        "data",
        order=25,
        example="data:2026Q3/REF-REPEAT/CSC",
    ),
    pack_report=PackReport(
        "performance",
        "Performance data: exceptions and commentary",
        lazy("app.performance.reports:pack_flowables"),
        order=30,
        filters={"period": ReportFilter("Period (YYYY-MM or YYYY-Qn)"), "agency": agency_filter()},
        description="The quarter's exception list with commentary and SPC charts of the special-cause exceptions.",
    ),
    # before the meetings demo: the coming QA meeting's pack carries the quarter's exceptions
    demo_order=55,
)

# Record kinds in users' words, for counts, the audit log and conflicts
register_kinds(
    {
        "perf_indicator": "Indicator",
        "perf_definition_break": "Definition change",
        "perf_value": "Figure",
        "perf_comparator": "Comparator figure",
        "perf_exception": "Data exception",
        "perf_setting": "Data setting",
        "perf_annotation": "Chart annotation",
    },
    not_counted=("perf_setting",),
)
