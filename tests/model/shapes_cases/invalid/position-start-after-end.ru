# A start equal to the end (an empty span).
# expect: ekgsh:PositionSelector-start sh:LessThanConstraintComponent
# message: before its end
# severity: Violation
DELETE { ?p oa:start ?x } INSERT { ?p oa:start "6"^^xsd:integer } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "GENEVA" . ?p oa:start ?x }
