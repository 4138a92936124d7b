# A quote selector with no quote.
# expect: ekgsh:QuoteSelector-exact sh:MinCountConstraintComponent
# message: non-empty quote
# severity: Violation
DELETE { ?q oa:exact "GENEVA" } WHERE { ?q oa:exact "GENEVA" }
