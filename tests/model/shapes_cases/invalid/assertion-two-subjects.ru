# An assertion about two subjects.
# expect: ekgsh:Assertion-subject sh:MaxCountConstraintComponent
# message: exactly one rdf:subject
# severity: Violation
INSERT { ?a rdf:subject <event/example-workshop-2021/opening-remarks> } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name }
