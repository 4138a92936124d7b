# A document with two dateline dates.
# expect: ekgsh:SourceDocument-dateCreated sh:MaxCountConstraintComponent
# message: at most one dateline date
# severity: Violation
INSERT DATA { <document/example-workshop-2021-03-03> schema:dateCreated "2021-03-04"^^xsd:date }
