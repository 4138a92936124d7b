# skos:inScheme pointing to a concept.
# expect: ekgsh:Concept-inScheme sh:ClassConstraintComponent
# message: belong to a concept scheme
# severity: Violation
DELETE { <topic/example-data> skos:inScheme ?s } INSERT { <topic/example-data> skos:inScheme <topic/example-open-data> } WHERE { <topic/example-data> skos:inScheme ?s }
