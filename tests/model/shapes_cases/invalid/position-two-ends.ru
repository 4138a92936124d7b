# A position selector with two ends.
# expect: ekgsh:PositionSelector-end sh:MaxCountConstraintComponent
# message: needs one end
# severity: Violation
INSERT { ?p oa:end "7"^^xsd:integer } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "GENEVA" . ?p oa:end ?x }
