# Evidence from two documents.
# expect: ekgsh:Evidence-source sh:MaxCountConstraintComponent
# message: exactly one source document
# severity: Violation
INSERT { ?e oa:hasSource <source/example-gazetteer> } WHERE { ?e oa:hasSelector ?q . ?q oa:exact "GENEVA" .  }
