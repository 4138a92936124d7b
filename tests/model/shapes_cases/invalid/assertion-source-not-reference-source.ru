# prov:wasDerivedFrom pointing to a place, not a reference source.
# expect: ekgsh:Assertion-source sh:OrConstraintComponent
# message: ekg:ReferenceSource
# severity: Violation
INSERT { ?a prov:wasDerivedFrom <place/example-geneva> } WHERE { ?a rdf:subject <place/example-country> ; rdf:predicate schema:name }
