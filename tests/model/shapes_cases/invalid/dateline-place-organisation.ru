# A dateline place that is an organisation.
# expect: ekgsh:SourceDocument-locationCreated sh:ClassConstraintComponent
# message: described schema:Place
# severity: Violation
INSERT DATA { <document/example-workshop-2021-03-03> schema:locationCreated <org/example-ecr> }
