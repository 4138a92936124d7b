# Evidence with a quote but no positions.
# expect: ekgsh:Evidence-positionSelector sh:QualifiedMinCountConstraintComponent
# message: exactly one position selector
# severity: Violation
DELETE { ?e oa:hasSelector ?p } WHERE { ?e oa:hasSelector ?q . ?q oa:exact "GENEVA" . ?e oa:hasSelector ?p . ?p oa:start ?s . }
