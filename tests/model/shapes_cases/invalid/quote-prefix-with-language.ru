# A prefix with a language tag.
# expect: ekgsh:QuoteSelector-prefix sh:DatatypeConstraintComponent
# message: a plain string
# severity: Violation
DELETE { ?q oa:prefix ?p } INSERT { ?q oa:prefix "- "@en } WHERE { ?q oa:exact "The Example Commission on Rights (ECR) convened the" ; oa:prefix ?p }
