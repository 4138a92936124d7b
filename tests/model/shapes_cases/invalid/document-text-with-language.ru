# A full text with a language tag.
# expect: ekgsh:SourceDocument-fullText sh:DatatypeConstraintComponent
# message: plain string
# severity: Violation
DELETE { <document/example-workshop-2021-03-03> ekg:fullText ?t } INSERT { <document/example-workshop-2021-03-03> ekg:fullText ?tagged } WHERE { <document/example-workshop-2021-03-03> ekg:fullText ?t BIND(STRLANG(?t, "en") AS ?tagged) }
