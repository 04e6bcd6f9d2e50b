"""Messages of the monthly meeting briefing (the document and its page)."""

MESSAGES: dict[str, str] = {
    "briefing.page.month": "Month",
    "briefing.page.language": "Language of the document",
    "briefing.page.computing": "Preparing the briefing: three evaluations of every enterprise…",
    "briefing.page.caption": "Figures as of {closing}, compared with {previous} and with {last_year}.",
    "briefing.page.download_pdf": "Download PDF",
    "briefing.page.download_xlsx": "Download XLSX",
    "briefing.title": "Work Safety Briefing · {month}",
    "briefing.pdf.subtitle": "{park} · figures as of {date} · prepared on {generated}",
    "briefing.pdf.page_css": '"Page " counter(page) " of " counter(pages)',
    "briefing.pdf.more_rows": "The first {shown} of {total} rows; the XLSX version lists them all.",
    "briefing.points": "{value} pp",
    "briefing.yes": "Yes",
    "briefing.no": "No",
    "briefing.list_separator": "; ",
    "briefing.names_more": "{names} and {more} more",

    "briefing.section.summary": "1. The month at a glance",
    "briefing.section.hazards": "2. Hidden hazards: investigation and rectification",
    "briefing.section.hazard_list": "3. Overdue hazards and hazards listed for supervision",
    "briefing.section.colours": "4. Four-colour risk",
    "briefing.section.accidents": "5. Accidents against the yearly target",
    "briefing.section.enforcement": "6. Enforcement",
    "briefing.section.loans": "7. Loan support",
    "briefing.section.at_risk": "8. The {count} enterprises most at risk",
    "briefing.section.work": "9. Work items for the coming month",
    "briefing.sheet.summary": "Summary",
    "briefing.sheet.hazards": "Hazards",
    "briefing.sheet.hazard_list": "Overdue and listed",
    "briefing.sheet.colours": "Four-colour risk",
    "briefing.sheet.accidents": "Accidents",
    "briefing.sheet.enforcement": "Enforcement",
    "briefing.sheet.loans": "Loan support",
    "briefing.sheet.at_risk": "Most at risk",
    "briefing.sheet.work": "Work items",

    "briefing.column.figure": "Figure",
    "briefing.column.change_previous": "Change on previous month",
    "briefing.column.change_last_year": "Change on a year earlier",
    "briefing.column.category_of": "{kind}",
    "briefing.kind.risk_colour": "Risk colour",
    "briefing.kind.enforcement_action": "Action",
    "briefing.kind.loan_status": "Loan status",
    "briefing.column.month": "Month",
    "briefing.column.found": "Found",
    "briefing.column.closed": "Closed (verified)",
    "briefing.column.enterprise": "Enterprise",
    "briefing.column.hazard_id": "Hazard no.",
    "briefing.column.category": "Category",
    "briefing.column.severity": "Severity",
    "briefing.column.listed": "Listed",
    "briefing.column.found_on": "Found on",
    "briefing.column.responsible": "Responsible person",
    "briefing.column.deadline": "Deadline",
    "briefing.column.state": "State on {date}",
    "briefing.column.days_overdue": "Days overdue",
    "briefing.column.photo": "Latest photo",
    "briefing.column.verified_on": "Verified on",
    "briefing.column.score": "Score",
    "briefing.column.grade": "Grade",
    "briefing.column.level": "Level",
    "briefing.column.accidents": "Accidents",
    "briefing.column.occurred_on": "Date",
    "briefing.column.deaths": "Deaths",
    "briefing.column.injuries": "Serious injuries",
    "briefing.column.loss": "Direct loss",
    "briefing.column.four_not": "Four not letting go complete",
    "briefing.column.decided_on": "Decided on",
    "briefing.column.action": "Action",
    "briefing.column.fine": "Fine",
    "briefing.column.lifted_on": "Lifted on",
    "briefing.column.note": "Note",
    "briefing.column.rank": "Rank",
    "briefing.column.industry": "Industry",
    "briefing.column.colour": "Risk colour",
    "briefing.column.loan_status": "Loan status",
    "briefing.column.open": "Open hazards",
    "briefing.column.overdue": "Overdue",
    "briefing.column.major": "Major",
    "briefing.column.main_deductions": "Main deductions",
    "briefing.column.number": "No.",
    "briefing.column.work_item": "Work item",
    "briefing.column.enterprises": "Enterprises concerned",

    "briefing.figure.enterprises": "Enterprises in the park",
    "briefing.figure.signage_compliant": "Enterprises with a valid publicity board",
    "briefing.figure.signage_rate": "Signage compliance",
    "briefing.figure.found": "Hazards found in the month",
    "briefing.figure.rectified": "Hazards rectified in the month",
    "briefing.figure.rectified_on_time": "… of which by their deadline",
    "briefing.figure.verified": "Hazards verified and closed in the month",
    "briefing.figure.month_on_time": "On-time rectification in the month",
    "briefing.figure.on_time_365": "On-time rectification, last 365 days",
    "briefing.figure.open": "Open hazards at month end",
    "briefing.figure.overdue": "Overdue hazards at month end",
    "briefing.figure.major": "Major hazards not closed at month end",
    "briefing.figure.listed_open": "Hazards listed for supervision, not closed",
    "briefing.figure.listed_new": "Hazards newly listed for supervision",
    "briefing.figure.listed_closed": "Listed hazards closed in the month",
    "briefing.figure.accidents": "Accidents in the month",
    "briefing.figure.accidents_this_year": "Accidents this year to month end",
    "briefing.figure.enforcement": "Enforcement decisions in the month",
    "briefing.figure.red": "Red (major risk) enterprises",
    "briefing.figure.ineligible": "Enterprises not supported for loans",

    "briefing.summary.in_progress": "The month is not over: its figures are counted up to {date}, "
                                   "and those of the months compared up to the same day.",
    "briefing.summary.lead": "In {month} the park's {enterprises} enterprises found {found} hidden hazards, rectified "
                             "{rectified} and verified and closed {verified}. At month end {open} hazards were open, "
                             "{overdue} of them overdue, and {major} major hazards were not yet closed.",
    "briefing.summary.accidents": "{accidents} accidents happened in the month; {year} this year against a yearly "
                                  "target of {target}.",
    "briefing.summary.accidents_no_target": "{accidents} accidents happened in the month; {year} this year (no "
                                            "yearly target is set).",
    "briefing.summary.risk": "{red} enterprises are red (major risk) and {orange} orange; {ineligible} are not "
                             "supported for loans; signage compliance is {signage}.",
    "briefing.hazards.lead": "{listed} hazards listed for supervision were not closed at month end; {new} were newly "
                             "listed and {closed} closed during the month.",
    "briefing.hazards.trend_title": "Hazards found and closed per month",
    "briefing.hazard_list.lead": "{overdue} hazards were overdue on {date}, and {listed} hazards listed for "
                                 "supervision were open or closed during the month. Listed hazards first, then the "
                                 "longest overdue.",
    "briefing.hazard_list.photos": "Photos: the latest photo after rectification uploaded by {date}, or if there is "
                              "none the latest photo as found; dated the day it was uploaded.",
    "briefing.hazard_list.none": "No hazard was overdue or listed for supervision.",
    "briefing.colours.lead": "On {date}: {red} red, {orange} orange, {yellow} yellow and {blue} blue enterprises. "
                             "{changed} enterprises changed colour since {previous}.",
    "briefing.colours.changes_title": "Enterprises whose colour changed since {previous}",
    "briefing.colours.no_changes": "No enterprise changed colour.",
    "briefing.accidents.total": "Total this year",
    "briefing.accidents.target": "Yearly target",
    "briefing.accidents.lead": "{year} accidents this year against a yearly target of {target} ({share} of it). "
                               "In the month: {accidents} accidents, {deaths} deaths, {injuries} serious injuries.",
    "briefing.accidents.lead_no_target": "{year} accidents this year; no yearly target is set. In the month: "
                                         "{accidents} accidents.",
    "briefing.accidents.by_level_title": "Accidents in {year} by level",
    "briefing.accidents.month_title": "Accidents in {month}",
    "briefing.accidents.none": "No accident happened in the month.",
    "briefing.enforcement.lead": "{total} enforcement decisions in the month ({previous} the month before).",
    "briefing.enforcement.month_title": "Enforcement decisions in {month}",
    "briefing.enforcement.none": "No enforcement decision in the month.",
    "briefing.loans.lead": "On {date}: {ineligible} enterprises not supported, {conditional} conditional and "
                           "{eligible} eligible. {changed} enterprises changed status since {previous}.",
    "briefing.loans.changes_title": "Enterprises whose loan status changed since {previous}",
    "briefing.loans.no_changes": "No enterprise changed loan status.",
    "briefing.at_risk.lead": "Ranked by four-colour risk, then by the lowest score. The main deductions are the "
                             "causes that cost the most points.",
    "briefing.at_risk.deduction": "−{points}: {reason}",
    "briefing.at_risk.none": "No enterprise in the park.",

    "briefing.work.none": "The month's data raise no work item.",
    "briefing.work.major_hazards": "Supervise the {count} hazards listed for supervision that are not closed "
                                   "({overdue} overdue) until they are rectified, verified and closed: {names}.",
    "briefing.work.long_overdue": "Summon the principals over the {count} hazards overdue by more than {days} "
                                  "days and set each a final deadline: {names}.",
    "briefing.work.overdue": "Chase the {count} hazards overdue by up to {days} days: {names}.",
    "briefing.work.turned_red": "Put the {count} enterprises that turned red this month under close supervision: "
                                "{names}.",
    "briefing.work.four_not_letting_go": "Complete the \"four not letting go\" for {count} accidents at "
                                         "{enterprises} enterprises: {names}.",
    "briefing.work.accidents_over_target": "This year's {count} accidents exceed the yearly target of {target}: "
                                           "organise a special rectification campaign.",
    "briefing.work.accidents_near_target": "This year's {count} accidents are close to the yearly target of "
                                           "{target}: step up accident prevention.",
    "briefing.work.no_publicity_board": "{count} enterprises have no valid safety publicity board: have one put "
                                        "up or repaired and checked: {names}.",
    "briefing.work.licences_lapsed": "{count} enterprises lack a valid licence: stop the licensed activity until "
                                     "renewed: {names}.",
    "briefing.work.licences_expiring": "{count} licences expire within {days} days: remind the enterprises to "
                                       "renew: {names}.",
    "briefing.work.suspended": "Check the {count} suspended enterprises' rectification before any resumption: "
                               "{names}.",
    "briefing.work.no_self_inspection": "{count} enterprises recorded no self-inspection in {days} days: require "
                                        "one: {names}.",
    "briefing.work.became_ineligible": "Tell the banks about the {count} enterprises no longer supported for "
                                       "loans: {names}.",
    "briefing.work.signs_due": "Re-check the {count} safety signs not checked within {days} days.",

    "briefing.chart.colour": "Risk colour",
    "briefing.chart.enterprises": "Enterprises",
    "briefing.chart.colours_title": "Four-colour risk distribution",
    "briefing.chart.found": "Found",
    "briefing.chart.closed": "Closed (verified)",
    "briefing.chart.trend_title": "Hazards found and closed per month",
}
