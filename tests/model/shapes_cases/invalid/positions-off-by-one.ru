# Positions shifted by one character.
# expect: ekgsh:SourceDocument-positionsSelectQuotes
# message: do not select its quote
# severity: Violation
DELETE { ?p oa:start ?s ; oa:end ?x } INSERT { ?p oa:start ?s1 ; oa:end ?x1 } WHERE { ?e oa:hasSelector ?q, ?p . ?q oa:exact "in Geneva on 1-2 March" . ?p oa:start ?s ; oa:end ?x . BIND(STRDT(STR(?s + 1), xsd:integer) AS ?s1) BIND(STRDT(STR(?x + 1), xsd:integer) AS ?x1) }
