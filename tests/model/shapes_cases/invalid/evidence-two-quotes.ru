# Evidence with two quote selectors.
# expect: ekgsh:Evidence-quoteSelector sh:QualifiedMaxCountConstraintComponent
# message: exactly one quote selector
# severity: Violation
INSERT { ?e oa:hasSelector <evidence/extra/quote> . <evidence/extra/quote> a oa:TextQuoteSelector ; oa:exact "GENEVA" } WHERE { ?e oa:hasSelector ?q . ?q oa:exact "GENEVA" .  }
