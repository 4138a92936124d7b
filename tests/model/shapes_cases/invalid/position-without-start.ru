# A position selector with no start.
# expect: ekgsh:PositionSelector-start sh:MinCountConstraintComponent
# message: needs one start
# severity: Violation
DELETE { ?p oa:start ?x } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "GENEVA" . ?p oa:start ?x }
