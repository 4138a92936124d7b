# A source document without its text.
# expect: ekgsh:SourceDocument-fullText sh:MinCountConstraintComponent
# message: full text
# severity: Violation
DELETE { <document/example-workshop-2021-03-03> ekg:fullText ?t } WHERE { <document/example-workshop-2021-03-03> ekg:fullText ?t }
