# A licence given as text.
# expect: ekgsh:Record-license sh:NodeKindConstraintComponent
# message: IRI of the licence
# severity: Violation
DELETE { record:example-workshop-2021 dcterms:license ?l } INSERT { record:example-workshop-2021 dcterms:license "CC BY 4.0" } WHERE { record:example-workshop-2021 dcterms:license ?l }
