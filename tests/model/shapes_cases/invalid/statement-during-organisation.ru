# A statement made during an organisation.
# expect: ekgsh:Statement-during sh:ClassConstraintComponent
# message: during which event
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:madeDuring ?e } INSERT { <statement/example-workshop-2021/value-of-open-data> ekg:madeDuring <org/example-ecr> } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:madeDuring ?e }
