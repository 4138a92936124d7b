# A statement with no evidence.
# expect: ekgsh:Statement-evidence sh:MinCountConstraintComponent
# message: needs evidence
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:evidence ?e } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:evidence ?e }
