# A person as supporter, with its assertion.
# exercises: ekgsh:Event-sponsor ekgsh:WholeGraph-factEvidence
INSERT { <event/example-workshop-2021> schema:sponsor <person/example-ana> . <assertion/example/ana-sponsor> a ekg:Assertion ; rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:sponsor ; rdf:object <person/example-ana> ; ekg:basis <basis/stated> ; ekg:evidence ?e } WHERE { ?e oa:hasSelector ?q . ?q oa:exact "with support from the Example Foundation" }
