# A quote selector with two prefixes.
# expect: ekgsh:QuoteSelector-prefix sh:MaxCountConstraintComponent
# message: at most one prefix
# severity: Violation
INSERT { ?q oa:prefix "March 2021- " } WHERE { ?q oa:exact "The Example Commission on Rights (ECR) convened the" }
