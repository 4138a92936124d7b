# A group that does not say what it stands for.
# expect: ekgsh:Group-memberClass sh:MinCountConstraintComponent
# message: what kind of member
# severity: Violation
DELETE { ?g ekg:memberClass ?c } WHERE { ?g ekg:memberClass ?c }
