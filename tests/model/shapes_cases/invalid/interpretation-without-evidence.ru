# An interpretation that quotes nothing.
# expect: ekgsh:Interpretation-evidence sh:MinCountConstraintComponent
# message: quote the passage
# severity: Violation
DELETE { ?i ekg:evidence ?e } WHERE { ?i a ekg:Interpretation ; ekg:evidence ?e }
