# A record with no title.
# expect: ekgsh:Record-title sh:MinCountConstraintComponent
# message: needs a title
# severity: Violation
DELETE { record:example-workshop-2021 dcterms:title ?t } WHERE { record:example-workshop-2021 dcterms:title ?t }
