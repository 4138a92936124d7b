# A location that is an organisation.
# expect: ekgsh:Event-location sh:ClassConstraintComponent
# message: described place
# severity: Violation
INSERT DATA { <event/example-workshop-2021> schema:location <org/example-ecr> }
