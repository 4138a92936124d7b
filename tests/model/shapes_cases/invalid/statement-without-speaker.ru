# A statement attributed to nobody.
# expect: ekgsh:Statement-speaker sh:MinCountConstraintComponent
# message: attributed to who said it
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> prov:wasAttributedTo ?a } WHERE { <statement/example-workshop-2021/value-of-open-data> prov:wasAttributedTo ?a }
