# An interpretation with no other reading.
# expect: ekgsh:Interpretation-alternative sh:MinCountConstraintComponent
# message: the other reading
# severity: Violation
DELETE { ?i ekg:alternativeReading ?r } WHERE { ?i ekg:alternativeReading ?r }
