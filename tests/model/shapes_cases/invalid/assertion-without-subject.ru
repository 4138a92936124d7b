# An assertion with no rdf:subject.
# expect: ekgsh:Assertion-subject sh:MinCountConstraintComponent
# message: exactly one rdf:subject
# severity: Violation
DELETE { ?a rdf:subject ?s } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name ; rdf:subject ?s }
