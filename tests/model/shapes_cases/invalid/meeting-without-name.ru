# A meeting with no name.
# expect: ekgsh:Meeting-name sh:MinCountConstraintComponent
# message: needs a name
# severity: Violation
DELETE { <event/example-workshop-2021> schema:name ?n } WHERE { <event/example-workshop-2021> schema:name ?n }
