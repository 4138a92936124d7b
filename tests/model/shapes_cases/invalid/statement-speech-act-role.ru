# A speech act that is a role.
# expect: ekgsh:Statement-speechAct sh:ClassConstraintComponent
# message: kind of saying
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:speechAct ?a } INSERT { <statement/example-workshop-2021/value-of-open-data> ekg:speechAct <role/speaker> } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:speechAct ?a }
