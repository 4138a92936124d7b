# A statement made during no event.
# expect: ekgsh:Statement-during sh:MinCountConstraintComponent
# message: during which event
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:madeDuring ?e } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:madeDuring ?e }
