# A concept scheme with no label.
# expect: ekgsh:ConceptScheme-label sh:MinCountConstraintComponent
# message: needs a label
# severity: Violation
DELETE { <scheme/example-topics> skos:prefLabel ?l } WHERE { <scheme/example-topics> skos:prefLabel ?l }
