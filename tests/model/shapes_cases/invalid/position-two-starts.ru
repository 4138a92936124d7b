# A position selector with two starts.
# expect: ekgsh:PositionSelector-start sh:MaxCountConstraintComponent
# message: needs one start
# severity: Violation
INSERT { ?p oa:start "1"^^xsd:integer } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "GENEVA" . ?p oa:start ?x }
