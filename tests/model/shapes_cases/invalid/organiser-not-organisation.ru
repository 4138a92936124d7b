# An organiser that is a place, not an organisation.
# expect: ekgsh:Event-organizer sh:ClassConstraintComponent
# message: must be an organisation
# severity: Violation
DELETE DATA { <event/example-workshop-2021> schema:organizer <org/example-ecr-secretariat> } ; INSERT DATA { <event/example-workshop-2021> schema:organizer <place/example-geneva> }
