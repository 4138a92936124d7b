# A statement whose evidence is the document.
# expect: ekgsh:Statement-evidence sh:ClassConstraintComponent
# message: needs evidence
# severity: Violation
INSERT DATA { <statement/example-workshop-2021/value-of-open-data> ekg:evidence <document/example-workshop-2021-03-03> }
