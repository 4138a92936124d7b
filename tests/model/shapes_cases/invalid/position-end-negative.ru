# A negative end.
# expect: ekgsh:PositionSelector-end sh:MinInclusiveConstraintComponent
# message: 0 or more
# severity: Violation
DELETE { ?p oa:end ?x } INSERT { ?p oa:end "-1"^^xsd:integer } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "GENEVA" . ?p oa:end ?x }
