# An inferred date with no note on how.
# expect: ekgsh:InferredBasisShape sh:OrConstraintComponent
# message: how it was inferred
# severity: Violation
DELETE { ?a ekg:inferenceNote ?n } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:startDate ; ekg:inferenceNote ?n }
