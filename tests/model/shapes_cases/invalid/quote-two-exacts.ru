# A quote selector with two quotes.
# expect: ekgsh:QuoteSelector-exact sh:MaxCountConstraintComponent
# message: non-empty quote
# severity: Violation
INSERT { ?q oa:exact "GENEVA, 3" } WHERE { ?q oa:exact "GENEVA" }
