# A source document with two texts.
# expect: ekgsh:SourceDocument-fullText sh:MaxCountConstraintComponent
# message: full text
# severity: Violation
INSERT DATA { <document/example-workshop-2021-03-03> ekg:fullText "Another text." }
