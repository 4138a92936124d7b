# A source document with no label.
# expect: ekgsh:SourceDocument-label sh:MinCountConstraintComponent
# message: needs a label
# severity: Violation
DELETE { <document/example-workshop-2021-03-03> rdfs:label ?l } WHERE { <document/example-workshop-2021-03-03> rdfs:label ?l }
