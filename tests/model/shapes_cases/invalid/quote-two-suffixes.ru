# A quote selector with two suffixes.
# expect: ekgsh:QuoteSelector-suffix sh:MaxCountConstraintComponent
# message: at most one suffix
# severity: Violation
INSERT { ?q oa:suffix ", 3" } WHERE { ?q oa:exact "GENEVA" }
