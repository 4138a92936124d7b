# An assertion with no rdf:predicate.
# expect: ekgsh:Assertion-predicate sh:MinCountConstraintComponent
# message: exactly one rdf:predicate
# severity: Violation
DELETE { ?a rdf:predicate ?p } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name ; rdf:predicate ?p }
