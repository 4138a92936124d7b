# A post with neither label nor name.
# expect: ekgsh:PostShape sh:OrConstraintComponent
# message: needs a label
# severity: Violation
DELETE { <post/example-director-of-research> rdfs:label ?l } WHERE { <post/example-director-of-research> rdfs:label ?l }
