# An empty quote.
# expect: ekgsh:QuoteSelector-exact sh:MinLengthConstraintComponent
# message: non-empty quote
# severity: Violation
DELETE { ?q oa:exact "GENEVA" } INSERT { ?q oa:exact "" } WHERE { ?q oa:exact "GENEVA" }
