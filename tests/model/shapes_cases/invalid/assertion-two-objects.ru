# An assertion about two objects at once.
# expect: ekgsh:Assertion-object sh:MaxCountConstraintComponent
# message: exactly one rdf:object
# severity: Violation
INSERT { ?a rdf:object "Another name"@en } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name }
