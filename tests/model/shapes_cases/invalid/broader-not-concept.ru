# skos:broader pointing to an organisation.
# expect: ekgsh:Concept-broader sh:ClassConstraintComponent
# message: must be a skos:Concept
# severity: Violation
DELETE { <topic/example-open-data> skos:broader <topic/example-data> } INSERT { <topic/example-open-data> skos:broader <org/example-ecr> } WHERE {}
