# A group with no name.
# expect: ekgsh:Group-name sh:MinCountConstraintComponent
# message: A group needs a name
# severity: Violation
DELETE { ?g schema:name ?n } WHERE { ?g a ekg:Group ; schema:name ?n }
