# A start given as a string.
# expect: ekgsh:PositionSelector-start sh:DatatypeConstraintComponent
# message: xsd:integer
# severity: Violation
DELETE { ?p oa:start ?x } INSERT { ?p oa:start "0" } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "GENEVA" . ?p oa:start ?x }
