# A meeting with no source document.
# expect: ekgsh:Meeting-source sh:MinCountConstraintComponent
# message: source document that reports it
# severity: Violation
DELETE DATA { <event/example-workshop-2021> schema:subjectOf <document/example-workshop-2021-03-03> }
