# A position selector with no end.
# expect: ekgsh:PositionSelector-end sh:MinCountConstraintComponent
# message: needs one end
# severity: Violation
DELETE { ?p oa:end ?x } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "GENEVA" . ?p oa:end ?x }
