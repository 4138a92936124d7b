# An assertion with neither a quote nor a reference source.
# expect: ekgsh:AssertionShape sh:OrConstraintComponent
# message: needs evidence
# severity: Violation
DELETE { ?a ekg:evidence ?e } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name ; ekg:evidence ?e }
