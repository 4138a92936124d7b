# An organiser IRI that nothing describes (a typo).
# expect: ekgsh:Event-missingEntity
# message: described nowhere
# severity: Violation
INSERT DATA { <event/example-workshop-2021> schema:organizer <org/example-ecr-secretariatt> }
