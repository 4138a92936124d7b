# An assertion with no ekg:basis.
# expect: ekgsh:Assertion-basis sh:MinCountConstraintComponent
# message: how it rests
# severity: Violation
DELETE { ?a ekg:basis ?b } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name ; ekg:basis ?b }
