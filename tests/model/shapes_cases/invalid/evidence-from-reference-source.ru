# Evidence quoting a reference source whose text is not held.
# expect: ekgsh:Evidence-source sh:ClassConstraintComponent
# message: held in full
# severity: Violation
DELETE { ?e oa:hasSource ?d } INSERT { ?e oa:hasSource <source/example-gazetteer> } WHERE { ?e oa:hasSelector ?q . ?q oa:exact "GENEVA" . ?e oa:hasSource ?d . }
