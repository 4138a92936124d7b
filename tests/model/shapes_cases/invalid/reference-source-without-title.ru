# A reference source with no title.
# expect: ekgsh:ReferenceSource-title sh:MinCountConstraintComponent
# message: needs a title
# severity: Violation
DELETE { <source/example-gazetteer> dcterms:title ?t } WHERE { <source/example-gazetteer> dcterms:title ?t }
