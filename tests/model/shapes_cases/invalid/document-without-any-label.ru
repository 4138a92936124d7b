# A reference source with neither label, title nor name.
# expect: ekgsh:CreativeWorkShape sh:OrConstraintComponent
# message: needs a label, a title or a name
# severity: Violation
DELETE { <source/example-gazetteer> dcterms:title ?t } WHERE { <source/example-gazetteer> dcterms:title ?t }
