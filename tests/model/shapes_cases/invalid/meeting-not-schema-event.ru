# A meeting not typed schema:Event for plain readers.
# expect: ekgsh:Meeting-schemaType sh:HasValueConstraintComponent
# message: typed schema:Event
# severity: Violation
DELETE DATA { <event/example-workshop-2021> a schema:Event }
