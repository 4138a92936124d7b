# A place with no name.
# expect: ekgsh:Place-name sh:MinCountConstraintComponent
# message: A place needs a name
# severity: Violation
DELETE { <place/example-geneva> schema:name ?n } WHERE { <place/example-geneva> schema:name ?n }
