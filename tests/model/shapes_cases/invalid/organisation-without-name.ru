# An organisation with no name.
# expect: ekgsh:Organization-name sh:MinCountConstraintComponent
# message: An organisation needs a name
# severity: Violation
DELETE { <org/example-foundation> schema:name ?n } WHERE { <org/example-foundation> schema:name ?n }
