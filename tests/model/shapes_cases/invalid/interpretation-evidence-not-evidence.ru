# An interpretation whose evidence is the whole document.
# expect: ekgsh:Interpretation-evidence sh:ClassConstraintComponent
# message: quote the passage
# severity: Violation
DELETE { ?i ekg:evidence ?e } INSERT { ?i ekg:evidence <document/example-workshop-2021-03-03> } WHERE { ?i a ekg:Interpretation ; ekg:evidence ?e }
