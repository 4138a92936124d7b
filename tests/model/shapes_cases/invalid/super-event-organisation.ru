# schema:superEvent pointing to an organisation.
# expect: ekgsh:Event-superEvent sh:ClassConstraintComponent
# message: must be a schema:Event
# severity: Violation
DELETE DATA { <event/example-workshop-2021/opening-remarks> schema:superEvent <event/example-workshop-2021> } ; INSERT DATA { <event/example-workshop-2021/opening-remarks> schema:superEvent <org/example-ecr> }
