# A statement reported by a reference source.
# expect: ekgsh:Statement-document sh:ClassConstraintComponent
# message: source document that reports it
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:accordingTo ?d } INSERT { <statement/example-workshop-2021/value-of-open-data> ekg:accordingTo <source/example-gazetteer> } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:accordingTo ?d }
