# Evidence with positions but no quote.
# expect: ekgsh:Evidence-quoteSelector sh:QualifiedMinCountConstraintComponent
# message: exactly one quote selector
# severity: Violation
DELETE { ?e oa:hasSelector ?q } WHERE { ?e oa:hasSelector ?q . ?q oa:exact "GENEVA" .  }
