# A quote with a language tag (a quote is a copy of the text, not a label).
# expect: ekgsh:QuoteSelector-exact sh:DatatypeConstraintComponent
# message: plain string
# severity: Violation
DELETE { ?q oa:exact "GENEVA" } INSERT { ?q oa:exact "GENEVA"@en } WHERE { ?q oa:exact "GENEVA" }
