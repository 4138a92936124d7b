# A document label without a language tag.
# expect: ekgsh:Labels-language sh:DatatypeConstraintComponent
# message: language tag
# severity: Violation
DELETE { <document/example-workshop-2021-03-03> rdfs:label ?n } INSERT { <document/example-workshop-2021-03-03> rdfs:label "Example press release" } WHERE { <document/example-workshop-2021-03-03> rdfs:label ?n }
