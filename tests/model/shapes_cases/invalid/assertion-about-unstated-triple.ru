# An assertion about a triple the graph does not contain.
# expect: ekgsh:WholeGraph-assertedTriple
# message: does not state
# severity: Violation
INSERT { <assertion/example/unstated> a ekg:Assertion ; rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name ; rdf:object "Another name"@en ; ekg:basis <basis/stated> ; ekg:evidence ?e } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name ; ekg:evidence ?e }
