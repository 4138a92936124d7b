# An assertion with no rdf:object.
# expect: ekgsh:Assertion-object sh:MinCountConstraintComponent
# message: exactly one rdf:object
# severity: Violation
DELETE { ?a rdf:object ?o } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name ; rdf:object ?o }
