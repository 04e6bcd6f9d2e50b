"""Messages of the imports panel of the records page."""

MESSAGES: dict[str, str] = {
    "imports.title": "Bulk import and export",
    "imports.intro": (
        "Upload a CSV (UTF-8 or GBK) or XLSX file of one table, up to 10 MB. Headers are the column names of "
        "the sample files, in English or Chinese; records of an enterprise name it by its unified social credit "
        "code (uscc column). The whole file is checked first and nothing is written unless every row is valid; "
        "an enterprise whose credit code already exists is updated."
    ),
    "imports.table": "Table",
    "imports.table.enterprise": "Enterprises",
    "imports.table.safety_sign": "Safety signs",
    "imports.table.inspection": "Inspections",
    "imports.table.hazard": "Hazards",
    "imports.table.accident": "Accidents",
    "imports.table.training": "Training",
    "imports.table.enforcement": "Enforcement",
    "imports.samples": "Sample files",
    "imports.sample_csv": "Sample CSV",
    "imports.sample_xlsx": "Sample XLSX (Chinese headers)",
    "imports.export": "Export current records",
    "imports.export_csv": "Export CSV",
    "imports.export_xlsx": "Export XLSX",
    "imports.file": "File to import",
    "imports.file_help": "A .csv or .xlsx file of the table chosen above; the first row holds the column names.",
    "imports.refused": (
        "The file cannot be imported: {problems} problem(s) found, in {rows} row(s). Nothing has been written; "
        "correct the file and upload it again."
    ),
    "imports.problem_row": "Row",
    "imports.ready": (
        "The file is valid: {rows} row(s) — {create} to create, {update} to update, {unchanged} unchanged."
    ),
    "imports.preview_caption": "The first {shown} of {rows} row(s), with what the import will do to each.",
    "imports.encoding": "Read as {encoding} text.",
    "imports.action": "Action",
    "imports.action.create": "Create",
    "imports.action.update": "Update",
    "imports.action.unchanged": "Unchanged",
    "imports.confirm": "Import {rows} row(s)",
    "imports.done": "Imported {file} into {table}: {create} created, {update} updated, {unchanged} unchanged.",
    "imports.changed_meanwhile": "The records changed while you were looking at the preview; check it again.",
    "imports.denied": "Your role may not import records.",
    "imports.yes": "yes",
    "imports.no": "no",
    # problems with a file as a whole (dashboard/services/import_limits.py), listed like the others
    "imports.problem.mixed_encoding": (
        "Line {line} of the file (data row {row}) is {other} text, but the lines before it are {encoding}: the "
        "file mixes two encodings and its text would be garbled. Save the whole file in one encoding (in Excel: "
        "“CSV UTF-8”) and upload it again."
    ),
    "imports.problem.xlsx_unpacked_too_large": (
        "The workbook “{file}” unpacks to {size} MB; workbooks that unpack to more than {limit} MB cannot be "
        "imported. Split it into smaller files, or save it as CSV."
    ),
    "imports.problem.xlsx_packed_too_tightly": (
        "The workbook “{file}” is not an ordinary workbook: its part {part} unpacks to {size} MB from {packed} KB, "
        "more than {limit} times its packed size. It cannot be imported; open it in Excel and save it again, or "
        "save it as CSV."
    ),
}
