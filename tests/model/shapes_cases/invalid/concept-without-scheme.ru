# A concept in no scheme.
# expect: ekgsh:Concept-inScheme sh:MinCountConstraintComponent
# message: belong to a concept scheme
# severity: Violation
DELETE { <topic/example-data> skos:inScheme ?s } WHERE { <topic/example-data> skos:inScheme ?s }
