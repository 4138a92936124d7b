# An end beyond the text.
# expect: ekgsh:SourceDocument-positionsSelectQuotes
# message: do not select its quote
# severity: Violation
DELETE { ?p oa:end ?x } INSERT { ?p oa:end "9999"^^xsd:integer } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "Representatives from relevant agencies discussed the Example Agenda" . ?p oa:end ?x }
