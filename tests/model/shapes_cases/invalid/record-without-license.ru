# A record with no licence.
# expect: ekgsh:Record-license sh:MinCountConstraintComponent
# message: needs a licence
# severity: Violation
DELETE { record:example-workshop-2021 dcterms:license ?l } WHERE { record:example-workshop-2021 dcterms:license ?l }
