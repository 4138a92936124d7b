# A meeting whose only source is a reference source.
# expect: ekgsh:Meeting-source sh:ClassConstraintComponent
# message: source document that reports it
# severity: Violation
DELETE DATA { <event/example-workshop-2021> schema:subjectOf <document/example-workshop-2021-03-03> } ; INSERT DATA { <event/example-workshop-2021> schema:subjectOf <source/example-gazetteer> }
