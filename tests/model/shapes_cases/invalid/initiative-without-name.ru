# An initiative with no name.
# expect: ekgsh:Initiative-name sh:MinCountConstraintComponent
# message: An initiative needs a name
# severity: Violation
DELETE { ?i schema:name ?n } WHERE { ?i a ekg:Initiative ; schema:name ?n }
