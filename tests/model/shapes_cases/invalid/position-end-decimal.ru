# An end typed xsd:decimal.
# expect: ekgsh:PositionSelector-end sh:DatatypeConstraintComponent
# message: xsd:integer
# severity: Violation
DELETE { ?p oa:end ?x } INSERT { ?p oa:end "6.0"^^xsd:decimal } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "GENEVA" . ?p oa:end ?x }
