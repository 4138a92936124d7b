# A record with no modification date.
# expect: ekgsh:Record-modified sh:MinCountConstraintComponent
# message: exactly one modification date
# severity: Violation
DELETE { record:example-workshop-2021 dcterms:modified ?d } WHERE { record:example-workshop-2021 dcterms:modified ?d }
