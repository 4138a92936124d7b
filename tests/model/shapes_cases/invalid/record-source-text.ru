# A record source given as text.
# expect: ekgsh:Record-source sh:NodeKindConstraintComponent
# message: derived from
# severity: Violation
INSERT DATA { record:example-workshop-2021 prov:wasDerivedFrom "the press release" }
