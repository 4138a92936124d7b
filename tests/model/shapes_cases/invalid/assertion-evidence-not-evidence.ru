# ekg:evidence pointing to the document instead of an evidence node.
# expect: ekgsh:Assertion-evidence sh:ClassConstraintComponent
# message: must point to an ekg:Evidence
# severity: Violation
DELETE { ?a ekg:evidence ?e } INSERT { ?a ekg:evidence <document/example-workshop-2021-03-03> } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:name ; ekg:evidence ?e }
