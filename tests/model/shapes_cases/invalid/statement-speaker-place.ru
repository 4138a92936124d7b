# A statement attributed to a place.
# expect: ekgsh:Statement-speaker sh:OrConstraintComponent
# message: attributed to who said it
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> prov:wasAttributedTo ?a } INSERT { <statement/example-workshop-2021/value-of-open-data> prov:wasAttributedTo <place/example-geneva> } WHERE { <statement/example-workshop-2021/value-of-open-data> prov:wasAttributedTo ?a }
