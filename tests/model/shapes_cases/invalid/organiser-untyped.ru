# An organiser with no type at all.
# expect: ekgsh:Event-organizer sh:ClassConstraintComponent
# message: not described at all
# severity: Violation
INSERT DATA { <event/example-workshop-2021> schema:organizer <org/nowhere> . <org/nowhere> schema:name "Nowhere"@en }
