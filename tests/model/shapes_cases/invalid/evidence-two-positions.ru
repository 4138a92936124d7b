# Evidence with two position selectors.
# expect: ekgsh:Evidence-positionSelector sh:QualifiedMaxCountConstraintComponent
# message: exactly one position selector
# severity: Violation
INSERT { ?e oa:hasSelector <evidence/extra/position> . <evidence/extra/position> a oa:TextPositionSelector ; oa:start "0"^^xsd:integer ; oa:end "6"^^xsd:integer } WHERE { ?e oa:hasSelector ?q . ?q oa:exact "GENEVA" .  }
