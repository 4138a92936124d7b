# An assertion with two predicates.
# expect: ekgsh:Assertion-predicate sh:MaxCountConstraintComponent
# message: exactly one rdf:predicate
# severity: Violation
INSERT { ?a rdf:predicate schema:alternateName } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name }
