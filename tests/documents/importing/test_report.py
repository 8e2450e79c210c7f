"""ImportReport: one report of outcomes for document files, the seed and annotation imports."""

from pathlib import Path

from documents.importing.report import Action, ImportReport, Outcome, Subject


def documents_report(*actions: Action, dry_run: bool = False) -> ImportReport:
    report = ImportReport(Subject.DOCUMENTS, dry_run=dry_run)
    for n, action in enumerate(actions):
        report.add(Outcome(action, f"doc-{n}", ("title",) if action is Action.UPDATED else ()))
    return report


def test_document_lines_name_each_slug_and_the_fields_an_update_changed():
    report = documents_report(Action.CREATED, Action.UPDATED, Action.UNCHANGED)

    assert report.lines() == ["created doc-0", "updated doc-1 (fields: title)", "unchanged doc-2"]
    assert report.summary() == "Imported 3 documents: 1 created, 1 updated, 1 unchanged."


def test_a_dry_run_says_what_it_would_do_and_that_nothing_was_written():
    report = documents_report(Action.CREATED, Action.UPDATED, dry_run=True)

    assert report.lines() == ["create doc-0", "update doc-1 (fields: title)"]
    assert report.summary() == (
        "Dry run: would import 2 documents: 1 created, 1 updated. Nothing was written."
    )


def test_the_seed_counts_its_files_and_what_it_left_alone():
    report = ImportReport(Subject.SEED, sources=[Path("seed.json")])
    report.add(Outcome(Action.CREATED, "documents.Document “A”"))
    report.add(Outcome(Action.UNCHANGED, "documents.Document “B”"))
    report.add(Outcome(Action.UNCHANGED, "documents.Collection “C”"))

    assert report.summary() == (
        "Seed fixtures (1 file): 1 created, 2 left alone because they or their document already exist."
    )


def test_refusals_come_in_the_order_the_items_were_sent_with_reason_and_json_path():
    report = ImportReport(Subject.ANNOTATIONS)
    report.add(Outcome(Action.REFUSED, "item 3", reason="Later.", field="target", index=2))
    report.add(Outcome(Action.CREATED, "item 2", index=1, stored="the stored annotation"))
    report.add(
        Outcome(Action.REFUSED, "item 1 (urn:x)", reason="First.", field="body[0]", index=0, id="urn:x")
    )

    assert [(r.index, r.id, r.field, r.reason) for r in report.refused] == [
        (0, "urn:x", "body[0]", "First."),
        (2, "", "target", "Later."),
    ]
    assert report.imported == ["the stored annotation"]
    assert report.lines()[2] == "refused item 1 (urn:x): First."
    assert report.summary() == "1 annotation imported; 2 refused."


def test_an_annotation_import_that_stored_nothing_says_so():
    report = ImportReport(Subject.ANNOTATIONS)
    report.add(Outcome(Action.REFUSED, "item 1", reason="No.", index=0))

    assert report.summary() == "No annotations were imported; 1 refused."


def test_an_annotation_import_of_items_all_there_already_says_so_and_not_failure():
    report = ImportReport(Subject.ANNOTATIONS)
    for index in range(5):
        report.add(Outcome(Action.UNCHANGED, f"item {index + 1}", index=index, stored=index))

    assert report.summary() == "5 already in the archive."
    assert report.already == [0, 1, 2, 3, 4]


def test_an_annotation_import_counts_new_known_and_refused_items():
    report = ImportReport(Subject.ANNOTATIONS)
    report.add(Outcome(Action.CREATED, "item 1", index=0, stored="new"))
    report.add(Outcome(Action.UNCHANGED, "item 2", index=1, stored="old"))
    report.add(Outcome(Action.REFUSED, "item 3", reason="No.", index=2))

    assert report.summary() == "1 annotation imported; 1 already in the archive; 1 refused."
