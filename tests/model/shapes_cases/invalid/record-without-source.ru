# A record that names no source.
# expect: ekgsh:Record-source sh:MinCountConstraintComponent
# message: derived from
# severity: Violation
DELETE { record:example-workshop-2021 prov:wasDerivedFrom ?s } WHERE { record:example-workshop-2021 prov:wasDerivedFrom ?s }
