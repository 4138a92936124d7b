# A negative start.
# expect: ekgsh:PositionSelector-start sh:MinInclusiveConstraintComponent
# message: 0 or more
# severity: Violation
DELETE { ?p oa:start ?x } INSERT { ?p oa:start "-3"^^xsd:integer } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "GENEVA" . ?p oa:start ?x }
