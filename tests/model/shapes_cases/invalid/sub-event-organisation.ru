# A sub-event that is an organisation.
# expect: ekgsh:Event-subEvent sh:ClassConstraintComponent
# message: itself be a schema:Event
# severity: Violation
INSERT DATA { <event/example-workshop-2021> schema:subEvent <org/example-ecr> }
