# A statement without the document that reports it.
# expect: ekgsh:Statement-document sh:MinCountConstraintComponent
# message: source document that reports it
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:accordingTo ?d } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:accordingTo ?d }
