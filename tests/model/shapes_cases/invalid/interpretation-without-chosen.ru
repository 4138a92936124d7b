# An interpretation that does not say which reading it takes.
# expect: ekgsh:Interpretation-chosen sh:MinCountConstraintComponent
# message: the reading taken
# severity: Violation
DELETE { ?i ekg:chosenReading ?r } WHERE { ?i ekg:chosenReading ?r }
