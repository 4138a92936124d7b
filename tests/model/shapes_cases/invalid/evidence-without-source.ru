# Evidence from no document.
# expect: ekgsh:Evidence-source sh:MinCountConstraintComponent
# message: exactly one source document
# severity: Violation
DELETE { ?e oa:hasSource ?d } WHERE { ?e oa:hasSelector ?q . ?q oa:exact "GENEVA" . ?e oa:hasSource ?d . }
