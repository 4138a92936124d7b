# A concept with no skos:prefLabel.
# expect: ekgsh:Concept-prefLabel sh:MinCountConstraintComponent
# message: preferred label
# severity: Violation
DELETE { <topic/example-data> skos:prefLabel ?l } WHERE { <topic/example-data> skos:prefLabel ?l }
