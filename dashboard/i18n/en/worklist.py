"""Messages of the worklist panel of the records page."""

MESSAGES: dict[str, str] = {
    "worklist.title": "Hazard worklist",
    "worklist.caption": (
        "Hidden hazards not yet verified (closed) as of today, {today}: overdue first, then by deadline. "
        "Pick a hazard to see its file and move it along the closed loop."
    ),
    "worklist.signed_out": "Sign in to see the hazard worklist.",
    "worklist.count.todo": "Not yet closed",
    "worklist.count.overdue": "Overdue",
    "worklist.count.rectified": "Awaiting verification",
    "worklist.count.listed": "Listed for supervision",
    "worklist.count.exposed": "Publicly exposed",
    "worklist.view": "Show",
    "worklist.view.todo": "To do (not closed)",
    "worklist.view.closed": "Closed in the last 90 days",
    "worklist.search": "Enterprise",
    "worklist.search_hint": "Part of a name or credit code",
    "worklist.category": "Category",
    "worklist.severity": "Severity",
    "worklist.state": "State",
    "worklist.any": "Any",
    "worklist.overdue_only": "Overdue only",
    "worklist.listed_only": "Listed for supervision only",
    "worklist.listed_help": "Listed for supervision (挂牌督办): every major hazard is listed automatically.",
    "worklist.exposed_only": "Publicly exposed only",
    "worklist.exposed_help": (
        "Publicly exposed (公开曝光): staff mark a hazard for public exposure; the committee sees the mark "
        "here and in the enterprise's file."
    ),
    "worklist.mark.listed": "Listed",
    "worklist.mark.exposed": "Exposed",
    "worklist.due.overdue": "{days} days overdue",
    "worklist.due.today": "Due today",
    "worklist.due.left": "{days} days left",
    "worklist.due.awaiting": "To be verified",
    "worklist.due.closed": "Closed",
    "worklist.badge.listed": "Listed for supervision",
    "worklist.badge.exposed": "Publicly exposed",
    "worklist.col.id": "No.",
    "worklist.col.enterprise": "Enterprise",
    "worklist.col.category": "Category",
    "worklist.col.severity": "Severity",
    "worklist.col.state": "State",
    "worklist.col.deadline": "Deadline",
    "worklist.col.due": "Deadline status",
    "worklist.col.verified_on": "Verified on",
    "worklist.col.verified_by": "Verified by",
    "worklist.col.responsible": "Responsible",
    "worklist.col.marks": "Marks",
    "worklist.col.description": "Description",
    "worklist.empty": "No hazard matches these filters: nothing is waiting to be closed.",
    "worklist.empty_closed": "No hazard matching these filters was closed in the last 90 days.",
    "worklist.showing": "Hazards {first}–{last} of {total}",
    "worklist.page": "Page (of {pages})",
    "worklist.pick": "Hazard",
    "worklist.pick_help": "Select a row in the table, or choose the hazard here.",
    "worklist.gone": "This hazard no longer exists; pick another one.",
    "worklist.detail.title": "Hazard no. {id}",
    "worklist.detail.uscc": "Credit code",
    "worklist.detail.deadline": "{date} ({due})",
    "worklist.detail.funds": "Funds",
    "worklist.detail.fact": "{name}: {value}",
    "worklist.detail.inspection": "no. {id}, {date} ({tier})",
    "worklist.read_only": "Read only: your role can follow the hazards but not change them.",
    "worklist.read_only_help": "Staff and administrators record rectification, verification and public exposure.",
    "worklist.do.start_rectifying": "Start rectification",
    "worklist.do.stop_rectifying": "Stop rectification",
    "worklist.do.rectify": "Mark rectified",
    "worklist.do.verify": "Verify and close",
    "worklist.do.reopen": "Reopen",
    "worklist.do.expose": "Expose publicly",
    "worklist.do.withdraw": "Withdraw exposure",
    "worklist.explain.start_rectifying": (
        "The enterprise has started the rectification work; the deadline still applies."
    ),
    "worklist.explain.stop_rectifying": "The work has stopped and the hazard is open again. Say why.",
    "worklist.explain.rectify": (
        "The enterprise reports the hazard rectified. It stays on the list until someone verifies it on site."
    ),
    "worklist.explain.verify": "The rectification was checked on site: the hazard is closed (销号).",
    "worklist.explain.reopen": (
        "The hazard is open again; its rectification and verification dates are cleared (the audit trail keeps "
        "them). Say why."
    ),
    "worklist.explain.expose": (
        "Mark the hazard for public exposure (公开曝光). The committee sees the mark on the worklist and in the "
        "enterprise's file."
    ),
    "worklist.explain.withdraw": "Remove the public-exposure mark from this hazard.",
    "worklist.reason_hint.stop_rectifying": "e.g. the contractor withdrew; work resumes after the shutdown",
    "worklist.reason_hint.reopen": "e.g. the guard rail was removed again at the follow-up visit",
    "worklist.confirm.start_rectifying": "Yes, start rectification",
    "worklist.confirm.stop_rectifying": "Yes, stop rectification",
    "worklist.confirm.rectify": "Save as rectified",
    "worklist.confirm.verify": "Save verification and close",
    "worklist.confirm.reopen": "Reopen the hazard",
    "worklist.confirm.expose": "Yes, expose publicly",
    "worklist.confirm.withdraw": "Yes, withdraw exposure",
    "worklist.cancel": "Cancel",
    "worklist.not_saved": "Nothing was saved.",
    "worklist.denied": "Your role may not change hazards; nothing was saved.",
    "worklist.flash.start_rectifying": "Hazard no. {id}: rectification started.",
    "worklist.flash.stop_rectifying": "Hazard no. {id}: rectification stopped, the hazard is open again.",
    "worklist.flash.rectify": "Hazard no. {id} saved as rectified; it now awaits verification.",
    "worklist.flash.verify": "Hazard no. {id} verified and closed.",
    "worklist.flash.reopen": "Hazard no. {id} reopened.",
    "worklist.flash.expose": "Hazard no. {id} is marked as publicly exposed.",
    "worklist.flash.withdraw": "Hazard no. {id}: public exposure withdrawn.",
    "worklist.flash.stale": (
        "Not saved: {who} changed hazard no. {id} after you opened it. It is shown below as it now stands; "
        "check it and try again."
    ),
}
