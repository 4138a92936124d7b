# An end typed xsd:integer.
# expect: ekgsh:PositionSelector-end sh:DatatypeConstraintComponent
# message: xsd:nonNegativeInteger
# severity: Violation
DELETE { ?p oa:end ?x } INSERT { ?p oa:end "6"^^xsd:integer } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "GENEVA" . ?p oa:end ?x }
