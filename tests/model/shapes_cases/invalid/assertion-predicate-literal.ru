# rdf:predicate given as a string.
# expect: ekgsh:Assertion-predicate sh:NodeKindConstraintComponent
# message: an IRI
# severity: Violation
DELETE { ?a rdf:predicate schema:name } INSERT { ?a rdf:predicate "schema:name" } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name }
