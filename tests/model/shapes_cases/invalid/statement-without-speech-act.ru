# A statement that does not say what kind of saying it reports.
# expect: ekgsh:Statement-speechAct sh:MinCountConstraintComponent
# message: kind of saying
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:speechAct ?a } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:speechAct ?a }
