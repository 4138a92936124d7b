# Two English preferred labels.
# expect: ekgsh:Concept-prefLabel sh:UniqueLangConstraintComponent
# message: at most one per language
# severity: Violation
INSERT DATA { <topic/example-data> skos:prefLabel "information"@en }
