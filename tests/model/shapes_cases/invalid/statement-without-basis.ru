# A statement with no basis.
# expect: ekgsh:Statement-basis sh:MinCountConstraintComponent
# message: how it rests
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:basis ?b } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:basis ?b }
