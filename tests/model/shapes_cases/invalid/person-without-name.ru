# A person with no name.
# expect: ekgsh:Person-name sh:MinCountConstraintComponent
# message: A person needs a name
# severity: Violation
DELETE { <person/example-ana> schema:name ?n } WHERE { <person/example-ana> schema:name ?n }
