# ekg:memberClass given as text.
# expect: ekgsh:Group-memberClass sh:NodeKindConstraintComponent
# message: a class IRI
# severity: Violation
DELETE { ?g ekg:memberClass ?c } INSERT { ?g ekg:memberClass "agencies" } WHERE { ?g ekg:memberClass ?c }
