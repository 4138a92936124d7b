# A source document not typed schema:CreativeWork.
# expect: ekgsh:SourceDocument-schemaType sh:HasValueConstraintComponent
# message: schema:CreativeWork
# severity: Violation
DELETE DATA { <document/example-workshop-2021-03-03> a schema:CreativeWork }
