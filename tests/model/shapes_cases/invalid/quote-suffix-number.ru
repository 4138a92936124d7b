# A suffix typed as a number.
# expect: ekgsh:QuoteSelector-suffix sh:DatatypeConstraintComponent
# message: a plain string
# severity: Violation
DELETE { ?q oa:suffix ?s } INSERT { ?q oa:suffix "3"^^xsd:integer } WHERE { ?q oa:exact "GENEVA" ; oa:suffix ?s }
