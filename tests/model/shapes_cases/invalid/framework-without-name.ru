# A policy framework with no name.
# expect: ekgsh:PolicyFramework-name sh:MinCountConstraintComponent
# message: A policy framework needs a name
# severity: Violation
DELETE { <framework/example-agenda> schema:name ?n } WHERE { <framework/example-agenda> schema:name ?n }
